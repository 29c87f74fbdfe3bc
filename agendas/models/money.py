"""Amounts of money a request asks panel to agree (issue 16: money under a scheme of
delegation), and what panel's decision did with each.

The chair's verdict lives on the amount itself, written only by minutes.services (which
owns decisions), so that the agenda, the meeting page and the finance view read one row.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from .bookings import Booking

# A year of weekly payments: 52 weeks, as councils' allowances are paid.
WEEKS_IN_A_YEAR = 52


class AmountPeriod(models.TextChoices):
    ONE_OFF = "one_off", "One-off"
    WEEKLY = "weekly", "A week"
    ANNUAL = "annual", "A year"


class AmountVerdict(models.TextChoices):
    UNDECIDED = "", "Not decided yet"
    APPROVED = "approved", "Approved as asked"
    CHANGED = "changed", "Approved at a changed amount"
    REFUSED = "refused", "Refused"


APPROVING_VERDICTS = (AmountVerdict.APPROVED, AmountVerdict.CHANGED)


def a_year(amount: Decimal, period: str) -> Decimal:
    """What an amount costs the council in a year: schemes of delegation limit a
    commitment's cost, so a weekly allowance counts 52 times and a one-off payment once."""
    return amount * WEEKS_IN_A_YEAR if period == AmountPeriod.WEEKLY else amount


class BookingAmountQuerySet(models.QuerySet):
    def approved(self):
        """Commitments: amounts panel approved (as asked or changed), whose decision needs
        no senior approval or has it. The decision is reached by its reverse relation's
        name (minutes is the higher app): "" is not needed, "approved" approved."""
        return self.filter(
            verdict__in=APPROVING_VERDICTS,
            booking__decision__approval_status__in=("", "approved"),
        )


class BookingAmount(models.Model):
    """One amount on a request: an SGO allowance, a celebration event, a placement's cost."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="amounts")
    description = models.CharField(max_length=300)
    amount = models.DecimalField("Amount in pounds", max_digits=10, decimal_places=2)
    period = models.CharField(max_length=7, choices=AmountPeriod.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    verdict = models.CharField(
        max_length=8, choices=AmountVerdict.choices, default=AmountVerdict.UNDECIDED, blank=True
    )
    approved_amount = models.DecimalField(
        "Amount approved in pounds", max_digits=10, decimal_places=2, null=True, blank=True
    )

    objects = BookingAmountQuerySet.as_manager()

    class Meta:
        ordering = ["booking", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="booking_amount_positive",
                violation_error_message="Give an amount of more than £0.",
            ),
            models.CheckConstraint(
                condition=Q(period__in=AmountPeriod.values),
                name="booking_amount_period_known",
                violation_error_message="Say whether the amount is one-off, weekly or a year.",
            ),
            # Approved (or changed) has a positive amount; refused or undecided has none.
            models.CheckConstraint(
                condition=Q(verdict__in=APPROVING_VERDICTS, approved_amount__gt=0)
                | Q(verdict__in=("", "refused"), approved_amount__isnull=True),
                name="booking_amount_verdict_has_its_amount",
                violation_error_message="An approved amount needs its amount; a refused one none.",
            ),
        ]

    def __str__(self):
        return f"{self.description}: £{self.amount:,.2f} {self.get_period_display().lower()}"

    @property
    def a_year(self) -> Decimal:
        return a_year(self.amount, self.period)

    @property
    def approved_a_year(self) -> Decimal:
        if self.verdict not in APPROVING_VERDICTS:
            return Decimal(0)
        return a_year(self.approved_amount, self.period)
