"""Money under a scheme of delegation: what panel's decision approves of a request's
amounts, and when that is more than panel may approve alone.

Amounts are compared a year at a time (`agendas.models.money.a_year`): a scheme of
delegation limits what a commitment costs, and a weekly allowance of £300 is £15,600 a
year. Comparing each period on its own would need three limits per request type and would
let a weekly allowance slip under a limit set for a year.
"""

from decimal import Decimal

from agendas.models import AmountVerdict, Booking, Outcome, OutcomeEffect

# Outcomes that agree what the request asks, so agree its amounts unless the chair changes
# or refuses one; a recommendation agrees them once the senior officer approves.
APPROVING_EFFECTS = (OutcomeEffect.AGREE, OutcomeEffect.RECOMMEND)


def approved_a_year(booking: Booking, outcome: Outcome) -> Decimal:
    """What `outcome` would approve of the booking's amounts, a year: each amount's verdict
    where the chair gave one, otherwise as asked; nothing when the outcome agrees nothing."""
    if outcome.effect not in APPROVING_EFFECTS:
        return Decimal(0)
    total = Decimal(0)
    for amount in booking.amounts.all():
        if amount.verdict == AmountVerdict.UNDECIDED:
            total += amount.a_year
        else:
            total += amount.approved_a_year
    return total


def over_delegation_limit(booking: Booking, outcome: Outcome) -> bool:
    """Above the request type's limit ("above which", so the limit itself is panel's)."""
    limit = booking.request_type.delegation_limit
    return limit is not None and approved_a_year(booking, outcome) > limit
