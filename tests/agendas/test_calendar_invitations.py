"""The .ics invitations the meeting emails carry: the same event as the person's feed (one
UID), at its sequence, sent once with the email through the outbox.

Lancashire's January panel, Wednesday 13 January 2027, with Ada Lovelace (100234) booked
into it by the administrator on Tuesday 1 December 2026; Mo sits on the panel.
"""

from datetime import date, datetime

import pytest
import time_machine
from django.core import mail
from icalendar import Calendar

from agendas import services
from agendas.calendar import booking_uid, meeting_uid
from permanence.models import Notification
from permanence.outbox import notification_resend, notification_send
from permanence.roles import Role
from tests.days import BOOKED_ON, LONDON

pytestmark = pytest.mark.django_db

MOVED_TO = date(2027, 1, 14)


@pytest.fixture(autouse=True)
def on_booking_day():
    with time_machine.travel(datetime.combine(BOOKED_ON, datetime.min.time(), LONDON), tick=False):
        yield


@pytest.fixture
def member(lancashire, make_user):
    person = make_user(Role.PANEL_MEMBER, first_name="Mo", email="mo@council.example")
    seat = lancashire.memberships.order_by("order").first()
    seat.user = person
    seat.save()
    return person


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run a change as a page does: its emails leave when it commits."""

    def run(change, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return change(**fields)

    return run


def invitations(address: str, subject_start: str = "") -> list[tuple[str, object]]:
    """(method, event) for each invitation in the emails to `address`."""
    found = []
    for email in mail.outbox:
        if email.to != [address] or not email.subject.startswith(subject_start):
            continue
        for part in email.message().walk():
            if part.get_content_type() == "text/calendar":
                assert part.get_filename().endswith(".ics")
                calendar = Calendar.from_ical(part.get_payload(decode=True))
                assert str(calendar["method"]) == part.get_param("method")
                (event,) = calendar.walk("VEVENT")
                found.append((part.get_param("method"), event))
    return found


def test_the_booking_email_invites_the_social_worker_to_the_childs_slot(
    sent, book, meetings, ada, settings
):
    booking = sent(book, meeting=meetings[0], child=ada)
    (method, event), *_ = invitations("sam@council.example", "Panel booking")
    assert method == "REQUEST"
    assert str(event["uid"]) == booking_uid(booking)
    assert event["sequence"] == 0
    assert event.decoded("dtstart") == datetime.combine(
        meetings[0].date, booking.slot.starts_at, tzinfo=LONDON
    )
    assert str(event["summary"]) == "Panel for AL (100234): Lancashire Permanence Panel"
    assert str(event["organizer"]) == f"mailto:{settings.DEFAULT_FROM_EMAIL}"
    assert str(event["attendee"]) == "mailto:sam@council.example"
    ics = Notification.objects.filter(kind="booking_notice").first().attachments[0]["content"]
    assert "Lovelace" not in ics and "Ada" not in ics


def test_moving_the_meeting_sends_each_the_same_events_at_the_next_sequence(
    sent, book, meetings, ada, member
):
    booking = sent(book, meeting=meetings[0], child=ada)
    mail.outbox.clear()
    sent(services.meeting_update, meeting=meetings[0], date=MOVED_TO)
    ((method, event),) = invitations("mo@council.example")
    assert (method, str(event["uid"]), event["sequence"]) == (
        "REQUEST",
        meeting_uid(meetings[0]),
        1,
    )
    assert event.decoded("dtstart").date() == MOVED_TO
    ((method, event),) = invitations("sam@council.example")
    assert (method, str(event["uid"]), event["sequence"]) == ("REQUEST", booking_uid(booking), 1)
    assert event.decoded("dtstart").date() == MOVED_TO


def test_cancelling_cancels_the_meeting_and_the_slot_of_a_child_left_waiting(
    sent, book, meetings, ada, member
):
    booking = sent(book, meeting=meetings[0], child=ada)
    mail.outbox.clear()
    sent(services.meeting_cancel, meeting=meetings[0], reason="Chair unwell")
    ((method, event),) = invitations("mo@council.example")
    assert (method, str(event["uid"]), str(event["status"]), event["sequence"]) == (
        "CANCEL",
        meeting_uid(meetings[0]),
        "CANCELLED",
        1,
    )
    ((method, event),) = invitations("sam@council.example")
    assert (method, str(event["uid"]), str(event["status"])) == (
        "CANCEL",
        booking_uid(booking),
        "CANCELLED",
    )
    assert event.decoded("dtstart").date() == meetings[0].date  # where it was


def test_a_child_moved_by_the_cancelling_is_invited_to_the_new_meeting(
    sent, book, meetings, ada, member
):
    booking = sent(book, meeting=meetings[0], child=ada)
    mail.outbox.clear()
    sent(
        services.meeting_cancel,
        meeting=meetings[0],
        reason="Chair unwell",
        move_bookings_to=meetings[1],
    )
    ((method, event),) = invitations("sam@council.example", "Panel meeting cancelled")
    assert (method, str(event["uid"]), str(event["status"])) == (
        "REQUEST",
        booking_uid(booking),
        "CONFIRMED",
    )
    assert event.decoded("dtstart").date() == meetings[1].date
    assert event["sequence"] == 1


def test_the_circulated_agenda_invites_the_panel_to_the_meeting(
    sent, book, meetings, ada, member, chair, administrator
):
    sent(book, meeting=meetings[0], child=ada)
    services.agenda_agree(meeting=meetings[0], chair=chair)
    mail.outbox.clear()
    sent(services.agenda_mark_circulated, meeting=meetings[0], by=administrator)
    ((method, event),) = invitations("mo@council.example", "Panel agenda")
    assert (method, str(event["uid"])) == ("REQUEST", meeting_uid(meetings[0]))
    ((method, event),) = invitations("sam@council.example", "Panel agenda")
    assert str(event["uid"]) == booking_uid(ada.bookings.get())


def test_the_invitation_is_written_with_the_email_and_sent_once_with_it(sent, book, meetings, ada):
    sent(book, meeting=meetings[0], child=ada)
    notification = Notification.objects.get(kind="booking_notice", to="sam@council.example")
    assert [a["filename"] for a in notification.attachments] == ["panel-booking-2027-01-13.ics"]
    mail.outbox.clear()
    assert notification_send(notification.pk) is False  # sent already: nothing twice
    assert mail.outbox == []


def test_through_gov_uk_notify_the_email_goes_without_the_invitation(
    sent, book, meetings, ada, settings
):
    settings.EMAIL_ATTACHMENTS = False
    sent(book, meeting=meetings[0], child=ada)
    assert invitations("sam@council.example") == []
    assert [email.to for email in mail.outbox] == [["sam@council.example"]]


def test_sent_again_from_the_outbox_the_email_carries_the_same_invitation(
    sent, book, meetings, ada, django_capture_on_commit_callbacks
):
    sent(book, meeting=meetings[0], child=ada)
    first = invitations("sam@council.example")
    mail.outbox.clear()
    notification = Notification.objects.get(kind="booking_notice", to="sam@council.example")
    with django_capture_on_commit_callbacks(execute=True):
        notification_resend(notification=notification)
    again = invitations("sam@council.example")
    assert [event.to_ical() for _, event in again] == [event.to_ical() for _, event in first]
