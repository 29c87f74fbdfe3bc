"""Timeliness, under /dashboards/timeliness/: the measures of tracker/measures.py over the
children the user may see, as of a date."""

from django.views.generic import TemplateView

from permanence.audit import AuditedMixin
from permanence.permissions import PermissionRequiredMixin

from .. import measures, selectors
from ..forms_measures import AsOfForm
from ..permissions import can_read_measures


class TimelinessView(AuditedMixin, PermissionRequiredMixin, TemplateView):
    """Figures about many children, none named: audited under the URL's name."""

    permission = can_read_measures
    template_name = "tracker/timeliness.html"

    def get_context_data(self, **kwargs):
        form = AsOfForm(self.request.GET or None)
        as_of = form.as_of_date()
        user = self.request.user
        return super().get_context_data(
            form=form,
            as_of=as_of,
            timeliness=measures.timeliness(selectors.visible_children(user), as_of),
            sees_all=user.sees_all_children,
            **kwargs,
        )
