from datetime import date

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from .models import ClosureDay, User
from .workdays import bank_holiday_name

HEARTBEAT_CACHE_KEY = "permanence:worker-heartbeat"


def heartbeat_record() -> None:
    cache.set(HEARTBEAT_CACHE_KEY, timezone.now().isoformat(), timeout=None)


@transaction.atomic
def closure_day_create(*, date: date, description: str) -> ClosureDay:
    if date.weekday() >= 5:
        raise ValidationError({"date": f"{date_format(date)} is a weekend day already."})
    holiday = bank_holiday_name(date)
    if holiday:
        raise ValidationError(
            {"date": f"{date_format(date)} is already a bank holiday ({holiday})."}
        )
    if ClosureDay.objects.filter(date=date).exists():
        raise ValidationError({"date": f"{date_format(date)} is already a closure day."})
    return ClosureDay.objects.create(date=date, description=description.strip())


@transaction.atomic
def closure_day_delete(*, closure_day: ClosureDay) -> None:
    closure_day.delete()


@transaction.atomic
def user_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    roles=(),
    team=None,
    job_title: str = "",
    password: str | None = None,
):
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": f"There is already an account for {email}."})
    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        team=team,
        job_title=job_title,
    )
    user.groups.set(Group.objects.filter(name__in=[str(role) for role in roles]))
    return user
