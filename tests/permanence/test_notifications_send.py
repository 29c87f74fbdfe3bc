"""The outbox in bulk: the scan's emails are written a batch at a time and sent a batch to
a task, over one connection to the mail server, and each is still written once and sent
once, whatever a concurrent scan, a failing address or a retry does."""

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from permanence import outbox
from permanence.models import Notification, NotificationStatus
from permanence.roles import Role
from permanence.tasks import send_notifications

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _template(test_notice_template):
    pass


@pytest.fixture
def people(make_user):
    return [make_user(Role.SOCIAL_WORKER, email=f"worker{n}@council.example") for n in range(5)]


def notice(person, **fields) -> outbox.Notice:
    return outbox.Notice(
        kind=fields.pop("kind", "test_notice"),
        about=fields.pop("about", "booking:1"),
        recipient=person,
        subject="Panel booking for AL (100234)",
        template="emails/test_notice",
        context={"what": "a test"},
        **fields,
    )


SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


class Counted(EmailBackend):
    """The test outbox, counting the connections opened and refusing one address."""

    opened = 0
    refuse = ""

    def open(self):
        Counted.opened += 1
        return True

    def send_messages(self, messages):
        if any(message.to == [Counted.refuse] for message in messages):
            raise ConnectionResetError("The mail server hung up")
        return super().send_messages(messages)


@pytest.fixture
def counted(settings):
    settings.EMAIL_BACKEND = f"{__name__}.Counted"
    Counted.opened, Counted.refuse = 0, ""
    return Counted


def test_many_notices_are_written_a_batch_at_a_time_and_sent_once_after_the_commit(
    people, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(outbox, "WRITE_BATCH", 2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        assert outbox.notify_all([notice(person) for person in people]) == 5
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 3  # batches of 2, 2 and 1
    assert sorted(email.to[0] for email in mail.outbox) == sorted(p.email for p in people)
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.notify_all([notice(person) for person in people]) == 0
    assert len(mail.outbox) == 5


def test_the_same_notice_twice_and_people_the_outbox_cannot_email_are_left_out(
    people, make_user, django_capture_on_commit_callbacks
):
    gone = make_user(Role.SOCIAL_WORKER, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        queued = outbox.notify_all(
            [notice(people[0]), notice(people[0]), notice(gone), notice(None)]
        )
    assert queued == 1 and len(mail.outbox) == 1


def test_nothing_is_written_when_the_change_is_rolled_back(
    people, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.notify_all([notice(person) for person in people])
        raise RuntimeError("the ratification failed")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_notice_a_concurrent_scan_wrote_meanwhile_is_sent_once(
    people, monkeypatch, django_capture_on_commit_callbacks
):
    """Between finding a notice new and writing it, another scan writes it: theirs is
    kept, and the email goes once however many hand it to the worker."""
    rendered = outbox.Notice.written

    def written_by_both(self):
        if self.recipient == people[0]:
            rendered(self).save()  # the other scan, first to the row
        return rendered(self)

    monkeypatch.setattr(outbox.Notice, "written", written_by_both)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.notify_all([notice(person) for person in people[:2]]) == 2
    assert Notification.objects.count() == 2
    assert sorted(email.to[0] for email in mail.outbox) == [people[0].email, people[1].email]
    theirs = Notification.objects.get(recipient=people[0])
    assert outbox.notification_send(theirs.pk) is False  # the other scan's worker, too late
    assert len(mail.outbox) == 2


def test_a_batch_goes_over_one_connection(people, counted):
    pks = [outbox.notify(**notice(person).__dict__).pk for person in people]
    mail.outbox = []
    assert outbox.notifications_send(pks) == 5
    assert counted.opened == 1 and len(mail.outbox) == 5
    assert outbox.notifications_send(pks) == 0  # sent already: nothing twice
    assert len(mail.outbox) == 5


def test_one_address_failing_leaves_the_rest_sent_and_the_retry_sends_only_it(people, counted):
    pks = [outbox.notify(**notice(person).__dict__).pk for person in people]
    mail.outbox = []
    counted.refuse = people[2].email
    with pytest.raises(outbox.SendFailed):
        outbox.notifications_send(pks)
    statuses = dict(Notification.objects.values_list("recipient", "status"))
    assert statuses.pop(people[2].pk) == NotificationStatus.FAILED
    assert set(statuses.values()) == {NotificationStatus.SENT}
    assert len(mail.outbox) == 4
    failed = Notification.objects.get(recipient=people[2])
    assert (failed.attempts, failed.last_error) == (
        1,
        "ConnectionResetError: The mail server hung up",
    )

    counted.refuse = ""
    assert outbox.notifications_send(pks) == 1
    assert len(mail.outbox) == 5
    assert Notification.objects.get(recipient=people[2]).attempts == 2


def test_the_batch_task_retries_until_the_failed_email_goes(people, counted, monkeypatch):
    pks = [outbox.notify(**notice(person).__dict__).pk for person in people[:2]]
    mail.outbox = []
    counted.refuse = people[1].email
    tries = []
    sending = outbox.notifications_send

    def mail_server_back_on_the_retry(batch):
        tries.append(batch)
        if len(tries) == 2:
            counted.refuse = ""
        return sending(batch)

    monkeypatch.setattr(outbox, "notifications_send", mail_server_back_on_the_retry)
    send_notifications.apply(args=[pks])  # eager: the retry runs here, at once
    assert tries == [pks, pks]
    assert sorted(email.to[0] for email in mail.outbox) == [people[0].email, people[1].email]


def test_the_drain_costs_what_sending_needs_and_no_more(make_user):
    """A batch a task: reading what waits costs the same however many wait, and each
    email two queries (claimed with a lock, then recorded)."""

    def drained(count: int) -> int:
        for n in range(count):
            outbox.notify(**notice(make_user(Role.SOCIAL_WORKER), about=f"booking:{n}").__dict__)
        with CaptureQueriesContext(connection) as queries:
            assert outbox.outbox_drain() == count
        # Each email's transaction is a savepoint in the test's own: not a query in a worker.
        return sum(not query["sql"].startswith(SAVEPOINTS) for query in queries)

    assert drained(6) - drained(3) == 2 * 3
    assert len(mail.outbox) == 9
