"""Emergency decisions made outside panel, booked for retrospective ratification."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from agendas import services as agendas_services
from agendas.models import Panel, RequestPurpose

from ..models import EmergencyDecision


@transaction.atomic
def emergency_decision_record(
    *,
    panel: Panel,
    child,
    decided_on: date,
    decided_by_role: str,
    decided_by_name: str,
    decision: str,
    rationale: str,
    recorded_by,
) -> EmergencyDecision:
    """Record a decision made outside panel and book it onto the next meeting to ratify."""
    roles = panel.emergency_decision_roles
    if not roles:
        raise ValidationError(f"{panel.name} takes no emergency decisions outside panel.")
    if decided_by_role not in roles:
        raise ValidationError(
            {
                "decided_by_role": f"Only the {' or the '.join(roles)} "
                "can make an emergency decision."
            }
        )
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": "The decision date cannot be in the future."})
    errors = {}
    if not decided_by_name.strip():
        errors["decided_by_name"] = "Give the name of the person who decided."
    if not decision.strip():
        errors["decision"] = "Say what was decided."
    if not rationale.strip():
        errors["rationale"] = "Give the rationale for the decision."
    if errors:
        raise ValidationError(errors)
    emergency = EmergencyDecision.objects.create(
        panel=panel,
        child=child,
        decided_on=decided_on,
        decided_by_role=decided_by_role,
        decided_by_name=decided_by_name.strip(),
        decision=decision.strip(),
        rationale=rationale.strip(),
        recorded_by=recorded_by,
    )
    emergency.ratification_booking = agendas_services.booking_forward(
        panel=panel,
        child=child,
        on_or_after=timezone.localdate(),
        reason=(
            f"Retrospective ratification of the emergency decision made on "
            f"{date_format(decided_on)} by the {decided_by_role}: {emergency.decision}"
        ),
        booked_by=recorded_by,
        purpose=RequestPurpose.RETROSPECTIVE,
    )
    emergency.save(update_fields=["ratification_booking"])
    return emergency
