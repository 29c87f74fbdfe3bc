"""Headers and error pages (issue 14): a Content-Security-Policy with no inline code but the
two nonced scripts, a Permissions-Policy, HTTPS and HSTS from the environment, nothing a
signed-in person is shown kept in a cache, and error pages that show nothing internal."""

import re

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from permanence.jobs.models import JobState
from permanence.roles import Role
from permanence.views import HomeView
from tests.days import JANUARY
from tests.factories import AgendaPackFactory, decide

pytestmark = pytest.mark.django_db

NO_STORE = {"no-store", "private"}


def directives(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def policy(response) -> dict[str, list[str]]:
    parts = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {name: values for name, *values in parts}


# Content-Security-Policy and Permissions-Policy ---------------------------------------------


def test_the_policy_allows_only_the_services_own_files_and_the_nonced_scripts(
    administrator_client,
):
    response = administrator_client.get(reverse("home"))
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    nonce = next(v for v in csp["script-src"] if v.startswith("'nonce-"))[len("'nonce-") : -1]
    page = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", page)
    inline = [tag for tag in scripts if "src=" not in tag]
    assert len(inline) == 2  # base.html's two
    assert all(f'nonce="{nonce}"' in tag for tag in inline)
    # A new nonce each time, so one read off a page cannot be replayed.
    assert (
        administrator_client.get(reverse("home"))["Content-Security-Policy"]
        != (response["Content-Security-Policy"])
    )


def inline_code(page: str) -> list[str]:
    """Inline scripts without a nonce, style attributes and event handlers: what the policy
    would block."""
    unnonced = [
        tag
        for tag in re.findall(r"<script\b[^>]*>", page)
        if "src=" not in tag and "nonce=" not in tag
    ]
    return unnonced + re.findall(r"\sstyle=\"|\son[a-z]+=\"", page)


def test_the_pages_with_scripts_and_a_progress_bar_have_no_inline_code(
    administrator_client, booking, chair
):
    with time_machine.travel(JANUARY, tick=False):
        decision = decide(booking, "Refuse", chair)
    AgendaPackFactory(meeting=booking.meeting, job__state=JobState.RUNNING, job__total=3)
    for url in (
        reverse("minutes:case-note", args=[decision.pk]),
        reverse("agendas:meeting", args=[booking.panel.slug, booking.meeting.pk]),
        reverse("tracker:child", args=[booking.child.pk]),
        reverse("bookings:detail", args=[booking.pk]),
    ):
        page = administrator_client.get(url).content.decode()
        assert inline_code(page) == [], url
    case_note = administrator_client.get(reverse("minutes:case-note", args=[decision.pk]))
    assert "js/copy-case-note" in case_note.content.decode()


def test_a_permissions_policy_turns_off_what_no_page_uses(client):
    header = client.get(reverse("login"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in header
    assert "clipboard-write=(self)" in header


# Caching ---------------------------------------------------------------------------------


def test_a_childs_page_and_the_tracker_exports_are_never_stored(administrator_client, ada):
    child_page = administrator_client.get(reverse("tracker:child", args=[ada.pk]))
    assert child_page.status_code == 200
    assert directives(child_page) >= NO_STORE
    for export in ("csv", "xlsx"):
        response = administrator_client.get(reverse("tracker:list"), {"export": export})
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert directives(response) >= NO_STORE, export


def test_every_answer_to_a_signed_in_person_is_never_stored_even_a_404(administrator_client):
    assert directives(administrator_client.get(reverse("home"))) >= NO_STORE
    missing = administrator_client.get("/no-such-page/")
    assert missing.status_code == 404
    assert directives(missing) >= NO_STORE


def test_static_files_stay_cacheable_for_a_signed_in_person(administrator_client):
    """They name no child, and WhiteNoise answers them before the middleware is reached."""
    response = administrator_client.get("/static/build/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# HTTPS ---------------------------------------------------------------------------------------


@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31536000,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
def test_plain_http_is_sent_to_https_and_https_answers_with_hsts(client):
    plain = client.get(reverse("login"))
    assert plain.status_code == 301
    assert plain.url.startswith("https://")
    # Through the council's proxy, which ends TLS and says so.
    secure = client.get(reverse("login"), headers={"x-forwarded-proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    # The container's health check asks over plain HTTP from inside.
    assert client.get(reverse("health")).status_code == 200


# Error pages ---------------------------------------------------------------------------------


def test_a_server_error_shows_nothing_internal(administrator, monkeypatch):
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("SELECT secret FROM internals")

    monkeypatch.setattr(HomeView, "get", broken)
    browser = Client(raise_request_exception=False)
    browser.force_login(administrator)
    response = browser.get(reverse("home"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    for internal in ("secret", "RuntimeError", "Traceback", "permanence/", "SELECT"):
        assert internal not in page
    assert directives(response) >= NO_STORE


def test_a_request_for_another_host_is_refused_with_nothing_internal(client):
    response = client.get(reverse("login"), headers={"host": "attacker.example"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "could not read that request" in page
    for internal in ("attacker.example", "ALLOWED_HOSTS", "DisallowedHost", "Traceback"):
        assert internal not in page


def test_not_found_and_refused_pages_show_nothing_internal(client, make_user, meeting):
    client.force_login(make_user(Role.SOCIAL_WORKER))
    missing = client.get("/children/999999/")
    assert missing.status_code == 404
    assert "Page not found" in missing.content.decode()
    assert "Child matching query" not in missing.content.decode()
    refused = client.get(reverse("agendas:meeting", args=[meeting.panel.slug, meeting.pk]))
    assert refused.status_code == 403
    assert "so you can&#x27;t open its meetings" in refused.content.decode()
    assert "Traceback" not in refused.content.decode()


def test_an_expired_form_says_so_in_plain_words(administrator):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(administrator)
    response = browser.post(reverse("logout"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "The form has expired" in page
    assert "CSRF" not in page
