"""Lays out the child's journey (`timeline.journey`) for the SVG on their page: where each
marker, stem and label goes. The template draws what this returns; no JavaScript.

Two layouts of the same events, and the page's styles show one: across the page on a wide
screen, down it on a narrow one, where an axis across would shrink its words past reading.
Labels never overlap: across, each goes on a row (above the axis for what happened, below it
for what is due) where it clears the labels beside it, as near the axis as it can be while
keeping stems out of labels (`_row_for`); down, each is pushed below the one before and a
leader line joins it to its day. Label widths are estimated from the number of characters,
generously, since the server cannot measure text. Labels carry short dates ("31 Dec 2026")
to stay narrow; the table beside the drawing, and each marker's tooltip, give them in full.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.formats import date_format

from .timeline import DUE, OVERDUE, Event

CHAR_WIDTH = 7.6  # a bold 13px Arial character, at most (most are narrower)
LINE = 16  # a label's line height
LABEL_HEIGHT = 2 * LINE + 4
GAP = 10  # between two labels side by side
CROSSING_COST = 2.5  # rows of height worth spending to keep a stem out of a label
MOST_CLIMB = 6  # rows above the lowest free one a label may go to keep clear of stems
TICK_STEPS = (1, 3, 6, 12, 24, 60, 120)  # months between the axis's ticks


def _r(value: float) -> float:
    return round(value, 1)


def short(on: date) -> str:
    return date_format(on, "SHORT_DATE_FORMAT")


def label_lines(event: Event) -> tuple[str, str]:
    when = short(event.on)
    return event.name, f"{event.state} {when}" if event.state in (DUE, OVERDUE) else when


def label_width(lines) -> float:
    return max(len(line) for line in lines) * CHAR_WIDTH


@dataclass(frozen=True)
class Mark:
    """One event placed: its marker at (x, y), its label's first line at (text_x, text_y),
    and the stem or leader line from marker to label."""

    event: Event
    x: float
    y: float
    text_x: float
    text_y: float
    anchor: str
    stem: tuple[float, float, float, float]
    lines: tuple[str, str]

    @property
    def overdue(self) -> bool:
        return self.event.state == OVERDUE

    @property
    def diamond(self) -> str:
        x, y = self.x, self.y
        return f"{_r(x)},{_r(y - 7)} {_r(x + 7)},{_r(y)} {_r(x)},{_r(y + 7)} {_r(x - 7)},{_r(y)}"


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    label: str


@dataclass
class Layout:
    """One layout of the drawing, in its own viewBox units (1 unit = 1px at full size)."""

    width: float
    height: float = 0
    marks: list[Mark] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    axis: tuple[float, float, float, float] = (0, 0, 0, 0)
    today: Mark | None = None
    today_line: tuple[float, float, float, float] = (0, 0, 0, 0)
    proceedings: tuple[float, float, float, float] | None = None  # x, y, width, height

    @property
    def view_box(self) -> str:
        return f"0 0 {_r(self.width)} {_r(self.height)}"


@dataclass(frozen=True)
class Scale:
    """Dates onto a length, with a little room either side of the first and last."""

    start: date
    end: date

    @classmethod
    def over(cls, days: list[date]) -> "Scale":
        first, last = min(days), max(days)
        span = max((last - first).days, 60)  # a journey of days still reads as one
        pad = timedelta(days=max(span // 25, 7))
        middle = first + (last - first) / 2
        if (last - first).days < span:
            first, last = middle - timedelta(days=span / 2), middle + timedelta(days=span / 2)
        return cls(first - pad, last + pad)

    def at(self, on: date, low: float, high: float) -> float:
        share = (on - self.start).days / (self.end - self.start).days
        return low + share * (high - low)

    def ticks(self, most: int) -> list[tuple[date, str]]:
        """The first of a month every so many months, as few as fit `most`."""
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
        step = next((s for s in TICK_STEPS if months / s <= most), TICK_STEPS[-1])
        ticks, year, month = [], self.start.year, self.start.month + 1
        while True:
            if month > 12:
                year, month = year + 1, month - 12
            on = date(year, month, 1)
            if on > self.end:
                return ticks
            index = year * 12 + month - 1
            if index % step == 0:
                ticks.append((on, str(year) if step >= 12 else on.strftime("%b %Y")))
            month += 1


@dataclass(frozen=True)
class Drawing:
    """Both layouts, and what the drawing's text alternative says of it."""

    across: Layout
    down: Layout
    first: date
    last: date
    happened: int
    ahead: int
    overdue: int

    @property
    def layouts(self) -> list[tuple[str, Layout]]:
        return [("across", self.across), ("down", self.down)]


def draw(events: list[Event], *, as_of: date, proceedings=None) -> Drawing | None:
    """Both layouts of the journey, or None when there is nothing to draw. `proceedings` is
    the 26 weeks as (issued, last day), drawn as a band along the axis."""
    if not events:
        return None
    scale = Scale.over([event.on for event in events] + [as_of])
    ahead = [event for event in events if event.ahead]
    return Drawing(
        across=_across(events, as_of, scale, proceedings),
        down=_down(events, as_of, scale, proceedings),
        first=events[0].on,
        last=events[-1].on,
        happened=len(events) - len(ahead),
        ahead=len(ahead),
        overdue=sum(event.state == OVERDUE for event in ahead),
    )


@dataclass(frozen=True)
class _Placed:
    x: float  # the stem's
    left: float  # the label's
    right: float
    row: int


def _row_for(placed: list[_Placed], x: float, left: float, right: float) -> int:
    """The row for a label: one where it clears every label beside it, as near the axis as
    it can be without stems running through labels. Placing from right to left, a run of
    close events steps down towards the axis as it goes right, so their stems stay clear;
    but a long run (a review every six months for years) would climb the page, so a label
    climbs only so far, and the labels' halo keeps a crossed label legible."""

    def free(row: int) -> bool:
        return all(right + GAP <= p.left or left >= p.right + GAP for p in placed if p.row == row)

    def cost(row: int) -> float:
        crossings = sum(
            (p.row < row and p.left - 2 <= x <= p.right + 2)
            or (p.row > row and left - 2 <= p.x <= right + 2)
            for p in placed
        )
        return row + CROSSING_COST * crossings

    lowest = next(row for row in range(len(placed) + 1) if free(row))
    return min((row for row in range(lowest, lowest + MOST_CLIMB + 1) if free(row)), key=cost)


def _across(events, as_of, scale, proceedings, width=960) -> Layout:
    """The axis across the page: what happened above it, what is due below."""
    low, high = 16, width - 16
    placed = []
    rows = {False: [], True: []}  # ahead or not: the rows above and below the axis
    for event in reversed(events):
        x = scale.at(event.on, low, high)
        lines = label_lines(event)
        size = label_width(lines)
        # A label reads rightwards from its stem, unless it would run off the page.
        anchor, left = ("start", x) if x + size <= width - 4 else ("end", x - size)
        side = rows[event.ahead]
        row = _row_for(side, x, left, left + size)
        side.append(_Placed(x, left, left + size, row))
        placed.append((event, x, lines, anchor, row))
    placed.reverse()

    above = max((p.row + 1 for p in rows[False]), default=0)
    axis_y = LABEL_HEIGHT + 8 + above * (LABEL_HEIGHT + 6) + 14
    layout = Layout(width=width, axis=(low, axis_y, high, axis_y))
    for event, x, lines, anchor, row in placed:
        if event.ahead:
            top = axis_y + 30 + row * (LABEL_HEIGHT + 6)
            stem = (x, axis_y + 7, x, top)
        else:
            top = axis_y - 14 - row * (LABEL_HEIGHT + 6) - LABEL_HEIGHT
            stem = (x, axis_y - 7, x, top + LABEL_HEIGHT)
        layout.marks.append(
            Mark(event, _r(x), axis_y, _r(x), top + LINE - 3, anchor, _round(stem), lines)
        )
    below = max((p.row + 1 for p in rows[True]), default=0)
    layout.height = axis_y + 30 + below * (LABEL_HEIGHT + 6) + 8

    x = scale.at(as_of, low, high)
    lines = ("Today", short(as_of))
    size = label_width(lines)
    anchor = "middle" if size / 2 <= x - 4 and x + size / 2 <= width - 4 else "start"
    if x + size / 2 > width - 4:
        anchor = "end"
    layout.today = Mark(None, _r(x), axis_y, _r(x), LINE - 3, anchor, (), lines)
    layout.today_line = _round((x, LABEL_HEIGHT + 2, x, layout.height - 4))
    layout.ticks = [
        Tick(_r(scale.at(on, low, high)), axis_y + 20, label) for on, label in scale.ticks(10)
    ]
    if proceedings:
        x1, x2 = (scale.at(on, low, high) for on in proceedings)
        layout.proceedings = _round((x1, axis_y - 5, x2 - x1, 10))
    return layout


def _down(events, as_of, scale, proceedings, width=340) -> Layout:
    """The axis down the page, earliest at the top; labels to its right, each below the last."""
    axis_x, text_x = 64, 84
    top = 12
    length = max(320, (LABEL_HEIGHT + 6) * (len(events) + 1))
    low, high = top + 8, top + 8 + length
    flow = [(event.on, False, event) for event in events] + [(as_of, True, None)]
    # Today goes after what happened that day and before what is due.
    flow.sort(key=lambda item: (item[0], item[2].ahead if item[2] else 0.5))
    layout = Layout(width=width)
    bottom = top
    for on, is_today, event in flow:
        y = scale.at(on, low, high)
        label_top = max(y - LINE + 2, bottom + 6)
        lines = ("Today", short(as_of)) if is_today else label_lines(event)
        leader = (axis_x + (14 if is_today else 8), y, text_x - 4, label_top + LINE / 2)
        baseline = _r(label_top + LINE - 3)
        mark = Mark(event, axis_x, _r(y), text_x, baseline, "start", _round(leader), lines)
        if is_today:
            layout.today = mark
            layout.today_line = _round((axis_x - 14, y, axis_x + 14, y))
        else:
            layout.marks.append(mark)
        bottom = label_top + LABEL_HEIGHT
    layout.height = max(high + 8, bottom) + 8
    layout.axis = (axis_x, top, axis_x, layout.height - 8)
    last_y = -LINE
    for on, label in scale.ticks(length // 36):
        y = scale.at(on, low, high)
        if y - last_y >= LINE:  # a tick label never runs into the one above
            layout.ticks.append(Tick(axis_x - 12, _r(y + 4), label))
            last_y = y
    if proceedings:
        y1, y2 = (scale.at(on, low, high) for on in proceedings)
        layout.proceedings = _round((axis_x - 5, y1, 10, y2 - y1))
    return layout


def _round(values) -> tuple[float, ...]:
    return tuple(_r(v) for v in values)
