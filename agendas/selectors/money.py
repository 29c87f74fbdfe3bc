"""What panel approved of the amounts requests carried: a meeting's totals, read by its
meeting page and its minutes."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from ..models import AmountPeriod, BookingAmount, BookingStatus, Meeting
from ..models.money import a_year


@dataclass(frozen=True)
class MoneyTotals:
    one_off: Decimal
    weekly: Decimal
    annual: Decimal

    @property
    def a_year(self) -> Decimal:
        """All of it a year: weekly amounts 52 times, one-off amounts once."""
        return (
            a_year(self.one_off, AmountPeriod.ONE_OFF)
            + a_year(self.weekly, AmountPeriod.WEEKLY)
            + a_year(self.annual, AmountPeriod.ANNUAL)
        )

    def __bool__(self) -> bool:
        return bool(self.one_off or self.weekly or self.annual)


def approved_totals(meeting: Meeting) -> MoneyTotals:
    """The meeting's approved commitments, each period on its own and a year in all: one
    query."""
    sums = dict(
        BookingAmount.objects.approved()
        .filter(booking__meeting=meeting, booking__status=BookingStatus.BOOKED)
        .order_by()
        .values_list("period")
        .annotate(total=Sum("approved_amount"))
    )
    zero = Decimal("0.00")
    return MoneyTotals(
        one_off=sums.get(AmountPeriod.ONE_OFF, zero),
        weekly=sums.get(AmountPeriod.WEEKLY, zero),
        annual=sums.get(AmountPeriod.ANNUAL, zero),
    )
