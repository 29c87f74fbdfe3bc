"""Timeliness (tracker/measures.py and /dashboards/timeliness/): worked examples for each
measure, the edges of its periods, who is counted, and the page's constant cost."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from permanence.roles import Role
from tests.factories import TeamFactory
from tracker import measures, services
from tracker.models import Child

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 27)  # a Friday; the 12 months run from 28 November 2025
URL = reverse("tracker:timeliness")


def child(number: int, **fields) -> Child:
    return services.child_create(
        case_number=f"M{number:05d}",
        first_name=f"First{number}",
        last_name=f"Last{number}",
        **fields,
    )


def adopted(number: int, *, on: date, entered: date, moved_in: date, **fields) -> Child:
    """A child adopted on `on`: permanence secured, with adoption as their plan."""
    return child(
        number,
        looked_after_since=entered,
        primary_plan="adoption",
        placed_for_adoption_date=moved_in,
        permanence_secured_date=on,
        **fields,
    )


def by_code(timeliness) -> dict:
    return {measure.code: measure for measure in timeliness.measures}


def figures(children=None, as_of=AS_OF) -> dict:
    return by_code(measures.timeliness(children or Child.objects.all(), as_of))


def test_periods_are_the_12_months_and_3_years_ending_on_the_as_of_date():
    year, three_years = measures.periods(AS_OF)
    assert (year.start, year.end) == (date(2025, 11, 28), AS_OF)
    assert (three_years.start, three_years.end) == (date(2023, 11, 28), AS_OF)
    # A leap day's year before is the 28th of February: the 1st of March starts the period.
    assert measures.periods(date(2028, 2, 29))[0].start == date(2027, 3, 1)


def test_no_children_is_no_figure_not_nought_days():
    a10 = figures()["a10"]
    assert a10.figures["year"] == measures.Figure(children=0, value=None)
    assert a10.meets(a10.figures["year"]) is None


def test_a10_averages_days_from_entering_care_to_moving_in_for_children_adopted():
    # 149 days, and 121 days: 135 on average over the two.
    adopted(1, on=date(2026, 10, 1), entered=date(2026, 1, 5), moved_in=date(2026, 6, 3))
    adopted(2, on=date(2026, 9, 1), entered=date(2025, 12, 1), moved_in=date(2026, 4, 1))
    # Not adopted: permanence secured by special guardianship; and an adoption still ahead.
    child(
        3,
        looked_after_since=date(2026, 1, 5),
        primary_plan="special_guardianship",
        placed_for_adoption_date=date(2026, 2, 1),
        permanence_secured_date=date(2026, 10, 1),
    )
    child(
        4,
        looked_after_since=date(2026, 1, 5),
        primary_plan="adoption",
        placed_for_adoption_date=date(2026, 2, 1),
    )
    a10 = figures()["a10"]
    assert a10.figures["year"] == measures.Figure(children=2, value=135.0)
    assert a10.meets(a10.figures["year"]) is True  # under 426 days


def test_a10_counts_a_foster_carer_adoption_from_moving_in_with_the_foster_carers():
    adopted(
        1,
        on=date(2026, 9, 1),
        entered=date(2025, 3, 1),
        moved_in=date(2026, 2, 1),
        fostered_by_adopters_since=date(2025, 3, 10),
    )
    result = measures.timeliness(Child.objects.all(), AS_OF)
    assert by_code(result)["a10"].figures["year"].value == 9.0
    assert [(period.key, unknown, fc) for period, unknown, fc in result.a10_notes] == [
        ("year", 0, 1),
        ("three_years", 0, 1),
    ]


@pytest.mark.parametrize(
    ("adopted_on", "in_year", "in_three_years"),
    [
        (date(2025, 11, 27), False, True),  # the day before the 12 months
        (date(2025, 11, 28), True, True),  # their first day
        (AS_OF, True, True),  # the as-of date itself
        (date(2026, 11, 28), False, False),  # the day after
        (date(2023, 11, 27), False, False),  # the day before the 3 years
        (date(2023, 11, 28), False, True),
    ],
)
def test_a10_periods_take_the_adoptions_from_their_first_day_to_the_as_of_date(
    adopted_on, in_year, in_three_years
):
    adopted(1, on=adopted_on, entered=date(2022, 1, 4), moved_in=date(2023, 1, 4))
    a10 = figures()["a10"]
    assert a10.figures["year"].children == int(in_year)
    assert a10.figures["three_years"].children == int(in_three_years)


def test_an_adopted_child_without_a_date_is_left_out_and_said_so():
    child(
        1,
        primary_plan="adoption",
        looked_after_since=date(2026, 1, 5),
        permanence_secured_date=date(2026, 10, 1),
    )
    result = measures.timeliness(Child.objects.all(), AS_OF)
    assert by_code(result)["a10"].figures["year"].children == 0
    assert result.a10_notes[0][1] == 1


def test_a2_averages_days_from_placement_order_to_match_for_children_adopted():
    adopted(
        1,
        on=date(2026, 10, 1),
        entered=date(2025, 6, 2),
        moved_in=date(2026, 6, 1),
        placement_order_date=date(2026, 1, 10),
        match_date=date(2026, 5, 10),  # 120 days
    )
    a2 = figures()["a2"]
    assert a2.figures["year"] == measures.Figure(children=1, value=120.0)
    assert a2.meets(a2.figures["year"]) is True  # within 121 days


def test_plan_by_second_review_is_a_plan_agreed_on_or_before_the_second_review():
    held = {
        "looked_after_since": date(2026, 1, 5),
        "first_review_date": date(2026, 2, 2),
        "second_review_date": date(2026, 5, 1),
        "primary_plan": "adoption",
    }
    child(1, **held, plan_agreed_date=date(2026, 5, 1))  # the day of the review: in time
    child(2, **held, plan_agreed_date=date(2026, 5, 2))  # the day after: late
    # Not yet held: due three months after the first review (2 August 2026), no plan.
    child(3, looked_after_since=date(2026, 4, 6), first_review_date=date(2026, 5, 2))
    # Due after the as-of date: not counted yet.
    child(4, looked_after_since=date(2026, 10, 5))
    plan = figures()["plan_by_second_review"]
    assert plan.figures["year"].children == 3
    assert plan.figures["year"].met == 1
    assert plan.figures["year"].value == pytest.approx(100 / 3)
    assert plan.meets(plan.figures["year"]) is False


def test_proceedings_within_26_weeks_end_on_the_182nd_day_counting_the_day_of_issue():
    issued = date(2026, 1, 5)
    child(1, proceedings_issued=issued, final_order_date=date(2026, 7, 5))  # the last day
    child(2, proceedings_issued=issued, final_order_date=date(2026, 7, 6))  # the day after
    child(3, proceedings_issued=issued)  # not finished: not counted
    by = figures()
    within = by["proceedings_within_26_weeks"].figures["year"]
    assert (within.children, within.met, within.value) == (2, 1, 50.0)
    weeks = by["proceedings_weeks"].figures["year"]
    assert weeks.children == 2
    assert weeks.value == pytest.approx((181 + 182) / 2 / 7)


def test_discussed_at_panel_is_the_tracked_children_not_overdue_on_the_day():
    # Tracked since 1 October: due at panel by 1 January 2027, not overdue.
    child(1, looked_after_since=date(2026, 10, 1))
    # Tracked since 1 July, never discussed: due by 1 October, overdue.
    child(2, looked_after_since=date(2026, 7, 1))
    # Permanence secured before the day: not tracked.
    child(3, looked_after_since=date(2026, 1, 5), permanence_secured_date=date(2026, 11, 1))
    # Tracked only from after the day.
    child(4, looked_after_since=date(2026, 11, 30))
    on_the_day = measures.timeliness(Child.objects.all(), AS_OF).discussed.figures["on_the_day"]
    assert (on_the_day.children, on_the_day.met, on_the_day.value) == (2, 1, 50.0)


def test_adoptions_by_month_give_each_month_of_the_12_its_own_figures():
    adopted(1, on=date(2026, 10, 1), entered=date(2026, 1, 5), moved_in=date(2026, 6, 3))
    months = measures.timeliness(Child.objects.all(), AS_OF).by_month
    assert [month for month, _, _ in months][0] == date(2025, 11, 1)
    assert len(months) == 13  # 28 November 2025 to 27 November 2026 touches 13 months
    october = dict((month, a10) for month, a10, _ in months)[date(2026, 10, 1)]
    assert october == measures.Figure(children=1, value=149.0)


# The page ---------------------------------------------------------------------------


@pytest.fixture
def senior_manager(make_user):
    return make_user(Role.SENIOR_MANAGER)


def test_the_page_states_each_definition_with_the_national_figure_from_settings(
    client, senior_manager, settings
):
    settings.MEASURE_A10_THRESHOLD_DAYS = 400
    adopted(1, on=date(2026, 10, 1), entered=date(2026, 1, 5), moved_in=date(2026, 6, 3))
    client.force_login(senior_manager)
    page = client.get(URL, {"as_of": "2026-11-27"}).content.decode()
    assert "as of Friday 27 November 2026" in page
    assert "149 days" in page
    assert "over 1 child<" in page
    assert "400 days" in page
    assert 'Meets<span class="govuk-visually-hidden"> the national figure' in page  # A10
    assert "No children" in page  # A2: nobody with a placement order and a match
    for measure in measures.timeliness(Child.objects.none(), AS_OF).measures:
        assert measure.definition in page
    assert "Every child on the tracker." in page


def test_a_date_that_is_not_one_is_said_and_today_is_used(client, senior_manager):
    client.force_login(senior_manager)
    response = client.get(URL, {"as_of": "2026-02-30"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "As of must be a real date" in page
    assert 'aria-describedby="id_as_of_hint id_as_of_error"' in page
    assert response.context["as_of"] == timezone.localdate()
    # Without a date, today, and no error.
    page = client.get(URL).content.decode()
    assert "govuk-input--error" not in page
    assert 'aria-describedby="id_as_of_hint"' in page


def test_a_team_manager_reads_the_measures_of_their_own_team_only(client, make_user):
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    manager = make_user(Role.TEAM_MANAGER, team=north)
    dates = {"entered": date(2026, 1, 5), "moved_in": date(2026, 6, 3)}
    adopted(1, on=date(2026, 10, 1), team=north, **dates)
    adopted(2, on=date(2026, 10, 1), team=south, **dates)
    client.force_login(manager)
    response = client.get(URL, {"as_of": "2026-11-27"})
    a10 = by_code(response.context["timeliness"])["a10"]
    assert a10.figures["year"].children == 1
    assert "your team’s" in response.content.decode()


def test_a_social_worker_is_refused(client, social_worker):
    client.force_login(social_worker)
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("children", [2, 30])
def test_the_page_costs_the_same_queries_however_many_children(
    client, senior_manager, django_assert_num_queries, children
):
    for number in range(children):
        adopted(
            number,
            on=date(2026, 10, 1),
            entered=date(2026, 1, 5),
            moved_in=date(2026, 6, 3),
            placement_order_date=date(2026, 2, 2),
            match_date=date(2026, 5, 1),
        )
    client.force_login(senior_manager)
    # Signing in: the session, the user, their second factor and roles (4); the measures
    # and the months (2); the audit entry and the session's idle clock, each in a savepoint
    # (6). Two of the twelve are the page's own.
    with django_assert_num_queries(12):
        assert client.get(URL, {"as_of": "2026-11-27"}).status_code == 200


def test_the_months_are_a_chart_with_its_text_alternative_table_and_csv(client, senior_manager):
    adopted(1, on=date(2026, 10, 1), entered=date(2026, 1, 5), moved_in=date(2026, 6, 3))
    client.force_login(senior_manager)
    page = client.get(URL, {"as_of": "2026-11-27"}).content.decode()
    assert "Line chart of A10 and A2, month by month, November 2025 to November 2026." in page
    assert "A10: 149 days in October 2026" in page
    assert "Figures: A10 and A2, month by month" in page
    assert "?as_of=2026-11-27&amp;csv=a10-a2-by-month" in page
    download = client.get(URL, {"as_of": "2026-11-27", "csv": "a10-a2-by-month"})
    rows = download.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "Month,A10,A2"
    assert "October 2026,149.0," in rows
    assert len(rows) == 14  # the header and 13 months


def test_the_foster_carer_adoption_date_is_on_the_child_page_and_its_form(client, administrator):
    adopted(
        1,
        on=date(2026, 9, 1),
        entered=date(2025, 3, 1),
        moved_in=date(2026, 2, 1),
        placement_order_date=date(2025, 10, 1),
        fostered_by_adopters_since=date(2025, 3, 10),
    )
    client.force_login(administrator)
    pk = Child.objects.get().pk
    page = client.get(reverse("tracker:child", args=[pk])).content.decode()
    assert "Moved in with the foster carers who are adopting them" in page
    assert "Monday 10 March 2025" in page
    form = client.get(reverse("tracker:child-update", args=[pk])).content.decode()
    assert "id_fostered_by_adopters_since_0" in form


@pytest.mark.parametrize(
    "as_of",
    ["9999-12-31", "0001-01-01", "1900-01-01", "2100-12-31", "2026-13-01", "\x00", "x" * 5000],
)
@pytest.mark.parametrize("url", [URL, reverse("minutes:panel_performance")])
def test_no_as_of_date_is_a_server_error(client, senior_manager, url, as_of):
    client.force_login(senior_manager)
    response = client.get(url, {"as_of": as_of})
    assert response.status_code == 200
    assert response.context["as_of"] is not None
