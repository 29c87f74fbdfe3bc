"""What the minutes app adds to templates that show a decision, wherever they are."""

from django import template

from ..permissions import can_record_decisions

register = template.Library()


@register.filter
def amendable_by(decision, user) -> bool:
    """Whether the page shows "Amend" for this decision: its minutes are ratified (before
    that it is corrected on the running order) and the user records this panel's
    decisions. Select the booking's meeting with its minutes and panel, or it costs
    queries."""
    meeting = decision.booking.meeting
    minutes = getattr(meeting, "minutes", None)
    return bool(minutes and minutes.is_ratified) and can_record_decisions(user, meeting)
