"""Who reads another panel's papers (issue 14), decided once in `agendas.permissions`:
a chair or member sees every child's tracker row, but the bookings, documents and case notes
only of the panels they sit on, or of a child they heard at a meeting they were recorded
present at; administrators and senior managers read every panel's. The URL × role matrix
pins the pages for a member of another panel; these pin the boundaries behind it."""

import pytest
import time_machine
from django.urls import reverse

from agendas import selectors as agendas_selectors
from agendas import services as agendas_services
from agendas.models import PanelMembership
from minutes import selectors as minutes_selectors
from minutes import services
from minutes.models import AttendanceStatus
from permanence.roles import Role
from tests.days import JANUARY
from tests.factories import ChildFactory, decide
from tracker.selectors import visible_children

pytestmark = pytest.mark.django_db


def reads(user, booking) -> bool:
    return agendas_selectors.visible_bookings(user).filter(pk=booking.pk).exists()


@pytest.fixture
def health(make_user, meeting):
    """Lancashire's health representative, who sat on the January panel."""
    member = make_user(Role.PANEL_MEMBER, first_name="Hana")
    seat = meeting.panel.memberships.first()
    agendas_services.panel_membership_update(membership=seat, user=member)
    return member


@pytest.fixture
def knowsley_member(make_user, knowsley):
    member = make_user(Role.PANEL_MEMBER, first_name="Kofi")
    agendas_services.panel_membership_update(membership=knowsley.memberships.first(), user=member)
    return member


@pytest.fixture
def heard(booking, chair, health):
    """Ada heard at Lancashire's January panel, with the health representative present."""
    with time_machine.travel(JANUARY, tick=False):
        services.attendance_record(
            meeting=booking.meeting,
            rows=[
                {"membership": health.panel_memberships.get(), "status": AttendanceStatus.PRESENT}
            ],
        )
        return decide(booking, "Refuse", chair)


def test_a_member_of_another_panel_sees_the_child_but_not_her_bookings_or_case_note(
    client, booking, heard, knowsley_member
):
    assert booking.child in visible_children(knowsley_member)
    assert not agendas_selectors.visible_bookings(knowsley_member).exists()
    assert not minutes_selectors.visible_decisions(knowsley_member).exists()
    assert not reads(knowsley_member, booking)

    client.force_login(knowsley_member)
    child_page = client.get(reverse("tracker:child", args=[booking.child.pk]))
    assert child_page.status_code == 200
    assert reverse("bookings:detail", args=[booking.pk]) not in child_page.content.decode()
    assert reverse("minutes:case-note", args=[heard.pk]) not in child_page.content.decode()
    assert client.get(reverse("bookings:detail", args=[booking.pk])).status_code == 404
    assert client.get(reverse("minutes:case-note", args=[heard.pk])).status_code == 404
    assert client.get(reverse("minutes:case-note-pdf", args=[heard.pk])).status_code == 404


def test_the_panels_member_reads_every_booking_of_it_and_the_child_page_lists_them(
    client, book, meetings, booking, health
):
    another = book(meetings[1])  # a child the member never heard, on their own panel
    assert set(agendas_selectors.visible_bookings(health)) == {booking, another}
    client.force_login(health)
    child_page = client.get(reverse("tracker:child", args=[booking.child.pk])).content.decode()
    assert reverse("bookings:detail", args=[booking.pk]) in child_page


def test_a_member_who_left_the_panel_keeps_the_children_they_heard_and_no_others(
    book, meetings, booking, heard, health, make_user
):
    ada_again = book(meetings[1], booking.child)  # Ada comes back in February
    never_heard = book(meetings[1])
    seat = PanelMembership.objects.get(user=health)
    agendas_services.panel_membership_update(membership=seat, user=make_user(Role.PANEL_MEMBER))

    assert set(agendas_selectors.visible_bookings(health)) == {booking, ada_again}
    assert not reads(health, never_heard)
    assert list(minutes_selectors.visible_decisions(health)) == [heard]
    # The seat's new holder reads the panel's papers by sitting on it.
    assert set(agendas_selectors.visible_bookings(seat.user)) == {booking, ada_again, never_heard}


def test_sending_apologies_is_not_hearing_the_child(booking, chair, health, make_user):
    with time_machine.travel(JANUARY, tick=False):
        services.attendance_record(
            meeting=booking.meeting,
            rows=[
                {
                    "membership": health.panel_memberships.get(),
                    "status": AttendanceStatus.APOLOGIES,
                }
            ],
        )
        decide(booking, "Refuse", chair)
    seat = PanelMembership.objects.get(user=health)
    agendas_services.panel_membership_update(membership=seat, user=make_user(Role.PANEL_MEMBER))
    assert not agendas_selectors.visible_bookings(health).exists()


def test_a_child_heard_at_one_panel_does_not_open_her_bookings_at_another(
    book, booking, heard, health, knowsley_meetings
):
    at_knowsley = book(knowsley_meetings[0], booking.child)
    assert not reads(health, at_knowsley)
    assert reads(health, booking)


def test_administrators_and_senior_managers_read_every_panels_papers(
    book, booking, knowsley_meetings, administrator, make_user
):
    at_knowsley = book(knowsley_meetings[0])
    senior = make_user(Role.SENIOR_MANAGER)
    for person in (administrator, senior):
        assert {booking, at_knowsley} <= set(agendas_selectors.visible_bookings(person))


def test_a_chair_who_is_also_a_team_manager_reads_their_teams_bookings_elsewhere(
    book, knowsley_meetings, make_user, team
):
    """Roles add up: the caseload is read apart from the panels sat on."""
    manager_and_chair = make_user(Role.CHAIR, Role.TEAM_MANAGER, team=team)
    their_child = book(knowsley_meetings[0], ChildFactory(team=team))
    someone_else = book(knowsley_meetings[0])
    assert reads(manager_and_chair, their_child)
    assert not reads(manager_and_chair, someone_else)
