"""The council's working-day calendar.

Monday to Friday, less England and Wales bank holidays (with substitute days) and the
local closure days an administrator records. `Calendar` answers from the closure days
it was given, so a job that needs thousands of answers loads them once; the module-level
functions read the current closure days from the database on each call.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache

import holidays

from .models import ClosureDay

ONE_DAY = timedelta(days=1)


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_bank_holiday(d: date) -> bool:
    return d in _bank_holidays(d.year)


def bank_holiday_name(d: date) -> str | None:
    return holidays.country_holidays("GB", subdiv="ENG", years=d.year).get(d)


class Calendar:
    def __init__(self, closure_days: Iterable[date] = ()):
        self.closure_days = frozenset(closure_days)

    def is_working_day(self, d: date) -> bool:
        return d.weekday() < 5 and not is_bank_holiday(d) and d not in self.closure_days

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after d (before d when n < 0); d itself never counts."""
        step = ONE_DAY if n > 0 else -ONE_DAY
        remaining = abs(n)
        while remaining:
            d += step
            if self.is_working_day(d):
                remaining -= 1
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Working days x with a < x <= b; negative when b is before a."""
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        d = a + ONE_DAY
        while d <= b:
            count += self.is_working_day(d)
            d += ONE_DAY
        return count


def calendar() -> Calendar:
    """A calendar with today's closure days from the database (one query)."""
    return Calendar(ClosureDay.objects.values_list("date", flat=True))


def is_working_day(d: date) -> bool:
    return calendar().is_working_day(d)


def add_working_days(d: date, n: int) -> date:
    return calendar().add_working_days(d, n)


def working_days_between(a: date, b: date) -> int:
    return calendar().working_days_between(a, b)
