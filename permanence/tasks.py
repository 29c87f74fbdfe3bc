"""Thin tasks: they take primary keys and call services."""

from celery import shared_task
from django.core.management import call_command
from django.utils import timezone

from . import outbox, services
from .jobs.services import job_run
from .signals import scan_due


@shared_task(acks_late=True)
def heartbeat():
    """Run by beat every minute, so the health check can tell the worker and beat are alive."""
    services.heartbeat_record()


# An email that could not be sent is tried again, waiting longer each time, until the
# outbox's last attempt.
SENDING = {
    "acks_late": True,
    "autoretry_for": (outbox.SendFailed,),
    "retry_backoff": 30,
    "retry_backoff_max": 3600,
    "max_retries": outbox.MAX_ATTEMPTS - 1,
}


@shared_task(**SENDING)
def send_notification(pk: int):
    outbox.notification_send(pk)


@shared_task(**SENDING)
def send_notifications(pks: list[int]):
    """A batch of the outbox's emails; a retry sends again only those that failed."""
    outbox.notifications_send(pks)


@shared_task(acks_late=True)
def scan():
    """The one periodic scan: each app queues the notices due today, then the outbox
    drains. Safe to run twice: every notice has a unique key."""
    scan_due.send(sender=None, today=timezone.localdate())
    outbox.outbox_drain()


@shared_task(acks_late=True)
def clear_sessions():
    """Run by beat every night: Django keeps expired sessions until they are cleared."""
    call_command("clearsessions")


@shared_task(acks_late=True)
def purge_sent_emails():
    """Run by beat every night: sent emails past OUTBOX_KEEP_SENT_DAYS are deleted."""
    outbox.outbox_sent_purge(today=timezone.localdate())


@shared_task(acks_late=True)
def run_job(job_id: int):
    """Every background job (permanence/jobs): the job's kind says what it does."""
    job_run(job_id)
