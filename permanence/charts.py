"""Charts drawn on the server as SVG, each with its figures as a table, a text alternative and
a CSV download: pictures where people would rather look, exact numbers where they must be exact.

Hand-written SVG rather than a charting library: the two shapes the dashboards need (monthly
lines, bars by team) are about a hundred lines, need no JavaScript, take their colours from the
service's stylesheet and pass the strict content security policy, where pygal embeds styles and
scripts and matplotlib adds a large dependency for the same pictures.

A view shows charts with `ChartsMixin` and `{% chart chart %}` (templatetags/charts.py).
"""

from dataclasses import dataclass
from functools import cached_property
from math import ceil, floor, log10

from django.http import Http404
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .spreadsheets import table_response

WIDTH = 640
MARKERS = ("circle", "square", "triangle", "diamond")
# Series differ by dash and marker as well as colour, so no one needs to tell colours apart.
DASHES = ("", "6 3", "2 3", "8 3 2 3")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | int | None, ...]


@dataclass(frozen=True)
class Chart:
    """`slug` names the chart on its page (its CSV is `?csv=<slug>`); `categories` are the
    months of a line chart or the bars of a bar chart, in order."""

    slug: str
    title: str
    kind: str  # "line" (months across) or "bar" (one horizontal bar per category)
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    category_label: str = "Month"
    unit: str = ""  # after a figure: "children", "days"
    unit_one: str = ""  # after a figure of 1: "child", "day"

    def __post_init__(self):
        if self.kind not in ("line", "bar"):
            raise ValueError(f"A chart is a line or a bar chart, not {self.kind!r}")
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(f"{series.name} has a value for each of the categories")

    @property
    def title_in_sentence(self) -> str:
        """The title inside a sentence: a first word lowered ("Children" but not "A10")."""
        if self.title[1:2].islower():
            return self.title[:1].lower() + self.title[1:]
        return self.title

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.category_label, *(series.name for series in self.series))

    @property
    def rows(self) -> list[list]:
        return [
            [category, *(series.values[i] for series in self.series)]
            for i, category in enumerate(self.categories)
        ]

    def csv_response(self):
        return table_response(
            columns=self.columns, rows=self.rows, filename=self.slug, file_format="csv"
        )

    @cached_property
    def text_alternative(self) -> str:
        if not self.categories:
            return f"{self.title}: no figures yet."
        units = (self.unit, self.unit_one)
        if self.kind == "line":
            span = f"{self.categories[0]} to {self.categories[-1]}"
            parts = [_describe_trend(series, self.categories, units) for series in self.series]
            return f"Line chart of {self.title_in_sentence}, {span}. " + " ".join(parts)
        parts = [_describe_bars(series, self.categories, units) for series in self.series]
        if len(self.series) == 1:
            parts = [parts[0].split(": ", 1)[1]]
        return f"Bar chart of {self.title_in_sentence}. " + " ".join(parts)

    @cached_property
    def svg(self) -> SafeString:
        body = _line(self) if self.kind == "line" else _bars(self)
        height = _line_height(self) if self.kind == "line" else _bar_height(self)
        if len(self.series) > 1:
            body = _joined([body, _legend(self, top=height)])
            height += LEGEND
        return format_html(
            '<svg class="app-chart__svg" viewBox="0 0 {} {}" role="img" '
            'aria-labelledby="chart-{}-title chart-{}-desc" focusable="false">'
            '<title id="chart-{}-title">{}</title><desc id="chart-{}-desc">{}</desc>{}</svg>',
            WIDTH,
            height,
            self.slug,
            self.slug,
            self.slug,
            self.title,
            self.slug,
            self.text_alternative,
            body,
        )


class ChartsMixin:
    """A page of charts: `get_charts()` builds them once per request, and `?csv=<slug>`
    downloads one chart's figures instead of the page."""

    def get_charts(self) -> list[Chart]:
        raise NotImplementedError

    @cached_property
    def charts(self) -> dict[str, Chart]:
        return {chart.slug: chart for chart in self.get_charts()}

    def get(self, request, *args, **kwargs):
        slug = request.GET.get("csv")
        if slug is not None:
            if slug not in self.charts:
                raise Http404("No such chart on this page")
            return self.charts[slug].csv_response()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, charts=self.charts)


def number(value, units: tuple[str, str] = ("", "")) -> str:
    """A figure as words say it, with its unit: "1 child", "3 children", "12.5 days"."""
    if value is None:
        return "no figure"
    text = f"{value:,.1f}".removesuffix(".0") if isinstance(value, float) else f"{value:,}"
    many, one = units
    return f"{text} {one if value == 1 and one else many}".rstrip()


def _describe_trend(series: Series, categories, units) -> str:
    known = [(c, v) for c, v in zip(categories, series.values, strict=True) if v is not None]
    if not known:
        return f"{series.name}: no figures."
    (first_month, first), (last_month, last) = known[0], known[-1]
    if len(known) > 1 and all(v == first for _, v in known):
        return f"{series.name}: {number(first, units)} in each month from {first_month}."
    high_month, high = max(known, key=lambda pair: pair[1])
    return (
        f"{series.name}: {number(first, units)} in {first_month}, {number(last, units)} in "
        f"{last_month}; highest {number(high, units)} in {high_month}."
    )


def _describe_bars(series: Series, categories, units) -> str:
    known = [(c, v) for c, v in zip(categories, series.values, strict=True) if v is not None]
    if not known:
        return f"{series.name}: no figures."
    if len(known) == 1:
        return f"{series.name}: {known[0][0]} ({number(known[0][1], units)})."
    if all(v == 0 for _, v in known):
        return f"{series.name}: all {number(0, units)}."
    high, low = max(known, key=lambda p: p[1]), min(known, key=lambda p: p[1])
    total = sum(v for _, v in known)
    return (
        f"{series.name}: highest {high[0]} ({number(high[1], units)}), lowest {low[0]} "
        f"({number(low[1], units)}); {number(total, units)} in all."
    )


def _scale(values) -> tuple[float, float]:
    """The top of the scale and the step between its lines: the step is 1, 2 or 5 times a
    power of ten, at most five steps to the top, and whole when every figure is whole (no
    line at 0.25 of a child)."""
    known = [v for v in values if v is not None]
    largest = max(known, default=0)
    whole = all(float(v).is_integer() for v in known)
    if largest <= 0:
        return (4, 1) if whole else (1, 0.25)
    power = 10 ** floor(log10(largest / 5)) if largest >= 5 or not whole else 1
    for factor in (1, 2, 5, 10):
        step = factor * power
        if largest <= 5 * step:
            break
    if whole:
        step = max(step, 1)
    return ceil(largest / step - 1e-9) * step, step


# Line chart: months across, values up. ------------------------------------------------------
LEFT, RIGHT, TOP, PLOT_HEIGHT, BOTTOM = 64, 16, 16, 220, 72


def _line_height(chart: Chart) -> int:
    # Below the plot, room for the longest slanted label.
    longest = max((len(category) for category in chart.categories), default=0)
    return TOP + PLOT_HEIGHT + max(BOTTOM, round(4.6 * longest) + 32)


def _line(chart: Chart) -> SafeString:
    top, tick = _scale(v for s in chart.series for v in s.values)
    # Room on the left for the first month's slanted label ("November 2025" as well as "Nov").
    left = max(LEFT, round(6.5 * len(chart.categories[0])) + 16) if chart.categories else LEFT
    plot_width = WIDTH - left - RIGHT
    count = len(chart.categories)
    step = plot_width / max(count - 1, 1)

    def x(i):
        return round(left + i * step, 1)

    def y(value):
        return round(TOP + PLOT_HEIGHT - value / top * PLOT_HEIGHT, 1)

    parts = [_grid(top, tick, y, left, WIDTH - RIGHT)]
    for i, category in enumerate(chart.categories):
        parts.append(
            format_html(
                '<text class="app-chart__label" x="{}" y="{}" text-anchor="end" '
                'transform="rotate(-40 {} {})">{}</text>',
                x(i),
                TOP + PLOT_HEIGHT + 18,
                x(i),
                TOP + PLOT_HEIGHT + 18,
                category,
            )
        )
    for n, series in enumerate(chart.series):
        points = [(x(i), y(v), v) for i, v in enumerate(series.values) if v is not None]
        # A month with no figure breaks the line rather than drawing it to zero.
        runs, run = [], []
        for i, value in enumerate(series.values):
            if value is None:
                runs, run = runs + [run] if run else runs, []
            else:
                run.append(f"{x(i)},{y(value)}")
        runs += [run] if run else []
        for run in runs:
            parts.append(
                format_html(
                    '<polyline class="app-chart__line app-chart__series--{}" points="{}"{}/>',
                    n % len(MARKERS),
                    " ".join(run),
                    _dash(n),
                )
            )
        parts.extend(
            _marker(n, px, py, f"{series.name}: {number(v, (chart.unit, chart.unit_one))}")
            for px, py, v in points
        )
    return _joined(parts)


def _grid(top, tick, y, left, right) -> SafeString:
    lines = []
    for k in range(round(top / tick) + 1):
        value = round(tick * k, 6)
        lines.append(
            format_html(
                '<line class="app-chart__grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="app-chart__label" x="{}" y="{}" text-anchor="end">{}</text>',
                left,
                right,
                y(value),
                y(value),
                left - 6,
                round(y(value) + 4, 1),
                number(round(value, 1) if value % 1 else int(value)),
            )
        )
    return _joined(lines)


def _dash(n: int) -> SafeString:
    dash = DASHES[n % len(DASHES)]
    return format_html(' stroke-dasharray="{}"', dash) if dash else SafeString()


def _marker(n: int, x: float, y: float, label: str) -> SafeString:
    shape = MARKERS[n % len(MARKERS)]
    css = f"app-chart__marker app-chart__series--{n % len(MARKERS)}"
    if shape == "circle":
        return format_html(
            '<circle class="{}" cx="{}" cy="{}" r="4"><title>{}</title></circle>', css, x, y, label
        )
    corners = {
        "square": ((-4, -4), (4, -4), (4, 4), (-4, 4)),
        "triangle": ((0, -5), (5, 4), (-5, 4)),
        "diamond": ((0, -5), (5, 0), (0, 5), (-5, 0)),
    }[shape]
    points = " ".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in corners)
    return format_html(
        '<polygon class="{}" points="{}"><title>{}</title></polygon>', css, points, label
    )


LEGEND = 32


def _legend(chart: Chart, top: int) -> SafeString:
    """Each series' name beside a sample of its line or bar, under the picture."""
    items, x, y = [], LEFT, top + LEGEND / 2
    for n, series in enumerate(chart.series):
        css = f"app-chart__series--{n % len(MARKERS)}"
        if chart.kind == "line":
            items.append(
                format_html(
                    '<line class="app-chart__line {}" x1="{}" x2="{}" y1="{}" y2="{}"{}/>',
                    css,
                    x,
                    x + 28,
                    y,
                    y,
                    _dash(n),
                )
            )
            items.append(_marker(n, x + 14, y, series.name))
        else:
            items.append(
                format_html(
                    '<rect class="app-chart__bar {}" x="{}" y="{}" width="28" height="12"/>',
                    css,
                    x,
                    y - 6,
                )
            )
        items.append(
            format_html(
                '<text class="app-chart__label" x="{}" y="{}">{}</text>', x + 34, y + 4, series.name
            )
        )
        x += 34 + 7 * len(series.name) + 24
    return _joined(items)


def _joined(parts) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


# Bar chart: one row per category, a bar per series. ------------------------------------------
LABEL_WIDTH, BAR, GAP, AXIS = 180, 16, 12, 28


def _bar_height(chart: Chart) -> int:
    return TOP + len(chart.categories) * (len(chart.series) * BAR + GAP) + AXIS


def _bars(chart: Chart) -> SafeString:
    top, _ = _scale(v for s in chart.series for v in s.values)
    plot_left, plot_right = LABEL_WIDTH, WIDTH - RIGHT - 48  # room for the value after a bar
    band = len(chart.series) * BAR + GAP

    def x(value):
        return round(plot_left + value / top * (plot_right - plot_left), 1)

    parts = []
    for i, category in enumerate(chart.categories):
        band_top = TOP + i * band
        short = category if len(category) <= 22 else category[:21] + "…"
        parts.append(
            format_html(
                '<text class="app-chart__label" x="{}" y="{}" text-anchor="end">{}'
                "<title>{}</title></text>",
                plot_left - 8,
                band_top + len(chart.series) * BAR / 2 + 4,
                short,
                category,
            )
        )
        for n, series in enumerate(chart.series):
            value = series.values[i]
            bar_top = band_top + n * BAR
            width = round(x(value or 0) - plot_left, 1)
            parts.append(
                format_html(
                    '<rect class="app-chart__bar app-chart__series--{}" x="{}" y="{}" '
                    'width="{}" height="{}"><title>{}, {}: {}</title></rect>'
                    '<text class="app-chart__value" x="{}" y="{}">{}</text>',
                    n % len(MARKERS),
                    plot_left,
                    bar_top + 1,
                    width,
                    BAR - 2,
                    category,
                    series.name,
                    number(value, (chart.unit, chart.unit_one)),
                    round(plot_left + width + 4, 1),
                    bar_top + BAR - 4,
                    number(value),
                )
            )
    axis_y = TOP + len(chart.categories) * band
    parts.append(
        format_html(
            '<line class="app-chart__axis" x1="{}" x2="{}" y1="{}" y2="{}"/>',
            plot_left,
            plot_left,
            TOP,
            axis_y,
        )
    )
    return _joined(parts)
