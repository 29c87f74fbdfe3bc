"""Emergency decisions made outside panel, booked for retrospective ratification."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from agendas import services as agendas_services
from agendas.models import Panel, RequestPurpose
from permanence.roles import Role

from ..models import EmergencyDecision
from ..permissions import can_record_for_someone_else


def _ratifying_panel(child, panel: Panel | None, other_panel_confirmed: bool) -> Panel:
    """The panel that tracks the child, unless the user explicitly chose another."""
    if panel is None:
        if child.panel is None:
            raise ValidationError(
                {"panel": "No panel tracks this child: choose the panel that ratifies it."}
            )
        return child.panel
    if child.panel_id and panel.pk != child.panel_id and not other_panel_confirmed:
        raise ValidationError(
            {
                "panel": f"The child is tracked by the {child.panel.name}. Choose that panel, "
                f"or confirm that the {panel.name} ratifies this decision."
            }
        )
    return panel


@transaction.atomic
def emergency_decision_record(
    *,
    child,
    decided_on: date,
    decided_by_role: str,
    decided_by,
    decision: str,
    rationale: str,
    recorded_by,
    panel: Panel | None = None,
    other_panel_confirmed: bool = False,
) -> EmergencyDecision:
    """Record a decision made outside panel and book it onto the next meeting to ratify.

    The decision-maker is a senior manager holding one of the panel's emergency decision
    roles. They record it themselves, or an administrator records it for them.
    """
    if not can_record_for_someone_else(recorded_by) and recorded_by != decided_by:
        raise ValidationError(
            "You record your own emergency decisions. An administrator can record one on "
            "someone else's behalf."
        )
    if decided_by is None or not decided_by.has_any_role(Role.SENIOR_MANAGER):
        raise ValidationError({"decided_by": "Choose the senior manager who made the decision."})
    panel = _ratifying_panel(child, panel, other_panel_confirmed)
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
        decided_by=decided_by,
        decided_by_name=str(decided_by),
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
            f"{date_format(decided_on)} by {emergency.decided_by_name}, {decided_by_role}"
            f"{'' if recorded_by == decided_by else f' (recorded by {recorded_by})'}: "
            f"{emergency.decision}"
        ),
        booked_by=recorded_by,
        purpose=RequestPurpose.RETROSPECTIVE,
    )
    emergency.save(update_fields=["ratification_booking"])
    return emergency
