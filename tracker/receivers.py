"""The tracker follows changes in the layer below it without that layer knowing."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from permanence.models import ClosureDay

from . import services


@receiver([post_save, post_delete], sender=ClosureDay)
def recompute_after_closure_day_change(sender, **kwargs):
    # Inside the closure day's own transaction: the dates and the calendar change together.
    services.children_recompute()
