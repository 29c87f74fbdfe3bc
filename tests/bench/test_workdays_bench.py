"""Working-day arithmetic at the scale of recomputing every child's review dates.

`make bench` times it; `make test` runs it once as a correctness check.
"""

from datetime import date, timedelta

from permanence.workdays import Calendar

CHILDREN = 10_000


def first_review_due_for_every_child(calendar: Calendar) -> list[date]:
    start = date(2024, 1, 1)
    return [
        calendar.add_working_days(start + timedelta(days=i % 1000), 20) for i in range(CHILDREN)
    ]


def test_first_review_dates_for_ten_thousand_children(benchmark):
    calendar = Calendar(closure_days=[date(2026, 12, 29), date(2026, 12, 30)])
    due = benchmark(first_review_due_for_every_child, calendar)
    assert len(due) == CHILDREN
    assert all(calendar.is_working_day(d) for d in due)
