"""A saved tracker filter as the source of a meeting's tracking list (issue 13: "from a
tracker filter: … or any saved tracker filter"): the panel's tracked children it finds, its
flags judged as of the meeting date, with the reason and markers of the built-in rules."""

import itertools
from datetime import date, timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.urls import reverse

from agendas import selectors, services
from agendas.models import Booking
from tests.days import BOOKED_ON
from tests.factories import PanelFactory, winter_meetings
from tracker import services as tracker_services
from tracker.models import SavedFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def north_somerset(chair):
    return PanelFactory(preset="north-somerset", chair=chair)


@pytest.fixture
def meeting(north_somerset):
    return winter_meetings(north_somerset)[0]


@pytest.fixture
def tracking(north_somerset):
    return north_somerset.sections.get(tracking=True)


@pytest.fixture
def make_child(north_somerset, team, social_worker, team_manager):
    numbers = itertools.count()

    def make(*, panel=north_somerset, **fields):
        n = next(numbers)
        return tracker_services.child_create(
            case_number=f"SV{n:04d}",
            first_name=f"Child{n}",
            last_name="Saved",
            panel=panel,
            team=team,
            social_worker=social_worker,
            team_manager=team_manager,
            **fields,
        )

    return make


@pytest.fixture
def not_discussed(administrator):
    return tracker_services.saved_filter_create(
        name="Not discussed in 3 months",
        query="flag=not_discussed_at_panel",
        saved_by=administrator,
    )


def url(meeting, section, **query):
    path = reverse("agendas:tracking-list", args=[meeting.panel.slug, meeting.pk, section.pk])
    return path, query


def test_the_flags_are_judged_on_the_meeting_date_at_the_boundary(
    meeting, tracking, make_child, not_discussed
):
    """Next panel due the day before, the day of and the day after the meeting: only the
    first is past it on the meeting date."""
    three_months_before = meeting.date - relativedelta(months=3)
    children = [
        make_child(looked_after_since=three_months_before + timedelta(days=shift))
        for shift in (-1, 0, 1)
    ]
    assert [c.next_panel_due - meeting.date for c in children] == [
        timedelta(days=-1),
        timedelta(0),
        timedelta(days=1),
    ]
    found = selectors.tracking_candidates(
        meeting=meeting, section=tracking, rule=selectors.saved_rule(not_discussed)
    )
    assert [c.child for c in found] == children[:1]
    assert found[0].reason == "Matches the saved filter “Not discussed in 3 months”"


def test_only_this_panels_tracked_children(meeting, tracking, make_child, administrator, somerset):
    adoption = tracker_services.saved_filter_create(
        name="Adoption", query="cohort=adoption", saved_by=administrator
    )
    ours = make_child(looked_after_since=date(2026, 6, 1), placement_order_date=date(2026, 9, 1))
    make_child(
        panel=somerset, looked_after_since=date(2026, 6, 1), placement_order_date=date(2026, 9, 1)
    )
    make_child(
        looked_after_since=date(2026, 6, 1),
        placement_order_date=date(2026, 9, 1),
        permanence_secured_date=date(2026, 11, 2),
    )
    make_child(looked_after_since=date(2026, 6, 1))
    found = selectors.tracking_candidates(
        meeting=meeting, section=tracking, rule=selectors.saved_rule(adoption)
    )
    assert [c.child for c in found] == [ours]


def test_a_saved_filter_of_all_children_finds_only_the_tracked(
    meeting, tracking, make_child, administrator
):
    """A filter saved with "All children" still never puts a secured child on a list."""
    everyone = tracker_services.saved_filter_create(
        name="Everyone", query="status=all", saved_by=administrator
    )
    tracked = make_child(looked_after_since=date(2026, 6, 1))
    make_child(looked_after_since=date(2026, 6, 1), permanence_secured_date=date(2026, 11, 2))
    found = selectors.tracking_candidates(
        meeting=meeting, section=tracking, rule=selectors.saved_rule(everyone)
    )
    assert [c.child for c in found] == [tracked]


def test_in_the_order_and_with_the_markers_of_the_built_in_rules(
    meeting, tracking, make_child, administrator, not_discussed
):
    for month in (3, 1, 2):
        make_child(looked_after_since=date(2026, month, 2))
    with time_machine.travel(BOOKED_ON, tick=False):
        on_list = selectors.tracking_candidates(meeting=meeting, section=tracking, rule="due")[0]
        services.tracking_list_add(
            meeting=meeting, section=tracking, children=[on_list.child], booked_by=administrator
        )
    saved = selectors.tracking_candidates(
        meeting=meeting, section=tracking, rule=selectors.saved_rule(not_discussed)
    )
    built_in = selectors.tracking_candidates(meeting=meeting, section=tracking, rule="due")
    assert [c.child for c in saved] == [c.child for c in built_in]
    assert [c.child.looked_after_since.month for c in saved] == [1, 2, 3]
    assert [(c.on_this_list, c.on_this_agenda) for c in saved] == [
        (True, True),
        (False, False),
        (False, False),
    ]


def test_the_page_offers_saved_filters_below_the_built_in_rules(
    administrator_client, meeting, tracking, not_discussed
):
    path, _ = url(meeting, tracking)
    page = administrator_client.get(path).content.decode()
    rules = page.index('value="all"')
    divider = page.index("or a saved tracker filter")
    saved = page.index(f'value="saved-{not_discussed.pk}"')
    assert rules < divider < saved
    assert "Not discussed in 3 months</label>" in page


def test_the_page_builds_the_list_from_a_saved_filter(
    client, administrator, meeting, tracking, make_child, not_discussed
):
    overdue = [make_child(looked_after_since=date(2026, 6, 1)) for _ in range(3)]
    make_child(looked_after_since=meeting.date - timedelta(days=7))
    rule = selectors.saved_rule(not_discussed)
    path, query = url(meeting, tracking, rule=rule)
    with time_machine.travel(BOOKED_ON, tick=False):
        client.force_login(administrator)
        page = client.get(path, query).content.decode()
        assert "3 children found" in page
        assert page.count("Matches the saved filter “Not discussed in 3 months”") == 3
        response = client.post(path, {"rule": rule, "child": [c.pk for c in overdue[:2]]})
    assert response.url == reverse("agendas:meeting", args=[meeting.panel.slug, meeting.pk])
    assert {b.child for b in Booking.objects.filter(meeting=meeting, section=tracking)} == set(
        overdue[:2]
    )


def test_a_removed_saved_filter_is_no_choice(
    administrator_client, meeting, tracking, make_child, not_discussed
):
    make_child(looked_after_since=date(2026, 6, 1))
    rule = selectors.saved_rule(not_discussed)
    not_discussed.delete()
    path, query = url(meeting, tracking, rule=rule)
    assert administrator_client.get(path, query).context["candidates"] == []
    response = administrator_client.post(path, {"rule": rule})
    assert response.status_code == 302 and response.url == path
    assert not Booking.objects.exists()


def test_a_saved_filter_that_no_longer_works_says_so(
    administrator_client, meeting, tracking, administrator
):
    # Saved naming a team since gone: written directly, as the service would refuse it now.
    broken = SavedFilter.objects.create(
        name="Old team", query="team=999999", saved_by=administrator
    )
    path, query = url(meeting, tracking, rule=selectors.saved_rule(broken))
    page = administrator_client.get(path, query).content.decode()
    assert "There is a problem" in page
    assert "The saved filter “Old team” no longer works" in page
