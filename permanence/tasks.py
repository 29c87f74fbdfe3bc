from celery import shared_task

from . import services


@shared_task(acks_late=True)
def heartbeat():
    """Run by beat every minute, so the health check can tell the worker and beat are alive."""
    services.heartbeat_record()
