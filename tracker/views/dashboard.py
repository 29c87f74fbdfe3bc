"""The drift-and-delay board (tracker/dashboard.py), under /dashboards/."""

from django.utils import timezone
from django.utils.formats import date_format
from django.views.generic import TemplateView

from permanence.audit import AuditAction, AuditedMixin
from permanence.charts import Chart, ChartsMixin, Series
from permanence.permissions import PermissionRequiredMixin
from permanence.spreadsheets import table_response

from .. import dashboard, selectors
from ..flags import FLAGS
from ..forms_dashboard import AsOfForm
from ..permissions import can_see_dashboards

# The breakdowns' own downloads (`?download=by_team`): every flag's column, where a chart's
# CSV (`?csv=<slug>`, ChartsMixin) holds only the chart's figures.
BREAKDOWNS = {
    "by_team": ("team", "flags-by-team"),
    "by_panel": ("panel", "flags-by-panel"),
    "by_social_worker": ("social worker", "flags-by-social-worker"),
}


class DashboardView(AuditedMixin, PermissionRequiredMixin, ChartsMixin, TemplateView):
    """Counts, not children; audited all the same, as a look across the children the
    person may see, and its downloads as exports (they name social workers and teams)."""

    permission = can_see_dashboards
    audit_file_action = AuditAction.EXPORTED
    template_name = "tracker/dashboard.html"

    def get(self, request, *args, **kwargs):
        self.form = AsOfForm(request.GET)
        self.board = None
        if self.form.is_valid():
            asked = self.form.cleaned_data["as_of"]
            self.board = dashboard.board(
                selectors.visible_children(request.user),
                as_of=asked or timezone.localdate(),
                asked_as_of=asked,
            )
            download = request.GET.get("download")
            if download in BREAKDOWNS:
                return breakdown_csv(self.board, download)
        return super().get(request, *args, **kwargs)

    def get_charts(self) -> list[Chart]:
        if self.board is None:
            return []
        board = self.board
        return [
            Chart(
                slug="flagged_by_month",
                title="Children with at least one flag, month by month",
                kind="line",
                # Months, as the chart draws them; the page says which day of each.
                categories=tuple(date_format(on, "M Y") for on, _ in board.trend),
                series=(Series("Children with a flag", tuple(n for _, n in board.trend)),),
                category_label="Month",
                unit="children",
                unit_one="child",
            ),
            Chart(
                slug="flagged_by_team",
                title="Children with a flag by team",
                kind="bar",
                categories=tuple(row.label for row in board.by_team),
                series=(
                    Series("Children tracked", tuple(row.total.count for row in board.by_team)),
                    Series("With at least one flag", tuple(row.flagged for row in board.by_team)),
                ),
                category_label="Team",
                unit="children",
                unit_one="child",
            ),
        ]

    def get_context_data(self, **kwargs):
        downloads = {}
        for name in BREAKDOWNS:
            query = self.request.GET.copy()
            query["download"] = name
            downloads[name] = query.urlencode()
        return super().get_context_data(
            form=self.form,
            board=self.board,
            flags=FLAGS,
            downloads=downloads,
            scoped_to_team=not self.request.user.sees_all_children,
            **kwargs,
        )


def breakdown_csv(board, name: str):
    by, filename = BREAKDOWNS[name]
    return table_response(
        columns=(by, "children tracked", "with at least one flag", *(f.code for f in FLAGS)),
        rows=[
            [row.label, row.total.count, row.flagged, *(cell.count for cell in row.counts)]
            for row in getattr(board, name)
        ],
        filename=f"{filename}-{board.as_of.isoformat()}",
        file_format="csv",
    )
