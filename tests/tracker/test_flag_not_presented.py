"""`not_presented_at_next_panel`: a new child, never discussed and not booked, whose panel
has met more than 3 working days after tracking began (North Somerset 3.2 and 6)."""

from datetime import date, timedelta

import pytest
import time_machine

from agendas import services as agendas_services
from permanence import services as permanence_services
from tests.factories import BookingFactory, MeetingFactory, PanelFactory
from tracker import services
from tracker.flags import FLAGS, explain, flag_counts, raised, with_flags
from tracker.models import Child

pytestmark = pytest.mark.django_db

CODE = "not_presented_at_next_panel"
ONE_DAY = timedelta(days=1)
# Looked after on Monday 14 December 2026: the administrator has until Thursday 17th.
LOOKED_AFTER = date(2026, 12, 14)
TOLD_BY = date(2026, 12, 17)


@pytest.fixture
def north_somerset():
    return PanelFactory(preset="north-somerset")


def flags_of(child, as_of: date) -> set[str]:
    annotated = with_flags(Child.objects.filter(pk=child.pk), as_of).get()
    return {flag.code for flag in raised(annotated)}


def new_child(panel, **fields):
    return services.child_create(
        case_number="NS100", first_name="Nia", last_name="New", panel=panel, **fields
    )


def test_it_is_the_last_flag_so_the_others_keep_their_codes():
    assert FLAGS[-1].code == CODE
    assert [flag.code for flag in FLAGS[:9]] == [
        "review_overdue",
        "no_plan_by_second_review",
        "proceedings_over_26_weeks",
        "placement_order_no_match",
        "placed_no_adoption_application",
        "not_discussed_at_panel",
        "placed_with_parents_review_due",
        "temporary_approval_expired",
        "actions_overdue",
    ]


def test_the_stored_date_is_3_working_days_after_tracking_start(north_somerset):
    child = new_child(north_somerset, looked_after_since=LOOKED_AFTER)
    assert child.first_panel_after == TOLD_BY
    services.child_update(child=child, pre_proceedings_start=date(2026, 12, 10))
    assert child.first_panel_after == date(2026, 12, 15)  # Thursday 10th + 3


def test_a_meeting_on_the_third_working_day_is_not_the_next_panel(north_somerset):
    child = new_child(north_somerset, looked_after_since=LOOKED_AFTER)
    MeetingFactory(panel=north_somerset, date=TOLD_BY)
    assert CODE not in flags_of(child, TOLD_BY + ONE_DAY)
    assert CODE not in flags_of(child, date(2027, 1, 30))


def test_a_meeting_one_working_day_later_is_missed_from_the_day_after_it(north_somerset):
    child = new_child(north_somerset, looked_after_since=LOOKED_AFTER)
    MeetingFactory(panel=north_somerset, date=TOLD_BY + ONE_DAY)  # Friday 18 December
    assert CODE not in flags_of(child, date(2026, 12, 18)), "not on the meeting's own day"
    assert CODE in flags_of(child, date(2026, 12, 19))


def test_across_the_christmas_bank_holidays(north_somerset):
    # Wednesday 23 December: Christmas Day and the Boxing Day substitute (28th) don't count.
    child = new_child(north_somerset, looked_after_since=date(2026, 12, 23))
    assert child.first_panel_after == date(2026, 12, 30)
    MeetingFactory(panel=north_somerset, date=date(2026, 12, 30))
    assert CODE not in flags_of(child, date(2027, 1, 4))
    MeetingFactory(panel=north_somerset, date=date(2026, 12, 31))
    assert CODE not in flags_of(child, date(2026, 12, 31))
    assert CODE in flags_of(child, date(2027, 1, 1))


def test_a_closure_day_moves_the_date_and_the_flag(
    north_somerset, django_capture_on_commit_callbacks
):
    child = new_child(north_somerset, looked_after_since=LOOKED_AFTER)
    MeetingFactory(panel=north_somerset, date=date(2026, 12, 18))
    with django_capture_on_commit_callbacks(execute=True):  # the recompute job
        permanence_services.closure_day_create(date=date(2026, 12, 16), description="Closure")
    child.refresh_from_db()
    assert child.first_panel_after == date(2026, 12, 18)
    assert CODE not in flags_of(child, date(2026, 12, 19))


def test_a_booked_child_is_not_raised(north_somerset):
    child = new_child(north_somerset, looked_after_since=LOOKED_AFTER)
    MeetingFactory(panel=north_somerset, date=date(2026, 12, 18))
    with time_machine.travel(date(2026, 12, 15), tick=False):
        BookingFactory(
            meeting=MeetingFactory(panel=north_somerset, date=date(2027, 1, 19)),
            child=child,
            request="New to PLO or care",
        )
    assert CODE not in flags_of(child, date(2026, 12, 19))


def test_a_discussed_or_secured_child_is_not_raised(north_somerset):
    child = new_child(north_somerset, looked_after_since=LOOKED_AFTER)
    MeetingFactory(panel=north_somerset, date=date(2026, 12, 18))
    assert CODE in flags_of(child, date(2026, 12, 19))
    services.child_update(child=child, last_panel_date=date(2026, 12, 18))
    assert CODE not in flags_of(child, date(2026, 12, 19))
    services.child_update(
        child=child, last_panel_date=None, permanence_secured_date=date(2026, 12, 18)
    )
    assert CODE not in flags_of(child, date(2026, 12, 19))


def test_a_cancelled_meeting_or_another_panels_is_not_missed(north_somerset):
    child = new_child(north_somerset, looked_after_since=LOOKED_AFTER)
    MeetingFactory(panel=PanelFactory(preset="somerset"), date=date(2026, 12, 18))
    cancelled = MeetingFactory(panel=north_somerset, date=date(2026, 12, 21))
    with time_machine.travel(date(2026, 12, 15), tick=False):
        agendas_services.meeting_cancel(meeting=cancelled, reason="The chairs are away")
    assert CODE not in flags_of(child, date(2026, 12, 22))


def test_counted_with_the_others_in_one_query_and_explained(
    north_somerset, django_assert_num_queries
):
    child = new_child(north_somerset, looked_after_since=LOOKED_AFTER)
    MeetingFactory(panel=north_somerset, date=date(2026, 12, 18))
    with django_assert_num_queries(1):
        counts = flag_counts(Child.objects.all(), date(2026, 12, 19))
    assert counts[CODE] == 1
    annotated = with_flags(Child.objects.filter(pk=child.pk), date(2026, 12, 19)).get()
    assert explain(FLAGS[-1], annotated, date(2026, 12, 19)) == (
        "Tracked since Monday 14 December 2026, never discussed at panel and not booked: "
        "the panel has met since Thursday 17 December 2026, 3 working days later."
    )
