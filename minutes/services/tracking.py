"""A tracking review: the chair's outcome for one child of a tracking section, recorded
as panel's decision for that booking, so the minutes, the case note and the tracker read
it the same way as any other."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from agendas.models import Booking, Outcome, OutcomeEffect, RequestType
from tracker.rules import every_after

from ..models import Decision
from .actions import action_add
from .decisions import decision_record


def _escalated_by(meeting_date: date, every: int | None, unit: str, by: date | None) -> date:
    """When an escalated child's request comes to panel: when the chair said, or the next
    meeting after this one."""
    if by:
        return by
    if every:
        return every_after(meeting_date, every, unit)
    return meeting_date + timedelta(days=1)


@transaction.atomic
def tracking_review_record(
    *,
    booking: Booking,
    outcome: Outcome,
    note: str,
    recorded_by,
    comes_back_every: int | None = None,
    comes_back_unit: str = "",
    comes_back_by: date | None = None,
    escalate_as: RequestType | None = None,
    action: dict | None = None,
) -> Decision:
    """Record (or correct) one child's tracking review, with at most one new action.

    On track, concerns or escalation count as the child's discussion at panel; "not
    discussed" moves nothing. Concerns need an action; escalation books the child's
    request (`escalate_as`) into a later meeting.
    """
    if outcome.effect == OutcomeEffect.NOT_DISCUSSED:
        comes_back_every, comes_back_unit, comes_back_by, action = None, "", None, None
    if outcome.effect == OutcomeEffect.CONCERNS and not action:
        earlier = Decision.objects.filter(booking=booking, actions__isnull=False).exists()
        if not earlier:
            raise ValidationError({"action_description": "Set an action for the concerns."})
    by_date = None
    if outcome.effect == OutcomeEffect.ESCALATE:
        by_date = _escalated_by(
            booking.meeting.date, comes_back_every, comes_back_unit, comes_back_by
        )
    decision = decision_record(
        booking=booking,
        outcome=outcome,
        rationale=note,
        recorded_by=recorded_by,
        forward_request_type=escalate_as,
        by_date=by_date,
        comes_back_every=comes_back_every,
        comes_back_unit=comes_back_unit,
        comes_back_by=comes_back_by,
    )
    if action:
        try:
            action_add(decision=decision, **action)
        except ValidationError as error:
            raise ValidationError(
                {f"action_{name}": messages for name, messages in error.message_dict.items()}
            ) from error
    return decision
