"""After permanence (North Somerset 5): the life-story book and the later-life letter are due
10 working days after the adoption order by default (a panel setting), or by a date recorded
for the child; `life_story_overdue` is raised the day after, only on children whose
permanence is secured, and the "after permanence" list holds them until both are done."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from agendas.models import Panel
from permanence.roles import Role
from tests.factories import ChildFactory, PanelFactory
from tracker import after_permanence, services
from tracker.codes import LegalStatus
from tracker.flags import FLAG_CODES, raised, with_flags
from tracker.models import Child

pytestmark = pytest.mark.django_db

ONE_DAY = timedelta(days=1)
# Friday 18 December 2026, the last working day before Christmas: 25 and 28 December and
# 1 January are bank holidays, so 10 working days on is Wednesday 6 January 2027.
ADOPTION_ORDER = date(2026, 12, 18)
DUE = date(2027, 1, 6)


def adopted(panel=None, **fields):
    """A child adopted on ADOPTION_ORDER (the final order of a child on a placement order),
    their permanence secured that day."""
    return services.child_create(
        case_number=ChildFactory.build().case_number,
        first_name="Test",
        last_name="Child",
        panel=panel,
        legal_status=LegalStatus.E1,
        looked_after_since=date(2025, 3, 3),
        proceedings_issued=date(2025, 3, 3),
        placement_order_date=date(2025, 9, 1),
        final_order_date=ADOPTION_ORDER,
        permanence_secured_date=ADOPTION_ORDER,
        **fields,
    )


def listed(as_of: date) -> list[Child]:
    return list(after_permanence.after_permanence(Child.objects.all(), as_of))


def overdue(child, as_of: date) -> bool:
    row = after_permanence.after_permanence(Child.objects.filter(pk=child.pk), as_of).first()
    sql = bool(row and row.flag_life_story_overdue)
    assert sql == after_permanence.is_overdue(child, as_of), "Python and SQL disagree"
    return sql


def test_both_are_due_10_working_days_after_the_adoption_order_over_christmas():
    child = adopted(panel=PanelFactory(preset="north-somerset"))
    assert child.life_story_book_due == DUE
    assert child.later_life_letter_due == DUE
    assert not overdue(child, DUE - ONE_DAY)
    assert not overdue(child, DUE), "on the due date itself it is not yet late"
    assert overdue(child, DUE + ONE_DAY)


def test_a_child_with_no_panel_takes_the_default_10_working_days():
    assert adopted().life_story_book_due == DUE


def test_the_panel_sets_the_working_days_and_its_children_follow():
    panel = PanelFactory(preset="north-somerset")
    child = adopted(panel=panel)
    PanelFactory(preset="north-somerset", life_story_working_days=5)
    services.children_recompute()
    child.refresh_from_db()
    # 21, 22, 23, 24, 29 December.
    assert child.life_story_book_due == date(2026, 12, 29)


def test_a_recorded_due_date_replaces_the_default():
    child = adopted(life_story_book_due_date=date(2027, 3, 1))
    assert child.life_story_book_due == date(2027, 3, 1)
    assert child.later_life_letter_due == DUE


def test_the_child_stays_listed_until_both_are_done():
    child = adopted()
    as_of = DUE + ONE_DAY
    assert listed(as_of) == [child]
    assert after_permanence.outstanding(child) == [
        ("Life-story book", DUE),
        ("Later-life letter", DUE),
    ]
    services.child_update(child=child, life_story_book_done_date=date(2027, 1, 5))
    assert listed(as_of) == [child]
    assert overdue(child, as_of), "the letter is still late"
    assert after_permanence.explain(child, as_of) == (
        "Permanence secured on Friday 18 December 2026; "
        "the later-life letter was due on Wednesday 6 January 2027."
    )
    services.child_update(child=child, later_life_letter_done_date=date(2027, 1, 8))
    assert listed(as_of) == []


def test_a_tracked_child_is_never_listed_nor_flagged():
    """Life story work may start before the order; the list and flag wait for permanence."""
    child = adopted()
    services.child_update(child=child, permanence_secured_date=None)
    assert child.life_story_book_due == DUE
    assert listed(DUE + ONE_DAY) == []
    assert not after_permanence.is_overdue(child, DUE + ONE_DAY)


def test_a_secured_child_raises_none_of_the_tracker_flags_and_the_code_is_new():
    child = adopted(placed_for_adoption_date=date(2025, 10, 1))
    far_later = date(2028, 1, 1)
    assert overdue(child, far_later)
    annotated = with_flags(Child.objects.filter(pk=child.pk), far_later).get()
    assert raised(annotated) == []
    assert after_permanence.LIFE_STORY_OVERDUE.code == "life_story_overdue"
    assert "life_story_overdue" not in FLAG_CODES


def test_a_child_not_adopted_is_expected_nothing_unless_a_date_is_recorded():
    child = services.child_create(
        case_number="SGO1",
        first_name="Test",
        last_name="Child",
        looked_after_since=date(2025, 3, 3),
        permanence_secured_date=ADOPTION_ORDER,
    )
    assert child.life_story_book_due is None
    assert listed(DUE + ONE_DAY) == []
    services.child_update(child=child, later_life_letter_due_date=DUE)
    assert listed(DUE + ONE_DAY) == [child]


def test_the_panel_setting_is_at_least_one_working_day():
    panel = PanelFactory(preset="north-somerset")
    assert panel.life_story_working_days == 10
    panel.life_story_working_days = 0
    with pytest.raises(ValidationError):
        panel.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Panel.objects.filter(pk=panel.pk).update(life_story_working_days=0)


def test_the_page_lists_the_children_each_may_see(client, make_user, team, time_machine):
    time_machine.move_to(DUE + ONE_DAY)
    mine = adopted(team=team)
    theirs = adopted()
    worker = make_user(Role.TEAM_MANAGER, team=team)
    client.force_login(worker)
    response = client.get(reverse("tracker:after-permanence"))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [mine]
    assert theirs not in response.context["page"].object_list
    content = response.content.decode()
    assert "Life story or later-life letter overdue" in content
    assert "Later-life letter, due Wednesday 6 January 2027" in content


def test_the_page_costs_the_same_queries_for_1_or_20_children(
    client, administrator, django_assert_max_num_queries, time_machine
):
    time_machine.move_to(DUE + ONE_DAY)
    client.force_login(administrator)
    url = reverse("tracker:after-permanence")
    adopted()
    with django_assert_max_num_queries(40) as one:
        client.get(url)
    for _ in range(19):
        adopted()
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)


def test_the_child_page_shows_the_dates_and_the_flag(client, administrator, time_machine):
    time_machine.move_to(DUE + ONE_DAY)
    client.force_login(administrator)
    child = adopted(life_story_book_done_date=date(2027, 1, 4))
    content = client.get(reverse("tracker:child", args=[child.pk])).content.decode()
    assert "Done on Monday 4 January 2027" in content
    assert 'id="life-story-overdue"' in content
    assert "the later-life letter was due on Wednesday 6 January 2027" in content
