import pytest
from django.urls import reverse

from permanence.models import User
from permanence.roles import Role
from tests.factories import ChildFactory, TeamFactory, UserFactory
from tracker.selectors import visible_children

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseloads():
    """Two teams, each with a manager, a social worker and two children."""
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    north_sw = UserFactory(roles=[Role.SOCIAL_WORKER], team=north)
    north_tm = UserFactory(roles=[Role.TEAM_MANAGER], team=north)
    south_sw = UserFactory(roles=[Role.SOCIAL_WORKER], team=south)
    children = {
        "north_own": ChildFactory(team=north, social_worker=north_sw, team_manager=north_tm),
        "north_colleague": ChildFactory(team=north, social_worker=UserFactory(team=north)),
        "south_own": ChildFactory(team=south, social_worker=south_sw),
        # Managed by the North manager while held by another team (e.g. a transfer).
        "south_managed_by_north": ChildFactory(team=south, team_manager=north_tm),
    }
    return {"north_sw": north_sw, "north_tm": north_tm, "south_sw": south_sw, **children}


def names(queryset):
    return set(queryset.values_list("case_number", flat=True))


def test_social_worker_sees_only_their_own_caseload(caseloads):
    assert names(visible_children(caseloads["north_sw"])) == {caseloads["north_own"].case_number}


def test_team_manager_sees_their_team_and_the_children_they_manage(caseloads):
    assert names(visible_children(caseloads["north_tm"])) == {
        caseloads["north_own"].case_number,
        caseloads["north_colleague"].case_number,
        caseloads["south_managed_by_north"].case_number,
    }


@pytest.mark.parametrize(
    "role", [Role.ADMINISTRATOR, Role.CHAIR, Role.PANEL_MEMBER, Role.SENIOR_MANAGER]
)
def test_panel_roles_see_every_child(caseloads, role):
    assert visible_children(UserFactory(roles=[role])).count() == 4


def test_a_user_with_no_role_sees_no_child(caseloads):
    assert not visible_children(UserFactory(team=caseloads["north_sw"].team)).exists()


def test_a_deactivated_user_sees_no_child(caseloads):
    manager = caseloads["north_tm"]
    manager.is_active = False
    manager.save()
    assert not visible_children(manager).exists()


def test_social_worker_who_also_sits_on_panel_sees_every_child(caseloads):
    sw = caseloads["south_sw"]
    sw.groups.add(*UserFactory(roles=[Role.PANEL_MEMBER]).groups.all())
    assert visible_children(User.objects.get(pk=sw.pk)).count() == 4


@pytest.mark.parametrize("url_name", ["home", "closure-days", "agendas:panel-list"])
def test_every_page_needs_sign_in(client, url_name):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("url_name", ["login", "password_reset", "health"])
def test_sign_in_password_reset_and_health_are_open(client, url_name):
    assert client.get(reverse(url_name)).status_code == 200
