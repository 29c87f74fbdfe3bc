"""The finance view's reads: approved commitments by month, panel and request type."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import groupby

from dateutil.relativedelta import relativedelta
from django.db.models import Case, DecimalField, F, QuerySet, Sum, When

from agendas.models import Booking, BookingAmount, BookingStatus
from agendas.models.money import WEEKS_IN_A_YEAR, AmountPeriod

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


# What an approved amount costs in a year, as `BookingAmount.approved_a_year` reckons it,
# so the database can total a month without reading its every amount.
APPROVED_A_YEAR = Case(
    When(period=AmountPeriod.WEEKLY, then=F("approved_amount") * WEEKS_IN_A_YEAR),
    default=F("approved_amount"),
    output_field=DecimalField(max_digits=14, decimal_places=2),
)


@dataclass
class Group:
    panel: str
    request_type: str
    a_year: Decimal
    amounts: list = field(default_factory=list)


@dataclass
class Month:
    month: date
    a_year: Decimal
    groups: list = field(default_factory=list)


def totals_a_year(commitments: QuerySet[BookingAmount], months: list[date]) -> dict:
    """Each (month, panel, request type) of `months` with its total a year, over all its
    commitments and not only those on the page: one query, grouped in the database."""
    if not months:
        return {}
    meeting_date = "booking__meeting__date"
    rows = (
        commitments.filter(
            **{f"{meeting_date}__gte": min(months)},
            **{f"{meeting_date}__lt": max(months) + relativedelta(months=1)},
        )
        .order_by()
        .values(
            f"{meeting_date}__year",
            f"{meeting_date}__month",
            "booking__panel__name",
            "booking__request_type__name",
        )
        .annotate(a_year=Sum(APPROVED_A_YEAR))
    )
    return {
        (
            date(row[f"{meeting_date}__year"], row[f"{meeting_date}__month"], 1),
            row["booking__panel__name"],
            row["booking__request_type__name"],
        ): row["a_year"]
        for row in rows
    }


def by_month(amounts, totals: dict) -> list[Month]:
    """A page of commitments grouped by the month of the meeting that approved them, then
    by panel and request type, each with its total a year from `totals` (a month or a group
    may run on from the page before or to the next)."""
    months = []
    for month, in_month in groupby(amounts, key=lambda a: a.booking.meeting.date.replace(day=1)):
        groups = [
            Group(
                panel=panel,
                request_type=request_type,
                a_year=totals[month, panel, request_type],
                amounts=list(rows),
            )
            for (panel, request_type), rows in groupby(
                in_month, key=lambda a: (a.booking.panel.name, a.booking.request_type.name)
            )
        ]
        a_year = sum((total for (m, _, _), total in totals.items() if m == month), Decimal(0))
        months.append(Month(month=month, a_year=a_year, groups=groups))
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
