"""Lancashire's "New Children Looked After" (agenda item 2): children looked after in the
last 12 weeks, by second review due, each booked with one click before that review."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agendas import services
from agendas.models import BookingStatus
from agendas.selectors import new_children_looked_after
from tests.days import BOOKED_ON, FEBRUARY, JANUARY
from tests.factories import ChildFactory
from tracker import services as tracker_services

pytestmark = pytest.mark.django_db


def looked_after(panel, since: date, **fields):
    return tracker_services.child_create(
        case_number=ChildFactory.build().case_number,
        first_name="New",
        last_name=fields.pop("last_name", "Child"),
        panel=panel,
        looked_after_since=since,
        **fields,
    )


def test_the_last_12_weeks_sorted_by_second_review_due(lancashire, somerset, administrator):
    later = looked_after(lancashire, date(2026, 11, 2), last_name="Later")
    sooner = looked_after(lancashire, date(2026, 9, 14), last_name="Sooner")
    looked_after(lancashire, BOOKED_ON - timedelta(weeks=12), last_name="Too long ago")
    tracker_services.child_create(case_number="NOPANEL", first_name="No", last_name="Panel")
    looked_after(somerset, date(2026, 11, 2), last_name="Somerset has no item 2")
    rows = list(new_children_looked_after(administrator, today=BOOKED_ON))
    assert [child.last_name for child in rows] == ["Sooner", "Later"]
    assert sooner.second_review_due < later.second_review_due


def test_scoped_to_the_children_the_user_may_see(lancashire, social_worker, make_user):
    own = looked_after(lancashire, date(2026, 11, 2), social_worker=social_worker)
    looked_after(lancashire, date(2026, 11, 2))
    assert list(new_children_looked_after(social_worker, today=BOOKED_ON)) == [own]


def test_booked_at_the_first_meeting_with_room_before_the_second_review(
    lancashire, meetings, administrator
):
    # Looked after 2 November 2026: first review due 30 November, second by 28 February.
    child = looked_after(lancashire, date(2026, 11, 2))
    assert child.second_review_due == date(2027, 2, 28)
    with time_machine.travel(BOOKED_ON, tick=False):
        booking = services.booking_new_to_care(
            child=child, booked_by=administrator, today=BOOKED_ON
        )
    assert booking.meeting.date == JANUARY
    assert (booking.request_type.name, booking.section.name) == (
        "New to care",
        "New Children Looked After",
    )
    assert booking.status == BookingStatus.BOOKED


def test_the_next_available_when_no_meeting_before_the_review_has_room(
    lancashire, meetings, administrator
):
    # Second review due 30 December 2026: no meeting before it, so January's.
    child = looked_after(lancashire, date(2026, 9, 1), first_review_date=date(2026, 9, 30))
    assert child.second_review_due == date(2026, 12, 30)
    with time_machine.travel(BOOKED_ON, tick=False):
        booking = services.booking_new_to_care(
            child=child, booked_by=administrator, today=BOOKED_ON
        )
    assert booking.meeting.date == JANUARY


def test_a_full_january_moves_the_child_to_february(lancashire, meetings, administrator, book):
    for _ in range(meetings[0].slots.count()):
        book(meetings[0])
    child = looked_after(lancashire, date(2026, 11, 2))
    with time_machine.travel(BOOKED_ON, tick=False):
        booking = services.booking_new_to_care(
            child=child, booked_by=administrator, today=BOOKED_ON
        )
    assert booking.meeting.date == FEBRUARY


def test_a_panel_without_new_children_looked_after_refuses(somerset, administrator):
    child = looked_after(somerset, date(2026, 11, 2))
    with pytest.raises(ValidationError, match="no agenda section for new children"):
        services.booking_new_to_care(child=child, booked_by=administrator, today=BOOKED_ON)


def test_the_page_books_with_one_click_and_then_shows_the_booking(
    client, administrator, lancashire, meetings
):
    child = looked_after(lancashire, date(2026, 11, 2), last_name="Clicked")
    url = reverse("new-to-care:list")
    with time_machine.travel(BOOKED_ON, tick=False):
        client.force_login(administrator)
        page = client.get(url).content.decode()
        assert f'action="{reverse("new-to-care:book", args=[child.pk])}"' in page
        response = client.post(reverse("new-to-care:book", args=[child.pk]))
        assert response.url == url
        page = client.get(url).content.decode()
    assert "is booked." in page
    assert "Booked</strong> for Wednesday 13 January 2027" in page
    assert f'action="{reverse("new-to-care:book", args=[child.pk])}"' not in page


def test_the_list_costs_the_same_queries_however_many_children(
    client, administrator, lancashire, meetings
):
    def queries():
        with time_machine.travel(BOOKED_ON, tick=False):
            client.force_login(administrator)
            with CaptureQueriesContext(connection) as ctx:
                client.get(reverse("new-to-care:list"))
        return len(ctx)

    looked_after(lancashire, date(2026, 11, 2))
    few = queries()
    for n in range(5):
        looked_after(lancashire, date(2026, 10, 1) + timedelta(days=n))
    assert queries() == few
