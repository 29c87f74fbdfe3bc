"""Calendar events for panel meetings and bookings (iCalendar, RFC 5545): each person's
feed, and the invitations emailed about a meeting (iTIP, RFC 5546).

A meeting or a booking is the same event everywhere: its UID is made of its primary key
and the service's host name, so an emailed invitation and the feed update one event in
the person's calendar. Its SEQUENCE is the row's `sequence`, which the services that move,
re-time, re-place or cancel it count up, so a calendar app takes the newer version. A
cancelled meeting (or booking) stays, marked STATUS:CANCELLED.

Times are written in UTC: every calendar app shows them in its own time zone, and no
VTIMEZONE for Europe/London has to be carried. Calendars sync to phones and to clouds, so
no event names a child beyond initials and case number, nor says why they come to panel.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vDuration

from permanence.outbox import Attachment

from .models import Booking, BookingStatus, Meeting, MeetingStatus

REQUEST = "REQUEST"
CANCEL = "CANCEL"
# How often a calendar app should ask for the feed again (RFC 7986, and Outlook's own).
REFRESH = timedelta(hours=1)


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "permanence"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{_host()}"


def booking_uid(booking: Booking) -> str:
    return f"booking-{booking.pk}@{_host()}"


def _at(day: date, when: time) -> datetime:
    local = datetime.combine(day, when, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return local.astimezone(UTC)


def _link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@dataclass(frozen=True)
class _Details:
    """What an event says, before it is written as iCalendar."""

    uid: str
    sequence: int
    summary: str
    start: datetime
    end: datetime
    cancelled: bool
    location: str
    online_link: str
    page: str  # the service's own page about it
    page_label: str


def _meeting_details(meeting: Meeting) -> _Details:
    cancelled = meeting.status == MeetingStatus.CANCELLED
    page = reverse("agendas:meeting", kwargs={"slug": meeting.panel.slug, "pk": meeting.pk})
    return _Details(
        uid=meeting_uid(meeting),
        sequence=meeting.sequence,
        summary=f"{'Cancelled: ' if cancelled else ''}{meeting.panel.name}",
        start=_at(meeting.date, meeting.starts_at),
        end=_at(meeting.date, meeting.ends_at),
        cancelled=cancelled,
        location=meeting.venue,
        online_link=meeting.online_link,
        page=_link(page),
        page_label="The meeting, its agenda and papers",
    )


def _booking_details(booking: Booking, meeting: Meeting) -> _Details:
    """`meeting` is the booking's, or, for a booking just taken off a cancelled meeting,
    the meeting it was on."""
    cancelled = (
        booking.status != BookingStatus.BOOKED
        or booking.meeting_id != meeting.pk
        or meeting.status == MeetingStatus.CANCELLED
    )
    slot = booking.slot if booking.slot_id and booking.meeting_id == meeting.pk else None
    timed = slot is not None and slot.starts_at is not None
    child = booking.child
    return _Details(
        uid=booking_uid(booking),
        sequence=booking.sequence,
        summary=(
            f"{'Cancelled: ' if cancelled else ''}Panel for {child.initials} "
            f"({child.case_number}): {meeting.panel.name}"
        ),
        start=_at(meeting.date, slot.starts_at if timed else meeting.starts_at),
        end=_at(meeting.date, slot.ends_at if timed else meeting.ends_at),
        cancelled=cancelled,
        location=meeting.venue,
        online_link=meeting.online_link,
        page=_link(reverse("bookings:detail", kwargs={"pk": booking.pk})),
        page_label="The booking and what to send",
    )


def _event(details: _Details, *, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", details.uid)
    event.add("dtstamp", stamp)
    event.add("sequence", details.sequence)
    event.add("summary", details.summary)
    event.add("dtstart", details.start)
    event.add("dtend", details.end)
    event.add("status", "CANCELLED" if details.cancelled else "CONFIRMED")
    if details.location or details.online_link:
        event.add("location", details.location or "Online")
    lines = []
    if details.cancelled:
        lines.append("This is cancelled.")
    if details.online_link:
        lines.append(f"Join online: {details.online_link}")
    lines.append(f"{details.page_label}: {details.page}")
    event.add("description", "\n".join(lines))
    event.add("url", details.page)
    return event


def _calendar(*, method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.COUNCIL_NAME}//Permanence panel//EN")
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def feed(*, meetings, bookings, stamp: datetime | None = None) -> bytes:
    """A person's calendar: the meetings of their panels and their own bookings."""
    stamp = stamp or timezone.now()
    calendar = _calendar()
    name = f"Permanence panel, {settings.COUNCIL_NAME}"
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"value": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for meeting in meetings:
        calendar.add_component(_event(_meeting_details(meeting), stamp=stamp))
    for booking in bookings:
        calendar.add_component(_event(_booking_details(booking, booking.meeting), stamp=stamp))
    return calendar.to_ical()


def _invitation(details: _Details, *, recipient, method: str, filename: str) -> Attachment:
    """One event as an iTIP message to one person: the panel's address organises it, and
    replies are not asked for (nobody reads them)."""
    event = _event(details, stamp=timezone.now())
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = f"{settings.COUNCIL_NAME} permanence panel"
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{recipient.email}")
    attendee.params.update(
        {
            "cn": recipient.get_full_name() or recipient.email,
            "role": "REQ-PARTICIPANT",
            "partstat": "NEEDS-ACTION",
            "rsvp": "FALSE",
        }
    )
    event.add("attendee", attendee)
    calendar = _calendar(method=method)
    calendar.add_component(event)
    return Attachment(
        filename=filename,
        content_type="text/calendar",
        content=calendar.to_ical().decode(),
        parameters={"method": method},
    )


def meeting_invitation(meeting: Meeting, *, recipient, method: str = REQUEST) -> Attachment:
    """The meeting for a chair, deputy or member's calendar (CANCEL once it is cancelled)."""
    return _invitation(
        _meeting_details(meeting),
        recipient=recipient,
        method=method,
        filename=f"panel-{meeting.date:%Y-%m-%d}.ics",
    )


def booking_invitation(
    booking: Booking, *, recipient, meeting: Meeting | None = None, method: str = REQUEST
) -> Attachment:
    """A child's slot for the calendar of the social worker or team manager presenting it.
    `meeting` names the meeting a booking was taken off, to cancel it there."""
    meeting = meeting or booking.meeting
    return _invitation(
        _booking_details(booking, meeting),
        recipient=recipient,
        method=method,
        filename=f"panel-booking-{meeting.date:%Y-%m-%d}.ics",
    )
