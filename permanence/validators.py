"""Input that makes sense in this service: dates checked on the model fields, and the
database's limit on each free-text field.

Plain functions, so migrations refer to them by name and "today" is read each time a value is
validated, never frozen into a migration.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.formats import date_format

# Any date a person types, whatever it is for: wide enough for a grandparent carer's date
# of birth and a disposal date, narrow enough that date sums never leave the calendar.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
EARLIEST_SERVICE_DATE = datetime.date(2000, 1, 1)
YEARS_AHEAD = 5
OLDEST_CHILD_YEARS = 25


def validate_calendar_date(value: datetime.date) -> None:
    """Every typed date: 1900 to 2100 (see `permanence.fields`)."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            "Enter a date between %(earliest)s and %(latest)s",
            code="out_of_range",
            params={"earliest": EARLIEST_DATE.year, "latest": LATEST_DATE.year},
        )


def latest_service_date() -> datetime.date:
    return timezone.localdate() + relativedelta(years=YEARS_AHEAD)


def validate_service_date(value: datetime.date) -> None:
    """Meetings, closure days, emergency decisions and a child's dates: 2000 to five years on."""
    if value < EARLIEST_SERVICE_DATE:
        raise ValidationError(
            "Enter a date on or after 1 January 2000", code="before_service_start"
        )
    latest = latest_service_date()
    if value > latest:
        raise ValidationError(
            "Enter a date no more than %(years)s years ahead, on or before %(latest)s",
            code="too_far_ahead",
            params={"years": YEARS_AHEAD, "latest": date_format(latest)},
        )


def validate_date_of_birth(value: datetime.date) -> None:
    """A newborn's date of birth is today; nobody the panel tracks is older than 25."""
    today = timezone.localdate()
    if value > today:
        raise ValidationError("The date of birth can't be in the future", code="future_birth")
    earliest = today - relativedelta(years=OLDEST_CHILD_YEARS)
    if value < earliest:
        raise ValidationError(
            "Enter a date of birth no more than %(years)s years ago, on or after %(earliest)s",
            code="too_old",
            params={"years": OLDEST_CHILD_YEARS, "earliest": date_format(earliest)},
        )


def text_limit(model: str, field: str, limit: int) -> models.CheckConstraint:
    """The database's own check that a free-text field (a TextField with ``max_length``, which
    forms enforce) is no longer than its limit, whoever writes it."""
    label = field.replace("_", " ").capitalize()
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), limit),
        name=f"{model}_{field}_max_{limit}",
        violation_error_message=f"{label} must be {limit:,} characters or fewer",
    )
