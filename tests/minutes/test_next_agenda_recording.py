"""The running order ends with Knowsley's Part 4: the next meeting's draft agenda, which the
chair agrees there, in the meeting, with one button."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from permanence.models import Notification
from permanence.roles import Role
from tests.days import LONDON
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

JANUARY, FEBRUARY = date(2027, 1, 5), date(2027, 2, 2)
PART_4 = "Part 4: Agree next agenda"


def at(day: date, hour: int = 11):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=LONDON), tick=False)


@pytest.fixture
def january(knowsley_meetings):
    return knowsley_meetings[0]


@pytest.fixture
def february(knowsley_meetings):
    assert knowsley_meetings[1].date == FEBRUARY
    return knowsley_meetings[1]


@pytest.fixture
def dan(book, february, knowsley, social_worker, team_manager):
    """Dan, booked into February's Part 2 for Staying Put."""
    child = ChildFactory(
        first_name="Dan",
        last_name="Lovelace",
        case_number="200451",
        panel=knowsley,
        social_worker=social_worker,
        team_manager=team_manager,
        team=social_worker.team,
    )
    return book(february, child, request="Staying Put")


@pytest.fixture
def chair_client(client, chair):
    """Signed in on each request's own day: a sign-in lasts a working day."""
    client.signed_in_as = chair
    return client


def running_order(client, meeting) -> str:
    client.force_login(client.signed_in_as)
    response = client.get(reverse("decisions:running-order", args=["knowsley", meeting.pk]))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def press(client, meeting):
    client.force_login(client.signed_in_as)
    return client.post(agree_url(meeting))


def agree_url(meeting) -> str:
    return reverse("decisions:next-agenda-agree", args=["knowsley", meeting.pk])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_running_order_ends_with_the_next_meetings_draft_and_the_button(
    chair_client, january, february, dan
):
    with at(JANUARY):
        page = running_order(chair_client, january)
    part_4 = page[page.index(f'<h2 class="govuk-heading-m">4. {PART_4}</h2>') :]
    assert f'href="/panels/knowsley/meetings/{february.pk}/agenda/">Tuesday 2 February 2027' in (
        part_4
    )
    assert "Dan Lovelace" in part_4 and "Staying Put" in part_4 and "10:15" in part_4
    assert "Not agreed yet" in part_4
    assert f'action="{agree_url(january)}"' in part_4
    assert ">Agree the next agenda</button>" in part_4


def test_before_the_day_the_chair_is_told_to_agree_it_at_the_meeting(chair_client, january, dan):
    with at(date(2027, 1, 4)):
        page = running_order(chair_client, january)
    assert "The panel meets on Tuesday 5 January 2027: agree the next agenda here" in page
    assert "Agree the next agenda</button>" not in page


def test_pressing_it_agrees_the_agenda_tells_the_presenters_and_says_so(
    chair_client, january, february, dan, django_capture_on_commit_callbacks
):
    with at(JANUARY), django_capture_on_commit_callbacks(execute=True):
        response = press(chair_client, january)
    assert response.status_code == 302
    assert response.url == (
        reverse("decisions:running-order", args=["knowsley", january.pk]) + "#next-agenda"
    )
    assert messages_of(response) == [
        "You agreed the agenda for Tuesday 2 February 2027. Each child's social worker and "
        "team manager is told (1 child)."
    ]
    february.refresh_from_db()
    assert february.agenda_agreed_at_meeting == january
    assert Notification.objects.filter(kind="booking_confirmed").count() == 2

    with at(JANUARY):
        page = running_order(chair_client, january)
    assert "Cara Chair agreed it on Tuesday 5 January 2027 at 11:00, at this meeting." in page
    assert "Agree the next agenda" not in page  # nothing left to agree

    # Pressed again from a page left open: refused in words, nobody told twice.
    with at(JANUARY), django_capture_on_commit_callbacks(execute=True):
        again = press(chair_client, january)
    assert messages_of(again) == [
        "The agenda for Tuesday 2 February 2027 is already agreed: Cara Chair agreed it on "
        "Tuesday 5 January 2027 at 11:00."
    ]
    assert Notification.objects.filter(kind="booking_confirmed").count() == 2


def test_an_administrator_sees_the_draft_but_only_the_chair_agrees_it(
    client, administrator, january, february, dan
):
    client.signed_in_as = administrator
    with at(JANUARY):
        page = running_order(client, january)
        assert "Dan Lovelace" in page
        assert "Agree the next agenda</button>" not in page
        response = press(client, january)
    assert messages_of(response) == ["Only the panel's chair or deputy chair can agree its agenda."]
    february.refresh_from_db()
    assert february.agenda_agreed_at is None


def test_someone_who_does_not_sit_on_the_panel_cannot_press_it(client, make_user, january):
    client.signed_in_as = make_user(Role.SOCIAL_WORKER)
    with at(JANUARY):
        assert press(client, january).status_code == 403


def test_with_no_next_meeting_the_running_order_says_so(chair_client, knowsley_meetings):
    march = knowsley_meetings[2]
    with at(march.date):
        page = running_order(chair_client, march)
        assert "No meeting of the panel is scheduled after this one" in page
        assert "Agree the next agenda</button>" not in page
        response = press(chair_client, march)
    assert messages_of(response)[0].startswith(
        "The Knowsley Multi-Agency Permanency Panel has no meeting scheduled after Tuesday 2 "
        "March 2027."
    )


def test_a_panel_that_agrees_no_next_agenda_shows_no_part_4(client, chair, meeting):
    with at(meeting.date):
        client.force_login(chair)
        response = client.get(reverse("decisions:running-order", args=["lancashire", meeting.pk]))
    assert "next-agenda" not in response.content.decode()
