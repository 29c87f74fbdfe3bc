"""Members' contributions: a booking's, for its pages and cover sheet, and a member's
still to write, for My tasks."""

from datetime import date

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from ..models import Booking, BookingStatus, Contribution, MeetingStatus, PanelMembership
from .bookings import visible_bookings


class BookingContributions(list):
    """Every contribution asked for a booking, in the panel's order, with the written ones
    and the missing ones apart for the cover sheet."""

    @property
    def written(self) -> list[Contribution]:
        return [item for item in self if item.is_written]

    @property
    def missing(self) -> list[Contribution]:
        return [item for item in self if not item.is_written]


def contributions_of(booking: Booking) -> BookingContributions:
    return BookingContributions(
        Contribution.objects.filter(booking=booking).select_related("seat__user", "written_by")
    )


def contributions_to_write(user, *, today: date) -> QuerySet[Contribution]:
    """The contributions asked of the seats this user holds, not yet written, for children
    booked into a meeting still to come (on its day, too: panel can still hear it)."""
    return (
        Contribution.objects.filter(
            Exists(PanelMembership.objects.filter(pk=OuterRef("seat"), user=user)),
            written_at__isnull=True,
            booking__status=BookingStatus.BOOKED,
            booking__meeting__status=MeetingStatus.SCHEDULED,
            booking__meeting__date__gte=today,
        )
        .select_related("booking__child", "booking__meeting__panel", "booking__request_type")
        .order_by("due_date", "pk")
    )


def visible_contribution(user, *, booking: int, kind: str) -> Contribution:
    """One contribution of a booking the user may open (`visible_bookings`); 404 otherwise."""
    return get_object_or_404(
        Contribution.objects.select_related(
            "seat__user", "booking__child", "booking__meeting__panel", "booking__panel"
        ),
        booking__in=visible_bookings(user).values("pk"),
        booking=booking,
        kind=kind,
    )
