"""Packs whose build died (issue 14): the tasks' time limits, the scan that notices a pack
still "being built" after the hard limit (or never started), the reason a person reads, and
building it again. No email is sent twice. The pack's job (permanence/jobs) does the
noticing, with a minute's grace past the hard limit."""

from datetime import datetime, timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.urls import reverse

from agendas import packing, services
from agendas.models import AgendaPack, PackStatus
from permanence import tasks as permanence_tasks
from permanence.celery import app
from permanence.jobs.models import JobState
from permanence.jobs.services import job_run
from permanence.models import Notification
from permanence.roles import Role
from tests.days import LONDON
from tests.factories import AgendaPackFactory, UserFactory, book_into_slot

from .test_packs import RECORD, pdf_file, store

pytestmark = pytest.mark.django_db

# A working day's morning, inside the scan's hours, well before Lancashire's January panel.
STARTED = datetime(2026, 12, 1, 9, tzinfo=LONDON)


@pytest.fixture
def building(meeting, settings, time_machine):
    settings.CELERY_TASK_TIME_LIMIT = 25 * 60
    time_machine.move_to(STARTED, tick=False)
    return AgendaPackFactory(
        meeting=meeting, job__state=JobState.RUNNING, job__started_at=STARTED, job__total=9
    )


def scan_at(time_machine, moment: datetime) -> None:
    time_machine.move_to(moment, tick=False)
    permanence_tasks.scan.delay()


def test_the_tasks_have_soft_and_hard_time_limits(settings):
    assert app.conf.task_soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT == 20 * 60
    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT == 25 * 60
    assert app.conf.task_acks_late is True


def test_a_pack_building_past_the_hard_limit_is_failed_by_the_scan_at_its_boundary(
    building, time_machine
):
    scan_at(time_machine, STARTED + timedelta(minutes=26) - timedelta(seconds=1))
    building.refresh_from_db()
    assert building.status == PackStatus.BUILDING
    scan_at(time_machine, STARTED + timedelta(minutes=26))
    building.refresh_from_db()
    assert building.status == PackStatus.BUILDING  # exactly the limit is not past it
    scan_at(time_machine, STARTED + timedelta(minutes=26, seconds=1))
    building.refresh_from_db()
    assert building.status == PackStatus.FAILED
    assert building.error == (
        "This stopped part-way: it had not finished 26 minutes after it started, so the "
        "background worker was interrupted. Try again."
    )
    assert building.finished_at == STARTED + timedelta(minutes=26, seconds=1)


def test_a_pack_never_started_is_failed_after_the_queue_limit(meeting, settings, time_machine):
    settings.JOB_NEVER_STARTED_MINUTES = 60
    time_machine.move_to(STARTED, tick=False)
    pack = AgendaPackFactory(meeting=meeting, job__state=JobState.QUEUED)
    scan_at(time_machine, STARTED + timedelta(minutes=60))
    pack.refresh_from_db()
    assert pack.status == PackStatus.QUEUED
    scan_at(time_machine, STARTED + timedelta(minutes=60, seconds=1))
    pack.refresh_from_db()
    assert pack.status == PackStatus.FAILED
    assert pack.error == "The background worker did not start this within 60 minutes. Try again."


def test_the_meeting_page_gives_the_reason_and_offers_to_build_it_again(
    client, meeting, building, time_machine, django_capture_on_commit_callbacks
):
    scan_at(time_machine, STARTED + timedelta(minutes=27))
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))
    page_url = reverse("agendas:meeting", args=[meeting.panel.slug, meeting.pk])
    page = client.get(page_url).content.decode()
    assert "The pack could not be built:" in page
    assert "This stopped part-way" in page
    assert "Build it again" in page
    assert "data-pack-build hidden" not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agendas:pack-build", args=[meeting.panel.slug, meeting.pk]))
    latest = AgendaPack.objects.latest()
    assert latest != building
    assert latest.status == PackStatus.READY


def test_the_task_delivered_again_after_the_scan_builds_nothing(building, time_machine):
    scan_at(time_machine, STARTED + timedelta(minutes=27))
    # Redis hands the dead worker's task on, an hour after it took it.
    time_machine.move_to(STARTED + timedelta(minutes=61), tick=False)
    permanence_tasks.run_job.delay(building.job_id)
    building.refresh_from_db()
    assert building.status == PackStatus.FAILED
    assert not building.file
    assert building.finished_at == STARTED + timedelta(minutes=27)


def test_no_email_is_sent_twice_however_often_the_scan_runs(
    meeting, building, social_worker, time_machine
):
    """The scan also queues the panel's notices: running it again, after failing the pack,
    writes and sends nothing more."""
    book_into_slot(meeting, "Clara Lovelace", 0, social_worker)
    scan_at(time_machine, STARTED + timedelta(minutes=27))
    written = list(Notification.objects.values_list("key", flat=True).order_by("key"))
    sent = len(mail.outbox)
    scan_at(time_machine, STARTED + timedelta(minutes=41))
    assert list(Notification.objects.values_list("key", flat=True).order_by("key")) == written
    assert len(mail.outbox) == sent
    building.refresh_from_db()
    assert building.finished_at == STARTED + timedelta(minutes=27)  # failed once


def test_asking_for_a_pack_while_one_is_stalled_builds_a_new_one(
    building, meeting, time_machine, django_capture_on_commit_callbacks
):
    """Between two scans (or at night, when the scan does not run), the button is the one
    to notice."""
    time_machine.move_to(STARTED + timedelta(minutes=10), tick=False)
    assert services.pack_request(meeting=meeting, by=None) == building  # still in time
    time_machine.move_to(STARTED + timedelta(minutes=27), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        pack = services.pack_request(meeting=meeting, by=None)
    building.refresh_from_db()
    assert building.status == PackStatus.FAILED
    pack.refresh_from_db()
    assert pack != building and pack.status == PackStatus.READY


def test_a_build_out_of_time_stops_and_says_why(meeting, social_worker, settings, monkeypatch):
    """The soft limit raised while one document converts ends the whole build, not just
    that document."""
    settings.CELERY_TASK_SOFT_TIME_LIMIT = 20 * 60
    clara = book_into_slot(meeting, "Clara Lovelace", 0, social_worker)
    store(clara, RECORD, "record.pdf", pdf_file("Clara record"))

    def out_of_time(document, folder):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(packing, "document_pdf", out_of_time)
    pack = AgendaPackFactory(meeting=meeting, job__state=JobState.QUEUED)
    job_run(pack.job_id)
    pack.refresh_from_db()
    assert pack.status == PackStatus.FAILED
    assert pack.error == (
        "Building the pack took longer than 20 minutes, so it was stopped. A very large "
        "document may be the cause: replace it with a PDF, then build the pack again."
    )
