"""The bookings page and a panel's waiting list, read a page at a time (issue 17): which
bookings each filter lists, in what order, and that a page costs the same queries however
many bookings there are."""

import re
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agendas import services
from agendas.models import Meeting
from permanence.roles import Role
from tests.factories import ChildFactory, MeetingFactory, PanelFactory, TeamFactory

pytestmark = pytest.mark.django_db

# Lancashire's February panel meets today: its January panel is held, March's to come.
TODAY = date(2027, 2, 10)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def per_page(monkeypatch):
    """Pages of two rows, so a handful of bookings fills several."""
    monkeypatch.setattr("agendas.views.bookings.PER_PAGE", 2)


@pytest.fixture
def wait(administrator):
    def wait(panel, child=None):
        return services.booking_add_to_waiting_list(
            panel=panel,
            child=child or ChildFactory(panel=panel),
            request_type=panel.request_types.get(name="New to care"),
            reason="No room at the next panel",
            booked_by=administrator,
        )

    return wait


def case_numbers(response) -> list[str]:
    """The case numbers the page lists, in its order."""
    return re.findall(r'govuk-hint govuk-!-margin-bottom-0">([^<]+)</span>', response.text)


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_bookings_to_come_are_listed_by_meeting_date_then_children_waiting_across_pages(
    client, administrator, book, wait, meetings, lancashire, per_page
):
    book(meetings[2], ChildFactory(case_number="MAR-1", panel=lancashire))
    book(meetings[1], ChildFactory(case_number="FEB-1", panel=lancashire))
    book(meetings[0], ChildFactory(case_number="JAN-1", panel=lancashire))  # held
    for n in (1, 2, 3):
        wait(lancashire, ChildFactory(case_number=f"WAIT-{n}"))
    client.force_login(administrator)
    url = reverse("bookings:list")

    pages = [case_numbers(client.get(url, {"page": n})) for n in (1, 2, 3)]

    assert pages == [["FEB-1", "MAR-1"], ["WAIT-1", "WAIT-2"], ["WAIT-3"]]
    first = client.get(url).text
    assert (
        "5 children: booked for meetings from today (Wednesday 10 February 2027) on, "
        "then waiting for a meeting" in first
    )
    assert "Showing 1 to 2" in first
    assert 'aria-current="page">1</a>' in first
    # A page past the last shows the last, and one that is not a number the first.
    assert case_numbers(client.get(url, {"page": 9})) == ["WAIT-3"]
    assert case_numbers(client.get(url, {"page": "x"})) == ["FEB-1", "MAR-1"]


def test_the_filters_stay_in_each_page_link(
    client, administrator, book, meetings, lancashire, per_page
):
    for n in range(5):
        book(meetings[2], ChildFactory(case_number=f"MAR-{n}", panel=lancashire))
    client.force_login(administrator)

    page = client.get(reverse("bookings:list"), {"panel": "lancashire", "page": 2}).text

    assert 'href="?panel=lancashire&amp;page=3"' in page
    assert 'href="?panel=lancashire&amp;page=1" rel="prev"' in page
    assert '<option value="lancashire" selected>' in page


def test_meetings_held_are_those_of_the_last_three_months_latest_first(
    client, administrator, book, meetings, lancashire
):
    april = MeetingFactory(panel=lancashire, date=date(2027, 4, 14))
    for meeting, case_number in zip(
        [*meetings, april], ("EDGE", "BEFORE", "TODAY", "LATER"), strict=True
    ):
        book(meeting, ChildFactory(case_number=case_number, panel=lancashire))
    # Three months before today is the first day held; the day before it is not; today's
    # meeting is still to come.
    for meeting, held_on in zip(
        [*meetings, april],
        (date(2026, 11, 10), date(2026, 11, 9), TODAY, date(2027, 1, 13)),
        strict=True,
    ):
        Meeting.objects.filter(pk=meeting.pk).update(date=held_on)
    client.force_login(administrator)

    held = client.get(reverse("bookings:list"), {"show": "held"})
    coming = client.get(reverse("bookings:list"))

    assert case_numbers(held) == ["LATER", "EDGE"]
    assert (
        "2 children booked for meetings held from Tuesday 10 November 2026 to yesterday"
        in held.text
    )
    assert case_numbers(coming) == ["TODAY"]


def test_a_panel_and_the_waiting_list_filter_the_list(
    client, administrator, book, wait, meetings, lancashire
):
    somerset = PanelFactory(preset="somerset")
    book(meetings[2], ChildFactory(case_number="LANC-BOOKED", panel=lancashire))
    wait(lancashire, ChildFactory(case_number="LANC-WAITING"))
    somerset.request_types.create(name="New to care")
    wait(somerset, ChildFactory(case_number="SOM-WAITING"))
    client.force_login(administrator)
    url = reverse("bookings:list")

    assert case_numbers(client.get(url)) == ["LANC-BOOKED", "LANC-WAITING", "SOM-WAITING"]
    assert case_numbers(client.get(url, {"panel": "somerset"})) == ["SOM-WAITING"]
    assert case_numbers(client.get(url, {"show": "waiting"})) == ["LANC-WAITING", "SOM-WAITING"]
    assert case_numbers(client.get(url, {"show": "waiting", "panel": "lancashire"})) == [
        "LANC-WAITING"
    ]
    # A choice the form does not offer lists what the page lists by default.
    assert case_numbers(client.get(url, {"show": "all", "panel": "nowhere"})) == [
        "LANC-BOOKED",
        "LANC-WAITING",
        "SOM-WAITING",
    ]
    empty = client.get(url, {"show": "held", "panel": "somerset"}).text
    assert "No children you can see were booked for meetings held" in empty


def test_a_social_worker_sees_only_their_own_whatever_they_choose(
    client, book, wait, meetings, lancashire, ada, social_worker
):
    book(meetings[2], ada)
    book(meetings[2], ChildFactory(case_number="NOT-THEIRS", panel=lancashire))
    wait(lancashire, ChildFactory(case_number="THEIRS-WAITING", social_worker=social_worker))
    wait(lancashire, ChildFactory(case_number="NOT-THEIRS-WAITING"))
    client.force_login(social_worker)
    url = reverse("bookings:list")

    for filters, expected in (
        ({}, ["100234", "THEIRS-WAITING"]),
        ({"panel": "lancashire"}, ["100234", "THEIRS-WAITING"]),
        ({"show": "waiting"}, ["THEIRS-WAITING"]),
        ({"show": "held"}, []),
    ):
        assert case_numbers(client.get(url, filters)) == expected, filters


def test_another_teams_social_worker_sees_none_of_them(
    client, make_user, book, wait, meetings, lancashire, ada
):
    book(meetings[2], ada)
    wait(lancashire, ada)
    client.force_login(make_user(Role.SOCIAL_WORKER, team=TeamFactory(name="Another team")))

    for show in ("coming", "held", "waiting"):
        page = client.get(reverse("bookings:list"), {"show": show}).text
        assert "Lovelace" not in page and "100234" not in page


@pytest.fixture
def add_bookings(book, wait, meetings, lancashire):
    """add(n): n children booked to come, n at a meeting held, n waiting."""
    held = MeetingFactory(panel=lancashire, date=date(2027, 4, 14))

    def add(count):
        # Booked when the meeting was to come, then held: January's.
        Meeting.objects.filter(pk=held.pk).update(date=date(2027, 4, 14))
        for _ in range(count):
            book(meetings[2])
            book(held)
            wait(lancashire)
        Meeting.objects.filter(pk=held.pk).update(date=date(2027, 1, 6))

    return add


@pytest.mark.parametrize("show", ["coming", "held", "waiting"])
def test_a_page_of_bookings_costs_the_same_queries_for_three_children_or_thirteen(
    client, administrator, add_bookings, per_page, show
):
    client.force_login(administrator)
    url = reverse("bookings:list") + f"?show={show}"
    add_bookings(3)
    with_three = queries_for(client, url)
    add_bookings(10)
    assert queries_for(client, url) == with_three
    assert len(case_numbers(client.get(url))) == 2


@pytest.mark.parametrize("show", ["coming", "held", "waiting"])
def test_each_row_of_a_page_costs_no_query_of_its_own(client, administrator, add_bookings, show):
    client.force_login(administrator)
    url = reverse("bookings:list") + f"?show={show}"
    add_bookings(1)
    with_one = queries_for(client, url)
    add_bookings(12)
    assert queries_for(client, url) == with_one
    assert len(case_numbers(client.get(url))) == (26 if show == "coming" else 13)


def test_a_page_of_the_waiting_list_costs_the_same_queries_for_one_child_or_thirteen(
    client, administrator, wait, lancashire, per_page
):
    client.force_login(administrator)
    url = reverse("agendas:waiting-list", args=["lancashire"])
    wait(lancashire, ChildFactory(case_number="WAIT-00"))
    with_one = queries_for(client, url)
    for n in range(1, 13):
        wait(lancashire, ChildFactory(case_number=f"WAIT-{n:02d}"))

    # The page grew from one row to two, and the list to seven pages, in the same queries.
    assert queries_for(client, url) == with_one
    first, last = client.get(url), client.get(url, {"page": 7})
    assert case_numbers(first) == ["WAIT-00", "WAIT-01"]
    assert "13 children waiting for a place, longest waiting first" in first.text
    assert case_numbers(last) == ["WAIT-12"]
    assert 'href="?page=6" rel="prev"' in last.text
