"""Every derived date, pinned by worked examples at its edges."""

from datetime import date
from types import SimpleNamespace

import pytest

from permanence.workdays import Calendar
from tracker import rules
from tracker.models import DERIVED_DATE_FIELDS
from tracker.rules import PanelLimits

calendar = Calendar()
DEFAULTS = PanelLimits()

EMPTY = dict.fromkeys(
    [
        "looked_after_since",
        "care_ceased_date",
        "pre_proceedings_start",
        "proceedings_issued",
        "first_review_date",
        "second_review_date",
        "last_review_date",
        "last_panel_date",
        "placement_start",
        "placement_order_date",
        "placed_for_adoption_date",
        "temporary_approval_date",
        "date_of_birth",
        "final_order_date",
        "life_story_book_due_date",
        "later_life_letter_due_date",
    ]
)


NO_CHAIR_FREQUENCY = {"panel_review_every": None, "panel_review_unit": "", "panel_review_by": None}


def child(**dates):
    return SimpleNamespace(
        **{
            **EMPTY,
            **NO_CHAIR_FREQUENCY,
            "temporary_approval_extended": False,
            "legal_status": "",
            **dates,
        }
    )


def test_every_derived_date_is_empty_when_its_inputs_are():
    assert all(v is None for v in rules.derived_dates(child(), calendar, DEFAULTS).values())


def test_tracking_start_is_the_earliest_start():
    c = child(
        looked_after_since=date(2026, 5, 1),
        pre_proceedings_start=date(2026, 3, 2),
        proceedings_issued=date(2026, 4, 1),
    )
    assert rules.tracking_start(c) == date(2026, 3, 2)


def test_first_review_within_20_working_days_across_christmas():
    c = child(looked_after_since=date(2026, 12, 14))
    assert rules.next_review_due(c, calendar) == date(2027, 1, 14)


def test_first_review_clock_counts_a_closure_day():
    c = child(looked_after_since=date(2026, 12, 14))
    closed = Calendar(closure_days=[date(2026, 12, 29)])
    assert rules.next_review_due(c, closed) == date(2027, 1, 15)


def test_second_review_three_months_after_the_first_clamped_at_month_end():
    c = child(looked_after_since=date(2026, 10, 12), first_review_date=date(2026, 11, 30))
    assert rules.next_review_due(c, calendar) == date(2027, 2, 28)
    assert rules.second_review_due(c, calendar) == date(2027, 2, 28)


def test_second_review_due_before_the_first_is_held_counts_from_the_first_due_date():
    c = child(looked_after_since=date(2026, 12, 14))
    assert rules.second_review_due(c, calendar) == date(2027, 4, 14)


def test_later_reviews_six_months_after_the_latest_leap_year_clamp():
    c = child(
        looked_after_since=date(2027, 1, 4),
        first_review_date=date(2027, 2, 1),
        second_review_date=date(2027, 5, 1),
        last_review_date=date(2027, 8, 31),
    )
    # 31 August 2027 + 6 months = 29 February 2028 (a leap year).
    assert rules.next_review_due(c, calendar) == date(2028, 2, 29)


def test_a_last_review_recorded_before_the_second_does_not_pull_the_date_back():
    c = child(
        looked_after_since=date(2026, 1, 5),
        first_review_date=date(2026, 2, 2),
        second_review_date=date(2026, 5, 1),
        last_review_date=date(2026, 2, 2),
    )
    assert rules.next_review_due(c, calendar) == date(2026, 11, 1)


def test_proceedings_end_on_the_last_day_of_26_weeks_counting_the_day_of_issue():
    c = child(proceedings_issued=date(2026, 1, 5))  # a Monday
    assert rules.proceedings_deadline(c) == date(2026, 7, 5)  # a Sunday, day 182


def test_next_panel_due_from_last_panel_or_tracking_start():
    c = child(looked_after_since=date(2026, 8, 31))
    assert rules.next_panel_due(c, DEFAULTS) == date(2026, 11, 30)
    c.last_panel_date = date(2026, 10, 15)
    assert rules.next_panel_due(c, DEFAULTS) == date(2027, 1, 15)
    assert rules.next_panel_due(c, PanelLimits(panel_interval_months=2)) == date(2026, 12, 15)


def test_the_chairs_frequency_in_weeks_replaces_the_panels_interval():
    # Torbay: "the chair determines review frequency". Heard Thursday 3 December 2026,
    # back in 6 weeks: due Thursday 14 January 2027, not 3 March.
    c = child(
        looked_after_since=date(2026, 5, 4),
        last_panel_date=date(2026, 12, 3),
        panel_review_every=6,
        panel_review_unit="weeks",
    )
    assert rules.next_panel_due(c, DEFAULTS) == date(2027, 1, 14)


def test_the_chairs_frequency_in_months_clamps_at_month_end():
    c = child(
        looked_after_since=date(2026, 5, 4),
        last_panel_date=date(2026, 8, 31),
        panel_review_every=6,
        panel_review_unit="months",
    )
    assert rules.next_panel_due(c, DEFAULTS) == date(2027, 2, 28)


def test_the_chairs_date_is_the_date():
    c = child(
        looked_after_since=date(2026, 5, 4),
        last_panel_date=date(2026, 12, 3),
        panel_review_by=date(2026, 12, 17),
    )
    assert rules.next_panel_due(c, DEFAULTS) == date(2026, 12, 17)


def test_without_a_chairs_frequency_the_design_rule_applies_unchanged():
    c = child(looked_after_since=date(2026, 5, 4), last_panel_date=date(2026, 12, 3))
    assert rules.next_panel_due(c, DEFAULTS) == date(2027, 3, 3)


def test_the_panels_aim_sits_before_its_minimum():
    # North Somerset: "at least every other month … at a minimum every 3 months".
    north_somerset = PanelLimits(panel_interval_months=3, panel_target_interval_months=2)
    c = child(looked_after_since=date(2026, 5, 4), last_panel_date=date(2026, 10, 31))
    assert rules.panel_target_due(c, north_somerset) == date(2026, 12, 31)
    assert rules.next_panel_due(c, north_somerset) == date(2027, 1, 31)
    assert rules.panel_target_due(c, DEFAULTS) is None


def test_the_chairs_frequency_replaces_the_panels_aim_too():
    north_somerset = PanelLimits(panel_interval_months=3, panel_target_interval_months=2)
    c = child(
        looked_after_since=date(2026, 5, 4),
        last_panel_date=date(2026, 10, 31),
        panel_review_every=4,
        panel_review_unit="weeks",
    )
    assert rules.panel_target_due(c, north_somerset) is None
    assert rules.next_panel_due(c, north_somerset) == date(2026, 11, 28)


def test_adoption_limits_follow_the_panel():
    c = child(placement_order_date=date(2026, 8, 31), placed_for_adoption_date=date(2026, 3, 31))
    assert rules.placement_order_match_due(c, DEFAULTS) == date(2027, 2, 28)
    assert rules.adoption_application_due(c, DEFAULTS) == date(2026, 9, 30)
    shorter = PanelLimits(placement_order_match_limit_months=4)
    assert rules.placement_order_match_due(c, shorter) == date(2026, 12, 31)


def test_placed_with_parents_review_from_panel_then_placement_then_tracking_start():
    c = child(looked_after_since=date(2026, 1, 10))
    assert rules.placed_with_parents_review_due(c, DEFAULTS) == date(2026, 4, 10)
    c.placement_start = date(2026, 2, 1)
    assert rules.placed_with_parents_review_due(c, DEFAULTS) == date(2026, 5, 1)
    c.last_panel_date = date(2026, 6, 18)
    assert rules.placed_with_parents_review_due(c, DEFAULTS) == date(2026, 9, 18)


@pytest.mark.parametrize(
    ("extended", "expires"), [(False, date(2026, 5, 6)), (True, date(2026, 7, 1))]
)
def test_connected_person_temporary_approval_16_weeks_or_24_when_extended(extended, expires):
    c = child(temporary_approval_date=date(2026, 1, 14), temporary_approval_extended=extended)
    assert rules.temporary_approval_expires(c) == expires


def test_the_rules_derive_exactly_the_dates_the_child_stores():
    assert tuple(rules.derived_dates(child(), calendar, DEFAULTS)) == DERIVED_DATE_FIELDS
