"""North Somerset's joint chairs: both agree agendas, ratify and get the chair's reminders."""

from datetime import date

import pytest
import time_machine

from agendas import services as agendas_services
from agendas.models import Panel
from minutes import services
from minutes.notices import MINUTES_REMINDER, minutes_notices_due
from permanence.roles import Role
from permanence.workdays import calendar
from tests.days import BOOKED_ON
from tests.factories import BookingFactory, PanelFactory, decide, winter_meetings

pytestmark = pytest.mark.django_db

# North Somerset meets on the third Tuesday: 19 January and 16 February 2027.
JANUARY, FEBRUARY = date(2027, 1, 19), date(2027, 2, 16)


@pytest.fixture
def north_somerset(make_user):
    return PanelFactory(
        preset="north-somerset", chair=make_user(Role.CHAIR), deputy_chair=make_user(Role.CHAIR)
    )


@pytest.fixture
def north_somerset_meetings(north_somerset):
    """North Somerset's 19 January and 16 February 2027."""
    return winter_meetings(north_somerset, end=date(2027, 2, 28))


def decided(meeting, administrator, chair):
    with time_machine.travel(BOOKED_ON, tick=False):
        booking = BookingFactory(meeting=meeting, reason="New to PLO", booked_by=administrator)
    with time_machine.travel(meeting.date, tick=False):
        decide(
            booking,
            "Refuse",
            chair,
            rationale="Panel is not satisfied the plan meets the child's needs.",
        )


def test_the_preset_makes_north_somersets_chairs_joint_and_no_other_panels(north_somerset):
    assert north_somerset.deputy_is_joint_chair
    assert north_somerset.chair_title == "Joint chairs"
    assert north_somerset.deputy_title == "Joint chair"
    agendas_services.panel_preset_load(slug="lancashire")
    lancashire = Panel.objects.get(slug="lancashire")
    assert not lancashire.deputy_is_joint_chair
    assert (lancashire.chair_title, lancashire.deputy_title) == ("Chair", "Deputy chair")


def test_each_joint_chair_agrees_the_agenda_and_ratifies_the_minutes(
    north_somerset, north_somerset_meetings, administrator
):
    first, second = north_somerset.chair, north_somerset.deputy_chair
    january, february = north_somerset_meetings
    with time_machine.travel(BOOKED_ON, tick=False):
        agendas_services.agenda_agree(meeting=january, chair=first)
        agendas_services.agenda_agree(meeting=february, chair=second)
    january.refresh_from_db()
    february.refresh_from_db()
    assert (january.agenda_agreed_by, february.agenda_agreed_by) == (first, second)

    decided(january, administrator, first)
    decided(february, administrator, second)
    with time_machine.travel(FEBRUARY, tick=False):
        assert services.minutes_ratify(meeting=january, chair=second).ratified_by == second
        assert services.minutes_ratify(meeting=february, chair=first).ratified_by == first


def test_both_joint_chairs_get_the_reminder_to_ratify_but_a_deputy_does_not(
    north_somerset, north_somerset_meetings, administrator
):
    january = north_somerset_meetings[0]
    decided(january, administrator, north_somerset.chair)
    # Ratify by 5 working days after Tuesday 19 January: Tuesday 26 January 2027.
    due = date(2027, 1, 26)
    with time_machine.travel(due, tick=False):
        notices = minutes_notices_due(today=due, working_days=calendar())
    told = {n.recipient for n in notices if n.kind == MINUTES_REMINDER}
    assert {north_somerset.chair, north_somerset.deputy_chair, administrator} == told

    agendas_services.panel_update(panel=north_somerset, deputy_is_joint_chair=False)
    with time_machine.travel(due, tick=False):
        notices = minutes_notices_due(today=due, working_days=calendar())
    assert north_somerset.deputy_chair not in {n.recipient for n in notices}


def test_the_panel_pages_name_joint_chairs(client, north_somerset, administrator):
    client.force_login(administrator)
    names = f"{north_somerset.chair} and {north_somerset.deputy_chair}"
    assert names in client.get("/panels/").content.decode()
    page = client.get(f"/panels/{north_somerset.slug}/").content.decode()
    assert page.count(">Joint chair<") == 2
    assert "Deputy chair" not in page
