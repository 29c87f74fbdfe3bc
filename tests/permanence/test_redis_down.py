"""Redis down (issue 14): a page that queues emails answers within a second, the emails wait
in the outbox, and once Redis is back the worker sends each of them once.

The probe found a booking taking 12.3 s and circulating an agenda passing gunicorn's 30 s:
each email waited out kombu's reconnection retries. The test starts a Redis of its own on a
free port (never the shared one), points Celery and the cache at it, really stops it, and
starts it again."""

import shutil
import socket
import subprocess
import time
from datetime import time as clock

import pytest
import redis
import time_machine
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from agendas import services as agendas_services
from agendas.models import Booking
from permanence.celery import app
from permanence.models import Notification, NotificationStatus
from permanence.roles import Role
from permanence.tasks import scan
from tests.conftest import require
from tests.days import BOOKED_ON
from tests.permanence.test_celery import wait_for

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

REDIS_SERVER = shutil.which("redis-server")


class OwnRedis:
    """A redis-server this test starts, stops and starts again, keeping nothing on disk."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - Debian's redis-server, our arguments
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        assert wait_for(lambda: self._answers(client)), "our redis-server did not start"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    @staticmethod
    def _answers(client) -> bool:
        try:
            return client.ping()
        except redis.ConnectionError:
            return False


@pytest.fixture
def own_redis():
    require(REDIS_SERVER is not None, "needs redis-server on PATH to start a Redis of its own")
    server = OwnRedis()
    server.start()
    # Celery reads its broker once and keeps a connection pool: point both at our server,
    # keeping every other broker setting (the timeouts under test) as settings.py says.
    saved = app.conf.broker_url
    app.conf.broker_url = server.url
    app._pool = app.amqp._producer_pool = None
    # Tasks go to the broker, not run in the test's thread as elsewhere in the tests.
    app.conf.task_always_eager = False
    # A web process that has queued something before: the transport's modules are loaded.
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)
    cache = {**settings.CACHES["default"], "LOCATION": server.url}
    try:
        with override_settings(CACHES={"default": cache}):
            yield server
    finally:
        app.conf.task_always_eager = True
        app.conf.broker_url = saved
        app._pool = app.amqp._producer_pool = None
        if server.process.poll() is None:
            server.stop()


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_with_redis_stopped_pages_answer_within_a_second_and_the_outbox_drains_after(
    client, administrator, chair, meetings, ada, lancashire, make_user, own_redis
):
    meeting = meetings[0]
    # Someone in each seat, so circulating the agenda emails everyone who sits on the panel.
    for seat in lancashire.memberships.all():
        agendas_services.panel_membership_update(membership=seat, user=make_user(Role.PANEL_MEMBER))
    # The day the booking is made, for the worker too: it sends what is due by then.
    with time_machine.travel(BOOKED_ON, tick=True):
        client.force_login(administrator)
        # The administrator opens the booking form and the meeting; then Redis stops.
        book_url = reverse("agendas:booking-add", args=["lancashire", meeting.pk])
        assert client.get(book_url).status_code == 200
        meeting_url = reverse("agendas:meeting", args=["lancashire", meeting.pk])
        assert client.get(meeting_url).status_code == 200
        own_redis.stop()

        booked, booking_took = timed(
            lambda: client.post(
                book_url,
                {
                    "child": ada.case_number,
                    "request_type": lancashire.request_types.get(name="Ratification").pk,
                    "slot": meeting.slots.get(starts_at=clock(10, 30)).pk,
                    "reason": "Ratify the placement as permanent",
                },
            )
        )
        agendas_services.agenda_agree(meeting=meeting, chair=chair)
        circulated, circulating_took = timed(
            lambda: client.post(
                reverse("agendas:agenda-circulated", args=["lancashire", meeting.pk])
            )
        )
        health, health_took = timed(lambda: client.get(reverse("health")))

        assert booked.status_code == 302 and Booking.objects.filter(child=ada).exists()
        meeting.refresh_from_db()
        assert circulated.status_code == 302 and meeting.agenda_circulated_at is not None
        assert booking_took < 1, f"the booking took {booking_took:.1f} s"
        assert circulating_took < 1, f"circulating the agenda took {circulating_took:.1f} s"
        assert health_took < 1, f"the health check took {health_took:.1f} s"
        assert health.json()["cache"].startswith("error")
        waiting = Notification.objects.exclude(status=NotificationStatus.SENT)
        # The social worker's booking email, and the agenda to each of the panel's seats.
        assert waiting.count() > lancashire.memberships.count()
        assert not mail.outbox

        own_redis.start()
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            scan.delay()  # as beat does every quarter of an hour
            drained = wait_for(lambda: not waiting.exists(), seconds=30)
    assert drained, "the outbox never drained"
    sent = Notification.objects.filter(status=NotificationStatus.SENT)
    assert len(mail.outbox) == sent.count()  # each once
    assert sorted(m.to[0] for m in mail.outbox) == sorted(n.recipient.email for n in sent)
