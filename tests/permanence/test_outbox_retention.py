"""Sent emails are deleted after OUTBOX_KEEP_SENT_DAYS, every night, a batch at a time;
waiting and failed ones never. An email's key is what stops its notice being written
twice, so a notice whose email was deleted must never be written again: these tests run
the whole scan every day for most of a year over a panel with the longest lead times its
settings allow, and show that no notice is written twice, and that it would be with a
retention shorter than the scan looks back."""

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core import checks
from django.utils import timezone

from agendas.models import MeetingStatus
from permanence import outbox, tasks
from permanence.models import Notification, NotificationStatus
from permanence.roles import Role
from tests.days import LONDON
from tests.factories import BookingFactory, ChildFactory, MeetingFactory, PanelFactory

pytestmark = pytest.mark.django_db

TODAY = date(2027, 6, 1)


def at(day: date, hour: int = 8):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=LONDON), tick=False)


@pytest.fixture
def person(make_user):
    return make_user(Role.SOCIAL_WORKER, email="sam@council.example")


def email(person, name: str, *, written: date, due_on=None, status=NotificationStatus.SENT):
    notification = Notification.objects.create(
        key=name,
        kind="test_notice",
        about=name,
        recipient=person,
        to=person.email,
        subject=name,
        body_text="Hello",
        due_on=due_on,
        status=status,
        sent_at=timezone.now() if status == NotificationStatus.SENT else None,
    )
    Notification.objects.filter(pk=notification.pk).update(
        created_at=datetime.combine(written, time(12), tzinfo=LONDON)
    )
    return notification


def kept() -> set[str]:
    return set(Notification.objects.values_list("key", flat=True))


def test_only_sent_emails_past_the_cut_off_and_due_before_it_are_deleted(person, settings):
    settings.OUTBOX_KEEP_SENT_DAYS = 365
    cut_off = TODAY - timedelta(days=365)
    before, on = cut_off - timedelta(days=1), cut_off
    email(person, "old, due on no date", written=before)
    email(person, "old, due before", written=before, due_on=before)
    email(person, "old, due on the cut-off", written=before, due_on=on)
    email(person, "old, for a meeting still to come", written=before, due_on=TODAY)
    email(person, "written on the cut-off", written=on)
    email(person, "old and failed", written=before, status=NotificationStatus.FAILED)
    email(person, "old and waiting", written=before, status=NotificationStatus.PENDING)

    assert outbox.outbox_sent_purge(today=TODAY) == 2
    assert kept() == {
        "old, due on the cut-off",
        "old, for a meeting still to come",
        "written on the cut-off",
        "old and failed",
        "old and waiting",
    }


def test_beat_deletes_every_night_in_batches_and_a_few_batches_a_night(
    person, settings, monkeypatch
):
    schedule = settings.CELERY_BEAT_SCHEDULE["purge-sent-emails"]
    assert schedule["task"] == "permanence.tasks.purge_sent_emails"
    assert (schedule["schedule"].hour, schedule["schedule"].minute) == ({2}, {45})
    for n in range(7):
        email(person, f"old {n}", written=date(2025, 1, 1) + timedelta(days=n // 2))
    monkeypatch.setattr(outbox, "PURGE_BATCH", 2)
    monkeypatch.setattr(outbox, "PURGE_BATCHES_PER_RUN", 3)
    with at(TODAY, hour=2):
        tasks.purge_sent_emails.delay()
    assert kept() == {"old 6"}  # the oldest first
    with at(TODAY + timedelta(days=1), hour=2):
        tasks.purge_sent_emails.delay()
    assert kept() == set()


def test_a_change_numbered_after_its_emails_were_deleted_is_told(person, settings):
    settings.OUTBOX_KEEP_SENT_DAYS = 365
    old = date(2025, 1, 1)
    for number in (1, 2):
        email(person, f"meeting_changed:meeting:5@{number}", written=old)
    Notification.objects.filter(key__endswith="@2").update(
        about="meeting:5@2", kind="meeting_changed", status=NotificationStatus.FAILED
    )
    Notification.objects.filter(key__endswith="@1").update(
        about="meeting:5@1", kind="meeting_changed"
    )
    outbox.outbox_sent_purge(today=TODAY)  # @1 goes; @2 failed, and stays
    assert outbox.next_change(kind="meeting_changed", about="meeting:5") == "meeting:5@3"
    Notification.objects.all().delete()
    assert outbox.next_change(kind="meeting_changed", about="meeting:5") == "meeting:5@1"


@pytest.mark.parametrize(
    ("days", "errors"),
    [(outbox.SCAN_LOOKS_BACK_DAYS, ["permanence.E010"]), (outbox.SCAN_LOOKS_BACK_DAYS + 1, [])],
)
def test_the_setting_must_outlast_the_scans_look_back(settings, days, errors):
    settings.OUTBOX_KEEP_SENT_DAYS = days
    assert [error.id for error in checks.run_checks() if error.id.startswith("permanence.")] == (
        errors
    )


# The whole scan, every day -------------------------------------------------------------

BOOKED = date(2026, 11, 2)
MEETING = date(2027, 3, 4)  # a Thursday, 60 working days after 3 December 2026


@pytest.fixture
def longest_lead_times(chair, social_worker, team_manager, administrator):
    """A panel asking for everything as early as its settings allow (60 working days
    before), a child booked well before that, and a meeting whose minutes are never
    ratified, so every reminder and overdue notice the scan writes falls due."""
    panel = PanelFactory(
        preset="somerset",
        chair=chair,
        booking_notice_days=-60,
        submission_due_days=-60,
        agenda_agree_days=-60,
        has_thematic_item=True,
        theme_request_days=-60,
    )
    with at(BOOKED):
        meeting = MeetingFactory(panel=panel, date=MEETING)
        child = ChildFactory(
            panel=panel, social_worker=social_worker, team_manager=team_manager, case_number="9"
        )
        BookingFactory(meeting=meeting, child=child, booked_by=administrator)
    assert meeting.status == MeetingStatus.SCHEDULED
    return meeting


def written_keys_while_scanning_daily(until: date) -> Counter:
    """How many times each notice's email was written: a key found again on a new row
    after its old row was deleted was written twice. (The scan writes in bulk, which sends
    no post_save, so the rows themselves are watched.)"""
    rows_of = defaultdict(set)
    day = BOOKED
    while day <= until:
        with at(day, hour=2):
            tasks.purge_sent_emails.apply()
        with at(day):
            tasks.scan.apply()  # queues what is due, and sends what waits
        for key, pk in Notification.objects.values_list("key", "pk"):
            rows_of[key].add(pk)
        day += timedelta(days=1)
    return Counter({key: len(pks) for key, pks in rows_of.items()})


def test_no_notice_is_written_again_after_its_email_is_deleted(longest_lead_times, settings):
    settings.OUTBOX_KEEP_SENT_DAYS = outbox.SCAN_LOOKS_BACK_DAYS + 1
    written = written_keys_while_scanning_daily(until=MEETING + timedelta(days=240))
    kinds = {key.split(":")[0] for key in written}
    assert {
        "booking_reminder",
        "submission_reminder",
        "submission_overdue",
        "agenda_reminder",
        "theme_request",
        "minutes_reminder",
        "minutes_overdue",
    } <= kinds
    assert [key for key, times in written.items() if times > 1] == []
    # And the emails were deleted: those of the notices before the meeting are gone.
    assert not Notification.objects.filter(kind="booking_reminder").exists()
    assert not Notification.objects.filter(kind="minutes_reminder").exists()


def test_a_retention_shorter_than_the_scan_looks_back_would_send_notices_again(
    longest_lead_times, settings
):
    """The test above can fail: kept 30 days, a reminder for a meeting 60 working days
    away is deleted while the scan still asks for it, and written again."""
    settings.OUTBOX_KEEP_SENT_DAYS = 30
    written = written_keys_while_scanning_daily(until=MEETING)
    again = {key.split(":")[0] for key, times in written.items() if times > 1}
    assert "booking_reminder" in again
