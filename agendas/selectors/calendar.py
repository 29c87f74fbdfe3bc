"""What goes in a person's calendar feed, and their calendar link."""

from datetime import date, timedelta

from django.db.models import Q, QuerySet

from permanence.models import AuditEntry
from permanence.roles import Role

from ..models import (
    Booking,
    BookingStatus,
    CalendarFeed,
    Meeting,
    RequestPurpose,
    token_hash,
)
from ..permissions import panels_sat_on
from .meetings import visible_meetings

# How far back the feed goes: last year's meetings stay in the calendar, older ones drop
# out, so the feed stays small however long the panel has run.
FEED_PAST = timedelta(days=366)

# A tracking review asks nobody to attend (agendas.notices.tracking) until the chair asks
# the social worker: only then is it in their calendar.
IN_CALENDARS = ~Q(request_type__purpose=RequestPurpose.TRACKING) | Q(
    attendance_requested_at__isnull=False
)


def in_calendars(booking: Booking) -> bool:
    """The booking as `IN_CALENDARS` says, for one already read."""
    return not booking.is_tracking or booking.attendance_requested_at is not None


def calendar_meetings(user, *, today: date) -> QuerySet[Meeting]:
    """The meetings in the person's calendar: those of the panels they chair, deputise on
    or sit on, and every panel's for the administrators who run them all. Senior managers
    read every panel's papers but attend only the panels they sit on. Never a meeting the
    person may not read (`visible_meetings`); a cancelled one stays, marked cancelled."""
    meetings = visible_meetings(user).filter(date__gte=today - FEED_PAST)
    if not user.has_any_role(Role.ADMINISTRATOR):
        meetings = meetings.filter(panel__in=panels_sat_on(user))
    return meetings.order_by("date", "starts_at", "pk")


def calendar_bookings(user, *, today: date) -> QuerySet[Booking]:
    """The person's own children at panel: the bookings they present as social worker or
    answer for as team manager, with the slot and the meeting, only where they may read
    the booking. A booking cancelled stays, marked cancelled; one taken off its meeting
    (the waiting list) has no time, so it leaves."""
    return (
        Booking.objects.visible_to(user)
        .filter(
            Q(social_worker=user) | Q(team_manager=user),
            IN_CALENDARS,
            status__in=[BookingStatus.BOOKED, BookingStatus.CANCELLED],
            meeting__isnull=False,
            meeting__date__gte=today - FEED_PAST,
        )
        .select_related("child", "slot", "meeting__panel")
        .order_by("meeting__date", "slot__starts_at", "pk")
    )


def calendar_feed_by_token(token: str) -> CalendarFeed | None:
    """The calendar link with this token, live or revoked, with its person; None for a
    token that was never given."""
    return CalendarFeed.objects.select_related("user").filter(token_hash=token_hash(token)).first()


def calendar_feed_of(user) -> CalendarFeed | None:
    """The person's live calendar link."""
    return (
        CalendarFeed.objects.select_related("user")
        .filter(user=user, revoked_at__isnull=True)
        .first()
    )


def calendar_feed_last_read(feed: CalendarFeed) -> AuditEntry | None:
    """The last time a calendar app read the link, as the audit recorded it."""
    return (
        AuditEntry.objects.filter(
            user=feed.user_id, object_type="agendas.calendarfeed", object_id=str(feed.pk)
        )
        .order_by("-at", "-pk")
        .first()
    )
