"""Timeliness: how long children wait, measured from the dates stored on each child, over the
12 months and the 3 years that end on an as-of date, beside the national figures (settings).

Each measure is an average or a share over a stated set of children, and always carries how
many children it is over: "no children" is not "0 days". Every figure for every period comes
from one aggregate query over the children the user may see, and the monthly trend from one
more, whatever the number of children.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncMonth

from .codes import Plan
from .flags import TRACKED
from .models import Child

# Adopted, as the tracker can tell it: permanence secured with adoption as the child's plan
# (an imported SSDA903 return secures permanence on the adoption order, E11 and E12).
ADOPTED = Q(primary_plan=Plan.ADOPTION, permanence_secured_date__isnull=False)


@dataclass(frozen=True)
class Period:
    """The days from `start` to `end` (the as-of date), both counted."""

    key: str
    label: str
    start: date
    end: date

    def holds(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lte": self.end})


def periods(as_of: date) -> tuple[Period, Period]:
    """The rolling 12 months and 3 years ending on the as-of date."""
    return (
        Period("year", "12 months", as_of - relativedelta(months=12) + timedelta(days=1), as_of),
        Period("three_years", "3 years", as_of - relativedelta(years=3) + timedelta(days=1), as_of),
    )


@dataclass(frozen=True)
class Figure:
    """One measure over one period: `value` is None when there is no child to measure."""

    children: int
    value: float | None = None
    # For a share, how many of the children met it.
    met: int | None = None


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    definition: str
    unit: str  # "days", "weeks" or "%"
    national: float
    national_source: str
    lower_is_better: bool
    figures: dict  # Period.key -> Figure, in the periods' order

    def meets(self, figure: Figure) -> bool | None:
        if figure.value is None:
            return None
        if self.lower_is_better:
            return figure.value <= self.national
        return figure.value >= self.national


def _days(later: str, earlier: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


def _with_measure_dates(children: QuerySet[Child]) -> QuerySet[Child]:
    return children.annotate(
        # A foster-carer adoption counts from the day the child moved in with those carers.
        moved_in=Coalesce("fostered_by_adopters_since", "placed_for_adoption_date"),
        # "By the second review": the day it was held, or the day it fell due.
        second_review_by=Coalesce("second_review_date", "second_review_due"),
    )


A10_KNOWN = Q(looked_after_since__isnull=False, moved_in__isnull=False)
A2_KNOWN = Q(placement_order_date__isnull=False, match_date__isnull=False)
PROCEEDINGS_FINISHED = Q(proceedings_issued__isnull=False)
PLAN_DUE = Q(looked_after_since__isnull=False)
PLAN_MET = ~Q(primary_plan="") & Q(plan_agreed_date__lte=F("second_review_by"))


def _aggregates(period: Period) -> dict:
    adopted = ADOPTED & period.holds("permanence_secured_date")
    finished = PROCEEDINGS_FINISHED & period.holds("final_order_date")
    plan_due = PLAN_DUE & period.holds("second_review_by")
    k = period.key
    return {
        f"{k}_a10_n": Count("pk", filter=adopted & A10_KNOWN),
        f"{k}_a10": Avg(_days("moved_in", "looked_after_since"), filter=adopted & A10_KNOWN),
        f"{k}_a10_unknown": Count("pk", filter=adopted & ~A10_KNOWN),
        f"{k}_foster_carers": Count(
            "pk", filter=adopted & A10_KNOWN & Q(fostered_by_adopters_since__isnull=False)
        ),
        f"{k}_a2_n": Count("pk", filter=adopted & A2_KNOWN),
        f"{k}_a2": Avg(_days("match_date", "placement_order_date"), filter=adopted & A2_KNOWN),
        f"{k}_plan_n": Count("pk", filter=plan_due),
        f"{k}_plan_met": Count("pk", filter=plan_due & PLAN_MET),
        f"{k}_proceedings_n": Count("pk", filter=finished),
        f"{k}_proceedings_met": Count(
            "pk", filter=finished & Q(final_order_date__lte=F("proceedings_deadline"))
        ),
        f"{k}_proceedings": Avg(_days("final_order_date", "proceedings_issued"), filter=finished),
    }


def _in_days(duration: timedelta | None) -> float | None:
    return None if duration is None else duration.total_seconds() / 86400


def _share(met: int, children: int) -> Figure:
    return Figure(children, 100 * met / children if children else None, met)


@dataclass(frozen=True)
class Timeliness:
    as_of: date
    periods: tuple[Period, Period]
    measures: list[Measure]
    # For each period: how many adopted children A10 leaves out for want of a date, and how
    # many of those it counts were adopted by their foster carers.
    a10_notes: list
    # On the as-of date itself: tracked children, and those discussed within their interval.
    discussed: Measure
    # The 12 months' A10 and A2, month by month: (first day of the month, Figure, Figure).
    by_month: list


def timeliness(children: QuerySet[Child], as_of: date) -> Timeliness:
    """The measures over `children` (already scoped to the user): two queries."""
    both = periods(as_of)
    children = _with_measure_dates(children)
    row = children.aggregate(
        **{name: agg for period in both for name, agg in _aggregates(period).items()},
        tracked=Count("pk", filter=_tracked_on(as_of)),
        discussed=Count("pk", filter=_tracked_on(as_of) & Q(next_panel_due__gte=as_of)),
    )

    def figures(code: str, *, to=_in_days) -> dict:
        return {p.key: Figure(row[f"{p.key}_{code}_n"], to(row[f"{p.key}_{code}"])) for p in both}

    def shares(code: str) -> dict:
        return {p.key: _share(row[f"{p.key}_{code}_met"], row[f"{p.key}_{code}_n"]) for p in both}

    measures = [
        Measure(
            "a10",
            "A10: entering care to moving in with the adoptive family",
            "The average number of days between a child entering care (looked after since) and "
            "moving in with the family who adopted them (placed for adoption), for the children "
            "adopted in the period: permanence secured with adoption as their plan. When the "
            "child’s foster carers adopted them, the day the child moved in with those foster "
            "carers counts as the day they moved in.",
            "days",
            settings.MEASURE_A10_THRESHOLD_DAYS,
            "DfE adoption scorecard threshold",
            True,
            figures("a10"),
        ),
        Measure(
            "a2",
            "A2: placement order to the match with adopters",
            "The average number of days between the court’s authority to place the child "
            "(placement order) and the decision on the match with their adoptive family "
            "(adoption match), for the children adopted in the period.",
            "days",
            settings.MEASURE_A2_THRESHOLD_DAYS,
            "DfE adoption scorecard threshold",
            True,
            figures("a2"),
        ),
        Measure(
            "plan_by_second_review",
            "Permanence plan by the second review",
            "Of the looked-after children whose second review was held, or fell due, in the "
            "period, the share with a permanence plan agreed on or before that review (a plan "
            "for permanence and the date it was agreed).",
            "%",
            settings.MEASURE_PLAN_BY_SECOND_REVIEW_TARGET_PERCENT,
            "Statutory guidance: a plan by the second review",
            False,
            shares("plan"),
        ),
        Measure(
            "proceedings_within_26_weeks",
            "Care proceedings finished within 26 weeks",
            "Of the children whose care proceedings finished (final order) in the period, the "
            "share whose final order came within the 26 weeks beginning with the day the "
            "proceedings were issued.",
            "%",
            settings.MEASURE_PROCEEDINGS_WITHIN_TARGET_PERCENT,
            "Children Act 1989 s32(1)(a): every case",
            False,
            shares("proceedings"),
        ),
        Measure(
            "proceedings_weeks",
            "Average weeks of care proceedings",
            "The average number of weeks from the day care proceedings were issued to the final "
            "order, for the children whose proceedings finished in the period.",
            "weeks",
            settings.MEASURE_PROCEEDINGS_WEEKS,
            "Children Act 1989 s32(1)(a): 26 weeks",
            True,
            figures("proceedings", to=lambda d: None if d is None else _in_days(d) / 7),
        ),
    ]
    discussed = Measure(
        "discussed_at_panel",
        "Discussed at panel within the panel’s interval",
        "Of the children tracked on the day (tracking begun, permanence not yet secured), the "
        "share whose next panel discussion is not yet overdue: discussed at panel within their "
        "panel’s interval, or the chair’s own frequency for them, as the records stand today.",
        "%",
        settings.MEASURE_DISCUSSED_AT_PANEL_TARGET_PERCENT,
        "The panels’ terms of reference: every child",
        False,
        {"on_the_day": _share(row["discussed"], row["tracked"])},
    )
    return Timeliness(
        as_of=as_of,
        periods=both,
        measures=measures,
        a10_notes=[(p, row[f"{p.key}_a10_unknown"], row[f"{p.key}_foster_carers"]) for p in both],
        discussed=discussed,
        by_month=adoptions_by_month(children, both[0]),
    )


def _tracked_on(as_of: date) -> Q:
    return Q(tracking_start__lte=as_of) & (TRACKED | Q(permanence_secured_date__gt=as_of))


def months_of(period: Period) -> list[date]:
    """The first day of each calendar month the period touches, oldest first."""
    month, last = period.start.replace(day=1), period.end.replace(day=1)
    months = []
    while month <= last:
        months.append(month)
        month += relativedelta(months=1)
    return months


def adoptions_by_month(children: QuerySet[Child], period: Period) -> list:
    """A10 and A2 for the children adopted in each month of the period: one query."""
    rows = (
        children.filter(ADOPTED & period.holds("permanence_secured_date"))
        .annotate(month=TruncMonth("permanence_secured_date"))
        .order_by()
        .values("month")
        .annotate(
            a10_n=Count("pk", filter=A10_KNOWN),
            a10=Avg(_days("moved_in", "looked_after_since"), filter=A10_KNOWN),
            a2_n=Count("pk", filter=A2_KNOWN),
            a2=Avg(_days("match_date", "placement_order_date"), filter=A2_KNOWN),
        )
    )
    found = {row["month"]: row for row in rows}
    months = []
    for month in months_of(period):
        row = found.get(month, {"a10_n": 0, "a10": None, "a2_n": 0, "a2": None})
        months.append(
            (
                month,
                Figure(row["a10_n"], _in_days(row["a10"])),
                Figure(row["a2_n"], _in_days(row["a2"])),
            )
        )
    return months
