from datetime import date

from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404

from ..models import (
    AgendaSection,
    Booking,
    BookingMode,
    BookingStatus,
    Meeting,
    MeetingStatus,
    Panel,
    Slot,
)


def visible_bookings(user) -> QuerySet[Booking]:
    """Bookings this user may open, with their papers: `permissions.papers_scope` says which."""
    return Booking.objects.with_its_page().visible_to(user)


def visible_booking(user, *, pk: int) -> Booking:
    """One booking this user may open; 404 otherwise, so another team's child is not revealed."""
    return get_object_or_404(visible_bookings(user), pk=pk)


def free_slots(meeting: Meeting) -> QuerySet[Slot]:
    taken = meeting.bookings.holding_places().slots_held()
    return meeting.slots.exclude(pk__in=taken).select_related("section")


def next_available(
    *, panel: Panel, section: AgendaSection, child=None, today: date
) -> tuple[Meeting, Slot | None] | None:
    """The earliest meeting still to come with room in the section, and the slot to take.

    A child already booked into a meeting is not offered that meeting again.
    """
    meetings = panel.meetings.filter(status=MeetingStatus.SCHEDULED, date__gte=today)
    if child is not None:
        # One subquery, so both conditions hold for the same booking: exclude() with two
        # lookups across `bookings` would skip a meeting where the child's booking was
        # cancelled and any other child is booked.
        booked = Booking.objects.filter(child=child, status=BookingStatus.BOOKED)
        meetings = meetings.exclude(pk__in=booked.values("meeting"))
    for meeting in meetings.order_by("date")[:24]:
        places = places_for(meeting=meeting, section=section)
        if places:
            return meeting, places[0]
    return None


def waiting_list(panel: Panel) -> QuerySet[Booking]:
    return panel.bookings.waiting().select_related(
        "child", "request_type", "section", "social_worker", "team_manager"
    )


def slots_for(*, meeting: Meeting, section: AgendaSection) -> QuerySet[Slot]:
    """The meeting's slots a booking in this section may take, free or not."""
    if section.booking == BookingMode.SECTION:
        return meeting.slots.filter(section=section)  # its places, if it takes only so many
    if meeting.panel.slot_minutes:
        return meeting.slots.filter(section=None)  # the panel's shared slots (Lancashire)
    return meeting.slots.filter(section=section)


def places_for(
    *, meeting: Meeting, section: AgendaSection, child=None, moving: Booking | None = None
):
    """The free places in the section at this meeting, earliest first.

    A place is a Slot, or None in a section that lists children without times or a limit.
    Empty when there is no room, or the child is already booked into the meeting. `moving`
    is a booking being moved, which does not count against the room.
    """
    if section.capacity == 0:
        return []
    holding = meeting.bookings.holding_places(but=moving)
    if child is not None and holding.filter(child=child).exists():
        return []
    if holding.leave_no_room_in(section):
        return []
    candidates = slots_for(meeting=meeting, section=section)
    if section.booking == BookingMode.SECTION and not candidates.exists():
        return [None]
    return list(candidates.exclude(pk__in=holding.slots_held()).order_by("starts_at", "number"))


def bookings_for_list(user, *, today: date) -> QuerySet[Booking]:
    """This user's bookings still to come, and children waiting, for the bookings page."""
    return (
        visible_bookings(user)
        .filter(
            Q(status=BookingStatus.BOOKED, meeting__date__gte=today)
            | Q(status=BookingStatus.WAITING)
        )
        .select_related("submission", "meeting__panel")
        .order_by(F("meeting__date").asc(nulls_last=True), "slot__starts_at", "pk")
    )
