"""Saved tracker filters (issue 13): an administrator names the tracker's filters; anyone who
reads the tracker applies them again, and sees only the children they may see."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from permanence.roles import Role
from tests.factories import TeamFactory
from tracker import selectors, services
from tracker.models import SavedFilter

pytestmark = pytest.mark.django_db


def make_child(number: int, **fields):
    return services.child_create(
        case_number=f"SF{number:05d}",
        first_name=f"First{number}",
        last_name=f"Last{number}",
        **fields,
    )


def save(query: str, name: str = "Adoption", *, by):
    return services.saved_filter_create(name=name, query=query, saved_by=by)


# The service -----------------------------------------------------------------------------


def test_keeps_only_the_filters_fields_in_the_forms_order(administrator):
    saved = save(
        "page=3&sort=-next_panel_due&export=csv&cohort=adoption&flag=review_overdue&team=&x=1",
        by=administrator,
    )
    assert saved.query == "flag=review_overdue&cohort=adoption"
    assert saved.saved_by == administrator


def test_the_default_status_is_not_saved_and_another_is(administrator):
    assert save("status=tracked&cohort=adoption", by=administrator).query == "cohort=adoption"
    assert save("status=all", "All", by=administrator).query == "status=all"


def test_the_date_flags_are_judged_on_is_not_saved(administrator):
    assert save("as_of=2026-11-02&cohort=adoption", by=administrator).query == "cohort=adoption"


@pytest.mark.parametrize("search", ["Ada", "CN00001", " Lovelace "])
def test_a_search_for_a_child_is_refused_saying_why(administrator, search):
    with pytest.raises(ValidationError, match="cannot search for a name or case number") as e:
        save(f"q={search}&cohort=adoption", by=administrator)
    assert "show a child's name to people who may not see that child" in str(e.value)
    assert not SavedFilter.objects.exists()


def test_an_empty_search_is_not_a_search(administrator):
    assert save("q=&cohort=adoption", by=administrator).query == "cohort=adoption"


def test_nothing_to_save_is_refused(administrator):
    with pytest.raises(ValidationError, match="Choose at least one filter"):
        save("q=&as_of=2026-11-02&page=2&status=tracked", by=administrator)


def test_a_filter_the_tracker_would_refuse_is_refused(administrator):
    with pytest.raises(ValidationError, match="Correct the filters before saving them"):
        save("flag=no_such_flag", by=administrator)
    with pytest.raises(ValidationError, match="Correct the filters"):
        save("team=999999", by=administrator)


def test_names_are_unique_whatever_their_case_and_spaces(administrator):
    save("cohort=adoption", "Adoption  tracker", by=administrator)
    with pytest.raises(ValidationError) as refused:
        save("flag=review_overdue", " adoption TRACKER ", by=administrator)
    assert refused.value.message_dict == {
        "name": ["There is already a saved filter called “adoption TRACKER”: choose another name"]
    }


def test_the_database_keeps_names_unique_whatever_their_case(administrator):
    SavedFilter.objects.create(name="Due", query="cohort=adoption", saved_by=administrator)
    with pytest.raises(IntegrityError), transaction.atomic():
        SavedFilter.objects.create(name="DUE", query="cohort=adoption", saved_by=administrator)


@pytest.mark.parametrize("role", [Role.CHAIR, Role.SENIOR_MANAGER, Role.TEAM_MANAGER])
def test_only_administrators_save_and_remove(make_user, administrator, role):
    someone = make_user(role)
    with pytest.raises(ValidationError, match="Only panel administrators save"):
        save("cohort=adoption", by=someone)
    saved = save("cohort=adoption", by=administrator)
    with pytest.raises(ValidationError, match="Only panel administrators remove"):
        services.saved_filter_delete(saved_filter=saved, deleted_by=someone)
    services.saved_filter_delete(saved_filter=saved, deleted_by=administrator)
    assert not SavedFilter.objects.exists()


def test_listed_by_name_whatever_the_case(administrator):
    for name in ("beta", "Alpha", "gamma"):
        save("cohort=adoption", name, by=administrator)
    assert [s.name for s in selectors.saved_filters()] == ["Alpha", "beta", "gamma"]


def test_applied_to_children_with_flags_judged_on_the_date_given(administrator):
    # Looked after 2 June 2026: the first review is due 20 working days later, 30 June.
    child = make_child(1, looked_after_since=date(2026, 6, 2))
    saved = save("flag=review_overdue", by=administrator)
    children = selectors.visible_children(administrator)
    assert child.next_review_due == date(2026, 6, 30)
    on = selectors.matching_saved_filter(saved, children, as_of=date(2026, 6, 30))
    after = selectors.matching_saved_filter(saved, children, as_of=date(2026, 7, 1))
    assert list(on) == [] and list(after) == [child]


# The tracker page --------------------------------------------------------------------------


@pytest.fixture
def two_teams(social_worker, team):
    south = TeamFactory(name="South")
    own = make_child(
        1, team=team, social_worker=social_worker, placement_order_date=date(2026, 5, 1)
    )
    other = make_child(2, team=south, placement_order_date=date(2026, 5, 1))
    make_child(3, team=team, social_worker=social_worker)
    return own, other


def test_an_administrator_saves_the_filters_they_applied(administrator_client):
    tracker = administrator_client.get(
        reverse("tracker:list"), {"cohort": "adoption", "sort": "next_panel_due"}
    )
    page = tracker.content.decode()
    assert 'name="query" value="cohort=adoption"' in page
    assert "Save this filter" in page
    response = administrator_client.post(
        reverse("tracker:saved-filter-create"), {"name": "Adoption", "query": "cohort=adoption"}
    )
    assert response.status_code == 302
    assert response.url == reverse("tracker:list") + "?cohort=adoption"
    assert SavedFilter.objects.get().name == "Adoption"
    shown = administrator_client.get(response.url).content.decode()
    assert "Saved the filter “Adoption”." in shown
    assert 'href="?cohort=adoption" aria-current="true">Adoption</a>' in shown


def test_no_save_form_until_the_tracker_is_filtered(administrator_client):
    assert (
        "Save this filter" not in administrator_client.get(reverse("tracker:list")).content.decode()
    )
    paged = administrator_client.get(
        reverse("tracker:list"), {"page": "1", "sort": "team", "status": "tracked", "flag": ""}
    )
    assert "Save this filter" not in paged.content.decode()


def test_a_search_is_refused_on_the_page_keeping_the_name(administrator_client):
    response = administrator_client.post(
        reverse("tracker:saved-filter-create"),
        {"name": "Ada's", "query": "q=Lovelace&cohort=adoption"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot search for a name or case number" in page
    assert "There is a problem" in page
    assert 'value="Ada&#x27;s"' in page
    assert not SavedFilter.objects.exists()


def test_a_taken_name_is_shown_on_the_name(administrator_client, administrator):
    save("cohort=adoption", "Adoption", by=administrator)
    response = administrator_client.post(
        reverse("tracker:saved-filter-create"), {"name": "adoption", "query": "flag=review_overdue"}
    )
    assert response.context["form"].errors == {
        "name": ["There is already a saved filter called “adoption”: choose another name"]
    }


def test_everyone_applies_a_saved_filter_within_their_own_children(
    client, administrator, social_worker, make_user, two_teams
):
    own, other = two_teams
    saved = save("cohort=adoption", "Adoption", by=administrator)
    client.force_login(social_worker)
    tracker = client.get(reverse("tracker:list")).content.decode()
    assert 'href="?cohort=adoption">Adoption</a>' in tracker
    assert "Remove" not in tracker and "Save this filter" not in tracker
    applied = client.get(f"{reverse('tracker:list')}?{saved.query}")
    assert {row.record for row in applied.context["table"].paginated_rows} == {own}
    client.force_login(make_user(Role.SENIOR_MANAGER))
    applied = client.get(f"{reverse('tracker:list')}?{saved.query}")
    assert {row.record for row in applied.context["table"].paginated_rows} == {own, other}


def test_an_administrator_removes_a_saved_filter(administrator_client, administrator):
    saved = save("cohort=adoption", "Adoption", by=administrator)
    page = administrator_client.get(reverse("tracker:list")).content.decode()
    assert 'Remove<span class="govuk-visually-hidden"> the saved filter “Adoption”' in page
    response = administrator_client.post(reverse("tracker:saved-filter-delete", args=[saved.pk]))
    assert response.url == reverse("tracker:list")
    assert not SavedFilter.objects.exists()
    assert (
        "Removed the saved filter “Adoption”."
        in administrator_client.get(response.url).content.decode()
    )


def test_others_cannot_save_or_remove(client, administrator, make_user):
    saved = save("cohort=adoption", "Adoption", by=administrator)
    client.force_login(make_user(Role.CHAIR))
    created = client.post(
        reverse("tracker:saved-filter-create"), {"name": "Mine", "query": "cohort=adoption"}
    )
    removed = client.post(reverse("tracker:saved-filter-delete", args=[saved.pk]))
    assert (created.status_code, removed.status_code) == (403, 403)
    assert list(SavedFilter.objects.all()) == [saved]


def test_saved_filters_cost_the_tracker_page_one_query_however_many(
    administrator_client, administrator
):
    def queries_with(count: int) -> int:
        SavedFilter.objects.all().delete()
        for n in range(count):
            save("cohort=adoption", f"Filter {n}", by=administrator)
        with CaptureQueriesContext(connection) as captured:
            response = administrator_client.get(reverse("tracker:list"), {"cohort": "adoption"})
        assert len(response.context["saved_filters"]) == count
        return len(captured)

    none, one, twenty = queries_with(0), queries_with(1), queries_with(20)
    assert one == twenty
    assert none == one
