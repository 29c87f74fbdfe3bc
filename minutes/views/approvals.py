"""Senior officers decide what panel recommended."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from permanence.audit import AuditedMixin
from permanence.forms import add_service_errors
from permanence.permissions import PermissionRequiredMixin

from .. import selectors, services
from ..forms.after import APPROVE, ApprovalForm
from ..models import ApprovalStatus
from ..permissions import can_approve
from ..presenters import approval_text
from .after import DecisionMixin


class ApprovalListView(AuditedMixin, PermissionRequiredMixin, TemplateView):
    permission = can_approve
    template_name = "minutes/approvals.html"

    def get_context_data(self, **kwargs):
        decisions = selectors.awaiting_approval(self.request.user).order_by(
            "booking__meeting__date", "pk"
        )
        return super().get_context_data(decisions=decisions, **kwargs)


class ApproveView(AuditedMixin, PermissionRequiredMixin, DecisionMixin, FormView):
    audit_model = "minutes.Decision"
    audit_child = "booking__child"
    permission = can_approve
    template_name = "minutes/approve.html"
    form_class = ApprovalForm

    def get_context_data(self, **kwargs):
        decision = self.decision
        return super().get_context_data(
            decision=decision,
            booking=decision.booking,
            approval=approval_text(decision, decision.booking.panel),
            awaiting=decision.approval_status == ApprovalStatus.AWAITING,
            **kwargs,
        )

    def form_valid(self, form):
        approved = form.cleaned_data["choice"] == APPROVE
        try:
            services.decision_approve(
                decision=self.decision,
                by=self.request.user,
                approved=approved,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        child = self.decision.booking.child
        messages.success(
            self.request,
            f"You {'approved' if approved else 'declined'} the recommendation for "
            f"{child.full_name}.",
        )
        return redirect("minutes:approvals")


# Actions -------------------------------------------------------------------------------
