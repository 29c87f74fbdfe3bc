"""On a booking: what panel needs recorded about the carers before it can agree the request
(agendas/selectors/carers.py), and Torbay's prospective special guardians' feedback."""

from django import template

from tracker.selectors import carers_to_match

from ..selectors import carers_needed_first, is_checked_match

register = template.Library()


@register.inclusion_tag("agendas/includes/carer_checks.html", takes_context=True)
def carer_checks(context, booking, may_record=False):
    return {
        "booking": booking,
        "needed": carers_needed_first(booking),
        "asks_feedback": booking.request_type.needs_guardians_feedback,
        "feedback": list(booking.guardians_feedback.select_related("recorded_by")),
        "may_record": may_record,
    }


@register.inclusion_tag("agendas/pdf/carers.html")
def carers_for_pack(booking):
    """The cover sheet's part: the carers a match would be with and their approval, what
    panel needs recorded first, and what the prospective special guardians said."""
    return {
        "carers": carers_to_match(booking.child) if is_checked_match(booking) else [],
        "needed": carers_needed_first(booking),
        "asks_feedback": booking.request_type.needs_guardians_feedback,
        "feedback": list(booking.guardians_feedback.all()),
    }
