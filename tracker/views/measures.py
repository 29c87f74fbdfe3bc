"""Timeliness, under /dashboards/timeliness/: the measures of tracker/measures.py over the
children the user may see, as of a date, with the 12 months' trend as a chart."""

from django.utils.functional import cached_property
from django.views.generic import TemplateView

from permanence.audit import AuditedMixin
from permanence.charts import Chart, ChartsMixin, Series
from permanence.permissions import PermissionRequiredMixin

from .. import measures, selectors
from ..forms_dashboard import AsOfForm
from ..permissions import can_see_dashboards


class TimelinessView(AuditedMixin, PermissionRequiredMixin, ChartsMixin, TemplateView):
    """Figures about many children, none named: audited under the URL's name."""

    permission = can_see_dashboards
    template_name = "tracker/timeliness.html"

    @cached_property
    def form(self):
        return AsOfForm(self.request.GET or None)

    @cached_property
    def timeliness(self) -> measures.Timeliness:
        return measures.timeliness(
            selectors.visible_children(self.request.user), self.form.as_of_date()
        )

    def get_charts(self) -> list[Chart]:
        months = tuple(f"{month:%B %Y}" for month, _, _ in self.timeliness.by_month)
        return [
            Chart(
                slug="a10-a2-by-month",
                title="A10 and A2, month by month",
                kind="line",
                categories=months,
                series=(
                    Series("A10", tuple(a10.value for _, a10, _ in self.timeliness.by_month)),
                    Series("A2", tuple(a2.value for _, _, a2 in self.timeliness.by_month)),
                ),
                unit="days",
                unit_one="day",
            ),
            Chart(
                slug="adopted-by-month",
                title="Children adopted, month by month",
                kind="line",
                categories=months,
                series=(
                    Series(
                        "Children adopted",
                        tuple(a10.children for _, a10, _ in self.timeliness.by_month),
                    ),
                ),
                unit="children",
                unit_one="child",
            ),
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.form,
            as_of=self.timeliness.as_of,
            timeliness=self.timeliness,
            sees_all=self.request.user.sees_all_children,
            **kwargs,
        )
