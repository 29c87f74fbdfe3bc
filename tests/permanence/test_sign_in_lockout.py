"""Lockout (django-axes): 5 failed sign-ins for one email address from one IP address within
15 minutes lock that pair, with a message that says the same whether or not the account
exists; an administrator unlocks."""

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from permanence.roles import Role
from permanence.signin.views import LOCKED_OUT
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"


def sign_in(client, email, password, **extra):
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def fail(client, email, times, **extra):
    for _ in range(times):
        response = sign_in(client, email, WRONG, **extra)
        assert response.status_code in (200, 429)
    return response


@pytest.fixture
def sam(make_user):
    return make_user(Role.SOCIAL_WORKER, email="sam@council.example")


def test_the_fifth_failure_locks_the_account_and_the_right_password_no_longer_works(client, sam):
    response = fail(client, sam.email, 4)
    assert response.status_code == 200  # 4 failures: still the ordinary error
    assert LOCKED_OUT not in response.content.decode()
    response = fail(client, sam.email, 1)
    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()

    response = sign_in(client, sam.email, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_address_with_no_account_is_locked_out_with_the_same_words(client, sam):
    known = fail(client, sam.email, 5).content.decode()
    unknown = fail(client, "nobody@council.example", 5).content.decode()
    assert LOCKED_OUT in known and LOCKED_OUT in unknown

    # The pages differ only in the address typed back into the form, the CSRF token and the
    # Content-Security-Policy's nonce, both new on every page.
    def same(page, email):
        page = re.sub(r'nonce="[^"]+"', "", page.replace(email, ""))
        return re.sub(r'value="[^"]{64}"', "", page)

    assert same(known, sam.email) == same(unknown, "nobody@council.example")


def test_four_failures_then_the_right_password_signs_in_and_starts_the_count_again(client, sam):
    fail(client, sam.email, 4)
    assert sign_in(client, sam.email, DEFAULT_PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert fail(client, sam.email, 4).status_code == 200
    assert sign_in(client, sam.email, DEFAULT_PASSWORD).status_code == 302


def test_the_address_counts_in_any_case(client, sam):
    for email in ("Sam@council.example", "SAM@COUNCIL.EXAMPLE", "sam@Council.Example"):
        fail(client, email, 1)
    fail(client, " sam@council.example", 2)
    assert sign_in(client, sam.email, DEFAULT_PASSWORD).status_code == 429


def test_the_lock_is_for_one_ip_address(client, sam):
    fail(client, sam.email, 5, REMOTE_ADDR="203.0.113.9")
    assert (
        sign_in(client, sam.email, DEFAULT_PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429
    )
    elsewhere = sign_in(client, sam.email, DEFAULT_PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert elsewhere.status_code == 302


def test_failures_older_than_15_minutes_no_longer_count(client, sam):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        fail(client, sam.email, 5)
        clock.move_to(start + timedelta(minutes=14, seconds=59))
        assert sign_in(client, sam.email, DEFAULT_PASSWORD).status_code == 429
        # That refusal began the 15 minutes again.
        clock.move_to(start + timedelta(minutes=29, seconds=58))
        assert sign_in(client, sam.email, DEFAULT_PASSWORD).status_code == 429
        clock.move_to(start + timedelta(minutes=45))
        assert sign_in(client, sam.email, DEFAULT_PASSWORD).status_code == 302


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(client, sam, settings):
    # No proxy named in TRUSTED_PROXY_IPS: X-Forwarded-For is the client's to write, so it
    # is ignored and a new value on each try does not escape the lock.
    for n in range(5):
        fail(client, sam.email, 1, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert (
        sign_in(client, sam.email, DEFAULT_PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code
        == 429
    )

    # The council's two proxies in front (the test client's own address and 10.0.0.2): the
    # client is the address the outer one was given, as the audit records it.
    settings.TRUSTED_PROXY_IPS = ["127.0.0.1", "10.0.0.2"]
    forwarded = {"HTTP_X_FORWARDED_FOR": "203.0.113.50, 10.0.0.2"}
    fail(client, sam.email, 5, **forwarded)
    assert sign_in(client, sam.email, DEFAULT_PASSWORD, **forwarded).status_code == 429
    other = {"HTTP_X_FORWARDED_FOR": "203.0.113.51, 10.0.0.2"}
    assert sign_in(client, sam.email, DEFAULT_PASSWORD, **other).status_code == 302


def test_an_administrator_sees_the_lock_on_the_persons_page_and_unlocks_it(
    administrator_client, sam
):
    client = Client()
    page = administrator_client.get(reverse("person", args=[sam.pk])).content.decode()
    assert "Unlock sign-in" not in page
    fail(client, sam.email, 5)
    page = administrator_client.get(reverse("person", args=[sam.pk])).content.decode()
    assert "cannot sign in for now" in page
    assert f'action="{reverse("person-unlock", args=[sam.pk])}"' in page

    response = administrator_client.post(reverse("person-unlock", args=[sam.pk]), follow=True)
    assert "can try to sign in again now" in response.content.decode()
    assert sign_in(client, sam.email, DEFAULT_PASSWORD).status_code == 302


def test_only_administrators_unlock(client, make_user, sam):
    fail(client, sam.email, 5)
    chair = make_user(Role.CHAIR)
    other = Client()
    other.force_login(chair)
    assert other.post(reverse("person-unlock", args=[sam.pk])).status_code == 403
    assert sign_in(client, sam.email, DEFAULT_PASSWORD).status_code == 429


def test_a_refusal_while_locked_out_counts_once(client, sam):
    fail(client, sam.email, 5)
    sign_in(client, sam.email, DEFAULT_PASSWORD)
    assert AccessAttempt.objects.get(username=sam.email).failures_since_start == 6
