"""Working days, pinned with worked examples from the 2026-2027 calendar for England."""

from datetime import date

import pytest

from permanence.workdays import Calendar, add_working_days, is_working_day, working_days_between
from tests.factories import ClosureDayFactory

calendar = Calendar()


def test_design_worked_example_agenda_for_new_years_eve_panel():
    # 25 and 28 December 2026 are bank holidays (Boxing Day falls on a Saturday).
    assert calendar.add_working_days(date(2026, 12, 31), -5) == date(2026, 12, 22)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 24), True),  # Thursday
        (date(2026, 12, 25), False),  # Christmas Day, Friday
        (date(2026, 12, 26), False),  # Boxing Day, Saturday
        (date(2026, 12, 28), False),  # substitute day for Boxing Day
        (date(2026, 12, 29), True),
        (date(2027, 1, 1), False),  # New Year's Day, Friday
        (date(2027, 3, 26), False),  # Good Friday 2027
        (date(2027, 3, 29), False),  # Easter Monday 2027
        (date(2027, 3, 30), True),
        (date(2026, 11, 21), False),  # Saturday
        (date(2026, 11, 23), True),  # Monday
    ],
)
def test_is_working_day(day, working):
    assert calendar.is_working_day(day) is working


def test_substitute_bank_holidays_when_christmas_falls_at_a_weekend():
    # 2027: Christmas Day Saturday, Boxing Day Sunday: Monday 27 and Tuesday 28 are substitutes.
    assert not calendar.is_working_day(date(2027, 12, 27))
    assert not calendar.is_working_day(date(2027, 12, 28))
    assert calendar.add_working_days(date(2027, 12, 24), 1) == date(2027, 12, 29)


def test_easter_week_2027():
    # Thursday 25 March + 1 skips Good Friday, the weekend and Easter Monday.
    assert calendar.add_working_days(date(2027, 3, 25), 1) == date(2027, 3, 30)
    assert calendar.add_working_days(date(2027, 3, 30), -1) == date(2027, 3, 25)
    assert calendar.working_days_between(date(2027, 3, 25), date(2027, 3, 30)) == 1


def test_zero_offset_returns_the_day_itself_even_when_not_a_working_day():
    assert calendar.add_working_days(date(2026, 12, 25), 0) == date(2026, 12, 25)


def test_the_start_day_never_counts():
    monday = date(2026, 11, 23)
    assert calendar.add_working_days(monday, 1) == date(2026, 11, 24)
    assert calendar.add_working_days(monday, -1) == date(2026, 11, 20)  # the Friday before
    saturday = date(2026, 11, 21)
    assert calendar.add_working_days(saturday, 1) == monday
    assert calendar.add_working_days(saturday, -1) == date(2026, 11, 20)


def test_twenty_working_days_for_a_first_looked_after_review_across_christmas():
    # Into care Monday 14 December 2026: 25, 28 December and 1 January do not count.
    assert calendar.add_working_days(date(2026, 12, 14), 20) == date(2027, 1, 14)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (date(2026, 11, 23), date(2026, 11, 23), 0),
        (date(2026, 11, 23), date(2026, 11, 24), 1),  # a excluded, b included
        (date(2026, 11, 20), date(2026, 11, 23), 1),  # Friday to Monday
        (date(2026, 11, 23), date(2026, 11, 30), 5),
        (date(2026, 11, 30), date(2026, 11, 23), -5),
        (date(2026, 12, 22), date(2026, 12, 31), 5),  # the worked example, forwards
        (date(2026, 12, 24), date(2026, 12, 28), 0),  # Christmas, weekend, substitute day
    ],
)
def test_working_days_between(a, b, expected):
    assert calendar.working_days_between(a, b) == expected


def test_add_and_between_agree_both_ways():
    start = date(2026, 12, 1)
    for n in range(-40, 41):
        end = calendar.add_working_days(start, n)
        assert calendar.working_days_between(start, end) == n


@pytest.mark.django_db
def test_closure_days_recorded_by_an_administrator_are_not_working_days():
    assert add_working_days(date(2026, 12, 31), -5) == date(2026, 12, 22)
    ClosureDayFactory(date=date(2026, 12, 29), description="Christmas closure")
    ClosureDayFactory(date=date(2026, 12, 30), description="Christmas closure")
    assert not is_working_day(date(2026, 12, 29))
    assert add_working_days(date(2026, 12, 31), -5) == date(2026, 12, 18)
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 31)) == 1
