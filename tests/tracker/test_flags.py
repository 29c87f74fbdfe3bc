"""Each flag on the day before, the day of and the day after its due date, in the database."""

from datetime import date, timedelta

import pytest

from minutes.models import PanelAction
from tests.factories import ChildFactory, UserFactory
from tracker import services
from tracker.flags import FLAG_CODES, flag_counts, mark_flags, raised, with_flags
from tracker.models import Child

pytestmark = pytest.mark.django_db

ONE_DAY = timedelta(days=1)


def flags_of(child, as_of: date) -> set[str]:
    annotated = with_flags(Child.objects.filter(pk=child.pk), as_of).get()
    return {flag.code for flag in raised(annotated)}


def child(**fields):
    return services.child_create(
        case_number=ChildFactory.build().case_number, first_name="Test", last_name="Child", **fields
    )


def assert_raised_only_after(c, code: str, due: date):
    assert code not in flags_of(c, due - ONE_DAY)
    assert code not in flags_of(c, due), "on the due date itself the child is not yet late"
    assert code in flags_of(c, due + ONE_DAY)


def test_review_overdue_after_the_first_review_due_date():
    c = child(looked_after_since=date(2026, 12, 14))
    assert c.next_review_due == date(2027, 1, 14)
    assert_raised_only_after(c, "review_overdue", date(2027, 1, 14))


def test_no_plan_by_second_review_when_due_date_passes_or_the_review_is_held():
    c = child(looked_after_since=date(2026, 1, 5), first_review_date=date(2026, 2, 2))
    assert_raised_only_after(c, "no_plan_by_second_review", date(2026, 5, 2))
    held = child(
        looked_after_since=date(2026, 1, 5),
        first_review_date=date(2026, 2, 2),
        second_review_date=date(2026, 4, 20),
    )
    assert "no_plan_by_second_review" in flags_of(held, date(2026, 4, 21))
    services.child_update(child=held, primary_plan="adoption")
    assert "no_plan_by_second_review" not in flags_of(held, date(2026, 4, 21))


def test_proceedings_over_26_weeks_until_the_final_order():
    c = child(looked_after_since=date(2026, 1, 5), proceedings_issued=date(2026, 1, 5))
    assert_raised_only_after(c, "proceedings_over_26_weeks", date(2026, 7, 5))
    services.child_update(child=c, final_order_date=date(2026, 7, 20))
    assert "proceedings_over_26_weeks" not in flags_of(c, date(2026, 7, 21))


def test_placement_order_no_match_clamped_at_month_end():
    c = child(looked_after_since=date(2025, 6, 2), placement_order_date=date(2026, 8, 31))
    assert_raised_only_after(c, "placement_order_no_match", date(2027, 2, 28))


def test_placed_no_adoption_application():
    c = child(
        looked_after_since=date(2025, 6, 2),
        placement_order_date=date(2025, 9, 1),
        match_date=date(2025, 12, 1),
        placed_for_adoption_date=date(2026, 1, 12),
    )
    assert_raised_only_after(c, "placed_no_adoption_application", date(2026, 7, 12))


def test_not_discussed_at_panel_within_the_panels_interval():
    c = child(pre_proceedings_start=date(2026, 8, 31))
    assert_raised_only_after(c, "not_discussed_at_panel", date(2026, 11, 30))
    services.child_update(child=c, last_panel_date=date(2026, 11, 26))
    assert "not_discussed_at_panel" not in flags_of(c, date(2026, 12, 1))


def test_placed_with_parents_under_a_care_order_reviewed_quarterly():
    c = child(
        looked_after_since=date(2026, 1, 10),
        legal_status="C2",
        placement_type="P1",
        placement_start=date(2026, 2, 1),
    )
    assert_raised_only_after(c, "placed_with_parents_review_due", date(2026, 5, 1))
    accommodated = child(
        looked_after_since=date(2026, 1, 10),
        legal_status="V2",
        placement_type="P1",
        placement_start=date(2026, 2, 1),
    )
    assert "placed_with_parents_review_due" not in flags_of(accommodated, date(2026, 6, 1))


def test_temporary_approval_expired_at_16_weeks_or_24_when_extended():
    c = child(looked_after_since=date(2026, 1, 14), temporary_approval_date=date(2026, 1, 14))
    assert_raised_only_after(c, "temporary_approval_expired", date(2026, 5, 6))
    services.child_update(child=c, temporary_approval_extended=True)
    assert_raised_only_after(c, "temporary_approval_expired", date(2026, 7, 1))


def test_actions_overdue_while_an_open_action_is_past_its_date():
    c = child(looked_after_since=date(2026, 10, 1))
    action = PanelAction.objects.create(
        child=c, description="Sibling assessment", owner=UserFactory(), due_date=date(2026, 12, 4)
    )
    assert_raised_only_after(c, "actions_overdue", date(2026, 12, 4))
    action.completed_at = "2026-12-10T10:00:00Z"
    action.completion_note = "Assessment completed"
    action.save()
    assert "actions_overdue" not in flags_of(c, date(2026, 12, 11))


def test_a_child_whose_permanence_is_secured_raises_nothing():
    c = child(
        looked_after_since=date(2024, 1, 8),
        proceedings_issued=date(2024, 1, 8),
        placement_order_date=date(2024, 9, 2),
        temporary_approval_date=date(2024, 1, 8),
        permanence_secured_date=date(2026, 1, 5),
    )
    assert flags_of(c, date(2026, 11, 22)) == set()


def test_flag_counts_in_one_query(django_assert_num_queries):
    child(looked_after_since=date(2026, 1, 5), proceedings_issued=date(2026, 1, 5))
    child(pre_proceedings_start=date(2026, 1, 5))
    with django_assert_num_queries(1):
        counts = flag_counts(Child.objects.all(), date(2026, 11, 22))
    assert set(counts) == set(FLAG_CODES)
    assert counts["not_discussed_at_panel"] == 2
    assert counts["proceedings_over_26_weeks"] == 1
    assert counts["actions_overdue"] == 0


def test_overdue_actions_are_counted_for_the_children_the_flag_raises_on_and_once_each():
    """flag_counts asks for the overdue actions' children in one hashed list, the rows ask
    per child: the same children, the day itself not yet late, a completed action never,
    a secured child never, and a child with two overdue actions once."""
    as_of = date(2026, 12, 4)
    owner = UserFactory()

    def action(c, due: date, **fields):
        return PanelAction.objects.create(
            child=c, description="Sibling assessment", owner=owner, due_date=due, **fields
        )

    two_overdue = child(looked_after_since=date(2026, 10, 1))
    action(two_overdue, as_of - ONE_DAY)
    action(two_overdue, as_of - 10 * ONE_DAY)
    due_today = child(looked_after_since=date(2026, 10, 1))
    action(due_today, as_of)
    completed = child(looked_after_since=date(2026, 10, 1))
    action(
        completed,
        as_of - ONE_DAY,
        completed_at="2026-12-01T10:00:00Z",
        completion_note="Assessment completed",
    )
    secured = child(looked_after_since=date(2024, 1, 8), permanence_secured_date=date(2026, 1, 5))
    action(secured, as_of - ONE_DAY)

    raising = {
        c.pk
        for c in (two_overdue, due_today, completed, secured)
        if "actions_overdue" in flags_of(c, as_of)
    }
    assert raising == {two_overdue.pk}
    assert flag_counts(Child.objects.all(), as_of)["actions_overdue"] == 1
    assert flag_counts(Child.objects.all(), as_of + ONE_DAY)["actions_overdue"] == 2
    # Counted among the children asked about, and only them.
    others = Child.objects.exclude(pk=two_overdue.pk)
    assert flag_counts(others, as_of)["actions_overdue"] == 0
    assert flag_counts(others, as_of + ONE_DAY)["actions_overdue"] == 1


def test_the_page_s_children_get_the_flags_with_flags_gives_them(django_assert_num_queries):
    as_of = date(2026, 11, 22)
    children = [
        child(looked_after_since=date(2026, 1, 5), proceedings_issued=date(2026, 1, 5)),
        child(pre_proceedings_start=date(2026, 10, 1)),
        child(looked_after_since=date(2026, 11, 1)),
    ]
    PanelAction.objects.create(
        child=children[2], description="Report", owner=UserFactory(), due_date=date(2026, 11, 2)
    )
    page = list(Child.objects.filter(pk__in=[c.pk for c in children]))
    with django_assert_num_queries(1):
        mark_flags(page, as_of)
    for marked in page:
        assert {flag.code for flag in raised(marked)} == flags_of(marked, as_of)
    assert any(raised(marked) for marked in page)
