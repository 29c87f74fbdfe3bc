"""The drift-and-delay board: how many children raise each flag, overall and by team, panel
and social worker; the cohorts and the plans.

Every figure is counted in the database from the children the user may see
(`selectors.visible_children`), among those being tracked, exactly as the tracker counts
them: so each count links to the tracker filtered to the same children. Two queries,
whatever the number of children: the headline figures, and one grouped by team, panel and
social worker at once for the three breakdowns.

Earlier dates (a month and a year before) are judged on the records as they stand today.
The derived dates are not kept in the child's history, so there is no record of what the
tracker said then; judging today's records as of the earlier date is the one figure that
the tracker can show again, child by child, from the same link.
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from .codes import Plan
from .filters import COHORTS
from .flags import FLAGS, TRACKED, Flag
from .models import Child

# What each cohort means, said on the page; the conditions are the tracker's own (COHORTS).
COHORT_DEFINITIONS = {
    "looked_after": "The date the child became looked after is recorded.",
    "pre_proceedings": "Pre-proceedings have started and care proceedings have not been issued.",
    "in_proceedings": "Care proceedings have been issued and there is no final order yet.",
    "placed_with_parents": "The child's placement type is P1, placed with their parents.",
    "adoption": (
        "The primary plan is adoption, or there is a placement order, or the child has been "
        "placed for adoption."
    ),
}
NO_PLAN = ""
TREND_MONTHS = 12


@dataclass(frozen=True)
class Figure:
    count: int
    url: str = ""  # the tracker showing these children; empty when it has no such filter


@dataclass(frozen=True)
class FlagLine:
    flag: Flag
    counts: list[Figure]  # as of the date, a month before, a year before


@dataclass(frozen=True)
class Row:
    label: str
    total: Figure
    flagged: int  # children with at least one flag
    counts: list[Figure]  # one per flag, in FLAGS' order

    @property
    def cells(self):
        return zip(FLAGS, self.counts, strict=True)


@dataclass(frozen=True)
class Line:
    label: str
    definition: str
    count: Figure


@dataclass(frozen=True)
class PlanLine:
    label: str
    primary: Figure
    contingency: int


@dataclass(frozen=True)
class Board:
    as_of: date
    dates: list[tuple[str, date]]  # what the comparison columns are, and their dates
    tracked: Figure
    flagged: int  # children with at least one flag as of the date
    flags: list[FlagLine]
    cohorts: list[Line]
    plans: list[PlanLine]
    trend: list[tuple[date, int]]
    by_team: list[Row]
    by_panel: list[Row]
    by_social_worker: list[Row]


def comparison_dates(as_of: date) -> list[tuple[str, date]]:
    return [
        ("As of", as_of),
        ("A month before", as_of - relativedelta(months=1)),
        ("A year before", as_of - relativedelta(years=1)),
    ]


def trend_dates(as_of: date) -> list[date]:
    """The same day of each of the 12 months up to the as-of date, oldest first."""
    return [as_of - relativedelta(months=n) for n in range(TREND_MONTHS - 1, -1, -1)]


def any_flag(as_of: date) -> Q:
    condition = Q()
    for flag in FLAGS:
        condition |= flag.q(as_of)
    return condition


class Links:
    """The tracker's address for a count: its own filter parameters, with the as-of date
    when the board was asked for one, so the tracker judges flags on the same day."""

    def __init__(self, as_of: date | None):
        self.base = reverse("tracker:list")
        self.as_of = as_of

    def __call__(self, *, as_of: date | None = None, **params) -> str:
        when = as_of or self.as_of
        if when:
            params["as_of"] = when.isoformat()
        return f"{self.base}?{urlencode(params)}" if params else self.base


def board(children: QuerySet[Child], *, as_of: date, asked_as_of: date | None) -> Board:
    """The board for these children (already scoped to the user) as of the date; links
    carry `asked_as_of`, the date the person asked for (None for today)."""
    link = Links(asked_as_of)
    dates = comparison_dates(as_of)
    trend_on = trend_dates(as_of)
    tracked = children.filter(TRACKED)
    # One query: every headline figure as a conditional count.
    figures = tracked.aggregate(
        tracked=Count("pk"),
        **{
            f"flag_{flag.code}_{n}": Count("pk", filter=flag.q(on))
            for flag in FLAGS
            for n, (_, on) in enumerate(dates)
        },
        **{f"cohort_{key}": Count("pk", filter=q) for key, (_, q) in COHORTS.items()},
        **{
            f"{kind}_{plan}": Count("pk", filter=Q(**{f"{kind}_plan": plan}))
            for kind in ("primary", "contingency")
            for plan in [*Plan.values, NO_PLAN]
        },
        # The last of the trend's dates is the as-of date: its figure is the headline's.
        **{f"trend_{n}": Count("pk", filter=any_flag(on)) for n, on in enumerate(trend_on)},
    )
    flags = [
        FlagLine(
            flag,
            [
                # A comparison links to the tracker as of its own date.
                Figure(
                    figures[f"flag_{flag.code}_{n}"],
                    link(flag=flag.code, as_of=on if n else None),
                )
                for n, (_, on) in enumerate(dates)
            ],
        )
        for flag in FLAGS
    ]
    cohorts = [
        Line(label, COHORT_DEFINITIONS[key], Figure(figures[f"cohort_{key}"], link(cohort=key)))
        for key, (label, _) in COHORTS.items()
    ]
    plans = [
        PlanLine(
            label,
            Figure(figures[f"primary_{plan}"], link(primary_plan=plan) if plan else ""),
            figures[f"contingency_{plan}"],
        )
        for plan, label in [*Plan.choices, (NO_PLAN, "No plan recorded")]
    ]
    return Board(
        as_of=as_of,
        dates=dates,
        tracked=Figure(figures["tracked"], link()),
        flagged=figures[f"trend_{TREND_MONTHS - 1}"],
        flags=flags,
        cohorts=cohorts,
        plans=plans,
        trend=[(on, figures[f"trend_{n}"]) for n, on in enumerate(trend_on)],
        **breakdowns(tracked, as_of, link),
    )


NOT_SET = {"team": "No team", "panel": "No panel", "social_worker": "No social worker"}
LABELS = {
    "team": ("team__name",),
    "panel": ("panel__name",),
    "social_worker": (
        "social_worker__first_name",
        "social_worker__last_name",
        "social_worker__email",
    ),
}


def breakdowns(tracked, as_of: date, link: Links) -> dict[str, list[Row]]:
    """The flag counts by team, by panel and by social worker, from one query grouped by
    all three: its groups are bounded by the council's people and panels, not its
    children, and are summed here into each breakdown."""
    groups = tracked.values(*NOT_SET, *(name for names in LABELS.values() for name in names))
    groups = groups.annotate(
        total=Count("pk"),
        flagged=Count("pk", filter=any_flag(as_of)),
        **{flag.code: Count("pk", filter=flag.q(as_of)) for flag in FLAGS},
    ).order_by()
    sums = {by: {} for by in NOT_SET}
    for group in groups:
        for by, figures in sums.items():
            pk = group[by]
            if pk not in figures:
                figures[pk] = {"label": _label(by, pk, group), "total": 0, "flagged": 0}
                figures[pk].update({flag.code: 0 for flag in FLAGS})
            for key in ("total", "flagged", *(flag.code for flag in FLAGS)):
                figures[pk][key] += group[key]
    return {f"by_{by}": _rows(by, figures, link) for by, figures in sums.items()}


def _label(by: str, pk, group: dict) -> str:
    if pk is None:
        return NOT_SET[by]
    if by == "social_worker":
        first, last, email = (group[name] for name in LABELS[by])
        return f"{first} {last}".strip() or email
    return group[LABELS[by][0]]


def _rows(by: str, figures: dict, link: Links) -> list[Row]:
    """In the order of their names; "No team" and the like last, without links (the
    tracker has no filter for "none")."""
    rows = []
    for pk, sums in sorted(figures.items(), key=lambda item: (item[0] is None, item[1]["label"])):

        def count(value, pk=pk, **params):
            return Figure(value, link(**{by: pk}, **params) if pk is not None else "")

        rows.append(
            Row(
                sums["label"],
                count(sums["total"]),
                sums["flagged"],
                [count(sums[flag.code], flag=flag.code) for flag in FLAGS],
            )
        )
    return rows
