import re
from datetime import date

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minutes.models import PanelAction
from permanence.roles import Role
from tests.factories import TeamFactory, UserFactory
from tracker import services
from tracker.filters import PlainSelect, TrackerFilter
from tracker.models import Child

pytestmark = pytest.mark.django_db


def make_child(number: int, **fields):
    return services.child_create(
        case_number=f"CN{number:05d}",
        first_name=f"First{number}",
        last_name=f"Last{number}",
        **fields,
    )


@pytest.fixture
def north_and_south():
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    sw = UserFactory(roles=[Role.SOCIAL_WORKER], team=north, email="sw@council.example")
    own = make_child(
        1,
        team=north,
        social_worker=sw,
        looked_after_since=date(2026, 1, 5),
        proceedings_issued=date(2026, 1, 5),
    )
    other = make_child(2, team=south, pre_proceedings_start=date(2026, 10, 1))
    return {"sw": sw, "own": own, "other": other}


def test_social_worker_sees_only_their_own_children_and_404_for_another(client, north_and_south):
    client.force_login(north_and_south["sw"])
    page = client.get(reverse("tracker:list"), {"as_of": "2026-11-22"}).content.decode()
    assert "First1 Last1" in page
    assert "First2 Last2" not in page
    assert client.get(reverse("tracker:child", args=[north_and_south["own"].pk])).status_code == 200
    assert (
        client.get(reverse("tracker:child", args=[north_and_south["other"].pk])).status_code == 404
    )
    assert (
        client.get(reverse("tracker:child-update", args=[north_and_south["other"].pk])).status_code
        == 404
    )


def test_manager_filters_by_flag_with_counts_as_of_a_date(client, north_and_south):
    client.force_login(UserFactory(roles=[Role.SENIOR_MANAGER]))
    # Issued 5 January 2026: the 26 weeks end on 5 July 2026.
    before = client.get(
        reverse("tracker:list"), {"as_of": "2026-07-05", "flag": "proceedings_over_26_weeks"}
    )
    assert "No children match these filters." in before.content.decode()
    after = client.get(
        reverse("tracker:list"), {"as_of": "2026-07-06", "flag": "proceedings_over_26_weeks"}
    )
    page = after.content.decode()
    assert "First1 Last1" in page and "First2 Last2" not in page
    assert after.context["flag_tags"][2]["flag"].code == "proceedings_over_26_weeks"
    assert after.context["flag_tags"][2]["count"] == 1
    assert "Drift and delay as of Monday 6 July 2026" in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "last1"}, {"CN00001"}),
        ({"q": "First2 Last2"}, {"CN00002"}),
        ({"q": "CN00002"}, {"CN00002"}),
        ({"cohort": "in_proceedings"}, {"CN00001"}),
        ({"cohort": "pre_proceedings"}, {"CN00002"}),
        ({"team": "south"}, {"CN00002"}),
    ],
)
def test_search_and_filters(client, north_and_south, params, expected):
    if params.get("team") == "south":
        params = {"team": north_and_south["other"].team_id}
    client.force_login(UserFactory(roles=[Role.CHAIR]))
    response = client.get(reverse("tracker:list"), params)
    assert {row.record.case_number for row in response.context["table"].paginated_rows} == expected


def test_secured_children_leave_the_active_tracker_but_stay_searchable(client):
    make_child(3, looked_after_since=date(2024, 1, 8), permanence_secured_date=date(2026, 2, 2))
    client.force_login(UserFactory(roles=[Role.CHAIR]))
    assert "First3" not in client.get(reverse("tracker:list")).content.decode()
    found = client.get(reverse("tracker:list"), {"status": "all", "q": "First3"})
    assert "First3 Last3" in found.content.decode()


def test_sort_by_a_date_column(client):
    make_child(4, looked_after_since=date(2026, 3, 2))
    make_child(5, looked_after_since=date(2026, 1, 5))
    client.force_login(UserFactory(roles=[Role.CHAIR]))
    response = client.get(reverse("tracker:list"), {"sort": "looked_after_since"})
    assert [row.record.case_number for row in response.context["table"].paginated_rows] == [
        "CN00005",
        "CN00004",
    ]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"flag": "actions_overdue", "order": "-next_review_due", "as_of": "2026-11-22"},
        {"q": "First1", "page": "2"},
        {"social_worker": "worker"},
    ],
)
def test_tracker_page_costs_the_same_queries_for_10_and_200_children(client, params):
    """With flags raised on the rows and counted, filtered, sorted, searched, on another
    page or by a social worker, the page asks the same number of queries however many
    children there are."""
    client.force_login(UserFactory(roles=[Role.CHAIR]))
    team = TeamFactory()
    worker = UserFactory(roles=[Role.SOCIAL_WORKER], team=team)
    owner = UserFactory()
    if params.get("social_worker"):
        params = {**params, "social_worker": worker.pk}

    def queries_for(count: int) -> int:
        Child.objects.all().delete()
        for n in range(count):
            child = make_child(
                n,
                team=team,
                social_worker=worker,
                looked_after_since=date(2026, 1, 5),
                proceedings_issued=date(2025, 1, 6) if n % 2 else None,
            )
            PanelAction.objects.create(
                child=child, description="Report", owner=owner, due_date=date(2026, 2, 2)
            )
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("tracker:list"), params)
        assert response.status_code == 200
        assert response.context["table"].paginated_rows
        return len(captured)

    assert queries_for(30) == queries_for(200)


def test_child_page_explains_each_flag_in_words(client):
    child = make_child(
        6, looked_after_since=date(2025, 6, 2), placement_order_date=date(2026, 4, 30)
    )
    client.force_login(UserFactory(roles=[Role.CHAIR]))
    page = client.get(reverse("tracker:child", args=[child.pk])).content.decode()
    assert "Placement order made Thursday 30 April 2026; no match after 6 months." in page
    assert "OFFICIAL-SENSITIVE" in page


def test_administrator_creates_a_child_and_errors_keep_what_was_typed(client, administrator):
    client.force_login(administrator)
    data = {
        "case_number": "CN77777",
        "first_name": "Nia",
        "last_name": "Okafor",
        "proceedings_issued_0": "2",
        "proceedings_issued_1": "3",
        "proceedings_issued_2": "2026",
        "final_order_date_0": "1",
        "final_order_date_1": "3",
        "final_order_date_2": "2026",
    }
    response = client.post(reverse("tracker:child-create"), data)
    page = response.content.decode()
    assert "The final order cannot be before proceedings were issued (2 March 2026)" in page
    assert 'value="Okafor"' in page
    assert not Child.objects.exists()

    data["final_order_date_0"] = "20"
    data["final_order_date_1"] = "8"
    response = client.post(reverse("tracker:child-create"), data)
    child = Child.objects.get()
    assert response.url == reverse("tracker:child", args=[child.pk])
    assert child.proceedings_deadline == date(2026, 8, 30)


def test_social_worker_corrects_a_review_on_their_own_child_but_not_the_court_dates(
    client, north_and_south
):
    sw, own = north_and_south["sw"], north_and_south["own"]
    client.force_login(sw)
    form = client.get(reverse("tracker:child-update", args=[own.pk])).context["form"]
    assert "first_review_date" in form.fields
    assert "proceedings_issued" not in form.fields and "team" not in form.fields
    response = client.post(
        reverse("tracker:child-update", args=[own.pk]),
        {
            "first_review_date_0": "30",
            "first_review_date_1": "1",
            "first_review_date_2": "2026",
            "primary_plan": "adoption",
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.first_review_date == date(2026, 1, 30)
    assert own.proceedings_issued == date(2026, 1, 5)  # untouched
    assert own.history.first().history_user == sw


@pytest.mark.parametrize("role", [Role.CHAIR, Role.PANEL_MEMBER, Role.SENIOR_MANAGER])
def test_only_administrators_and_the_childs_own_workers_may_edit(client, north_and_south, role):
    client.force_login(UserFactory(roles=[role]))
    assert client.get(reverse("tracker:child-create")).status_code == 403
    own = north_and_south["own"]
    assert client.get(reverse("tracker:child-update", args=[own.pk])).status_code == 403


def test_tracker_shows_ssda903_codes_with_their_meaning(client, north_and_south):
    client.force_login(UserFactory(roles=[Role.CHAIR]))
    services.child_update(child=north_and_south["own"], legal_status="C2", placement_type="P1")
    page = client.get(reverse("tracker:list")).content.decode()
    assert '<abbr title="C2 Full care order">C2</abbr>' in page
    assert "P1</abbr>" in page


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("date_of_birth", ["CN00011", "CN00012", "CN00013"]),
        ("-date_of_birth", ["CN00012", "CN00011", "CN00013"]),  # unknown last both ways
        ("placement_order_date", ["CN00013", "CN00011", "CN00012"]),
    ],
)
def test_sort_by_any_date_with_unknown_dates_last(client, order, expected):
    make_child(11, date_of_birth=date(2015, 1, 1), placement_order_date=date(2026, 5, 1))
    make_child(12, date_of_birth=date(2018, 6, 1))
    make_child(13, placement_order_date=date(2026, 2, 2))
    client.force_login(UserFactory(roles=[Role.CHAIR]))
    response = client.get(reverse("tracker:list"), {"order": order, "status": "all"})
    assert [row.record.case_number for row in response.context["table"].paginated_rows] == expected


def test_filters_keep_what_was_chosen(client, north_and_south):
    client.force_login(UserFactory(roles=[Role.CHAIR]))
    team = north_and_south["own"].team
    page = client.get(
        reverse("tracker:list"), {"flag": "review_overdue", "team": team.pk}
    ).content.decode()
    assert '<option value="review_overdue" selected>Looked-after review overdue</option>' in page
    assert f'<option value="{team.pk}" selected>North</option>' in page


# The social worker box (issue 17): a name typed, and the person picked by number -----------


@pytest.fixture
def two_workers(north_and_south):
    other = UserFactory(
        roles=[Role.SOCIAL_WORKER], first_name="Samira", last_name="Khan", team=TeamFactory()
    )
    sw = north_and_south["sw"]
    sw.first_name, sw.last_name = "Sam", "Okafor"
    sw.save()
    make_child(3, team=other.team, social_worker=other, looked_after_since=date(2026, 1, 5))
    return {**north_and_south, "other_worker": other}


def rows(response) -> set[str]:
    return {row.record.case_number for row in response.context["table"].paginated_rows}


def test_a_link_naming_a_social_worker_by_number_filters_and_shows_their_name(client, two_workers):
    client.force_login(UserFactory(roles=[Role.CHAIR]))
    sw = two_workers["sw"]
    response = client.get(reverse("tracker:list"), {"social_worker": sw.pk})
    assert rows(response) == {"CN00001"}
    page = response.content.decode()
    assert 'value="Sam Okafor"' in page
    assert f'<input type="hidden" name="social_worker" value="{sw.pk}"' in page
    # The drop-down of every social worker is gone.
    assert "Samira Khan" not in page


@pytest.mark.parametrize(
    ("name", "picked", "expected"),
    [
        # Picked from the type-ahead: the number says which Sam.
        ("Sam Okafor", "sw", {"CN00001"}),
        # Typed without JavaScript: every social worker whose name holds the words.
        ("sam", "", {"CN00001", "CN00003"}),
        ("khan", "", {"CN00003"}),
        ("sam okafor", "", {"CN00001"}),
        # The name changed after the pick: a new question, not the person picked.
        ("Samira", "sw", {"CN00003"}),
        # The box emptied: no social worker asked for, whatever was picked before.
        ("", "sw", {"CN00001", "CN00003"}),
        ("nobody", "", set()),
    ],
)
def test_the_social_worker_box(client, two_workers, name, picked, expected):
    client.force_login(UserFactory(roles=[Role.CHAIR]))
    params = {"social_worker_name": name, "social_worker": two_workers["sw"].pk if picked else ""}
    response = client.get(reverse("tracker:list"), {**params, "status": "all"})
    assert rows(response) - {"CN00002"} == expected


def test_a_social_worker_who_is_not_one_is_an_error_at_the_name_box(client, two_workers):
    client.force_login(UserFactory(roles=[Role.CHAIR]))
    chair = UserFactory(roles=[Role.CHAIR])
    response = client.get(reverse("tracker:list"), {"social_worker": chair.pk})
    page = response.content.decode()
    assert "Error: Tracker" in page
    assert 'href="#id_social_worker_name"' in page
    assert "Choose a social worker from the list" in page


def test_social_workers_offered_as_a_name_is_typed(client, two_workers):
    client.force_login(UserFactory(roles=[Role.CHAIR]))
    url = reverse("tracker:social-workers")
    found = client.get(url, {"q": "sam"}).json()["results"]
    assert [person["name"] for person in found] == ["Sam Okafor", "Samira Khan"]
    assert found[0] == {"id": two_workers["sw"].pk, "name": "Sam Okafor", "team": "North"}
    assert client.get(url, {"q": "sam khan"}).json()["results"][0]["name"] == "Samira Khan"
    assert client.get(url, {"q": ""}).json() == {"results": []}


def test_social_workers_offered_are_those_whose_children_the_user_may_see(client, two_workers):
    sw = two_workers["sw"]
    client.force_login(sw)
    found = client.get(reverse("tracker:social-workers"), {"q": "sam"}).json()["results"]
    assert [person["name"] for person in found] == ["Sam Okafor"]
    manager = UserFactory(roles=[Role.TEAM_MANAGER], team=two_workers["other_worker"].team)
    client.force_login(manager)
    found = client.get(reverse("tracker:social-workers"), {"q": "sam"}).json()["results"]
    assert [person["name"] for person in found] == ["Samira Khan"]


def test_no_more_than_ten_social_workers_are_offered(client):
    for n in range(11):
        UserFactory(roles=[Role.SOCIAL_WORKER], first_name="Alex", last_name=f"Worker{n}")
    client.force_login(UserFactory(roles=[Role.CHAIR]))
    found = client.get(reverse("tracker:social-workers"), {"q": "alex"}).json()["results"]
    assert len(found) == 10


@pytest.mark.postgres
def test_the_name_search_is_answered_by_the_trigram_indexes():
    """icontains asks UPPER(column) LIKE '%TEXT%': the indexes are on that same expression,
    so PostgreSQL uses them rather than read every child."""
    make_child(1)
    searched = TrackerFilter(
        {"q": "last1", "status": "all"}, queryset=Child.objects.all()
    ).qs.order_by()
    sql, params = searched.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # A table of one child is read whole, or along any index, whatever the search: rule
        # those out, as they would be for a large one.
        for plan_kind in ("seqscan", "indexscan", "indexonlyscan"):
            cursor.execute(f"SET LOCAL enable_{plan_kind} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for column in ("first_name", "last_name", "case_number"):
        assert f"child_{column}_search" in plan, plan
    assert {child.case_number for child in searched} == {"CN00001"}


def test_the_filters_drop_downs_are_drawn_as_django_draws_them():
    choices = [("", "Any"), ("1", "Smith & Jones <East>"), ("2", "North")]
    attrs = {"id": "id_team", "class": "govuk-select", "required": True}

    def drawn(widget_class) -> str:
        widget = widget_class(attrs=attrs, choices=choices)
        return re.sub(r">\s+<", "><", widget.render("team", "1")).strip()

    assert drawn(PlainSelect) == drawn(forms.Select)
    assert '<option value="1" selected>Smith &amp; Jones &lt;East&gt;</option>' in drawn(
        PlainSelect
    )
