import django_tables2 as tables

from .models import ClosureDay


class DayColumn(tables.Column):
    """A date column formatted in Python.

    django-tables2's DateColumn compiles a template for every cell, which costs more
    than the rest of a 50-row page put together.
    """

    def __init__(self, *args, date_format: str = "%-d %b %Y", **kwargs):
        self.date_format = date_format
        super().__init__(*args, **kwargs)

    def render(self, value):
        return f"{value:{self.date_format}}"


class ClosureDayTable(tables.Table):
    date = DayColumn(verbose_name="Date", date_format="%A %-d %B %Y")
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
