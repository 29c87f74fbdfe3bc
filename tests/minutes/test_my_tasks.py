"""My tasks: what the signed-in person must do for panel and by when, each with its tag
and link, and nobody else's."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agendas.models import (
    BookingStatus,
    Meeting,
    PanelMembership,
    Submission,
)
from minutes.models import AttendanceStatus, Minutes, PanelAction
from minutes.services import attendance_record
from permanence.roles import Role
from tests.factories import ChildFactory, MeetingFactory, PanelFactory

pytestmark = pytest.mark.django_db

# Monday 11 January 2027. Lead times are the defaults: submissions and the agenda 5 working
# days before the panel, the minutes ratified 5 working days after it.
TODAY = date(2027, 1, 11)
HELD = date(2026, 12, 17)  # minutes to ratify by Thursday 24 December 2026 (overdue)
NEXT = date(2027, 1, 14)  # submission and agenda due Thursday 7 January 2027 (overdue)
AFTER = date(2027, 1, 28)  # agenda agreed already
FEBRUARY = date(2027, 2, 11)  # agenda to agree by Thursday 4 February 2027
APRIL = date(2027, 4, 8)  # agree-by date more than four weeks off: not listed yet


@pytest.fixture
def other_panel(people):
    return PanelFactory(slug="knowsley", name="Knowsley Panel", chair=people["kim"])


@pytest.fixture
def meetings(panel, other_panel, people):
    agreed = timezone.now()
    held = MeetingFactory(panel=panel, date=HELD)
    ratified = MeetingFactory(panel=panel, date=date(2026, 12, 3))
    Minutes.objects.create(meeting=ratified, ratified_at=agreed, ratified_by=people["chair"])
    return {
        "held": held,
        "ratified": ratified,
        "next": MeetingFactory(panel=panel, date=NEXT),
        "after": MeetingFactory(panel=panel, date=AFTER, agenda_agreed_at=agreed),
        "february": MeetingFactory(panel=panel, date=FEBRUARY),
        "april": MeetingFactory(panel=panel, date=APRIL),
        "other_held": MeetingFactory(panel=other_panel, date=HELD),
        "other_next": MeetingFactory(panel=other_panel, date=NEXT),
    }


@pytest.fixture
def tasks(people, meetings, place):
    ada = ChildFactory(first_name="Ada", last_name="Lovelace", case_number="100234")
    to_send = place(
        meetings["next"],
        social_worker=people["sam"],
        team_manager=people["tess"],
        child=ada,
    )
    sent = place(meetings["next"], social_worker=people["sam"])
    Submission.objects.create(booking=sent, submitted_at=timezone.now())
    place(meetings["next"], social_worker=people["kim"])  # someone else's
    place(
        meetings["february"],
        social_worker=people["sam"],
        status=BookingStatus.CANCELLED,
        cancelled_reason="Moved",
    )
    place(meetings["held"], social_worker=people["sam"])  # the panel has been
    action = PanelAction.objects.create(
        child=ada,
        description="Send the life story book",
        owner=people["sam"],
        due_date=date(2027, 1, 20),
    )
    PanelAction.objects.create(
        child=ada,
        description="Done already",
        owner=people["sam"],
        due_date=date(2027, 1, 5),
        completed_at=timezone.now(),
        completion_note="Done",
    )
    PanelAction.objects.create(
        child=ada, description="Kim's action", owner=people["kim"], due_date=date(2027, 1, 12)
    )
    return {"to_send": to_send, "action": action}


def page_for(client, user) -> str:
    with time_machine.travel(TODAY, tick=False):
        client.force_login(user)
        response = client.get(reverse("minutes:my-tasks"))
    assert response.status_code == 200
    return response.content.decode()


def overdue(day: str) -> str:
    return f'{day} <strong class="govuk-tag govuk-tag--red">Overdue</strong>'


def due_soon(day: str) -> str:
    return f'{day} <strong class="govuk-tag govuk-tag--yellow">Due soon</strong>'


def test_the_social_worker_sees_their_submission_and_action_only(client, people, tasks):
    page = page_for(client, people["sam"])
    assert "Submissions to send" in page and "Actions from panel" in page
    assert "Agendas to agree" not in page and "Minutes to ratify" not in page
    assert reverse("bookings:submission", args=[tasks["to_send"].pk]) in page
    assert page.count("Send the submission<") == 1  # not the sent one, nor Kim's
    assert overdue("Thursday 7 January 2027") in page  # the submission, 5 working days before
    assert "Send the life story book" in page and due_soon("Wednesday 20 January 2027") in page
    assert reverse("minutes:action-complete", args=[tasks["action"].pk]) in page
    assert "Done already" not in page and "Kim&#x27;s action" not in page


def test_the_team_manager_sees_the_submission_they_answer_for(client, people, tasks):
    page = page_for(client, people["tess"])
    assert reverse("bookings:submission", args=[tasks["to_send"].pk]) in page
    assert "Ada Lovelace" in page
    assert "Actions from panel" not in page


def test_the_chair_sees_agendas_to_agree_and_minutes_to_ratify(client, people, meetings):
    page = page_for(client, people["chair"])
    agenda = reverse("agendas:agenda", args=["somerset", meetings["next"].pk])
    assert agenda in page and overdue("Thursday 7 January 2027") in page
    assert reverse("agendas:agenda", args=["somerset", meetings["february"].pk]) in page
    assert due_soon("Thursday 4 February 2027") in page
    for not_listed in ("after", "april"):
        assert reverse("agendas:agenda", args=["somerset", meetings[not_listed].pk]) not in page
    assert reverse("minutes:minutes", args=["somerset", meetings["held"].pk]) in page
    assert overdue("Thursday 24 December 2026") in page
    assert reverse("minutes:minutes", args=["somerset", meetings["ratified"].pk]) not in page
    assert "knowsley" not in page  # another chair's panel
    assert "Submissions to send" not in page


def test_the_deputy_agrees_agendas_and_ratifies_when_acting_as_chair(client, people, meetings):
    # Issue 12 decided this: the deputy agrees agendas as the chair does, but ratifies only
    # the minutes of a meeting they chaired, the chair being recorded away (North Somerset's
    # joint chairs both ratify: tests/minutes/test_joint_chairs.py).
    page = page_for(client, people["deputy"])
    assert reverse("agendas:agenda", args=["somerset", meetings["next"].pk]) in page
    assert reverse("minutes:minutes", args=["somerset", meetings["held"].pk]) not in page
    assert reverse("minutes:minutes", args=["somerset", meetings["ratified"].pk]) not in page

    seat = PanelMembership.objects.create(
        panel=meetings["held"].panel, role_on_panel="Head of Service (chair)", user=people["chair"]
    )
    attendance_record(
        meeting=meetings["held"], rows=[{"membership": seat, "status": AttendanceStatus.APOLOGIES}]
    )
    page = page_for(client, people["deputy"])
    assert reverse("minutes:minutes", args=["somerset", meetings["held"].pk]) in page
    assert reverse("minutes:minutes", args=["somerset", meetings["ratified"].pk]) not in page


def test_an_agenda_changed_since_it_was_agreed_is_to_agree_again(client, people, meetings):
    Meeting.objects.filter(pk=meetings["after"].pk).update(agenda_changed_at=timezone.now())
    page = page_for(client, people["chair"])
    assert reverse("agendas:agenda", args=["somerset", meetings["after"].pk]) in page
    assert "Agree the agenda again" in page


def test_someone_with_nothing_to_do_is_told_so(client, people, tasks, make_user):
    # Issue 11 gave administrators tasks of their own; a new social worker has none.
    page = page_for(client, make_user(Role.SOCIAL_WORKER))
    assert "You have nothing to do for panel at the moment." in page


def test_my_tasks_is_in_everyones_navigation_and_on_the_home_page(client, people):
    client.force_login(people["sam"])
    home = client.get(reverse("home")).content.decode()
    assert home.count(f'href="{reverse("minutes:my-tasks")}"') == 2  # the menu and the list


def test_the_page_takes_the_same_queries_however_many_tasks(client, people, meetings, place):
    def queries() -> int:
        with time_machine.travel(TODAY, tick=False):
            client.force_login(people["chair"])
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("minutes:my-tasks")).status_code == 200
        return len(ctx)

    place(meetings["next"], social_worker=people["chair"])
    PanelAction.objects.create(
        child=ChildFactory(), description="One", owner=people["chair"], due_date=TODAY
    )
    few = queries()
    for n in range(5):
        place(meetings["february"], social_worker=people["chair"], team_manager=people["sam"])
        PanelAction.objects.create(
            child=ChildFactory(), description=f"More {n}", owner=people["chair"], due_date=TODAY
        )
        MeetingFactory(panel=meetings["held"].panel, date=date(2026, 11, 2 + n))
    assert queries() == few
