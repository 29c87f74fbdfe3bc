"""The drift-and-delay board (tracker/dashboard.py), under /dashboards/."""

from django.utils import timezone
from django.views.generic import TemplateView

from permanence.audit import AuditAction, AuditedMixin
from permanence.permissions import PermissionRequiredMixin
from permanence.spreadsheets import table_response

from .. import dashboard, selectors
from ..flags import FLAGS
from ..forms_dashboard import AsOfForm
from ..permissions import can_see_dashboards


class DashboardView(AuditedMixin, PermissionRequiredMixin, TemplateView):
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
            if download in DOWNLOADS:
                return DOWNLOADS[download](self.board)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        downloads = {}
        for name in DOWNLOADS:
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


def _by_team_csv(board):
    return table_response(
        columns=("team", "children tracked", *(flag.code for flag in FLAGS)),
        rows=[
            [row.label, row.total.count, *(cell.count for cell in row.counts)]
            for row in board.by_team
        ],
        filename=f"flags-by-team-{board.as_of.isoformat()}",
        file_format="csv",
    )


def _trend_csv(board):
    return table_response(
        columns=("as_of", "children with a flag"),
        rows=[[on, count] for on, count in board.trend],
        filename=f"children-with-a-flag-by-month-{board.as_of.isoformat()}",
        file_format="csv",
    )


DOWNLOADS = {"by_team": _by_team_csv, "trend": _trend_csv}
