"""The background worker: a real Celery worker consuming from a real Redis broker."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from permanence import outbox
from permanence.celery import app
from permanence.jobs.models import Job, JobState
from permanence.jobs.services import job_start
from permanence.models import Notification, NotificationStatus
from permanence.roles import Role
from permanence.services import HEARTBEAT_CACHE_KEY
from permanence.signals import scan_due
from permanence.tasks import heartbeat, scan


def wait_for(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def real_worker():
    """A Celery worker in a thread, consuming from the real broker (not the tests' eager
    mode), as production's worker does."""
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager = True


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_runs_the_heartbeat_and_health_reports_it(client, real_worker):
    cache.delete(HEARTBEAT_CACHE_KEY)
    assert client.get(reverse("health")).json()["worker_last_seen"] is None

    heartbeat.delay()
    # No result backend: the task's effect is the proof that the worker ran it.
    assert wait_for(lambda: cache.get(HEARTBEAT_CACHE_KEY)), "the worker never ran the task"

    health = client.get(reverse("health")).json()
    assert health["worker_last_seen"] is not None
    assert health["cache"] == "ok"


def test_beat_schedules_the_heartbeat_every_minute():
    entry = app.conf.beat_schedule["worker-heartbeat"]
    assert entry["task"] == heartbeat.name
    assert entry["schedule"] == 60.0


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_scan_and_sends_what_is_due_once(
    make_user, real_worker, test_notice_template
):
    person = make_user(Role.SOCIAL_WORKER, email="sam@council.example")

    def due_today(sender, today, **kwargs):
        with transaction.atomic():
            outbox.notify(
                kind="scan_test",
                about="meeting:1",
                recipient=person,
                subject="Agenda to agree",
                template=test_notice_template,
                context={"what": "due today"},
                due_on=today,
            )

    scan_due.connect(due_today)
    try:
        scan.delay()
        scan.delay()  # beat firing twice
        assert wait_for(lambda: Notification.objects.filter(status="sent").exists())
        time.sleep(1)  # room for a second email, were there to be one
    finally:
        scan_due.disconnect(due_today)
    assert len(mail.outbox) == 1
    assert Notification.objects.get().status == NotificationStatus.SENT


def test_beat_runs_the_scan_on_working_hours():
    entry = app.conf.beat_schedule["scan"]
    assert entry["task"] == scan.name
    assert entry["schedule"].hour == set(range(7, 20))


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_background_job_to_its_end(real_worker):
    job = job_start(kind="tests.count", by=None, params={"to": 5})
    assert wait_for(lambda: Job.objects.get(pk=job.pk).state == JobState.SUCCEEDED), (
        "the worker never finished the job"
    )
    assert Job.objects.get(pk=job.pk).result["counted"] == 5
