import django_tables2 as tables

from .models import ClosureDay


class ClosureDayTable(tables.Table):
    date = tables.DateColumn(verbose_name="Date")
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
