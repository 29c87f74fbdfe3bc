"""Thin tasks: they take primary keys and call services."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def build_agenda_pack(pack_id: int):
    """Build one agenda pack; its row says how far it has got."""
    services.pack_build(pack_id)
