"""Actions panel agreed: added to a decision, completed by their owner."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import Decision, PanelAction
from .meetings import check_not_ratified


@transaction.atomic
def action_add(*, decision: Decision, description: str, owner, due_date: date) -> PanelAction:
    check_not_ratified(decision.booking.meeting)
    if not description.strip():
        raise ValidationError({"description": "Say what is to be done."})
    if due_date < decision.booking.meeting.date:
        raise ValidationError({"due_date": "An action is due on or after the panel."})
    return PanelAction.objects.create(
        child=decision.booking.child,
        decision=decision,
        description=description.strip(),
        owner=owner,
        due_date=due_date,
    )


@transaction.atomic
def action_complete(*, action: PanelAction, note: str) -> PanelAction:
    if action.completed_at:
        raise ValidationError("This action is already completed.")
    if not note.strip():
        raise ValidationError({"note": "Say what was done."})
    action.completed_at = timezone.now()
    action.completion_note = note.strip()
    action.save(update_fields=["completed_at", "completion_note"])
    return action
