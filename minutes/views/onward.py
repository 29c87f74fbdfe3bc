"""After the decision (Somerset 3.8, 3.9): thin pages over minutes.services.onward."""

from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import FormView

from permanence.audit import AuditedMixin
from permanence.permissions import PermissionRequiredMixin
from permanence.service_views import ServiceFormMixin

from .. import services
from ..forms.onward import ComplexCasesReferralForm, RevocationOutcomeForm, RevocationRecommendForm
from ..models import CareOrderRevocation
from ..permissions import can_record_decisions, can_record_revocation_outcome
from .after import DecisionMixin


class FromDecisionMixin(AuditedMixin, DecisionMixin, PermissionRequiredMixin, ServiceFormMixin):
    """A page that acts on one decision: the chair, deputy or an administrator beside them."""

    audit_model = "minutes.Decision"
    audit_child = "booking__child"
    permission = can_record_decisions

    def permission_object(self):
        return self.decision.booking.meeting

    def get_context_data(self, **kwargs):
        booking = self.decision.booking
        return super().get_context_data(
            decision=self.decision, booking=booking, child=booking.child, **kwargs
        )

    def done(self):
        return redirect("tracker:child", self.decision.booking.child_id)


class ComplexCasesReferralView(FromDecisionMixin, FormView):
    form_class = ComplexCasesReferralForm
    template_name = "minutes/complex_cases_referral.html"

    def change(self, fields):
        referral = services.complex_cases_referral_create(
            decision=self.decision, needs=fields["needs"], by=self.request.user
        )
        self.done_message = f"Referred to the Complex Cases Panel: {referral.recipient} is emailed."


class RevocationRecommendView(FromDecisionMixin, FormView):
    form_class = RevocationRecommendForm
    template_name = "minutes/revocation_recommend.html"

    def change(self, fields):
        services.care_order_revocation_recommend(decision=self.decision, by=self.request.user)
        self.done_message = (
            "Revoking the care order is recommended: the tracker shows it until it is "
            "recorded as made or withdrawn."
        )


class RevocationOutcomeView(
    AuditedMixin, DecisionMixin, PermissionRequiredMixin, ServiceFormMixin, FormView
):
    """An administrator records that the court revoked the care order, or that the
    recommendation is withdrawn. The decision that recommended it names it."""

    audit_model = "minutes.Decision"
    audit_child = "booking__child"
    permission = can_record_revocation_outcome
    form_class = RevocationOutcomeForm
    template_name = "minutes/revocation_outcome.html"

    @cached_property
    def revocation(self):
        return get_object_or_404(CareOrderRevocation, decision=self.decision)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            revocation=self.revocation,
            decision=self.decision,
            child=self.revocation.child,
            **kwargs,
        )

    def change(self, fields):
        services.care_order_revocation_record(
            revocation=self.revocation,
            outcome=fields["outcome"],
            on=fields["on"],
            by=self.request.user,
        )
        self.done_message = "Saved: the recommendation leaves the tracker."

    def done(self):
        return redirect("tracker:child", self.revocation.child_id)
