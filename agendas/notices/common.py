"""The notices' kinds, keys and the parts every notice shares."""

from datetime import date

from django.utils.formats import date_format

from ..models import Booking, Meeting
from ..selectors import checklist_for, nothing_to_send

BOOKING_NOTICE = "booking_notice"
BOOKING_REMINDER = "booking_reminder"
SUBMISSION_REMINDER = "submission_reminder"
SUBMISSION_OVERDUE = "submission_overdue"
AGENDA_REMINDER = "agenda_reminder"
AGENDA_CIRCULATED = "agenda_circulated"
MEETING_CHANGED = "meeting_changed"
MEETING_CANCELLED = "meeting_cancelled"
BOOKING_CONFIRMED = "booking_confirmed"
THEME_REQUEST = "theme_request"
# The notices that tell the social worker and team manager about the booking.
BOOKING_TOLD = (BOOKING_NOTICE, BOOKING_REMINDER)

SUBJECT_MAX = 200  # Notification.subject


def booking_about(booking: Booking) -> str:
    return f"booking:{booking.pk}"


def meeting_about(meeting: Meeting) -> str:
    return f"meeting:{meeting.pk}"


def child_label(booking: Booking) -> str:
    """The child as a subject may name them: initials and case number, never the name."""
    return f"{booking.child.initials} ({booking.child.case_number})"


def subject_line(text: str) -> str:
    return text if len(text) <= SUBJECT_MAX else f"{text[: SUBJECT_MAX - 1]}…"


def people(*people) -> list:
    """The people given, without the empty places and without anyone twice."""
    seen, found = set(), []
    for person in people:
        if person is not None and person.pk not in seen:
            seen.add(person.pk)
            found.append(person)
    return found


def booking_context(
    booking: Booking, *, meeting: Meeting, documents: list, due: date, today: date
) -> dict:
    return {
        "booking": booking,
        "child": booking.child,
        "meeting": meeting,
        "panel": meeting.panel,
        "slot": booking.slot,
        "documents": documents,
        "due": due,
        "due_passed": due < today,
        "needs_form": booking.request_type.needs_submission_form,
        # Whether anything is asked for does not depend on what has been sent.
        "verbal_update": nothing_to_send(
            checklist_for(
                request_type=booking.request_type,
                submission=None,
                requirements=documents,
                current={},
            )
        ),
    }


def booking_subject(booking: Booking, meeting: Meeting, *, reminder: bool) -> str:
    when = date_format(meeting.date)
    if reminder:
        return subject_line(f"Reminder: {child_label(booking)} is booked for panel on {when}")
    return subject_line(f"Panel booking for {child_label(booking)}: {meeting.panel.name}, {when}")
