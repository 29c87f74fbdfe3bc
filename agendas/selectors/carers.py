"""What panel needs recorded about the carers before it can agree a request (issue 16).

Somerset 7: a match needs "confirmation … that the carers are approved for permanent, long
term placements". Torbay: the prospective special guardians' "communications and feedback"
before the SGO support plan is signed off. The booking page shows these; the chair's
decision service refuses to agree the request while any is outstanding.
"""

from tracker.selectors import carers_to_match

from ..models import Booking, RequestPurpose

MATCH_PURPOSES = (RequestPurpose.ADOPTION_MATCH, RequestPurpose.LONG_TERM_MATCH)


def is_checked_match(booking: Booking) -> bool:
    return (
        booking.panel.match_needs_permanence_approval
        and booking.request_type.purpose in MATCH_PURPOSES
    )


def carers_needed_first(booking: Booking) -> list[str]:
    """What must be recorded before panel can agree the booking's request, in words the
    administrator and the chair can act on; empty when nothing is outstanding."""
    needed = []
    if is_checked_match(booking):
        carers = carers_to_match(booking.child)
        if not carers:
            needed.append(
                "No carers are linked to this child. Link the proposed carers to the "
                "child's record and record their approval for permanent, long-term "
                "placements before panel agrees the match."
            )
        for carer in carers:
            if not carer.approved_for_permanence:
                needed.append(
                    f"{carer.name} {'are' if ' and ' in carer.name else 'is'} not approved "
                    "for permanent, long-term placements. Record their approval for "
                    "permanence (what for, the approving panel and the date) on the carers' "
                    "record before panel agrees the match."
                )
    if booking.request_type.needs_guardians_feedback and not booking.guardians_feedback.exists():
        needed.append(
            "No communications or feedback from the prospective special guardians are "
            "recorded against this request. Record what they said before the SGO support "
            "plan is signed off."
        )
    return needed
