"""The statutory and local timescales for a child: one small function per rule.

Each takes the child's recorded dates and returns a date, or None when its inputs are
empty. They are computed in Python, where working days and calendar months are exact,
and stored on the child so that the drift-and-delay flags are plain comparisons.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from permanence.workdays import Calendar

from . import retention

FIRST_REVIEW_WORKING_DAYS = 20  # CPPCR (England) Regs 2010, reg 33(a)
SECOND_REVIEW_MONTHS = 3  # reg 33(b)
LATER_REVIEW_MONTHS = 6  # reg 33(c)
PROCEEDINGS_DAYS = 26 * 7  # Children Act 1989 s32(1)(a): 26 weeks beginning with the day of issue
TEMPORARY_APPROVAL_WEEKS = 16  # CPPCR reg 24
TEMPORARY_APPROVAL_EXTENDED_WEEKS = 16 + 8  # reg 25: extended once by up to 8 weeks
# North Somerset 3.2: the administrator is told of a new child within 3 working days, and
# presents them "at the next available panel" after that (section 6).
INTAKE_WORKING_DAYS = 3


@dataclass(frozen=True)
class PanelLimits:
    """A panel's local timescales; a child with no panel gets these defaults."""

    panel_interval_months: int = 3
    placement_order_match_limit_months: int = 6
    adoption_application_limit_months: int = 6
    placed_with_parents_review_months: int = 3
    panel_target_interval_months: int | None = None
    life_story_working_days: int = 10

    @classmethod
    def of(cls, panel) -> "PanelLimits":
        if panel is None:
            return cls()
        return cls(
            panel_interval_months=panel.panel_interval_months,
            placement_order_match_limit_months=panel.placement_order_match_limit_months,
            adoption_application_limit_months=panel.adoption_application_limit_months,
            placed_with_parents_review_months=panel.placed_with_parents_review_months,
            panel_target_interval_months=panel.panel_target_interval_months,
            life_story_working_days=panel.life_story_working_days,
        )


def months_after(d: date | None, months: int) -> date | None:
    """Calendar months, clamped at month end: 31 August + 6 months = 28 (or 29) February."""
    return d + relativedelta(months=months) if d else None


def tracking_start(child) -> date | None:
    starts = [child.looked_after_since, child.pre_proceedings_start, child.proceedings_issued]
    return min((d for d in starts if d), default=None)


def looked_after(child) -> bool:
    """Looked after since a date, and care has not ceased (SSDA903: returned home...)."""
    return bool(child.looked_after_since) and not child.care_ceased_date


def first_review_due(child, calendar: Calendar) -> date | None:
    if not looked_after(child):
        return None
    return calendar.add_working_days(child.looked_after_since, FIRST_REVIEW_WORKING_DAYS)


def second_review_due(child, calendar: Calendar) -> date | None:
    return months_after(
        child.first_review_date or first_review_due(child, calendar), SECOND_REVIEW_MONTHS
    )


def next_review_due(child, calendar: Calendar) -> date | None:
    """The first looked-after review not yet held; none once care has ceased."""
    if not looked_after(child):
        return None
    if not child.first_review_date:
        return first_review_due(child, calendar)
    if not child.second_review_date:
        return months_after(child.first_review_date, SECOND_REVIEW_MONTHS)
    latest = max(child.second_review_date, child.last_review_date or child.second_review_date)
    return months_after(latest, LATER_REVIEW_MONTHS)


def proceedings_deadline(child) -> date | None:
    """The last day of the 26 weeks: the day of issue counts as day one."""
    if not child.proceedings_issued:
        return None
    return child.proceedings_issued + timedelta(days=PROCEEDINGS_DAYS - 1)


def chair_review_due(child) -> date | None:
    """When the chair said the child comes back: by a date, or every N weeks or months
    from their last discussion at panel. None when the chair set no frequency."""
    if child.panel_review_by:
        return child.panel_review_by
    since = child.last_panel_date or tracking_start(child)
    if not (child.panel_review_every and since):
        return None
    return every_after(since, child.panel_review_every, child.panel_review_unit)


def every_after(since: date, every: int, unit: str) -> date:
    """N weeks (7N days) or N calendar months after a day, as a chair's frequency counts."""
    if unit == "weeks":
        return since + timedelta(weeks=every)
    return months_after(since, every)


def next_panel_due(child, limits: PanelLimits) -> date | None:
    """The chair's frequency when they set one; otherwise the panel's interval."""
    return chair_review_due(child) or months_after(
        child.last_panel_date or tracking_start(child), limits.panel_interval_months
    )


def panel_target_due(child, limits: PanelLimits) -> date | None:
    """The panel's aim, sooner than its minimum; the chair's own frequency replaces both."""
    if not limits.panel_target_interval_months or chair_review_due(child):
        return None
    return months_after(
        child.last_panel_date or tracking_start(child), limits.panel_target_interval_months
    )


def placement_order_match_due(child, limits: PanelLimits) -> date | None:
    return months_after(child.placement_order_date, limits.placement_order_match_limit_months)


def adoption_application_due(child, limits: PanelLimits) -> date | None:
    return months_after(child.placed_for_adoption_date, limits.adoption_application_limit_months)


def placed_with_parents_review_due(child, limits: PanelLimits) -> date | None:
    since = child.last_panel_date or child.placement_start or tracking_start(child)
    return months_after(since, limits.placed_with_parents_review_months)


def temporary_approval_expires(child) -> date | None:
    if not child.temporary_approval_date:
        return None
    weeks = (
        TEMPORARY_APPROVAL_EXTENDED_WEEKS
        if child.temporary_approval_extended
        else TEMPORARY_APPROVAL_WEEKS
    )
    return child.temporary_approval_date + timedelta(weeks=weeks)


def first_panel_after(child, calendar: Calendar) -> date | None:
    """The day after which any meeting of the child's panel is the "next available panel"
    they should have been presented at: 3 working days from tracking_start, the time the
    administrator has to be told of them."""
    start = tracking_start(child)
    return calendar.add_working_days(start, INTAKE_WORKING_DAYS) if start else None


def last_panel_date(recorded: date | None, last_decided: date | None) -> date | None:
    """The later of the recorded (or imported) date and the latest meeting that decided."""
    return max((d for d in (recorded, last_decided) if d), default=None)


def after_permanence_due(
    recorded: date | None, child, calendar: Calendar, limits: PanelLimits
) -> date | None:
    """When the life-story book (or the later-life letter) is due: the date recorded for it,
    or the panel's working days after the adoption order (North Somerset 5; 10 by default).
    None for a child not adopted with no date recorded: nothing is expected of them."""
    if recorded:
        return recorded
    order = retention.adoption_order_date(child)
    return calendar.add_working_days(order, limits.life_story_working_days) if order else None


def derived_dates(child, calendar: Calendar, limits: PanelLimits) -> dict[str, date | None]:
    """Every stored derived date for the child, by field name."""
    return {
        "tracking_start": tracking_start(child),
        "next_review_due": next_review_due(child, calendar),
        "second_review_due": (second_review_due(child, calendar) if looked_after(child) else None),
        "proceedings_deadline": proceedings_deadline(child),
        "next_panel_due": next_panel_due(child, limits),
        "placement_order_match_due": placement_order_match_due(child, limits),
        "adoption_application_due": adoption_application_due(child, limits),
        "placed_with_parents_review_due": placed_with_parents_review_due(child, limits),
        "temporary_approval_expires": temporary_approval_expires(child),
        "panel_target_due": panel_target_due(child, limits),
        "first_panel_after": first_panel_after(child, calendar),
        "disposal_date": retention.disposal_date(child),
        "life_story_book_due": after_permanence_due(
            child.life_story_book_due_date, child, calendar, limits
        ),
        "later_life_letter_due": after_permanence_due(
            child.later_life_letter_due_date, child, calendar, limits
        ),
    }


def referral_due(sent_on: date, calendar: Calendar) -> date:
    """The administrator checks a referred child is on the tracker within 3 working days of
    being told (North Somerset 3.2-3.3), counted from the day the referral was sent."""
    return calendar.add_working_days(sent_on, INTAKE_WORKING_DAYS)


def referral_working_days_late(happened_on: date, sent_on: date, calendar: Calendar) -> int:
    """How many working days past the 3 allowed the referral was sent; 0 when on time."""
    return max(calendar.working_days_between(happened_on, sent_on) - INTAKE_WORKING_DAYS, 0)
