"""What the minutes app adds to templates that show a decision, wherever they are."""

from django import template

from permanence.templatetags.govuk import status_tag

from .. import presenters
from ..permissions import can_record_decisions

register = template.Library()

register.filter("forward_booking_text", presenters.forward_booking_text)
register.filter("approval_text", presenters.approval_text)


@register.simple_tag
def approval_tag(decision, *, classes=""):
    """The decision's senior approval as a status tag, in the words of its status; "Not
    needed" as plain words when panel's decision needs no approval."""
    colour = presenters.APPROVAL_COLOURS.get(decision.approval_status)
    if colour is None:
        return decision.get_approval_status_display()
    return status_tag(decision.get_approval_status_display(), colour, classes=classes)


@register.filter
def amendable_by(decision, user) -> bool:
    """Whether the page shows "Amend" for this decision: its minutes are ratified (before
    that it is corrected on the running order) and the user records this panel's
    decisions. Select the booking's meeting with its minutes and panel, or it costs
    queries."""
    meeting = decision.booking.meeting
    minutes = getattr(meeting, "minutes", None)
    return bool(minutes and minutes.is_ratified) and can_record_decisions(user, meeting)
