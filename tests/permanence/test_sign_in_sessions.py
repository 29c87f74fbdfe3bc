"""Sessions end after 30 minutes idle and 12 hours in all; a new password or "Sign out
everywhere" ends the others; the whole tracker or a whole pack asks for the password again
when it was typed over 15 minutes ago."""

from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from permanence.roles import Role
from tests.factories import DEFAULT_PASSWORD, AgendaPackFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.get_default_timezone())
NEW_PASSWORD = "walnut-harbour-lantern-42"


def signed_in(client) -> bool:
    response = client.get(reverse("home"))
    return response.status_code == 200


def sign_in(client, user, password=DEFAULT_PASSWORD):
    return client.post(reverse("login"), {"username": user.email, "password": password})


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_a_session_ends_after_30_minutes_without_a_request(client, social_worker, clock):
    sign_in(client, social_worker)
    clock.shift(timedelta(minutes=30))
    assert signed_in(client)  # exactly 30 minutes idle: still signed in
    clock.shift(timedelta(minutes=30, seconds=1))
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('login')}?next=/"
    assert "did nothing for 30 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_busy_session_ends_12_hours_after_signing_in(client, social_worker, clock):
    sign_in(client, social_worker)
    for _ in range(36):  # a request every 20 minutes, for 12 hours
        clock.shift(timedelta(minutes=20))
        assert signed_in(client)
    clock.shift(timedelta(seconds=1))
    response = client.get(reverse("home"), follow=True)
    assert "a sign-in lasts 12 hours" in response.content.decode()
    assert not signed_in(client)


def test_the_limits_are_settings(client, social_worker, clock, settings):
    settings.SESSION_IDLE_MINUTES = 5
    sign_in(client, social_worker)
    clock.shift(timedelta(minutes=5, seconds=1))
    assert not signed_in(client)


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(make_user):
    sam = make_user(Role.SOCIAL_WORKER)
    here, elsewhere = Client(), Client()
    sign_in(here, sam)
    sign_in(elsewhere, sam)
    response = here.post(
        reverse("password-change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )
    assert "You are signed out everywhere else" in response.content.decode()
    assert signed_in(here)
    assert not signed_in(elsewhere)
    assert sign_in(Client(), sam, NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short-pw-11", "at least 12 characters"),
        ("password1234", "too common"),
        ("738492017365", "entirely numeric"),
        ("sam@council.example!", "too similar"),
    ],
)
def test_a_new_password_follows_djangos_rules_at_12_characters(client, social_worker, new, message):
    client.force_login(social_worker)
    response = client.post(
        reverse("password-change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    social_worker.refresh_from_db()
    assert social_worker.check_password(DEFAULT_PASSWORD)


def test_twelve_characters_is_enough(client, social_worker):
    client.force_login(social_worker)
    twelve = "kestrel-moon"
    response = client.post(
        reverse("password-change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": twelve, "new_password2": twelve},
    )
    assert response.url == reverse("account")


def test_the_current_password_must_be_right_and_the_new_one_typed_twice(client, social_worker):
    client.force_login(social_worker)
    page = client.post(
        reverse("password-change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": "other" * 3},
    ).content.decode()
    assert "Your current password is not right" in page
    assert "The two new passwords are different" in page


def test_sign_out_everywhere_ends_every_session_of_the_person_and_no_one_elses(make_user):
    sam, tess = make_user(Role.SOCIAL_WORKER), make_user(Role.TEAM_MANAGER)
    here, elsewhere, tess_browser = Client(), Client(), Client()
    for browser, person in ((here, sam), (elsewhere, sam), (tess_browser, tess)):
        browser.force_login(person)
    response = here.post(reverse("sign-out-everywhere"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "You are signed out everywhere" in response.content.decode()
    assert not signed_in(here)
    assert not signed_in(elsewhere)
    assert signed_in(tess_browser)
    assert sign_in(Client(), sam).status_code == 302  # the password still works


def test_the_account_page_offers_each_of_these(client, social_worker):
    client.force_login(social_worker)
    page = client.get(reverse("account")).content.decode()
    assert reverse("password-change") in page
    assert reverse("two-factor-setup") in page
    assert f'action="{reverse("sign-out-everywhere")}"' in page
    assert f'href="{reverse("account")}"' in client.get(reverse("home")).content.decode()


# Sign in again before a whole-caseload download ------------------------------------------


@pytest.fixture
def ready_pack(meeting, administrator):
    pack = AgendaPackFactory(meeting=meeting, job__requested_by=administrator)
    pack.file.save("pack.pdf", ContentFile(b"%PDF-1.7 the pack"))
    return pack


def whole_caseload_download(meeting, kind: str) -> str:
    if kind == "pack":
        return reverse("agendas:pack-download", args=[meeting.panel.slug, meeting.pk])
    return reverse("tracker:list") + f"?export={kind}"


@pytest.mark.parametrize("kind", ["csv", "xlsx", "pack"])
def test_a_download_of_the_whole_caseload_asks_for_the_password_after_15_minutes(
    client, administrator, meeting, ready_pack, clock, kind
):
    url = whole_caseload_download(meeting, kind)
    client.force_login(administrator)
    clock.move_to(START + timedelta(minutes=15))
    assert client.get(url).status_code == 200

    clock.move_to(START + timedelta(minutes=15, seconds=1))
    response = client.get(url)
    assert response.url == f"{reverse('sign-in-again')}?next={quote(url, safe='/')}"
    assert "Confirm your password" in client.get(response.url).content.decode()
    wrong = client.post(response.url, {"password": "not-it"})
    assert "The password is not right" in wrong.content.decode()
    back = client.post(response.url, {"password": DEFAULT_PASSWORD})
    assert back.url == url
    assert client.get(url).status_code == 200

    # The password typed again counts for 15 minutes from then.
    clock.move_to(START + timedelta(minutes=30, seconds=1))
    assert client.get(url).status_code == 200
    clock.move_to(START + timedelta(minutes=30, seconds=2))
    assert client.get(url).url.startswith(reverse("sign-in-again"))


def test_the_tracker_page_itself_asks_nothing_after_15_minutes(client, administrator, clock):
    client.force_login(administrator)
    clock.shift(timedelta(minutes=20))
    assert client.get(reverse("tracker:list")).status_code == 200


def test_confirming_the_password_never_sends_to_another_site(client, administrator, clock):
    client.force_login(administrator)
    response = client.post(
        reverse("sign-in-again") + "?next=https://evil.example/x", {"password": DEFAULT_PASSWORD}
    )
    assert response.url == reverse("home")


def test_someone_who_may_not_have_the_pack_is_refused_before_being_asked(
    client, social_worker, meeting, ready_pack, clock
):
    client.force_login(social_worker)
    clock.shift(timedelta(minutes=20))
    url = reverse("agendas:pack-download", args=[meeting.panel.slug, meeting.pk])
    assert client.get(url).status_code in (403, 404)
