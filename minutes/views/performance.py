"""Panel performance, under /dashboards/panels/: minutes/performance.py as of a date."""

from django.views.generic import TemplateView

from permanence.audit import AuditedMixin
from permanence.permissions import PermissionRequiredMixin
from tracker.forms_measures import AsOfForm

from .. import performance
from ..permissions import can_read_panel_performance


class PanelPerformanceView(AuditedMixin, PermissionRequiredMixin, TemplateView):
    """Counts about meetings and papers, no child named: audited under the URL's name."""

    permission = can_read_panel_performance
    template_name = "minutes/panel_performance.html"

    def get_context_data(self, **kwargs):
        form = AsOfForm(self.request.GET or None)
        as_of = form.as_of_date()
        return super().get_context_data(
            form=form,
            as_of=as_of,
            performance=performance.panel_performance(as_of),
            definitions=performance.TALLIES,
            **kwargs,
        )
