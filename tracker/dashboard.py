"""The drift-and-delay board: how many children raise each flag, overall and by team, panel
and social worker; the cohorts and the plans.

Every figure is counted in the database from the children the user may see
(`selectors.visible_children`), among those being tracked, exactly as the tracker counts
them: so each count links to the tracker filtered to the same children. A breakdown is one
query, grouped, whatever the number of children.

Earlier dates (a month and a year before) are judged on the records as they stand today.
The derived dates are not kept in the child's history, so there is no record of what the
tracker said then; judging today's records as of the earlier date is the one figure that
the tracker can show again, child by child, from the same link.
"""

from dataclasses import dataclass, field
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
    trend: list[tuple[date, int]] = field(default_factory=list)
    by_team: list[Row] = field(default_factory=list)
    by_panel: list[Row] = field(default_factory=list)
    by_social_worker: list[Row] = field(default_factory=list)


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
        by_team=breakdown(tracked, as_of, link, "team", ("team__name",)),
        by_panel=breakdown(tracked, as_of, link, "panel", ("panel__name",)),
        by_social_worker=breakdown(
            tracked,
            as_of,
            link,
            "social_worker",
            ("social_worker__first_name", "social_worker__last_name", "social_worker__email"),
        ),
    )


NOT_SET = {"team": "No team", "panel": "No panel", "social_worker": "No social worker"}


def breakdown(tracked, as_of: date, link: Links, by: str, names: tuple[str, ...]) -> list[Row]:
    """The flag counts grouped by a team, panel or social worker: one query. Children with
    none come last, without links (the tracker has no filter for "none")."""
    groups = (
        tracked.values(by, *names)
        .annotate(
            total=Count("pk"),
            flagged=Count("pk", filter=any_flag(as_of)),
            **{flag.code: Count("pk", filter=flag.q(as_of)) for flag in FLAGS},
        )
        .order_by(*names, by)
    )
    rows = []
    for group in groups:
        pk = group[by]
        if pk is None:
            label = NOT_SET[by]
        elif by == "social_worker":
            first, last, email = (group[name] for name in names)
            label = f"{first} {last}".strip() or email
        else:
            label = group[names[0]]

        def count(value, pk=pk, **params):
            return Figure(value, link(**{by: pk}, **params) if pk is not None else "")

        rows.append(
            Row(
                label,
                count(group["total"]),
                group["flagged"],
                [count(group[flag.code], flag=flag.code) for flag in FLAGS],
            )
        )
    # Databases differ on where NULL sorts: "No team" goes last on each.
    return sorted(rows, key=lambda row: row.label in NOT_SET.values())
