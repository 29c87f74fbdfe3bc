"""Emergency decisions made outside panel: recorded by the senior manager who made them,
or by an administrator on their behalf."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.views.generic import FormView

from agendas.permissions import can_record_emergency_decisions
from permanence.audit import AuditedMixin
from permanence.forms import add_service_errors
from permanence.permissions import PermissionRequiredMixin

from .. import services
from ..forms.after import EmergencyDecisionForm
from ..models import EmergencyDecision


class EmergencyDecisionView(AuditedMixin, PermissionRequiredMixin, FormView):
    """Decisions made outside panel: the ones recorded, and recording another."""

    permission = can_record_emergency_decisions
    template_name = "minutes/emergency_decisions.html"
    form_class = EmergencyDecisionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        recorded = EmergencyDecision.objects.select_related(
            "panel", "child", "ratification_booking__meeting", "recorded_by"
        )
        return super().get_context_data(recorded=recorded, **kwargs)

    def form_valid(self, form):
        try:
            emergency = services.emergency_decision_record(
                recorded_by=self.request.user, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        booking = emergency.ratification_booking
        child = emergency.child.full_name
        if booking.meeting_id:
            where = (
                f"{child} is booked onto the {booking.panel.name} on "
                f"{date_format(booking.meeting.date)} for retrospective ratification."
            )
        else:
            where = (
                f"No meeting had room, so {child} is on the {booking.panel.name}'s waiting list "
                "for retrospective ratification."
            )
        messages.success(self.request, f"The emergency decision is recorded. {where}")
        return redirect("minutes:emergency-decisions")
