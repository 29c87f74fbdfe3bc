"""Who ratifies the minutes, decided once (issue 12): the chair; the deputy chair when they
acted as chair, which the attendance shows by recording the chair away; and either of
North Somerset's joint chairs. The page, the service, My tasks and the reminders agree."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from agendas import services as agendas_services
from agendas.models import Panel
from minutes import services
from minutes.models import AttendanceStatus
from minutes.my_tasks import tasks_of
from minutes.notices import MINUTES_REMINDER, minutes_notices_due
from minutes.permissions import can_ratify
from permanence.roles import Role
from permanence.workdays import calendar

pytestmark = pytest.mark.django_db

BOOKED_ON = date(2026, 12, 1)
# Somerset meets fortnightly on Thursdays: 14 January 2027, the minutes due by the 21st and
# the reminder on Tuesday 19 January.
MEETING, REMINDER_DAY = date(2027, 1, 14), date(2027, 1, 19)


@pytest.fixture
def people(make_user, administrator):
    return {
        "chair": make_user(Role.CHAIR, first_name="Cara"),
        "deputy": make_user(Role.CHAIR, first_name="Dee"),
        "member": make_user(Role.PANEL_MEMBER, first_name="Mo"),
        "administrator": administrator,
    }


@pytest.fixture
def panel(people):
    agendas_services.panel_preset_load(slug="somerset")
    panel = Panel.objects.get(slug="somerset")
    agendas_services.panel_update(panel=panel, chair=people["chair"], deputy_chair=people["deputy"])
    return panel


@pytest.fixture
def meeting(panel):
    with time_machine.travel(BOOKED_ON, tick=False):
        return agendas_services.meetings_schedule(panel=panel, start=MEETING, end=MEETING).created[
            0
        ]


@pytest.fixture
def seats(panel, people):
    """The chair's and the member's seats on the panel, as the terms of reference list them."""
    chair_seat = agendas_services.panel_membership_create(
        panel=panel, role_on_panel="Head of Service (chair)", user=people["chair"]
    )
    member_seat = panel.memberships.exclude(pk=chair_seat.pk).first()
    agendas_services.panel_membership_update(membership=member_seat, user=people["member"])
    return {"chair": chair_seat, "member": member_seat}


def chair_was(meeting, seats, status):
    row = {"membership": seats["chair"], "status": status}
    if status == AttendanceStatus.REPRESENTED:
        row["representative_name"] = "Dee, the deputy chair"
    services.attendance_record(meeting=meeting, rows=[row])


def may_ratify(people, meeting) -> set[str]:
    return {who for who, person in people.items() if can_ratify(person, meeting)}


def asked_on_my_tasks(people) -> set[str]:
    return {
        who
        for who, person in people.items()
        if any(
            task.kind == "ratify"
            for task in tasks_of(person, today=REMINDER_DAY, working_days=calendar()).lines
        )
    }


def reminded_as_chair(people) -> set[str]:
    with time_machine.travel(REMINDER_DAY, tick=False):
        notices = minutes_notices_due(today=REMINDER_DAY, working_days=calendar())
    chairs = {n.recipient for n in notices if n.kind == MINUTES_REMINDER and n.context["is_chair"]}
    return {who for who, person in people.items() if person in chairs}


def test_the_chair_ratifies_and_a_deputy_who_did_not_chair_does_not(people, meeting, seats):
    assert may_ratify(people, meeting) == {"chair"}
    chair_was(meeting, seats, AttendanceStatus.PRESENT)
    assert may_ratify(people, meeting) == {"chair"}


@pytest.mark.parametrize("away", [AttendanceStatus.APOLOGIES, AttendanceStatus.REPRESENTED])
def test_the_deputy_ratifies_a_meeting_the_chair_was_recorded_away_from(
    people, meeting, seats, away
):
    chair_was(meeting, seats, away)
    assert may_ratify(people, meeting) == {"chair", "deputy"}


def test_a_member_sending_apologies_makes_no_one_else_chair(people, meeting, seats):
    services.attendance_record(
        meeting=meeting,
        rows=[{"membership": seats["member"], "status": AttendanceStatus.APOLOGIES}],
    )
    assert may_ratify(people, meeting) == {"chair"}


def test_either_joint_chair_ratifies(people, panel, meeting):
    agendas_services.panel_update(panel=panel, deputy_is_joint_chair=True)
    assert may_ratify(people, meeting) == {"chair", "deputy"}


def test_a_deactivated_chair_does_not_ratify(people, meeting):
    people["chair"].is_active = False
    people["chair"].save()
    assert may_ratify(people, meeting) == set()


def test_the_service_tells_a_deputy_who_did_not_chair_what_to_record(people, meeting, seats):
    with time_machine.travel(REMINDER_DAY, tick=False):
        with pytest.raises(ValidationError, match="record the chair's apologies"):
            services.minutes_ratify(meeting=meeting, chair=people["deputy"])
        chair_was(meeting, seats, AttendanceStatus.APOLOGIES)
        minutes = services.minutes_ratify(meeting=meeting, chair=people["deputy"])
    assert minutes.ratified_by == people["deputy"]


def test_the_minutes_page_offers_ratifying_to_those_who_may(client, people, meeting, seats):
    url = reverse("minutes:minutes", args=[meeting.panel.slug, meeting.pk])

    def offered() -> set[str]:
        shown = set()
        for who, person in people.items():
            client.force_login(person)
            if "Ratify the minutes" in client.get(url).content.decode():
                shown.add(who)
        return shown

    assert offered() == {"chair"}
    chair_was(meeting, seats, AttendanceStatus.APOLOGIES)
    assert offered() == {"chair", "deputy"}


@pytest.mark.parametrize("situation", ["chair present", "chair away", "joint chairs"])
def test_my_tasks_and_the_reminders_ask_exactly_those_who_may_ratify(
    people, panel, meeting, seats, situation
):
    if situation == "chair present":
        chair_was(meeting, seats, AttendanceStatus.PRESENT)
    elif situation == "chair away":
        chair_was(meeting, seats, AttendanceStatus.APOLOGIES)
    else:
        agendas_services.panel_update(panel=panel, deputy_is_joint_chair=True)
    who = may_ratify(people, meeting)
    assert asked_on_my_tasks(people) == who
    assert reminded_as_chair(people) == who
