"""The background worker: a real Celery worker consuming from a real Redis broker."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.urls import reverse

from permanence.celery import app
from permanence.services import HEARTBEAT_CACHE_KEY
from permanence.tasks import heartbeat


def wait_for(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_runs_the_heartbeat_and_health_reports_it(client):
    cache.delete(HEARTBEAT_CACHE_KEY)
    assert client.get(reverse("health")).json()["worker_last_seen"] is None

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
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
