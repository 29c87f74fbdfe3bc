"""The notification outbox: every email is a row first, sent after the change commits.

`notify` is called inside the transaction that causes the notice, so the row exists if and
only if the change does. Its unique key makes a second call a no-op. `notification_send`
claims the row with a lock, so two workers never send the same email.
"""

import logging
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from email.mime.text import MIMEText

from django.conf import settings
from django.core import checks
from django.core.mail import EmailMultiAlternatives
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
    if recipient is None or not recipient.is_active or not recipient.email:
        return None
    key = notification_key(kind=kind, about=about, recipient=recipient, due_on=due_on)
    existing = Notification.objects.filter(key=key).first()
    if existing is not None:
        return existing  # written already: nothing to render or send
    context = {
        **context,
        "subject": subject,
        "recipient": recipient,
        "site_url": settings.SITE_URL,
        "council_name": settings.COUNCIL_NAME,
    }
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                key=key,
                kind=kind,
                about=about,
                recipient=recipient,
                to=recipient.email,
                subject=subject,
                body_text=render_to_string(f"{template}.txt", context),
                body_html=render_to_string(f"{template}.html", context),
                due_on=due_on,
                attachments=[asdict(attachment) for attachment in attachments],
            )
    except IntegrityError:
        # Written by a concurrent scan since the check above: theirs is the one to send.
        return Notification.objects.get(key=key)
    transaction.on_commit(lambda: enqueue(notification.pk))
    return notification


def enqueue(pk: int) -> None:
    """Hand the email to the worker. With the broker down it waits in the outbox, and the
    periodic drain sends it when the broker is back: web pages never wait for Redis."""
    from .tasks import send_notification  # the tasks module imports this one

    try:
        send_notification.apply_async(args=[pk], retry=False)
    except Exception:  # noqa: BLE001 - any broker failure leaves the row for the drain
        logger.warning("Broker unavailable: notification %s stays in the outbox", pk)


class SendFailed(Exception):
    """An email could not be handed to the mail server; the task retries it."""


def notification_send(pk: int) -> bool:
    """Send one email if it is still unsent. True when this call sent it."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=pk)
            .exclude(status=NotificationStatus.SENT)
            .first()
        )
        if notification is None:
            return False  # sent already, or another worker holds it
        notification.attempts += 1
        message = EmailMultiAlternatives(
            subject=notification.subject,
            body=notification.body_text,
            to=[notification.to],
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
            failure = error
        else:
            notification.status = NotificationStatus.SENT
            notification.sent_at = timezone.now()
            notification.last_error = ""
            notification.save(update_fields=["status", "sent_at", "last_error", "attempts"])
            failure = None
    if failure is not None:
        raise SendFailed(notification.last_error) from failure
    notification_sent.send(sender=Notification, notification=notification)
    return True


def outbox_drain(*, limit: int = 500) -> int:
    """Send what is waiting: pending rows, and failed ones with attempts left. Returns how
    many were handed to the worker."""
    waiting = list(
        Notification.objects.exclude(status=NotificationStatus.SENT)
        .filter(attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in waiting:
        enqueue(pk)
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
