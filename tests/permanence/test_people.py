"""People management: administrators add, change and deactivate accounts in the service."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from permanence import services
from permanence.models import Notification, Team, User
from permanence.roles import Role
from tests.factories import DEFAULT_PASSWORD, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def role_groups(db):
    for role in Role:
        Group.objects.get_or_create(name=role)


def add(**fields):
    return services.user_create(
        **{"email": "jo.bloggs@council.example", "first_name": "Jo", "last_name": "Bloggs"} | fields
    )


# Services -----------------------------------------------------------------------------------


def test_a_new_person_gets_their_roles_and_an_email_to_set_their_password(client):
    team = TeamFactory(name="Court and Permanence")
    person = add(
        email=" Jo.Bloggs@Council.example ",
        roles=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER],
        team=team,
    )
    assert person.email == "jo.bloggs@council.example"
    assert person.roles == {Role.SOCIAL_WORKER, Role.TEAM_MANAGER}
    assert person.team == team
    assert not person.has_usable_password()
    invitation = Notification.objects.get(recipient=person)
    assert invitation.kind == services.ACCOUNT_CREATED
    assert invitation.subject == "Your account for the Demo Council permanence panel"
    # The link sets a password once, then the person signs in with it.
    path = re.search(r"(/password-reset/[^/\s]+/[^/\s]+/)", invitation.body_text).group(1)
    form_url = client.get(path).url
    response = client.post(
        form_url, {"new_password1": "a-new-password-2027", "new_password2": "a-new-password-2027"}
    )
    assert response.url == reverse("password_reset_complete")
    client.post(
        reverse("login"),
        {"username": "jo.bloggs@council.example", "password": "a-new-password-2027"},
    )
    assert int(client.session["_auth_user_id"]) == person.pk
    assert client.get(path, follow=True).context["validlink"] is False


def test_the_outbox_never_shows_an_administrator_the_link_to_set_a_password(client, administrator):
    person = add(email="jo.bloggs@council.example")
    invitation = Notification.objects.get(recipient=person)
    path = re.search(r"(/password-reset/[^/\s]+/[^/\s]+/)", invitation.body_text).group(1)
    client.force_login(administrator)

    page = client.get(reverse("notification", args=[invitation.pk])).content.decode()

    assert path not in page
    assert "it is not shown here" in page


def test_a_person_with_a_password_given_is_not_emailed():
    add(password=DEFAULT_PASSWORD)
    assert not Notification.objects.exists()


def test_the_same_email_in_another_case_is_refused():
    add()
    with pytest.raises(ValidationError, match="There is already an account for jo.bloggs"):
        add(email="JO.BLOGGS@council.example")


def test_a_new_team_is_created_once_by_name():
    first = add(new_team="Fostering Team")
    second = add(email="sam@council.example", new_team="fostering team")
    assert first.team == second.team
    assert Team.objects.filter(name__iexact="fostering team").count() == 1


def test_an_update_changes_details_and_roles(administrator):
    person = add(roles=[Role.PANEL_MEMBER])
    services.user_update(
        user=person,
        by=administrator,
        email="jo.smith@council.example",
        first_name="Jo",
        last_name="Smith",
        roles=[Role.CHAIR],
        job_title="Head of Service",
    )
    person = User.objects.get(pk=person.pk)
    assert (person.email, person.last_name, person.job_title) == (
        "jo.smith@council.example",
        "Smith",
        "Head of Service",
    )
    assert person.roles == {Role.CHAIR}


def test_an_administrator_cannot_remove_their_own_administrator_role(administrator, make_user):
    details = {"email": administrator.email, "first_name": "A", "last_name": "B"}
    with pytest.raises(ValidationError, match="can't remove your own Panel administrator role"):
        services.user_update(user=administrator, by=administrator, roles=[Role.CHAIR], **details)
    assert User.objects.get(pk=administrator.pk).roles == {Role.ADMINISTRATOR}
    # Another administrator may.
    other = make_user(Role.ADMINISTRATOR)
    services.user_update(user=administrator, by=other, roles=[Role.CHAIR], **details)
    assert User.objects.get(pk=administrator.pk).roles == {Role.CHAIR}


def test_deactivating_keeps_the_account_and_its_name(administrator):
    person = add(password=DEFAULT_PASSWORD)
    services.user_deactivate(user=person, by=administrator)
    person = User.objects.get(pk=person.pk)
    assert not person.is_active
    assert str(person) == "Jo Bloggs"
    services.user_reactivate(user=person)
    assert User.objects.get(pk=person.pk).is_active


def test_a_deactivated_person_cannot_sign_in_and_a_signed_in_one_is_signed_out(
    client, administrator
):
    person = add(password=DEFAULT_PASSWORD, roles=[Role.CHAIR])
    client.post(reverse("login"), {"username": person.email, "password": DEFAULT_PASSWORD})
    assert int(client.session["_auth_user_id"]) == person.pk
    services.user_deactivate(user=person, by=administrator)
    assert client.get(reverse("home")).status_code == 302  # their session no longer counts
    client.logout()
    response = client.post(
        reverse("login"), {"username": person.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_only_administrator_and_oneself_cannot_be_deactivated(administrator, make_user):
    other = make_user(Role.CHAIR)
    with pytest.raises(ValidationError, match="only panel administrator"):
        services.user_deactivate(user=administrator, by=other)
    with pytest.raises(ValidationError, match="can't deactivate your own account"):
        services.user_deactivate(user=administrator, by=administrator)
    second = make_user(Role.ADMINISTRATOR)
    services.user_deactivate(user=administrator, by=second)
    with pytest.raises(ValidationError, match="already deactivated"):
        services.user_deactivate(user=administrator, by=second)


# Pages --------------------------------------------------------------------------------------

PAGES = ("people", "person-add", "person", "person-deactivate", "seats:person")


def page_url(name, person):
    return (
        reverse(name, args=[person.pk]) if name not in ("people", "person-add") else reverse(name)
    )


@pytest.mark.parametrize("name", PAGES)
def test_people_pages_are_for_administrators_only(client, make_user, name):
    person = make_user(Role.SOCIAL_WORKER)
    url = page_url(name, person)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    for role in (r for r in Role if r != Role.ADMINISTRATOR):
        client.force_login(make_user(role))
        assert client.get(url).status_code == 403, role
    client.force_login(make_user(Role.ADMINISTRATOR))
    assert client.get(url).status_code == 200


def test_reactivating_is_for_administrators_only(client, make_user, administrator):
    person = add(password=DEFAULT_PASSWORD)
    services.user_deactivate(user=person, by=administrator)
    client.force_login(make_user(Role.SENIOR_MANAGER))
    assert client.post(reverse("person-reactivate", args=[person.pk])).status_code == 403
    assert not User.objects.get(pk=person.pk).is_active


def test_the_list_filters_by_role_status_and_name(client, administrator, make_user):
    make_user(Role.CHAIR, first_name="Priya", last_name="Chandra")
    make_user(Role.SOCIAL_WORKER, first_name="Sam", last_name="Okafor")
    leaver = make_user(Role.SOCIAL_WORKER, first_name="Lee", last_name="Leaver")
    services.user_deactivate(user=leaver, by=administrator)
    client.force_login(administrator)

    def names(**query):
        page = client.get(reverse("people"), query).context["page"]
        return {person.last_name for person in page}

    assert {"Chandra", "Okafor"} <= names()
    assert "Leaver" not in names()
    assert names(status="deactivated") == {"Leaver"}
    assert names(role=Role.SOCIAL_WORKER) == {"Okafor"}
    assert names(role=Role.SOCIAL_WORKER, status="all") == {"Okafor", "Leaver"}
    assert names(q="priya chan") == {"Chandra"}
    assert names(q="OKAFOR") == {"Okafor"}


def test_an_administrator_adds_a_person_and_changes_them(client, administrator):
    client.force_login(administrator)
    team = TeamFactory(name="Children in Care South")
    response = client.post(
        reverse("person-add"),
        {
            "first_name": "Jo",
            "last_name": "Bloggs",
            "email": "jo.bloggs@council.example",
            "roles": [Role.SOCIAL_WORKER],
            "team": team.pk,
        },
    )
    person = User.objects.get(email="jo.bloggs@council.example")
    assert response.url == reverse("person", args=[person.pk])
    assert person.roles == {Role.SOCIAL_WORKER}
    response = client.post(
        reverse("person", args=[person.pk]),
        {
            "first_name": "Jo",
            "last_name": "Bloggs",
            "email": "jo.bloggs@council.example",
            "roles": [Role.SOCIAL_WORKER, Role.TEAM_MANAGER],
            "new_team": "Court and Permanence",
        },
    )
    person = User.objects.get(pk=person.pk)
    assert person.roles == {Role.SOCIAL_WORKER, Role.TEAM_MANAGER}
    assert person.team.name == "Court and Permanence"


def test_an_empty_or_duplicate_form_gets_one_error_summary(client, administrator):
    client.force_login(administrator)
    page = client.post(reverse("person-add"), {}).content.decode()
    assert page.count("govuk-error-summary__title") == 1
    assert page.count('href="#id_first_name"') == 1 and 'href="#id_email"' in page
    page = client.post(
        reverse("person-add"),
        {"first_name": "A", "last_name": "B", "email": administrator.email.upper()},
    ).content.decode()
    assert "There is already an account for" in page


def test_removing_ones_own_administrator_role_is_refused_on_the_page(client, administrator):
    client.force_login(administrator)
    details = {"first_name": "A", "last_name": "B", "email": administrator.email}
    page = client.post(
        reverse("person", args=[administrator.pk]), {**details, "roles": [Role.CHAIR]}
    ).content.decode()
    assert "remove your own Panel administrator role" in page
    assert User.objects.get(pk=administrator.pk).roles == {Role.ADMINISTRATOR}


def test_deactivating_asks_first_then_the_person_stays_listed_as_deactivated(client, administrator):
    person = add(password=DEFAULT_PASSWORD)
    client.force_login(administrator)
    url = reverse("person-deactivate", args=[person.pk])
    assert "Deactivate Jo Bloggs?" in client.get(url).content.decode()
    assert User.objects.get(pk=person.pk).is_active
    response = client.post(url, follow=True)
    assert "Jo Bloggs is deactivated" in response.content.decode()
    assert not User.objects.get(pk=person.pk).is_active
    client.post(reverse("person-reactivate", args=[person.pk]))
    assert User.objects.get(pk=person.pk).is_active


def test_an_administrator_trying_to_deactivate_themself_is_told_why(client, administrator):
    client.force_login(administrator)
    response = client.post(reverse("person-deactivate", args=[administrator.pk]), follow=True)
    assert "can&#x27;t deactivate your own account" in response.content.decode()
    assert User.objects.get(pk=administrator.pk).is_active


def test_people_is_in_the_administrators_navigation_only(client, administrator, make_user):
    client.force_login(administrator)
    assert 'href="/people/"' in client.get(reverse("home")).content.decode()
    client.force_login(make_user(Role.CHAIR))
    assert 'href="/people/"' not in client.get(reverse("home")).content.decode()


# The home page says who to ask -------------------------------------------------------------


def test_someone_with_no_role_is_told_who_to_ask(client, make_user):
    make_user(
        Role.ADMINISTRATOR, first_name="Alex", last_name="Admin", email="alex@council.example"
    )
    client.force_login(make_user())
    page = client.get(reverse("home")).content.decode()
    assert "You have no role yet" in page
    assert "Alex Admin" in page and "mailto:alex@council.example" in page


def test_a_panel_member_with_no_seat_is_told_who_to_ask(client, make_user):
    make_user(
        Role.ADMINISTRATOR, first_name="Alex", last_name="Admin", email="alex@council.example"
    )
    client.force_login(make_user(Role.PANEL_MEMBER))
    page = client.get(reverse("home")).content.decode()
    assert "You don't sit on any panel yet" in page
    assert "mailto:alex@council.example" in page
    # A social worker needs no seat, so is not told to get one.
    client.force_login(make_user(Role.SOCIAL_WORKER))
    assert "sit on any panel" not in client.get(reverse("home")).content.decode()
