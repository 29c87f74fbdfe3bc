"""The notification outbox: every email is written once, with the change that causes it,
and sent once, whatever retries, double scans, dead workers or a missing broker do."""

from datetime import date

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from kombu.exceptions import OperationalError

from permanence import outbox
from permanence.models import Notification, NotificationStatus
from permanence.roles import Role
from permanence.signals import scan_due
from permanence.tasks import scan, send_notification

pytestmark = pytest.mark.django_db

SMTP_NOBODY_LISTENS = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def person(make_user):
    return make_user(Role.SOCIAL_WORKER, first_name="Sam", email="sam@council.example")


def queue(person, **fields):
    fields = {
        "kind": "test_notice",
        "about": "booking:1",
        "recipient": person,
        "subject": "Panel booking for AL (100234)",
        "template": "emails/test_notice",
        "context": {"what": "a test"},
        **fields,
    }
    return outbox.notify(**fields)


@pytest.fixture(autouse=True)
def _template(test_notice_template):
    pass


def test_a_notice_is_written_once_and_sent_after_the_change_commits(
    person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = queue(person)
        again = queue(person)
        assert mail.outbox == []  # nothing leaves before the commit
    assert first.pk == again.pk and len(callbacks) == 1
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.subject == "Panel booking for AL (100234)"
    assert email.to == ["sam@council.example"]
    assert "Dear Sam," in email.body and "Ada's booking." in email.body  # not HTML-escaped
    assert email.alternatives[0][1] == "text/html"
    first.refresh_from_db()
    assert (first.status, first.attempts) == (NotificationStatus.SENT, 1)


def test_a_different_due_date_is_a_different_notice(person):
    queue(person, due_on=date(2027, 1, 6))
    queue(person, due_on=date(2027, 1, 7))
    assert Notification.objects.count() == 2


def test_nothing_is_written_when_the_change_is_rolled_back(
    person, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue(person)
        raise RuntimeError("the booking failed")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_sending_twice_sends_once(person):
    notification = queue(person)
    assert outbox.notification_send(notification.pk) is True
    assert outbox.notification_send(notification.pk) is False
    assert len(mail.outbox) == 1


def test_a_failed_send_is_recorded_and_the_drain_sends_it_later(person, settings):
    notification = queue(person)
    settings.EMAIL_BACKEND = SMTP_NOBODY_LISTENS
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with pytest.raises(outbox.SendFailed):
        outbox.notification_send(notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert "ConnectionRefusedError" in notification.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.outbox_drain() == 1  # eager in tests: the drain's task runs here
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert len(mail.outbox) == 1


class WorkerKilledMidSend(BaseException):
    """What a worker killed mid-send looks like to the code: not an Exception."""


class DiesOnce:
    """An email backend whose first send dies with the worker, as SIGKILL would."""

    died = False

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        if not DiesOnce.died:
            DiesOnce.died = True
            raise WorkerKilledMidSend
        mail.outbox.extend(messages)
        return len(messages)


def test_a_worker_killed_half_way_leaves_the_notice_to_send_once(person, settings):
    notification = queue(person)
    settings.EMAIL_BACKEND = f"{__name__}.DiesOnce"
    with pytest.raises(WorkerKilledMidSend):
        outbox.notification_send(notification.pk)
    notification.refresh_from_db()
    # The claim was rolled back with the worker: the row waits as if never tried.
    assert (notification.status, notification.attempts) == (NotificationStatus.PENDING, 0)
    outbox.outbox_drain()
    outbox.outbox_drain()
    assert len(mail.outbox) == 1


def test_the_scan_twice_writes_each_notice_once(person):
    def due_today(sender, today, **kwargs):
        queue(person, due_on=today)

    scan_due.connect(due_today)
    try:
        scan.apply()
        scan.apply()
    finally:
        scan_due.disconnect(due_today)
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_with_the_broker_down_the_change_succeeds_and_the_email_waits(
    person, django_capture_on_commit_callbacks, monkeypatch
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_notification, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(person)  # the page that made the change returns normally
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING
    monkeypatch.undo()  # the broker is back
    outbox.outbox_drain()
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT


def test_administrators_read_the_outbox_and_send_an_email_again(
    client, make_user, person, django_capture_on_commit_callbacks
):
    notification = queue(person)
    outbox.notification_send(notification.pk)
    client.force_login(make_user(Role.SOCIAL_WORKER))
    assert client.get(reverse("outbox")).status_code == 403
    client.force_login(make_user(Role.ADMINISTRATOR))
    page = client.get(reverse("outbox")).content.decode()
    assert "Panel booking for AL (100234)" in page
    detail = client.get(reverse("notification", args=[notification.pk])).content.decode()
    assert "This is a test" in detail
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notification", args=[notification.pk]))
    assert len(mail.outbox) == 2


def test_through_gov_uk_notify_a_refusal_is_recorded_on_the_email(person, settings):
    """With a Notify key the emails go through GOV.UK Notify's API. This machine cannot
    reach it (or the key is not a real one), so the send fails, and the outbox says why."""
    settings.EMAIL_BACKEND = "django_gov_notify.backends.NotifyEmailBackend"
    settings.GOVUK_NOTIFY_API_KEY = (
        "test-11111111-1111-1111-1111-111111111111-22222222-2222-2222-2222-222222222222"
    )
    settings.GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = "33333333-3333-3333-3333-333333333333"
    notification = queue(person)
    with pytest.raises(outbox.SendFailed):
        outbox.notification_send(notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert notification.last_error
