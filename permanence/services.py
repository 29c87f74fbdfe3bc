from datetime import date

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import ClosureDay
from .workdays import bank_holiday_name

HEARTBEAT_CACHE_KEY = "permanence:worker-heartbeat"


def heartbeat_record() -> None:
    cache.set(HEARTBEAT_CACHE_KEY, timezone.now().isoformat(), timeout=None)


@transaction.atomic
def closure_day_create(*, date: date, description: str) -> ClosureDay:
    if date.weekday() >= 5:
        raise ValidationError({"date": f"{date:%A %-d %B %Y} is a weekend day already."})
    holiday = bank_holiday_name(date)
    if holiday:
        raise ValidationError({"date": f"{date:%A %-d %B %Y} is already a bank holiday ({holiday})."})
    if ClosureDay.objects.filter(date=date).exists():
        raise ValidationError({"date": f"{date:%A %-d %B %Y} is already a closure day."})
    return ClosureDay.objects.create(date=date, description=description.strip())


@transaction.atomic
def closure_day_delete(*, closure_day: ClosureDay) -> None:
    closure_day.delete()
