"""Panel performance, under /dashboards/panels/: minutes/performance.py as of a date, with
the children heard month by month and by panel as charts."""

from django.utils.functional import cached_property
from django.views.generic import TemplateView

from permanence.audit import AuditedMixin
from permanence.charts import Chart, ChartsMixin, Series
from permanence.permissions import PermissionRequiredMixin
from tracker.forms_dashboard import AsOfForm

from .. import performance
from ..permissions import can_read_panel_performance


class PanelPerformanceView(AuditedMixin, PermissionRequiredMixin, ChartsMixin, TemplateView):
    """Counts about meetings and papers, no child named: audited under the URL's name."""

    permission = can_read_panel_performance
    template_name = "minutes/panel_performance.html"

    @cached_property
    def form(self):
        return AsOfForm(self.request.GET or None)

    @cached_property
    def performance(self) -> performance.PanelPerformance:
        return performance.panel_performance(self.form.as_of_date())

    def get_charts(self) -> list[Chart]:
        by_month = self.performance.heard_by_month
        panels = self.performance.panels
        return [
            Chart(
                slug="heard-by-month",
                title="Children heard, month by month",
                kind="line",
                categories=tuple(f"{month:%B %Y}" for month, _ in by_month),
                series=(Series("Children heard", tuple(heard for _, heard in by_month)),),
                unit="children",
                unit_one="child",
            ),
            Chart(
                slug="heard-per-meeting-by-panel",
                title="Children heard per meeting, by panel",
                kind="bar",
                category_label="Panel",
                categories=tuple(figures.panel.name for figures in panels),
                series=(
                    Series(
                        "Children heard per meeting",
                        tuple(
                            None
                            if figures.heard_per_meeting is None
                            else round(figures.heard_per_meeting, 1)
                            for figures in panels
                        ),
                    ),
                ),
            ),
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.form,
            as_of=self.performance.as_of,
            performance=self.performance,
            definitions=performance.TALLIES,
            **kwargs,
        )
