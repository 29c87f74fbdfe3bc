"""The notification outbox: every email is a row first, sent after the change commits.

`notify` is called inside the transaction that causes the notice, so the row exists if and
only if the change does. Its unique key makes a second call a no-op. `notification_send`
claims the row with a lock, so two workers never send the same email.
"""

import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from email.mime.text import MIMEText

from django.conf import settings
from django.core import checks
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Notification, NotificationStatus, User
from .signals import notification_sent

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6


@dataclass(frozen=True)
class Attachment:
    """A text file sent with an email, such as a meeting's invitation:
    Attachment("invitation.ics", "text/calendar", ics, parameters={"method": "REQUEST"})."""

    filename: str
    content_type: str  # "text/<subtype>": attachments are text, kept on the outbox row
    content: str
    parameters: dict = field(default_factory=dict)  # more Content-Type parameters

    def mime(self) -> MIMEText:
        maintype, subtype = self.content_type.split("/")
        assert maintype == "text", "The outbox sends text attachments only"
        part = MIMEText(self.content, subtype, "utf-8")
        for name, value in self.parameters.items():
            part.set_param(name, value)
        part.add_header("Content-Disposition", "attachment", filename=self.filename)
        return part


def notification_key(*, kind: str, about: str, recipient: User, due_on: date | None) -> str:
    return f"{kind}:{about}:{recipient.pk}:{due_on.isoformat() if due_on else '-'}"


def next_change(*, kind: str, about: str) -> str:
    """The `about` for the next change of one thing that each tells people anew (a meeting
    moved, then moved again): the thing's own `about` numbered after the changes already
    told. Call under the lock of the changed row, so two changes never take one number;
    a change rolled back leaves its number for the next. Counting, not the clock, keeps
    two changes in the same instant apart."""
    told = (
        Notification.objects.filter(kind=kind, about__startswith=f"{about}@")
        .values_list("about", flat=True)
        .distinct()
    )
    # The highest number, not how many: sent emails are purged after a while
    # (`outbox_sent_purge`), and a count short of the numbers still held would hand out
    # one of them again, and its key would swallow the new change as told already.
    numbers = [
        int(number) for told_about in told if (number := told_about[len(about) + 1 :]).isdigit()
    ]
    return f"{about}@{max(numbers, default=0) + 1}"


@dataclass
class Notice:
    """One email to one person, as `notify` takes it. A caller that queues many at once
    (the scan, a ratification) builds them all, then hands them to `notify_all`."""

    kind: str
    about: str
    recipient: User | None
    subject: str
    template: str
    context: dict = field(default_factory=dict)
    due_on: date | None = None
    attachments: list[Attachment] | tuple = ()

    @property
    def reachable(self) -> bool:
        person = self.recipient
        return person is not None and person.is_active and bool(person.email)

    @property
    def key(self) -> str:
        return notification_key(
            kind=self.kind, about=self.about, recipient=self.recipient, due_on=self.due_on
        )

    def written(self) -> Notification:
        """The outbox row, rendered, not yet saved."""
        context = {
            **self.context,
            "subject": self.subject,
            "recipient": self.recipient,
            "site_url": settings.SITE_URL,
            "council_name": settings.COUNCIL_NAME,
        }
        return Notification(
            key=self.key,
            kind=self.kind,
            about=self.about,
            recipient=self.recipient,
            to=self.recipient.email,
            subject=self.subject,
            body_text=render_to_string(f"{self.template}.txt", context),
            body_html=render_to_string(f"{self.template}.html", context),
            due_on=self.due_on,
            attachments=[asdict(attachment) for attachment in self.attachments],
        )


def notify(
    *,
    kind: str,
    about: str,
    recipient: User | None,
    subject: str,
    template: str,
    context: dict,
    due_on: date | None = None,
    attachments: list[Attachment] | tuple = (),
) -> Notification | None:
    """Queue one email to a person, once. `template` names a pair of templates,
    `<template>.txt` and `<template>.html`; the subject names a child only by initials
    and case number. `attachments` are written on the row with the email, so they are
    sent with it, once. Returns None when there is nobody to tell."""
    notice = Notice(kind, about, recipient, subject, template, context, due_on, attachments)
    if not notice.reachable:
        return None
    existing = Notification.objects.filter(key=notice.key).first()
    if existing is not None:
        return existing  # written already: nothing to render or send
    try:
        with transaction.atomic():
            notification = notice.written()
            notification.save(force_insert=True)
    except IntegrityError:
        # Written by a concurrent scan since the check above: theirs is the one to send.
        return Notification.objects.get(key=notice.key)
    transaction.on_commit(lambda: enqueue(notification.pk))
    return notification


# `notify_all` writes this many emails at a time, in two queries.
WRITE_BATCH = 500


def notify_all(notices: Iterable[Notice]) -> int:
    """Queue many emails, each once, as `notify` queues one. One query finds those the
    outbox holds already, which are neither rendered nor written again, so a repeated scan
    costs that query alone. The rest are written a batch at a time, each batch in its own
    transaction (a failure keeps the batches before it) and handed to the worker after it
    commits. Returns how many were new."""
    by_key = {}
    for notice in notices:
        if notice.reachable:
            by_key.setdefault(notice.key, notice)
    if not by_key:
        return 0
    held = set(
        Notification.objects.filter(key__in=list(by_key)).order_by().values_list("key", flat=True)
    )
    new = [notice for key, notice in by_key.items() if key not in held]
    for start in range(0, len(new), WRITE_BATCH):
        _write(new[start : start + WRITE_BATCH])
    return len(new)


def _write(notices: list[Notice]) -> None:
    rows = [notice.written() for notice in notices]
    with transaction.atomic():
        # A concurrent scan may have written some of them since they were found new: its
        # rows are kept, and both hand them to the worker, which sends each once.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        pks = list(
            Notification.objects.filter(key__in=[row.key for row in rows])
            .exclude(status=NotificationStatus.SENT)
            .order_by()
            .values_list("pk", flat=True)
        )
        transaction.on_commit(lambda: enqueue_all(pks))


def enqueue(pk: int) -> None:
    """Hand the email to the worker. With the broker down it waits in the outbox, and the
    periodic drain sends it when the broker is back: web pages never wait for Redis."""
    from .tasks import send_notification  # the tasks module imports this one

    try:
        send_notification.apply_async(args=[pk], retry=False)
    except Exception:  # noqa: BLE001 - any broker failure leaves the row for the drain
        logger.warning("Broker unavailable: notification %s stays in the outbox", pk)


# Emails handed to the worker in one task, sent over one connection to the mail server:
# few enough that the workers share out a day's emails between them.
SEND_BATCH = 50


def enqueue_all(pks: list[int]) -> None:
    """Hand many emails to the worker, a batch to a task, as `enqueue` hands one."""
    from .tasks import send_notifications  # the tasks module imports this one

    for start in range(0, len(pks), SEND_BATCH):
        batch = pks[start : start + SEND_BATCH]
        try:
            send_notifications.apply_async(args=[batch], retry=False)
        except Exception:  # noqa: BLE001 - any broker failure leaves the rows for the drain
            logger.warning("Broker unavailable: %s notifications stay in the outbox", len(batch))


class SendFailed(Exception):
    """An email could not be handed to the mail server; the task retries it."""


def notification_send(pk: int) -> bool:
    """Send one email if it is still unsent. True when this call sent it."""
    return notifications_send([pk]) == 1


def notifications_send(pks: list[int]) -> int:
    """Send those of these emails still unsent, over one connection to the mail server.
    Each is claimed with a lock and recorded in its own transaction, so two workers never
    send the same email, and a worker that dies part-way leaves only the email in hand
    to go again. Returns how many this call sent; when any failed, raises SendFailed
    after trying the rest, and the task's retry tries those again."""
    mail_server = get_connection()
    _open_quietly(mail_server)
    sent, failures = 0, []
    try:
        for pk in pks:
            notification, failure = _send_one(pk, mail_server)
            if failure is not None:
                failures.append(failure)
                _close_quietly(mail_server)  # the next email goes over a new connection
                _open_quietly(mail_server)
            elif notification is not None:
                sent += 1
                notification_sent.send(sender=Notification, notification=notification)
    finally:
        _close_quietly(mail_server)
    if failures:
        raise SendFailed(f"{len(failures)} of {len(pks)} not sent: {failures[0]}") from (
            failures[0]
        )
    return sent


def _send_one(pk: int, connection) -> tuple[Notification | None, Exception | None]:
    """(the notification this call sent, None), (None, the failure), or (None, None) when
    it was sent already or another worker holds it."""
    with transaction.atomic():
        # Found by its key alone: with the outbox's own ordering PostgreSQL walked the
        # index of unsent emails for it, a millisecond for every thousand waiting.
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=pk)
            .exclude(status=NotificationStatus.SENT)
            .order_by("pk")
            .first()
        )
        if notification is None:
            return None, None
        notification.attempts += 1
        message = EmailMultiAlternatives(
            subject=notification.subject,
            body=notification.body_text,
            to=[notification.to],
            connection=connection,
        )
        if notification.body_html:
            message.attach_alternative(notification.body_html, "text/html")
        if settings.EMAIL_ATTACHMENTS:
            for attachment in notification.attachments:
                message.attach(Attachment(**attachment).mime())
        try:
            message.send()
        except Exception as error:  # noqa: BLE001 - recorded on the row, then retried
            notification.status = NotificationStatus.FAILED
            notification.last_error = f"{type(error).__name__}: {error}"[:2000]
            notification.save(update_fields=["status", "last_error", "attempts"])
            return None, error
        notification.status = NotificationStatus.SENT
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.save(update_fields=["status", "sent_at", "last_error", "attempts"])
    return notification, None


def _open_quietly(connection) -> None:
    """Open the connection the batch shares. When the mail server cannot be reached, each
    email tries again as it is sent, and its row records why it could not go."""
    try:
        connection.open()
    except Exception:  # noqa: BLE001 - recorded on each email instead
        logger.warning("The mail server cannot be reached: each email will say why")


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - a connection that failed has nothing to close
        logger.info("The mail connection was already broken when closed")


def outbox_drain(*, limit: int = 500) -> int:
    """Send what is waiting: pending rows, and failed ones with attempts left. Returns how
    many were handed to the worker."""
    waiting = list(
        Notification.objects.exclude(status=NotificationStatus.SENT)
        .filter(attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    enqueue_all(waiting)
    return len(waiting)


@transaction.atomic
def notification_resend(*, notification: Notification) -> Notification:
    """An administrator sends an email again (a failed one, or a copy of a sent one)."""
    notification.status = NotificationStatus.PENDING
    notification.attempts = 0
    notification.sent_at = None
    notification.last_error = ""
    notification.save(update_fields=["status", "attempts", "sent_at", "last_error"])
    transaction.on_commit(lambda: enqueue(notification.pk))
    return notification


# Keeping sent emails ---------------------------------------------------------------------

# The longest any notice the periodic scan writes can still fall due after its due date (the
# `due_on` in its key): a booking reminder or a theme request is due up to 60 working days
# before its meeting (the panel settings' limit, agendas/forms/panels.py) and is asked for
# until the meeting; an overdue notice for the minutes, until 19 working days after its own
# date (minutes/notices.py). 60 working days are 84 days and the bank holidays among them;
# twice that leaves room for closure days.
SCAN_LOOKS_BACK_DAYS = 170
PURGE_BATCH = 5000
PURGE_BATCHES_PER_RUN = 100


def outbox_sent_purge(*, today: date) -> int:
    """Delete the sent emails older than the setting OUTBOX_KEEP_SENT_DAYS, oldest first, a
    batch at a time; waiting and failed ones are never deleted. Run every night by beat
    (`tasks.purge_sent_emails`). Returns how many were deleted.

    An email's key is what stops its notice being written twice, so a sent email goes only
    when nothing can ask for that notice again: written before the cut-off, and either due
    before it too (the scan asks for a notice only within its days, and no days reach back
    SCAN_LOOKS_BACK_DAYS, which the setting must exceed), or due on no date (a notice of
    something that happens once: an account made, a referral, minutes ratified). A notice
    keyed on a meeting still to come (a forward booking, told months ahead) is kept until
    that meeting is as old as the cut-off. At most PURGE_BATCHES_PER_RUN batches a night:
    the first nights on a full outbox catch up in turn rather than in one long run."""
    cut_off = today - timedelta(days=settings.OUTBOX_KEEP_SENT_DAYS)
    old_and_sent = (
        Notification.objects.filter(
            status=NotificationStatus.SENT,
            created_at__lt=timezone.make_aware(datetime.combine(cut_off, time.min)),
        )
        .filter(Q(due_on__isnull=True) | Q(due_on__lt=cut_off))
        .order_by("created_at", "pk")
    )
    deleted = 0
    for _ in range(PURGE_BATCHES_PER_RUN):
        batch = list(old_and_sent.values_list("pk", "created_at")[:PURGE_BATCH])
        if not batch:
            break
        deleted += Notification.objects.filter(pk__in=[pk for pk, _ in batch]).delete()[0]
        # The next batch starts where this one ended: the index still holds the rows just
        # deleted until the table is vacuumed, and each batch would step over them again.
        old_and_sent = old_and_sent.filter(created_at__gte=batch[-1][1])
    return deleted


@checks.register()
def check_keep_sent(app_configs, **kwargs) -> list:
    """A system check: sent emails kept for less than the scan looks back would let it
    write a purged notice again."""
    keep = settings.OUTBOX_KEEP_SENT_DAYS
    if keep > SCAN_LOOKS_BACK_DAYS:
        return []
    return [
        checks.Error(
            f"OUTBOX_KEEP_SENT_DAYS is {keep}: it must be more than {SCAN_LOOKS_BACK_DAYS}, "
            "or the periodic scan could send again a notice whose email was deleted.",
            id="permanence.E010",
        )
    ]
