"""The finance view's reads: approved commitments by month, panel and request type."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import groupby

from django.db.models import QuerySet

from agendas.models import Booking, BookingAmount, BookingStatus

CSV_COLUMNS = (
    "month",
    "panel",
    "request_type",
    "meeting_date",
    "case_number",
    "initials",
    "description",
    "period",
    "amount_asked",
    "amount_approved",
    "approved_a_year",
    "verdict",
    "senior_approval_by",
)


def approved_commitments(user) -> QuerySet[BookingAmount]:
    """Every amount panel approved (and, above its scheme of delegation, its senior officer
    approved too), in order of meeting, panel and request type: one query. Those who read
    it see every child (`can_read_finance`), and `visible_to` keeps it so."""
    return (
        BookingAmount.objects.approved()
        .filter(booking__status=BookingStatus.BOOKED, booking__meeting__isnull=False)
        .filter(booking__in=Booking.objects.visible_to(user))
        .select_related(
            "booking__meeting",
            "booking__panel",
            "booking__request_type",
            "booking__child",
            "booking__decision__approval_by",
        )
        .order_by(
            "booking__meeting__date__year",
            "booking__meeting__date__month",
            "booking__panel__name",
            "booking__request_type__name",
            "booking__meeting__date",
            "pk",
        )
    )


@dataclass
class Group:
    panel: str
    request_type: str
    amounts: list = field(default_factory=list)

    @property
    def a_year(self) -> Decimal:
        return sum((amount.approved_a_year for amount in self.amounts), Decimal("0.00"))


@dataclass
class Month:
    month: date
    groups: list = field(default_factory=list)

    @property
    def a_year(self) -> Decimal:
        return sum((group.a_year for group in self.groups), Decimal("0.00"))


def by_month(amounts) -> list[Month]:
    """The commitments grouped by the month of the meeting that approved them, then by
    panel and request type, each with its total a year."""
    months = []
    for month, in_month in groupby(amounts, key=lambda a: a.booking.meeting.date.replace(day=1)):
        groups = [
            Group(panel=panel, request_type=request_type, amounts=list(rows))
            for (panel, request_type), rows in groupby(
                in_month, key=lambda a: (a.booking.panel.name, a.booking.request_type.name)
            )
        ]
        months.append(Month(month=month, groups=groups))
    return months


def csv_rows(amounts):
    for amount in amounts:
        booking = amount.booking
        approver = booking.decision.approval_by
        yield [
            booking.meeting.date.strftime("%Y-%m"),
            booking.panel.name,
            booking.request_type.name,
            booking.meeting.date,
            booking.child.case_number,
            booking.child.initials,
            amount.description,
            amount.get_period_display(),
            amount.amount,
            amount.approved_amount,
            amount.approved_a_year,
            amount.get_verdict_display(),
            str(approver) if approver else "",
        ]
