"""The agendas' emails, each on its working day, through the outbox and the periodic scan.

The Somerset panel is moved onto the fortnight of Thursday 7 January 2027, so its lead
times cross Christmas. England's bank holidays that winter: Friday 25 December, Monday
28 December (Boxing Day, a Saturday, observed) and Friday 1 January. Counted by hand:

- booking reminder, 7 working days before: Thursday 24 December 2026
  (6 Jan, 5 Jan, 4 Jan, 31 Dec, 30 Dec, 29 Dec, 24 Dec)
- submission due, 10 working days before: Monday 21 December 2026
  (… 24 Dec, 23 Dec, 22 Dec, 21 Dec)
- submission reminder, 2 working days before it: Thursday 17 December 2026 (18, 17)
- submission overdue, the working day after it: Tuesday 22 December 2026
- agenda agreed by, 5 working days before: Wednesday 30 December 2026
  (6 Jan, 5 Jan, 4 Jan, 31 Dec, 30 Dec); the chair's reminder the working day before it:
  Tuesday 29 December 2026
"""

import io
from datetime import date, datetime, time

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from agendas import notices, selectors, services
from agendas.models import Booking, Panel
from permanence.models import ClosureDay, Notification, NotificationStatus
from permanence.outbox import outbox_drain
from permanence.roles import Role
from permanence.tasks import scan
from permanence.workdays import calendar
from tests.days import BOOKED_ON, LONDON
from tests.factories import BookingFactory, ChildFactory, PanelFactory

pytestmark = pytest.mark.django_db

MEETING = date(2027, 1, 7)
NEXT_MEETING = date(2027, 1, 21)
REMINDER_DAY = date(2026, 12, 24)
SUBMISSION_DUE = date(2026, 12, 21)
SUBMISSION_REMINDER_DAY = date(2026, 12, 17)
OVERDUE_DAY = date(2026, 12, 22)
AGREE_BY = date(2026, 12, 30)
AGENDA_REMINDER_DAY = date(2026, 12, 29)

# The minutes app has notices of its own on the same scan.
KINDS = (
    "booking_notice",
    "booking_reminder",
    "submission_reminder",
    "submission_overdue",
    "agenda_reminder",
    "agenda_circulated",
)
SIMPLE_REQUEST = "Connected Persons temporary approval"  # only the documents every request needs
FORM_ANSWERS = dict.fromkeys(
    (
        "reason_for_presentation",
        "current_plan",
        "progress_since_last_panel",
        "barriers_to_permanence",
        "wishes_and_feelings",
        "ask_of_panel",
        "financial_implications",
    ),
    "Answered",
)


def at(day: date, hour: int = 8):
    """The clock at the scan's morning run on `day`, London time."""
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=LONDON), tick=False)


def scan_on(day: date) -> None:
    with at(day):
        scan.apply()


def sent(kind: str, **filters) -> list[Notification]:
    return list(
        Notification.objects.filter(kind=kind, status=NotificationStatus.SENT, **filters)
        .select_related("recipient")
        .order_by("pk")
    )


def emails_to(address: str) -> list:
    return [email for email in mail.outbox if email.to == [address]]


# Somerset's chair and deputy, each emailed at an address that says which they are.


@pytest.fixture
def chair(make_user):
    return make_user(Role.CHAIR, first_name="Cara", email="chair@council.example")


@pytest.fixture
def deputy(make_user):
    return make_user(Role.CHAIR, first_name="Dev", email="deputy@council.example")


@pytest.fixture
def somerset(chair, deputy):
    # The preset's fortnight falls on 31 December and 14 January: move it a week on.
    return PanelFactory(
        preset="somerset", series_start=date(2026, 1, 8), chair=chair, deputy_chair=deputy
    )


@pytest.fixture
def meetings(somerset):
    """Somerset's 7 and 21 January 2027."""
    with at(BOOKED_ON):
        created = services.meetings_schedule(
            panel=somerset, start=date(2027, 1, 1), end=date(2027, 1, 31)
        ).created
    assert [meeting.date for meeting in created] == [MEETING, NEXT_MEETING]
    return created


@pytest.fixture
def meeting(meetings):
    return meetings[0]


@pytest.fixture
def child(somerset, social_worker, team_manager):
    """Ada, tracked by Somerset's panel."""
    return ChildFactory(
        first_name="Ada",
        last_name="Lovelace",
        case_number="100234",
        social_worker=social_worker,
        team_manager=team_manager,
        team=social_worker.team,
        panel=somerset,
    )


@pytest.fixture
def book(administrator, django_capture_on_commit_callbacks):
    """Book as the booking page does: the booking notice leaves when the booking commits."""

    def book(meeting, child, request=SIMPLE_REQUEST, on=BOOKED_ON):
        with at(on, hour=10), django_capture_on_commit_callbacks(execute=True):
            return BookingFactory(
                meeting=meeting, child=child, request=request, booked_by=administrator
            )

    return book


@pytest.fixture
def booking(book, meeting, child):
    return book(meeting, child)


def test_the_hand_counted_dates_are_the_calendars():
    working_days = calendar()
    assert working_days.add_working_days(MEETING, -7) == REMINDER_DAY
    assert working_days.add_working_days(MEETING, -10) == SUBMISSION_DUE
    assert working_days.add_working_days(SUBMISSION_DUE, -2) == SUBMISSION_REMINDER_DAY
    assert working_days.add_working_days(SUBMISSION_DUE, 1) == OVERDUE_DAY
    assert working_days.add_working_days(MEETING, -5) == AGREE_BY
    assert working_days.add_working_days(AGREE_BY, -1) == AGENDA_REMINDER_DAY


# The booking notice ---------------------------------------------------------------------------


def test_booking_a_child_tells_the_social_worker_and_team_manager_and_records_it(
    booking, social_worker, team_manager
):
    notices_sent = sent("booking_notice")
    assert [(n.recipient, n.due_on, n.about) for n in notices_sent] == [
        (social_worker, MEETING, f"booking:{booking.pk}"),
        (team_manager, MEETING, f"booking:{booking.pk}"),
    ]
    email = emails_to("sam@council.example")[0]
    assert email.subject == (
        "Panel booking for AL (100234): Somerset Permanence Panel, Thursday 7 January 2027"
    )
    body = email.body
    assert "Dear Sam," in body and "OFFICIAL-SENSITIVE" in body
    assert "Ada Lovelace (100234) is booked for panel." in body
    assert "Date: Thursday 7 January 2027" in body
    assert f"Time: {booking.slot.starts_at:%H:%M} to {booking.slot.ends_at:%H:%M}" in body
    assert "Place: County Hall, Taunton" in body
    assert f"Request: {SIMPLE_REQUEST}" in body
    assert "Send the submission by Monday 21 December 2026." in body
    for document in selectors.documents_required(booking):
        assert f"- {document.name}" in body
    assert email.alternatives[0][1] == "text/html"

    booking.refresh_from_db()
    assert booking.social_worker_notified_at == notices_sent[0].sent_at
    assert booking.team_manager_notified_at == notices_sent[1].sent_at


def test_the_booking_email_links_to_the_booking_page(booking, settings):
    email = emails_to("sam@council.example")[0]
    assert f"{settings.SITE_URL}/bookings/{booking.pk}/" in email.body
    assert f'href="{settings.SITE_URL}/bookings/{booking.pk}/"' in email.alternatives[0][0]


def test_moving_to_another_meeting_tells_them_again_and_within_the_meeting_does_not(
    booking, meetings, django_capture_on_commit_callbacks
):
    other_slot = meetings[0].slots.exclude(pk=booking.slot_id).filter(section=booking.section)[0]
    with at(BOOKED_ON), django_capture_on_commit_callbacks(execute=True):
        services.booking_move(booking=booking, meeting=meetings[0], slot=other_slot)
    assert len(sent("booking_notice")) == 2
    with at(BOOKED_ON), django_capture_on_commit_callbacks(execute=True):
        services.booking_move(booking=booking, meeting=meetings[1])
    assert [n.due_on for n in sent("booking_notice")] == [MEETING] * 2 + [NEXT_MEETING] * 2
    assert "Thursday 21 January 2027" in emails_to("sam@council.example")[-1].subject


# The booking reminder ------------------------------------------------------------------------


def test_the_booking_reminder_goes_on_the_notice_day_across_christmas_once(
    booking, social_worker, team_manager
):
    scan_on(date(2026, 12, 23))
    assert sent("booking_reminder") == []

    scan_on(REMINDER_DAY)
    scan_on(REMINDER_DAY)  # the scan runs every quarter of an hour
    reminders = sent("booking_reminder")
    assert [(n.recipient, n.due_on) for n in reminders] == [
        (social_worker, REMINDER_DAY),
        (team_manager, REMINDER_DAY),
    ]
    assert reminders[0].subject == (
        "Reminder: AL (100234) is booked for panel on Thursday 7 January 2027"
    )
    assert "This is a reminder that Ada Lovelace (100234) is booked" in reminders[0].body_text

    scan_on(date(2026, 12, 25))  # Christmas Day
    scan_on(date(2026, 12, 29))  # the next working day
    assert len(sent("booking_reminder")) == 2
    # The booking notice already set the "told" times; the reminder does not move them.
    booking.refresh_from_db()
    assert booking.social_worker_notified_at == sent("booking_notice")[0].sent_at


def test_a_missed_notice_day_still_sends_the_reminder_once(booking):
    scan_on(date(2026, 12, 29))  # the scan did not run on the 24th
    scan_on(date(2026, 12, 30))
    assert [n.due_on for n in sent("booking_reminder")] == [REMINDER_DAY] * 2
    scan_on(MEETING)  # not on the day of the panel itself
    assert len(sent("booking_reminder")) == 2


def test_the_booking_email_sets_the_told_times_when_the_reminder_is_the_first_to_leave(
    meeting, child
):
    # Booked, but the booking notice never left (removed from the outbox here).
    with at(BOOKED_ON):
        booking = services.booking_create(
            meeting=meeting,
            child=child,
            request_type=meeting.panel.request_types.get(name=SIMPLE_REQUEST),
            reason="To agree the plan for permanence",
            booked_by=None,
        )
    Notification.objects.filter(kind="booking_notice").delete()
    booking.refresh_from_db()
    assert booking.social_worker_notified_at is None
    scan_on(REMINDER_DAY)
    booking.refresh_from_db()
    reminder = sent("booking_reminder")[0]
    assert booking.social_worker_notified_at == reminder.sent_at
    assert booking.team_manager_notified_at is not None


def test_a_child_booked_after_the_notice_day_gets_the_booking_notice_and_no_reminder(
    book, meeting, child
):
    book(meeting, child, on=date(2026, 12, 29))
    scan_on(date(2026, 12, 29))
    scan_on(date(2026, 12, 30))
    assert len(sent("booking_notice")) == 2
    assert sent("booking_reminder") == []


def test_a_closure_day_moves_the_notice_day(booking):
    # The council also closes on Christmas Eve: the notice day is the working day before.
    ClosureDay.objects.create(date=date(2026, 12, 24), description="Christmas closure")
    scan_on(date(2026, 12, 22))
    assert sent("booking_reminder") == []
    scan_on(date(2026, 12, 23))
    assert {n.due_on for n in sent("booking_reminder")} == {date(2026, 12, 23)}


# The submission reminder and the overdue notice ----------------------------------------------


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, "PNG")
    return SimpleUploadedFile("scan.png", buffer.getvalue(), content_type="image/png")


def test_the_submission_reminder_goes_two_working_days_before_it_is_due(booking, social_worker):
    scan_on(date(2026, 12, 16))
    assert sent("submission_reminder") == []

    scan_on(SUBMISSION_REMINDER_DAY)
    scan_on(SUBMISSION_REMINDER_DAY)
    reminders = sent("submission_reminder")
    assert [(n.recipient, n.due_on) for n in reminders] == [
        (social_worker, SUBMISSION_REMINDER_DAY)
    ]  # the social worker only
    assert reminders[0].subject == "Submission due by Monday 21 December 2026: AL (100234)"
    body = reminders[0].body_text
    assert "is due by Monday 21 December 2026" in body
    assert "- Panel submission form" in body and "- CLA Review Outcomes" in body
    assert f"/bookings/{booking.pk}/submission/" in body

    scan_on(date(2026, 12, 18))
    scan_on(SUBMISSION_DUE)
    assert len(sent("submission_reminder")) == 1


def test_the_overdue_notice_goes_the_working_day_after_the_due_date(
    booking, social_worker, team_manager
):
    scan_on(SUBMISSION_DUE)
    assert sent("submission_overdue") == []

    scan_on(OVERDUE_DAY)
    scan_on(OVERDUE_DAY)
    overdue = sent("submission_overdue")
    assert [(n.recipient, n.due_on) for n in overdue] == [
        (social_worker, OVERDUE_DAY),
        (team_manager, OVERDUE_DAY),
    ]
    assert overdue[0].subject == (
        "Submission overdue: AL (100234), panel on Thursday 7 January 2027"
    )
    assert "was due by Monday 21 December 2026 and has not been sent" in overdue[0].body_text

    scan_on(date(2026, 12, 23))
    scan_on(date(2027, 1, 6))
    assert len(sent("submission_overdue")) == 2


def test_a_submission_sent_stops_the_reminders(booking, social_worker, settings):
    services.submission_save(booking=booking, by=social_worker, **FORM_ANSWERS)
    for requirement in selectors.documents_required(booking):
        services.document_upload(
            booking=booking, requirement=requirement, upload=png(), by=social_worker
        )
    with at(date(2026, 12, 15)):
        services.submission_submit(booking=booking, by=social_worker)
    for day in (SUBMISSION_REMINDER_DAY, SUBMISSION_DUE, OVERDUE_DAY, date(2026, 12, 23)):
        scan_on(day)
    assert sent("submission_reminder") == sent("submission_overdue") == []


def test_the_reminder_lists_only_what_is_still_missing(booking, social_worker):
    services.submission_save(booking=booking, by=social_worker, **FORM_ANSWERS)
    first, *rest = selectors.documents_required(booking)
    services.document_upload(booking=booking, requirement=first, upload=png(), by=social_worker)
    scan_on(SUBMISSION_REMINDER_DAY)
    body = sent("submission_reminder")[0].body_text
    assert "- Panel submission form" not in body and f"- {first.name}" not in body
    assert all(f"- {requirement.name}" in body for requirement in rest)


# The chair's reminder to agree the agenda ---------------------------------------------------


def test_the_chair_and_deputy_are_reminded_the_working_day_before_the_agree_by_date(
    booking, meeting, chair, deputy, settings
):
    scan_on(REMINDER_DAY)  # the working day before: 25 and 28 December are bank holidays
    assert sent("agenda_reminder") == []

    scan_on(AGENDA_REMINDER_DAY)
    scan_on(AGENDA_REMINDER_DAY)
    reminders = sent("agenda_reminder")
    assert [(n.recipient, n.due_on, n.about) for n in reminders] == [
        (chair, AGENDA_REMINDER_DAY, f"meeting:{meeting.pk}"),
        (deputy, AGENDA_REMINDER_DAY, f"meeting:{meeting.pk}"),
    ]
    assert reminders[0].subject == (
        "Agree the agenda by Wednesday 30 December 2026: "
        "Somerset Permanence Panel, Thursday 7 January 2027"
    )
    body = reminders[0].body_text
    assert "by Wednesday 30 December 2026. 1 child is booked." in body
    assert f"{settings.SITE_URL}/panels/somerset/meetings/{meeting.pk}/agenda/" in body

    scan_on(AGREE_BY)
    scan_on(date(2026, 12, 31))
    assert len(sent("agenda_reminder")) == 2


def test_an_agreed_agenda_needs_no_reminder(booking, meeting, chair):
    services.agenda_agree(meeting=meeting, chair=chair)
    scan_on(AGENDA_REMINDER_DAY)
    assert sent("agenda_reminder") == []


# The agenda circulated ---------------------------------------------------------------------


def test_the_circulated_agenda_reaches_the_panel_and_each_presenter_once(
    book,
    meeting,
    somerset,
    chair,
    deputy,
    social_worker,
    team_manager,
    team,
    child,
    administrator,
    make_user,
    django_capture_on_commit_callbacks,
    settings,
):
    member = make_user(Role.PANEL_MEMBER, first_name="Mo", email="member@council.example")
    seats = list(somerset.memberships.order_by("order")[:3])
    for seat, person in zip(seats, (member, chair, social_worker), strict=True):
        seat.user = person  # the chair sits as a member too, and so does Sam
        seat.save()
    other_worker = make_user(Role.SOCIAL_WORKER, first_name="Olu", email="olu@council.example")
    other_child = ChildFactory(
        first_name="Grace",
        last_name="Hopper",
        case_number="100999",
        social_worker=other_worker,
        team_manager=team_manager,
        team=team,
        panel=somerset,
    )
    ada = book(meeting, child)
    grace = book(meeting, other_child, request="Update on a decision")
    with at(date(2026, 12, 29)):
        services.agenda_agree(meeting=meeting, chair=chair)
    mail.outbox.clear()

    with at(date(2026, 12, 30)), django_capture_on_commit_callbacks(execute=True):
        services.agenda_mark_circulated(meeting=meeting, by=administrator)

    recipients = sorted(address for email in mail.outbox for address in email.to)
    assert recipients == sorted(
        [
            "chair@council.example",
            "deputy@council.example",
            "member@council.example",
            "sam@council.example",
            "olu@council.example",
            "tess@council.example",
        ]
    )
    agenda_url = f"{settings.SITE_URL}/panels/somerset/meetings/{meeting.pk}/agenda/"

    member_email = emails_to("member@council.example")[0]
    assert member_email.subject == (
        "Panel agenda: Somerset Permanence Panel, Thursday 7 January 2027"
    )
    assert f"{ada.slot.starts_at:%H:%M} Ada Lovelace (100234)" in member_email.body
    assert "Grace Hopper (100999)" in member_email.body
    assert agenda_url in member_email.body

    olu = emails_to("olu@council.example")[0]
    assert olu.subject == (
        "Panel agenda for GH (100999): Somerset Permanence Panel, Thursday 7 January 2027"
    )
    assert "Grace Hopper (100999)" in olu.body and f"/bookings/{grace.pk}/" in olu.body
    assert "Lovelace" not in olu.body and "100234" not in olu.body
    assert agenda_url not in olu.body

    tess = emails_to("tess@council.example")[0]  # both children's team manager, one email
    assert "AL (100234)" in tess.subject and "GH (100999)" in tess.subject
    assert f"/bookings/{ada.pk}/" in tess.body and f"/bookings/{grace.pk}/" in tess.body

    sam = emails_to("sam@council.example")[0]  # a member presenting: the whole agenda
    assert "Grace Hopper" in sam.body and f"/bookings/{ada.pk}/" in sam.body
    assert agenda_url in sam.body

    # Marked circulated again with nothing changed: refused, and nobody is written to twice.
    with at(date(2026, 12, 31)), pytest.raises(ValidationError, match="has not changed"):
        services.agenda_mark_circulated(meeting=meeting, by=administrator)
    assert len(mail.outbox) == 6

    # A late change, agreed again and circulated again: everyone gets the new agenda.
    with at(date(2026, 12, 31)), django_capture_on_commit_callbacks(execute=True):
        services.booking_update(booking=grace, reason="A late change of request")
    with (
        at(date(2026, 12, 31), hour=15),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.agenda_agree(meeting=meeting, chair=chair)
        services.agenda_mark_circulated(meeting=meeting, by=administrator)
    assert len(mail.outbox) == 12


# Across every notice --------------------------------------------------------------------------


def test_no_subject_names_a_child(book, meeting, child, chair, administrator):
    book(meeting, child)
    for day in (SUBMISSION_REMINDER_DAY, OVERDUE_DAY, REMINDER_DAY, AGENDA_REMINDER_DAY):
        scan_on(day)
    with at(AGENDA_REMINDER_DAY):
        services.agenda_agree(meeting=meeting, chair=chair)
        services.agenda_mark_circulated(meeting=meeting, by=administrator)
    scan_on(AGREE_BY)  # the drain sends the circulated agenda
    kinds = set(Notification.objects.filter(kind__in=KINDS).values_list("kind", flat=True))
    assert kinds == {
        "booking_notice",
        "booking_reminder",
        "submission_reminder",
        "submission_overdue",
        "agenda_reminder",
        "agenda_circulated",
    }
    subjects = [email.subject for email in mail.outbox]
    assert subjects and len(subjects) == Notification.objects.count()
    assert not [subject for subject in subjects if "Lovelace" in subject or "Ada" in subject]


def test_nothing_is_sent_for_a_meeting_held_or_cancelled(book, meetings, child, somerset):
    held = book(meetings[0], ChildFactory(panel=somerset, social_worker=child.social_worker))
    booking = book(meetings[1], child)
    with at(BOOKED_ON):
        services.meeting_cancel(meeting=meetings[1], reason="Chair unwell")
    booking.refresh_from_db()
    assert booking.status == "waiting"
    # No scan ran before the 7 January panel: on its day and after, nothing is made up.
    for day in (date(2027, 1, 7), date(2027, 1, 8), date(2027, 1, 12)):
        scan_on(day)
    assert held.meeting.date == date(2027, 1, 7)
    kinds = Notification.objects.filter(kind__in=KINDS).values_list("kind", flat=True)
    assert set(kinds) == {"booking_notice"}


def test_the_scan_does_not_read_a_booking_at_a_time(book, meeting, somerset, make_user):
    def book_children(count):
        for _ in range(count):
            child = ChildFactory(
                panel=somerset,
                social_worker=make_user(Role.SOCIAL_WORKER),
                team_manager=make_user(Role.TEAM_MANAGER),
            )
            book(meeting, child, request="Update on a decision")

    def queries_on(day) -> tuple[int, int]:
        """This app's scan receiver alone (the minutes app has its own): the first run of
        the day, which writes, then a later one, which only reads."""
        with at(day), CaptureQueriesContext(connection) as first:
            notices.queue_due_notices(sender=None, today=day)
        scan_on(day)  # the drain sends what was written
        with at(day), CaptureQueriesContext(connection) as again:
            notices.queue_due_notices(sender=None, today=day)
        return len(first), len(again)

    book_children(3)
    # 24 December: booking reminders and overdue notices are due for every child.
    written_for_3, with_3 = queries_on(REMINDER_DAY)
    assert len(sent("booking_reminder")) == 6 and len(sent("submission_overdue")) == 6
    book_children(9)
    written_for_9, with_12 = queries_on(REMINDER_DAY)
    assert len(sent("booking_reminder")) == 24 and len(sent("submission_overdue")) == 24
    assert with_3 == with_12 <= 7
    assert written_for_9 > with_12  # only the new notices are written, each once
    # The 36 new emails are written in the same few queries as the 12: in one batch.
    assert written_for_9 == written_for_3
    # A day with nothing due reads as little.
    _, quiet = queries_on(date(2026, 12, 2))
    assert quiet <= with_12


def test_the_receivers_are_connected_once_however_often_the_app_is_readied(booking):
    apps.get_app_config("agendas").ready()  # dispatch_uid: connecting again is a no-op
    scan_on(REMINDER_DAY)
    assert len(sent("booking_reminder")) == 2


def test_booking_model_is_unchanged_by_a_notice_to_someone_else(booking, make_user):
    stranger = make_user(Role.SOCIAL_WORKER)
    notification = Notification(
        kind="booking_notice", about=f"booking:{booking.pk}", recipient=stranger
    )
    Booking.objects.filter(pk=booking.pk).update(
        social_worker_notified_at=None, team_manager_notified_at=None
    )
    notices.record_booking_told(sender=Notification, notification=notification)
    booking.refresh_from_db()
    assert booking.social_worker_notified_at is None and booking.team_manager_notified_at is None


# A meeting moved, re-timed, re-placed or cancelled ----------------------------------------------

MOVED_TO = date(2027, 1, 8)  # Friday
EVERYONE = [
    "chair@council.example",
    "deputy@council.example",
    "member@council.example",
    "sam@council.example",
    "tess@council.example",
]


@pytest.fixture
def member(somerset, make_user):
    person = make_user(Role.PANEL_MEMBER, first_name="Mo", email="member@council.example")
    seat = somerset.memberships.order_by("order").first()
    seat.user = person
    seat.save()
    return person


@pytest.fixture
def change(django_capture_on_commit_callbacks):
    """Change the meeting as the meeting page does: the emails leave when it commits."""

    def change(meeting, on=BOOKED_ON, **fields):
        with at(on, hour=11), django_capture_on_commit_callbacks(execute=True):
            return services.meeting_update(meeting=meeting, **fields)

    return change


def test_moving_a_meeting_tells_everyone_once_with_the_new_details(
    booking, meeting, somerset, member, chair, change, settings
):
    seat = somerset.memberships.order_by("order")[1]
    seat.user = chair  # the chair sits in a seat too: one email, not two
    seat.save()
    mail.outbox.clear()
    change(meeting, date=MOVED_TO)
    change(meeting, date=MOVED_TO)  # saved again with nothing changed: nobody twice
    assert sorted(address for email in mail.outbox for address in email.to) == sorted(EVERYONE)
    subject = "Panel meeting moved: Somerset Permanence Panel, now Friday 8 January 2027 at 09:30"
    assert {email.subject for email in mail.outbox} == {subject}

    sam = emails_to("sam@council.example")[0].body
    assert "Date: Friday 8 January 2027 (was Thursday 7 January 2027)" in sam
    assert "Place: County Hall, Taunton" in sam and "(was" not in sam.split("Place:")[1]
    assert f"Ada Lovelace (100234), {SIMPLE_REQUEST}" in sam
    assert f"{settings.SITE_URL}/bookings/{booking.pk}/" in sam
    assert "in person or by conference call" in sam  # Somerset asks them to attend
    agenda_url = f"{settings.SITE_URL}/panels/somerset/meetings/{meeting.pk}/agenda/"
    assert agenda_url not in sam

    member_email = emails_to("member@council.example")[0]
    assert agenda_url in member_email.body and "Lovelace" not in member_email.body
    assert "Lovelace" not in subject and "Ada" not in subject
    assert [n.due_on for n in sent("meeting_changed")] == [MOVED_TO] * 5


def test_each_change_is_told_once_with_its_own_details(booking, meeting, member, change):
    change(meeting, date=MOVED_TO)
    change(meeting, starts_at=time(10), ends_at=time(13))
    change(meeting, venue="Shire Hall, Taunton", online_link="https://meet.example/panel")
    change(meeting, date=MEETING)  # back to the first day: a fourth change, told again
    sam = [email for email in emails_to("sam@council.example") if "Panel meeting" in email.subject]
    assert [email.subject.split(":")[0] for email in sam] == [
        "Panel meeting moved",
        "Panel meeting re-timed",
        "Panel meeting place changed",
        "Panel meeting moved",
    ]
    assert "Time: 10:00 to 13:00 (was 09:30 to 12:30)" in sam[1].body
    assert "Date: Friday 8 January 2027\n" in sam[1].body
    assert (
        "Place: Shire Hall, Taunton, or online at https://meet.example/panel "
        "(was County Hall, Taunton)" in sam[2].body
    )
    assert "Date: Thursday 7 January 2027 (was Friday 8 January 2027)" in sam[3].body
    assert "Time: 10:00 to 13:00\n" in sam[3].body
    assert len(sent("meeting_changed")) == 4 * len(EVERYONE)
    # The slots followed the new start, and the email gives the child's new time.
    booking.refresh_from_db()
    assert booking.slot.starts_at >= time(10)
    assert f"{booking.slot.starts_at:%H:%M} to {booking.slot.ends_at:%H:%M}" in sam[1].body


def test_a_change_to_the_theme_alone_tells_nobody(booking, meeting, member, change):
    change(meeting, theme="Sibling assessments")
    assert sent("meeting_changed") == []


def test_a_booking_email_already_sent_still_gives_the_day_it_gave(
    booking, meeting, change, social_worker, client, administrator
):
    before = sent("booking_notice", recipient=social_worker)[0]
    change(meeting, date=MOVED_TO)
    after = Notification.objects.get(pk=before.pk)
    assert after.subject == before.subject
    assert "Thursday 7 January 2027" in after.subject
    assert "Date: Thursday 7 January 2027" in after.body_text
    assert "Friday 8 January 2027" not in after.body_text + after.body_html
    assert after.sent_at == before.sent_at
    # The outbox's page shows the email as it was sent.
    with at(BOOKED_ON, hour=12):
        client.force_login(administrator)
        page = client.get(f"/outbox/{before.pk}/").content.decode()
    assert "Date: Thursday 7 January 2027" in page and "8 January 2027" not in page


def test_moving_the_meeting_clears_the_told_times_until_the_booking_email_for_the_new_day(
    booking, meeting, change, client, administrator
):
    """8 January 2027's notice day, 7 working days before it, is Tuesday 29 December 2026
    (7, 6, 5, 4 January, 31, 30, 29 December; 1 January and 25 and 28 December are bank
    holidays)."""
    assert calendar().add_working_days(MOVED_TO, -7) == date(2026, 12, 29)
    change(meeting, date=MOVED_TO)
    booking.refresh_from_db()
    assert booking.social_worker_notified_at is None

    scan_on(REMINDER_DAY)  # the old day's notice day: nothing for the new day yet
    scan_on(date(2026, 12, 28))  # a bank holiday
    assert sent("booking_reminder") == []
    scan_on(date(2026, 12, 29))
    scan_on(date(2026, 12, 30))
    reminders = sent("booking_reminder")
    assert [n.due_on for n in reminders] == [date(2026, 12, 29)] * 2
    booking.refresh_from_db()
    assert booking.social_worker_notified_at == reminders[0].sent_at
    assert booking.team_manager_notified_at == reminders[1].sent_at

    with at(date(2026, 12, 30), hour=10):
        client.force_login(administrator)  # a sign-in lasts hours, not weeks
        page = client.get(f"/panels/somerset/meetings/{meeting.pk}/").content.decode()
    assert "Sent on Tuesday 29 December 2026" in page


def test_the_meeting_page_says_when_somersets_booking_email_went_as_the_outbox_does(
    meeting, child, client, administrator
):
    """Booked before any email left (the booking notice is taken out of the outbox here),
    the booking email goes on the notice day, Thursday 24 December 2026, and the meeting
    page gives that day; the day before, it says nothing went."""
    with at(BOOKED_ON):
        services.booking_create(
            meeting=meeting,
            child=child,
            request_type=meeting.panel.request_types.get(name=SIMPLE_REQUEST),
            reason="To agree the plan for permanence",
            booked_by=None,
        )
    Notification.objects.filter(kind="booking_notice").delete()
    url = f"/panels/somerset/meetings/{meeting.pk}/"

    scan_on(date(2026, 12, 23))
    with at(date(2026, 12, 23), hour=10):
        client.force_login(administrator)
        page = client.get(url).content.decode()
    assert "Booking email to the social worker and team manager" in page
    assert "Sent on" not in page
    scan_on(REMINDER_DAY)
    scan_on(REMINDER_DAY)
    reminders = sent("booking_reminder")
    assert len(reminders) == 2
    assert {timezone_date(n.sent_at) for n in reminders} == {REMINDER_DAY}
    assert "in person or by conference call" in reminders[0].body_text
    with at(date(2026, 12, 29), hour=10):
        client.force_login(administrator)
        page = client.get(url).content.decode()
    assert "Sent on Thursday 24 December 2026" in page


def test_the_meeting_page_says_the_notice_day_email_went_after_the_booking_email(
    booking, meeting, client, administrator
):
    """Booked on 1 December, they were told at once; the notice day's email of Thursday
    24 December is the last to go, and the meeting page gives that day, as the outbox does."""
    url = f"/panels/somerset/meetings/{meeting.pk}/"
    scan_on(date(2026, 12, 23))
    with at(date(2026, 12, 23), hour=10):
        client.force_login(administrator)
        page = client.get(url).content.decode()
    assert "Sent on Tuesday 1 December 2026" in page
    scan_on(REMINDER_DAY)
    assert {timezone_date(n.sent_at) for n in sent("booking_reminder")} == {REMINDER_DAY}
    with at(date(2026, 12, 29), hour=10):
        client.force_login(administrator)
        page = client.get(url).content.decode()
    assert "Sent on Thursday 24 December 2026" in page
    booking.refresh_from_db()  # the told times are still the first email's
    assert booking.social_worker_notified_at == sent("booking_notice")[0].sent_at


def timezone_date(moment) -> date:
    return moment.astimezone(LONDON).date()


def test_somersets_booking_email_asks_them_to_attend_in_person_or_by_conference_call(
    booking, somerset
):
    assert somerset.booking_notice_days == -7
    for notice in sent("booking_notice"):
        assert (
            "You are requested to attend panel. All social workers are expected to make "
            "themselves available for this panel, either in person or by conference call."
        ) in notice.body_text
        assert "either in person or by conference call." in notice.body_html


def test_a_panel_without_a_request_says_nothing_more(book, meeting, somerset, child):
    Panel.objects.filter(pk=somerset.pk).update(booking_email_request="")
    meeting.panel.refresh_from_db()
    book(meeting, child)
    assert "conference call" not in sent("booking_notice")[0].body_text


def test_moving_a_booking_to_another_meeting_clears_its_told_times_until_the_new_email(
    booking, meetings, django_capture_on_commit_callbacks
):
    with at(BOOKED_ON):
        services.booking_move(booking=booking, meeting=meetings[1])  # the email not yet sent
    booking.refresh_from_db()
    assert booking.social_worker_notified_at is None
    with django_capture_on_commit_callbacks(execute=True):
        outbox_drain()  # the new meeting's booking email leaves
    booking.refresh_from_db()
    new_notice = sent("booking_notice", due_on=NEXT_MEETING)[0]
    assert booking.social_worker_notified_at == new_notice.sent_at


def test_cancelling_tells_everyone_once_and_each_presenter_where_the_booking_went(
    book,
    meetings,
    child,
    somerset,
    member,
    social_worker,
    team_manager,
    team,
    django_capture_on_commit_callbacks,
    settings,
):
    second = book(
        meetings[0],
        ChildFactory(
            first_name="Grace",
            last_name="Hopper",
            case_number="100999",
            social_worker=social_worker,
            team_manager=team_manager,
            team=team,
            panel=somerset,
        ),
    )
    first = book(meetings[0], child)
    mail.outbox.clear()
    with at(BOOKED_ON, hour=11), django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(
            meeting=meetings[0], reason="Chair unwell", move_bookings_to=meetings[1]
        )
    emails_after_cancelling = len(mail.outbox)
    with at(BOOKED_ON, hour=12), pytest.raises(ValidationError, match="already cancelled"):
        services.meeting_cancel(meeting=meetings[0], reason="Chair unwell")
    assert len(mail.outbox) == emails_after_cancelling
    cancelled = [email for email in mail.outbox if "cancelled" in email.subject]
    assert sorted(address for email in cancelled for address in email.to) == sorted(EVERYONE)
    assert {email.subject for email in cancelled} == {
        "Panel meeting cancelled: Somerset Permanence Panel, Thursday 7 January 2027"
    }
    sam = next(email for email in cancelled if email.to == ["sam@council.example"]).body
    assert "is cancelled: Chair unwell" in sam
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.meeting == second.meeting == meetings[1]
    assert (
        f"Ada Lovelace (100234): now booked for panel on Thursday 21 January 2027 at "
        f"{first.slot.starts_at:%H:%M}" in sam
    )
    assert "Grace Hopper (100999): now booked for panel on Thursday 21 January 2027" in sam
    assert f"{settings.SITE_URL}/bookings/{first.pk}/" in sam
    member_body = next(email for email in cancelled if email.to == ["member@council.example"]).body
    assert "2 children are moved to the panel on Thursday 21 January 2027." in member_body
    assert f"{settings.SITE_URL}/panels/somerset/meetings/{meetings[0].pk}/agenda/" in member_body
    assert "Lovelace" not in member_body
    # Each moved child's booking email gives the new meeting's details.
    assert {n.due_on for n in sent("booking_notice")} == {MEETING, NEXT_MEETING}


def test_cancelling_with_nowhere_to_go_tells_them_the_child_waits(
    booking, meeting, member, django_capture_on_commit_callbacks
):
    with at(BOOKED_ON, hour=11), django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, reason="Chair unwell")
    (sam,) = [e for e in emails_to("sam@council.example") if "cancelled" in e.subject]
    assert "Ada Lovelace (100234): on the panel's waiting list" in sam.body
    (mo,) = [e for e in emails_to("member@council.example") if "cancelled" in e.subject]
    assert "1 child is on the panel's waiting list." in mo.body
