from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import models
from django.db.models import F, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from ..models import (
    AgendaSection,
    Booking,
    BookingMode,
    BookingStatus,
    Meeting,
    MeetingStatus,
    Panel,
    Slot,
    Submission,
)
from ..permissions import papers_scope


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


# What a row of the bookings page and of a panel's waiting list shows, and no more: a page
# of a list the size of two years' bookings reads its fifty rows' own columns.
LISTED_CHILD = ("child__first_name", "child__last_name", "child__case_number")


def waiting_list(panel: Panel) -> QuerySet[Booking]:
    """The panel's waiting list as its page shows it, first come first served."""
    return (
        panel.bookings.waiting()
        .select_related("child", "request_type")
        # `panel` too: read through panel.bookings, each row is given its panel by its id.
        .only(*LISTED_CHILD, "panel", "request_type__name", "notes", "updated_at")
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


class BookingsShown(models.TextChoices):
    """Which bookings the bookings page lists: each a window the database reads a page of."""

    COMING = "coming", "Meetings from today on, then children waiting"
    HELD = "held", "Meetings held in the last 3 months"
    WAITING = "waiting", "Children waiting for a meeting"


# How far back "held" looks: the meetings whose minutes, decisions and actions are still
# being written up, not the whole history (each child's page keeps that).
HELD_WINDOW = relativedelta(months=3)


def bookings_for_list(
    user, *, today: date, shown: str = BookingsShown.COMING, panel: Panel | None = None
):
    """This user's bookings for the bookings page, in the order it lists them: a queryset,
    or for "coming" the bookings to come then those waiting, read a page at a time.

    Each part is read by an index: bookings to come by their meeting's date, so a page
    reads its own rows however many meetings there are, and children waiting in the order
    they were put on the list. A panel's bookings are found through its meetings.
    """
    # `papers_scope` as a condition on each row, where `visible_to` asks `pk IN (…)`: the
    # same bookings, but PostgreSQL then walks the meetings in date order and checks each
    # row, instead of finding every booking the user may see before it sorts them.
    # Four tables are joined for the row and its order; the rest is read for the page's
    # rows alone, as each join more costs PostgreSQL more to plan than the page to read.
    bookings = (
        Booking.objects.filter(papers_scope(user))
        .select_related("meeting", "slot", "child", "request_type")
        .only(
            *LISTED_CHILD,
            "panel",
            "meeting__date",
            "meeting__panel",
            "slot__starts_at",
            "request_type__name",
            "request_type__purpose",
            "request_type__needs_submission_form",
        )
        .prefetch_related(
            Prefetch("panel", Panel.objects.only("name")),
            Prefetch("meeting__panel", Panel.objects.only("submission_due_days")),
            Prefetch(
                "submission",
                Submission.objects.only("booking", "submitted_at", *Submission.FORM_FIELDS),
            ),
        )
    )
    booked = bookings.filter(status=BookingStatus.BOOKED)
    waiting = bookings.waiting()
    if panel is not None:
        booked = booked.filter(meeting__panel=panel)
        waiting = waiting.filter(panel=panel)
    if shown == BookingsShown.WAITING:
        return waiting
    if shown == BookingsShown.HELD:
        return booked.filter(
            meeting__date__gte=today - HELD_WINDOW, meeting__date__lt=today
        ).order_by("-meeting__date", F("slot__starts_at").asc(nulls_last=True), "pk")
    coming = booked.filter(meeting__date__gte=today).order_by(
        "meeting__date", F("slot__starts_at").asc(nulls_last=True), "pk"
    )
    return OneAfterAnother(coming, waiting)


class OneAfterAnother:
    """Two querysets listed as one, the second's rows after the first's, for a Paginator:
    each is counted and sliced in the database, so neither is read whole."""

    def __init__(self, first: QuerySet, then: QuerySet):
        self.first, self.then = first, then

    @cached_property
    def first_count(self) -> int:
        return self.first.count()

    def count(self) -> int:
        return self.first_count + self.then.count()

    def __getitem__(self, page: slice) -> list:
        start, stop, boundary = page.start or 0, page.stop, self.first_count
        rows = list(self.first[start : min(stop, boundary)]) if start < boundary else []
        if stop > boundary:
            rows += self.then[max(start - boundary, 0) : stop - boundary]
        return rows
