"""When a panel meets and how its day is laid out. Pure functions: no database.

Cadences and booking modes arrive as the string values of the choices in `models`,
which imports this module.
"""

import calendar
from dataclasses import dataclass
from datetime import date, time, timedelta


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th `weekday` of the month (1-4), or the last one when n is -1."""
    if n == -1:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def meeting_dates(
    *,
    cadence: str,
    weekday: int,
    week_of_month: int | None,
    series_start: date | None,
    start: date,
    count: int,
) -> list[date]:
    """The first `count` meeting dates on or after `start`."""
    if cadence == "monthly":
        dates = []
        year, month = start.year, start.month
        while len(dates) < count:
            candidate = _nth_weekday(year, month, weekday, week_of_month)
            if candidate >= start:
                dates.append(candidate)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return dates

    step = 14 if cadence == "fortnightly" else 7
    if cadence == "fortnightly" and series_start:
        first = series_start
        if first < start:
            # Move on by whole fortnights so the series keeps to its own weeks.
            first += timedelta(days=step * -(-(start - first).days // step))
    else:
        first = start + timedelta(days=(weekday - start.weekday()) % 7)
    return [first + timedelta(days=step * i) for i in range(count)]


@dataclass(frozen=True)
class TimetableRow:
    starts_at: time
    ends_at: time
    kind: str  # "slot" (one child), "block" (a section without slots) or "break"
    label: str
    section: object | None = None  # None for a break, or a slot any section may use


# A panel's day never runs past midnight; the services reject a day that overruns its end.
MIDNIGHT = 24 * 60


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def lay_out_day(*, starts_at: time, ends_at: time, slot_minutes, sections, breaks):
    """Every slot, timed block and break of the panel's day, in time order.

    With `slot_minutes` the day is one run of equal slots from the start until the
    last one that fits, stepping over breaks (Lancashire). Otherwise each section in
    turn takes its time: its own slots (as many as its capacity or time allows) or a
    single block, starting at its fixed time if it has one (Knowsley's four parts).
    """
    pauses = sorted((_minutes(b.starts_at), _minutes(b.ends_at), b.label) for b in breaks)
    rows = [TimetableRow(_time(s), _time(e), "break", label) for s, e, label in pauses]
    day_end = _minutes(ends_at)

    def first_free(cursor: int, length: int) -> int:
        """The earliest start at or after `cursor` for `length` minutes clear of every break."""
        moved = True
        while moved:
            moved = False
            for start, end, _ in pauses:
                if cursor < end and start < cursor + length:
                    cursor, moved = end, True
        return cursor

    if slot_minutes:
        cursor = first_free(_minutes(starts_at), slot_minutes)
        number = 0
        while cursor + slot_minutes <= day_end:
            number += 1
            rows.append(
                TimetableRow(_time(cursor), _time(cursor + slot_minutes), "slot", f"Slot {number}")
            )
            cursor = first_free(cursor + slot_minutes, slot_minutes)
        return sorted(rows, key=lambda row: row.starts_at)

    cursor = _minutes(starts_at)
    for index, section in enumerate(sections):
        if section.starts_at:
            cursor = _minutes(section.starts_at)
        section_start = cursor
        budget = section.time_budget_minutes
        if section.booking == "slot" and section.slot_minutes:
            length = section.slot_minutes
            if section.capacity is not None:
                count = section.capacity
            elif budget:
                count = budget // length
            else:
                count = None  # as many as fit before the next fixed start or the end of the day
                later_starts = [s.starts_at for s in sections[index + 1 :] if s.starts_at]
                limit = _minutes(later_starts[0]) if later_starts else day_end
            number = 0
            while count is None or number < count:
                cursor = first_free(cursor, length)
                if cursor + length >= MIDNIGHT or (count is None and cursor + length > limit):
                    break
                number += 1
                rows.append(
                    TimetableRow(
                        _time(cursor), _time(cursor + length), "slot", f"Slot {number}", section
                    )
                )
                cursor += length
            if budget:
                cursor = max(cursor, section_start + budget)
        elif budget:
            cursor = first_free(cursor, budget)
            if cursor + budget >= MIDNIGHT:
                break
            rows.append(
                TimetableRow(_time(cursor), _time(cursor + budget), "block", section.name, section)
            )
            cursor += budget
    return sorted(rows, key=lambda row: row.starts_at)
