import django_tables2 as tables
from django.utils import formats

from .models import ClosureDay


class DayColumn(tables.Column):
    """A date column formatted in Python.

    django-tables2's DateColumn compiles a template for every cell, which costs more
    than the rest of a 50-row page put together.
    """

    def __init__(self, *args, date_format: str = "SHORT_DATE_FORMAT", **kwargs):
        self.date_format = date_format
        super().__init__(*args, **kwargs)

    def render(self, value):
        return formats.date_format(value, self.date_format)


class ClosureDayTable(tables.Table):
    date = DayColumn(verbose_name="Date", date_format="DATE_FORMAT")
    description = tables.Column(verbose_name="Reason")
    remove = tables.TemplateColumn(
        template_name="permanence/closure_day_remove_cell.html",
        verbose_name="Action",
        orderable=False,
    )

    class Meta:
        model = ClosureDay
        fields = ("date", "description")
        order_by = "date"
        per_page = 25
