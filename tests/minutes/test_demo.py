"""`seed_demo`: every panel's people are set up, and the demo logins open every meeting."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from agendas.models import Meeting, Panel, PanelMembership
from minutes.demo import DEMO_LOGINS, SENIOR_DECISION_MAKERS
from permanence.models import User
from permanence.roles import Role

pytestmark = pytest.mark.django_db

CHAIR, MEMBER = DEMO_LOGINS[1].email, DEMO_LOGINS[2].email


@pytest.fixture
def seeded():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_every_panel_has_its_chair_deputy_and_a_person_in_each_seat(seeded):
    for panel in Panel.objects.select_related("chair", "deputy_chair"):
        assert panel.chair.email == CHAIR, panel.slug
        assert panel.deputy_chair is not None, panel.slug
        assert panel.deputy_chair.has_role(Role.CHAIR)
        assert panel.memberships.filter(user__email=MEMBER).exists(), panel.slug
        empty = panel.memberships.filter(user=None).values_list("role_on_panel", flat=True)
        # Only the seats for whoever works with the child being discussed stay empty.
        assert all(name.startswith("Child's ") for name in empty), (panel.slug, list(empty))
    north_somerset = Panel.objects.get(slug="north-somerset")
    assert north_somerset.deputy_is_joint_chair
    joint = PanelMembership.objects.filter(
        panel=north_somerset, role_on_panel__endswith="(joint chair)"
    )
    assert {seat.user for seat in joint} == {north_somerset.chair, north_somerset.deputy_chair}


def test_the_senior_decision_makers_are_logins(seeded):
    titles = dict(
        User.objects.filter(groups__name=Role.SENIOR_MANAGER).values_list("job_title", "email")
    )
    assert titles["Assistant Executive Director"] == "senior.manager@demo.council.example"
    for login in SENIOR_DECISION_MAKERS:
        assert titles[login.job_title] == login.email
    somerset = Panel.objects.get(slug="somerset")
    assert {login.job_title for login in SENIOR_DECISION_MAKERS} == set(
        somerset.emergency_decision_roles
    )
    assert Panel.objects.get(slug="knowsley").senior_decision_maker in titles


def test_the_chair_and_member_logins_open_every_meeting(seeded, client):
    meetings = list(Meeting.objects.select_related("panel"))
    assert {meeting.panel.slug for meeting in meetings} == set(
        Panel.objects.values_list("slug", flat=True)
    )
    for email in (CHAIR, MEMBER):
        client.force_login(User.objects.get(email=email))
        for meeting in meetings:
            for name in ("agendas:meeting", "agendas:agenda"):
                url = reverse(name, args=[meeting.panel.slug, meeting.pk])
                assert client.get(url).status_code == 200, (email, url)


def test_seeding_again_changes_nothing_and_prints_the_logins_grouped(seeded):
    people = User.objects.count()
    seats = dict(PanelMembership.objects.values_list("pk", "user"))
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert User.objects.count() == people
    assert dict(PanelMembership.objects.values_list("pk", "user")) == seats
    printed = out.getvalue()
    assert "Demo data already loaded." in printed
    for login in (*DEMO_LOGINS, *SENIOR_DECISION_MAKERS):
        assert login.email in printed
    assert "joint.chair.north-somerset@demo.council.example" in printed
    assert len(printed.splitlines()) < 25
