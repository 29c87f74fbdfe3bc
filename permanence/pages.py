"""Pages of a list that only grows (the outbox, the audit), newest first, each costing the
same however many rows are behind it.

A page starts where the one before it ended: from the time and id of its last row, which
the database finds in an index on (time DESC, id DESC), where a numbered page would have the
database count and skip every row before it. So the pages are "Newer" and "Older", and the
list says how many rows there are only up to a limit.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
COUNTED_UP_TO = 1000


@dataclass(frozen=True)
class Page:
    object_list: list
    newer: str  # where the page before this one (newer rows) starts; "" on the first page
    older: str  # where the next page (older rows) starts; "" on the last

    @property
    def has_other_pages(self) -> bool:
        return bool(self.newer or self.older)


def position(row, time_field: str) -> str:
    """Where a page starts, in a link: the row's time in microseconds, and its id."""
    since_epoch = getattr(row, time_field) - EPOCH
    return f"{since_epoch // timedelta(microseconds=1)}-{row.pk}"


def _parse(value: str | None) -> tuple[datetime, int] | None:
    """A position from a link, or None for one that is not (an edited link starts over)."""
    stamp, _, pk = (value or "").partition("-")
    if not (stamp.isdigit() and pk.isdigit()):
        return None
    try:
        return EPOCH + timedelta(microseconds=int(stamp)), int(pk)
    except OverflowError:
        return None


def newest_first(
    rows: QuerySet, *, time_field: str, size: int, older: str = "", newer: str = ""
) -> Page:
    """One page of `rows`, newest first: the first page, or the page of rows older than
    position `older`, or newer than position `newer`. One query, reading `size + 1` rows
    from the index, whichever page it is."""
    after, before = _parse(newer), _parse(older)
    if after:
        time, pk = after
        # The range on the time alone is what the index seeks to; the id only breaks ties.
        rows = rows.filter(**{f"{time_field}__gte": time}).filter(
            Q(**{f"{time_field}__gt": time}) | Q(pk__gt=pk)
        )
        found = list(rows.order_by(time_field, "pk")[: size + 1])
        more, found = len(found) > size, found[:size][::-1]
        has_newer, has_older = more, True
    else:
        if before:
            time, pk = before
            rows = rows.filter(**{f"{time_field}__lte": time}).filter(
                Q(**{f"{time_field}__lt": time}) | Q(pk__lt=pk)
            )
        found = list(rows.order_by(f"-{time_field}", "-pk")[: size + 1])
        more, found = len(found) > size, found[:size]
        has_newer, has_older = bool(before), more
    return Page(
        object_list=found,
        newer=position(found[0], time_field) if found and has_newer else "",
        older=position(found[-1], time_field) if found and has_older else "",
    )


def count_up_to(rows: QuerySet, limit: int | None = None) -> int:
    """How many rows, counting no further than one past `limit` (COUNTED_UP_TO): the
    caller says "more than {limit}" for anything above it, and the count reads at most
    that many rows."""
    limit = COUNTED_UP_TO if limit is None else limit
    return rows.order_by()[: limit + 1].count()
