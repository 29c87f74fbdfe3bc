"""What the child's page offers after panel's decision (Somerset 3.8, 3.9)."""

from django import template

from ..permissions import can_record_decisions, can_record_revocation_outcome
from ..services.onward import placed_with_parents_under_a_care_order

register = template.Library()


@register.filter
def records_decisions_for(booking, user) -> bool:
    """The chair, deputy or an administrator of the meeting that decided for the child."""
    return can_record_decisions(user, booking.meeting)


@register.filter
def records_revocations(user) -> bool:
    return can_record_revocation_outcome(user)


@register.filter
def placed_with_parents(child) -> bool:
    return placed_with_parents_under_a_care_order(child)
