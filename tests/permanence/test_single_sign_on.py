"""Single sign-on with the council's Entra ID, driven against a real OpenID Connect issuer.

The issuer is django-oidc-provider in a site of its own (tests/oidc_issuer/), started in a
subprocess on a free port of 127.0.0.1 with its own SQLite file and a new RSA key. The
service is set up from the environment as a council would set it up (permanence/settings.py
is run again with the variables), and each sign-in goes the whole way: the service sends
the browser to the issuer, the person signs in there and agrees, the issuer sends the
browser back with a code, and the service exchanges the code over HTTP and checks the ID
token's signature against the issuer's published keys.
"""

import html
import os
import re
import runpy
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import environ
import pytest
import requests
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from permanence.models import User
from permanence.oidc import CouncilAccountBackend

pytestmark = pytest.mark.django_db

CLIENT_ID = "permanence-panel"
CLIENT_SECRET = "issuer-client-secret"
TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"
PASSWORD = "issuer-password"
# Accounts at the issuer, as the council's directory holds them: the email's case differs
# from the service's, as Entra's often does.
ACCOUNTS = {
    "sam": "Sam@Council.Example",
    "tess": "tess@council.example",
    "stranger": "stranger@council.example",
    "no-email": "",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def issuer(tmp_path_factory):
    """The issuer's address, once it answers its discovery document."""
    folder = tmp_path_factory.mktemp("oidc_issuer")
    url = f"http://127.0.0.1:{free_port()}"
    environment = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(Path(django_settings.BASE_DIR)),
        "DJANGO_SETTINGS_MODULE": "tests.oidc_issuer.settings",
        "ISSUER_URL": url,
        "ISSUER_DATABASE": str(folder / "issuer.sqlite3"),
        "ISSUER_TENANT_ID": TENANT,
    }

    def django(*arguments):
        return [sys.executable, "-m", "django", *arguments]

    accounts = [arg for name, email in ACCOUNTS.items() for arg in ("--account", name, email)]
    prepare = django(
        "prepare_issuer",
        *("--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET),
        *("--redirect-uri", "http://testserver/oidc/callback/", "--password", PASSWORD),
        *accounts,
    )
    for command in (django("migrate", "--verbosity", "0"), prepare):
        done = subprocess.run(command, env=environment, capture_output=True, text=True)  # noqa: S603
        assert done.returncode == 0, done.stderr
    log = (folder / "issuer.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        django("runserver", url.removeprefix("http://"), "--noreload"),
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, (folder / "issuer.log").read_text()
            try:
                requests.get(f"{url}/openid/.well-known/openid-configuration", timeout=1)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "The test issuer did not start in 30 s"
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def settings_from_environment(monkeypatch, variables: dict) -> dict:
    """permanence/settings.py's values when the service starts with these variables."""
    # Only these variables: a developer's .env must not fill in what a test leaves out.
    monkeypatch.setattr(environ.Env, "read_env", lambda *args, **kwargs: None)
    for name in list(os.environ):
        if name.startswith("OIDC_"):
            monkeypatch.delenv(name)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(django_settings.BASE_DIR) / "permanence" / "settings.py"))


@pytest.fixture
def single_sign_on(settings, monkeypatch, issuer):
    """The service set up against the test issuer, as a council sets it up for Entra."""
    values = settings_from_environment(
        monkeypatch,
        {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_ENTRA_TENANT_ID": TENANT,
            "OIDC_OP_ISSUER": f"{issuer}/openid",
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{issuer}/openid/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{issuer}/openid/token",
            "OIDC_OP_USER_ENDPOINT": f"{issuer}/openid/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{issuer}/openid/jwks",
        },
    )
    for name, value in values.items():
        if name.startswith("OIDC_") or name in ("SINGLE_SIGN_ON", "AUTHENTICATION_BACKENDS"):
            setattr(settings, name, value)
    return settings


def at_the_issuer(authorize_url: str, username: str, *, agree: bool = True) -> str:
    """A person signs in at the issuer and answers its consent page, in a browser of their
    own; returns where the issuer sends them back to."""
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=10)
    assert "Sign in to the test issuer" in page.text, page.text
    page = browser.post(
        page.url,
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            "next": parse_qs(urlsplit(page.url).query)["next"][0],
        },
        timeout=10,
    )
    assert "would like to access this information" in page.text, page.text
    action = re.search(r'<form method="post" action="([^"]+)"', page.text)[1]
    hidden = re.findall(r'<input name="(\w+)" type="hidden" value="([^"]*)"', page.text)
    answer = {name: html.unescape(value) for name, value in hidden}
    answer["csrfmiddlewaretoken"] = browser.cookies["csrftoken"]
    if agree:
        answer["allow"] = "Authorize"
    back = browser.post(
        urlsplit(authorize_url)._replace(path=action, query="").geturl(),
        data=answer,
        allow_redirects=False,
        timeout=10,
    )
    assert back.status_code == 302, back.text
    return back.headers["Location"]


def sign_in_with_council_account(client, username: str, *, next_page: str = "") -> str:
    """The service's side up to the issuer and back: returns the callback's path and query."""
    start = reverse("oidc_authentication_init")
    going = client.get(f"{start}?{urlencode({'next': next_page})}" if next_page else start)
    assert going.status_code == 302
    asked = parse_qs(urlsplit(going.url).query)
    assert {"state", "nonce", "code_challenge"} <= set(asked), asked
    callback = urlsplit(at_the_issuer(going.url, username))
    assert callback.netloc == "testserver"
    return f"{callback.path}?{callback.query}"


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_a_council_account_signs_in_as_the_person_with_its_email(
    client, single_sign_on, social_worker
):
    people, roles = User.objects.count(), set(social_worker.roles)
    callback = sign_in_with_council_account(client, "sam", next_page=reverse("tracker:list"))

    response = client.get(callback)

    assert response.status_code == 302
    assert response.url == reverse("tracker:list")
    assert signed_in_as(client) == str(social_worker.pk)
    # The one place that says so: the service's own two-factor leaves these sessions alone.
    assert client.session["signed_in_with"] == "oidc"
    social_worker.refresh_from_db()
    assert (User.objects.count(), set(social_worker.roles)) == (people, roles)
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("username", ["stranger", "no-email"])
def test_no_account_is_made_for_an_email_no_one_added(client, single_sign_on, username):
    people = User.objects.count()

    response = client.get(sign_in_with_council_account(client, username))

    assert response.status_code == 403
    assert "You cannot sign in to this service" in response.text
    assert "Ask your panel administrator to add you" in response.text
    assert signed_in_as(client) is None
    assert User.objects.count() == people


def test_a_deactivated_person_is_refused(client, single_sign_on, team_manager):
    team_manager.is_active = False
    team_manager.save()

    response = client.get(sign_in_with_council_account(client, "tess"))

    assert response.status_code == 403
    assert "Ask your panel administrator" in response.text
    assert signed_in_as(client) is None


def test_a_tampered_state_is_refused(client, single_sign_on, social_worker):
    callback = sign_in_with_council_account(client, "sam")
    state = parse_qs(urlsplit(callback).query)["state"][0]

    response = client.get(callback.replace(state, state[:-1] + ("A" if state[-1] != "A" else "B")))

    assert response.status_code == 400
    assert "Signing in did not finish" in response.text
    assert signed_in_as(client) is None


def test_a_callback_is_used_once(client, single_sign_on, social_worker):
    callback = sign_in_with_council_account(client, "sam")
    assert client.get(callback).status_code == 302
    client.post(reverse("logout"))

    response = client.get(callback)

    assert response.status_code in (400, 403)
    assert signed_in_as(client) is None


def test_an_issuer_that_stops_answering_is_a_page_not_a_server_error(
    client, single_sign_on, social_worker
):
    callback = sign_in_with_council_account(client, "sam")
    single_sign_on.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{free_port()}/openid/token"

    response = client.get(callback)

    assert response.status_code == 502
    assert "Signing in did not finish" in response.text
    assert signed_in_as(client) is None


def test_an_id_token_from_another_tenant_is_refused(client, single_sign_on, social_worker):
    # Entra signs every tenant's tokens with the same keys: only the tenant claim tells a
    # council's own staff from anyone's.
    single_sign_on.OIDC_ENTRA_TENANT_ID = "another-councils-tenant"

    response = client.get(sign_in_with_council_account(client, "sam"))

    assert response.status_code == 403
    assert signed_in_as(client) is None


def test_claims_for_another_client_issuer_or_tenant_are_refused(single_sign_on):
    # The library checks the ID token's signature and nonce, not whom it was for.
    backend = CouncilAccountBackend()
    claims = {
        "email": "sam@council.example",
        "aud": [CLIENT_ID],
        "iss": single_sign_on.OIDC_OP_ISSUER,
        "tid": TENANT,
    }
    assert backend.verify_claims(claims)
    assert not backend.verify_claims({**claims, "aud": "someone-else"})
    assert not backend.verify_claims({**claims, "iss": "https://elsewhere.example/"})
    assert not backend.verify_claims({**claims, "tid": "another"})
    assert not backend.verify_claims({**claims, "email": ""})


def test_declining_at_the_issuer_signs_no_one_in(client, single_sign_on, social_worker):
    going = client.get(reverse("oidc_authentication_init"))
    callback = urlsplit(at_the_issuer(going.url, "sam", agree=False))

    response = client.get(f"{callback.path}?{callback.query}")

    assert "error=access_denied" in callback.query
    assert response.status_code == 403
    assert "Signing in did not finish" in response.text
    assert signed_in_as(client) is None


def test_the_password_still_signs_in_when_single_sign_on_is_on(
    client, single_sign_on, social_worker
):
    response = client.post(
        reverse("login"), {"username": "sam@council.example", "password": "a-long-test-password"}
    )

    assert response.status_code == 302
    assert signed_in_as(client) == str(social_worker.pk)
    assert "signed_in_with" not in client.session


def test_the_sign_in_page_offers_the_council_account_first(client, single_sign_on):
    page = client.get(reverse("login") + "?next=/children/").text

    button = page.index("Sign in with your council account")
    assert 'class="govuk-button govuk-button--secondary"' in page
    assert button < page.index('name="password"')
    assert f'href="{reverse("oidc_authentication_init")}?next=%2Fchildren%2F"' in page


@pytest.mark.django_db
def test_without_single_sign_on_the_sign_in_page_is_email_and_password(client):
    assert not django_settings.SINGLE_SIGN_ON
    page = client.get(reverse("login")).text

    assert "council account" not in page
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


def test_with_only_an_entra_tenant_the_urls_are_entras(monkeypatch):
    values = settings_from_environment(
        monkeypatch,
        {"OIDC_RP_CLIENT_ID": "a", "OIDC_RP_CLIENT_SECRET": "b", "OIDC_ENTRA_TENANT_ID": TENANT},
    )

    entra = f"https://login.microsoftonline.com/{TENANT}"
    assert values["SINGLE_SIGN_ON"]
    assert values["AUTHENTICATION_BACKENDS"][-1] == "permanence.oidc.CouncilAccountBackend"
    assert values["OIDC_RP_SIGN_ALGO"] == "RS256"
    assert values["OIDC_OP_ISSUER"] == f"{entra}/v2.0"
    assert values["OIDC_OP_AUTHORIZATION_ENDPOINT"] == f"{entra}/oauth2/v2.0/authorize"
    assert values["OIDC_OP_TOKEN_ENDPOINT"] == f"{entra}/oauth2/v2.0/token"
    assert values["OIDC_OP_JWKS_ENDPOINT"] == f"{entra}/discovery/v2.0/keys"


def test_another_issuer_without_its_urls_stops_the_service_starting(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="OIDC_OP_ISSUER"):
        settings_from_environment(
            monkeypatch, {"OIDC_RP_CLIENT_ID": "a", "OIDC_RP_CLIENT_SECRET": "b"}
        )
