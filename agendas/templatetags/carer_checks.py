"""On a booking: what panel needs recorded about the carers before it can agree the request
(agendas/selectors/carers.py), and Torbay's prospective special guardians' feedback."""

from django import template

from ..selectors import carers_needed_first

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
