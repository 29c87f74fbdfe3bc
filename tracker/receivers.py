"""The tracker follows changes in the layer below it without that layer knowing."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from permanence.models import ClosureDay

from . import services


@receiver([post_save, post_delete], sender=ClosureDay)
def recompute_after_closure_day_change(sender, **kwargs):
    # Every child's dates, in the background once the closure day's transaction commits:
    # thousands of children are too many for the administrator's request.
    services.dates_recompute_start()
