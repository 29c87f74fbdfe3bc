"""Lancashire's "New Children Looked After" (agenda item 2): the children looked after in
the last 12 weeks, each booked with one click."""

from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from permanence.audit import AuditedMixin
from permanence.permissions import PermissionRequiredMixin
from permanence.service_views import ServiceButtonView
from tracker.selectors import visible_child

from .. import selectors, services
from ..permissions import can_book


class NewChildrenLookedAfterView(AuditedMixin, TemplateView):
    template_name = "agendas/new_to_care.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            children=selectors.new_children_looked_after(self.request.user, today=today),
            weeks=selectors.NEW_TO_CARE_WEEKS,
            can_book=can_book(self.request.user),
            **kwargs,
        )


class NewToCareBookView(PermissionRequiredMixin, ServiceButtonView):
    permission = can_book

    @cached_property
    def child(self):
        return visible_child(self.request.user, pk=self.kwargs["child"])

    def act(self):
        booking = services.booking_new_to_care(
            child=self.child, booked_by=self.request.user, today=timezone.localdate()
        )
        self.done_message = f"{booking} is booked."

    def done(self):
        return redirect("new-to-care:list")
