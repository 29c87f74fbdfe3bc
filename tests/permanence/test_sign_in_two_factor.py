"""Two-factor sign-in (django-otp): required for administrators, chairs and senior managers,
open to everyone; set up from a QR code drawn here; 10 recovery codes; the code asked after
the password. Codes are real: `django_otp.oath.totp` computes what the app would show."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import hex_validator

from permanence.oidc import SIGNED_IN_WITH, SIGNED_IN_WITH_COUNCIL_ACCOUNT
from permanence.roles import Role
from permanence.signin.services import recovery_codes_renew
from permanence.signin.views import NEW_SECRET
from tests.conftest import password_only_login
from tests.factories import DEFAULT_PASSWORD, AuthenticatorFactory

pytestmark = pytest.mark.django_db


def code_for(key_hex: str, *, steps_ahead: int = 0) -> str:
    app = TOTP(bytes.fromhex(key_hex), drift=steps_ahead)
    app.time = time.time()
    return f"{app.token():06d}"


def sign_in(client, user, **extra):
    return client.post(
        reverse("login") + "?next=/children/",
        {"username": user.email, "password": DEFAULT_PASSWORD},
        **extra,
    )


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.CHAIR, Role.SENIOR_MANAGER])
def test_a_role_that_needs_two_factor_reaches_nothing_but_setting_it_up(client, make_user, role):
    person = make_user(role)
    response = sign_in(client, person)
    assert response.status_code == 302
    setup = client.get(response.url)
    assert setup.status_code == 302
    assert setup.url == f"{reverse('two-factor-setup')}?next=/children/"
    for name in ("home", "account", "people", "tracker:list", "password-change", "sign-in-again"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("two-factor-setup")), name
    assert client.get(reverse("two-factor-setup")).status_code == 200
    assert client.post(reverse("logout")).url == reverse("login")


def test_setting_up_draws_the_qr_code_here_and_asks_for_a_code(client, make_user):
    admin = make_user(Role.ADMINISTRATOR, email="abe@council.example")
    sign_in(client, admin)
    page = client.get(reverse("two-factor-setup")).content.decode()
    assert "<svg" in page and "QR code to add this service" in page
    assert "googleapis" not in page and "<img" not in page  # no outside service draws it
    secret = client.session[NEW_SECRET]
    hex_validator(20)(secret)
    key = re.search(r'id="two-factor-key">(.*?)</p>', page).group(1)
    typed = "".join(re.findall(r">([A-Z2-7]{1,4})<", key))
    assert len(typed) == 32  # 20 bytes in base32
    assert not TOTPDevice.objects.exists()  # nothing is stored until a code matches

    wrong = client.post(reverse("two-factor-setup"), {"code": "000000"})
    assert "That code does not match" in wrong.content.decode()
    assert not TOTPDevice.objects.exists()

    response = client.post(reverse("two-factor-setup"), {"code": code_for(secret)})
    assert response.url == reverse("recovery-codes")
    device = TOTPDevice.objects.get(user=admin)
    assert device.confirmed and device.key == secret
    codes_page = client.get(reverse("recovery-codes")).content.decode()
    codes = re.findall(r"<li><code>(\w+)</code></li>", codes_page)
    assert len(codes) == 10 == len(set(codes))
    assert set(codes) == set(StaticToken.objects.values_list("token", flat=True))
    # Shown once.
    assert client.get(reverse("recovery-codes")).url == reverse("account")
    assert client.get(reverse("people")).status_code == 200


def test_the_code_is_asked_after_the_password_and_a_wrong_one_reaches_nothing(client, make_user):
    chair = make_user(Role.CHAIR)
    device = AuthenticatorFactory(user=chair)
    response = client.get(sign_in(client, chair).url)
    assert response.url == f"{reverse('two-factor-verify')}?next=/children/"
    assert client.get(reverse("two-factor-setup")).url.startswith(reverse("two-factor-verify"))

    wrong = client.post(response.url, {"code": code_for(device.key, steps_ahead=5)})
    assert "That code is not right" in wrong.content.decode()
    assert client.get(reverse("home")).url.startswith(reverse("two-factor-verify"))

    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows each try after a wrong one
    right = client.post(response.url, {"code": code_for(device.key)})
    assert right.url == "/children/"
    assert client.get("/children/").status_code == 200


def test_the_code_page_never_sends_to_another_site(client, make_user):
    chair = make_user(Role.CHAIR)
    device = AuthenticatorFactory(user=chair)
    sign_in(client, chair)
    response = client.post(
        reverse("two-factor-verify") + "?next=https://evil.example/",
        {"code": code_for(device.key)},
    )
    assert response.url == reverse("home")


def test_a_recovery_code_works_once(make_user):
    senior = make_user(Role.SENIOR_MANAGER)
    AuthenticatorFactory(user=senior)
    codes = recovery_codes_renew(user=senior)
    for client, expected in ((Client(), "/"), (Client(), None)):
        sign_in(client, senior)
        response = client.post(reverse("two-factor-verify") + "?next=/", {"code": codes[0].upper()})
        if expected:
            assert response.url == expected
        else:
            assert "That code is not right" in response.content.decode()
    assert StaticToken.objects.count() == 9


def test_someone_whose_role_does_not_need_it_signs_in_with_a_password_until_they_turn_it_on(
    client, social_worker
):
    assert sign_in(client, social_worker).url == "/children/"
    assert client.get("/children/").status_code == 200
    account = client.get(reverse("account")).content.decode()
    assert "Set up two-factor sign-in" in account

    client.get(reverse("two-factor-setup"))
    secret = client.session[NEW_SECRET]
    client.post(reverse("two-factor-setup"), {"code": code_for(secret)})
    client.post(reverse("logout"))

    response = client.get(sign_in(client, social_worker).url)
    assert response.url.startswith(reverse("two-factor-verify"))


def test_force_login_alone_is_held_back_too(make_user):
    """What the shared fixtures' force_login adds is the code: without it, the rule holds."""
    client = Client()
    password_only_login(client, make_user(Role.ADMINISTRATOR))
    assert client.get(reverse("home")).url.startswith(reverse("two-factor-setup"))


def test_a_superuser_needs_it_too(make_user):
    client = Client()
    boss = make_user(is_superuser=True, is_staff=True)
    password_only_login(client, boss)
    assert client.get(reverse("home")).url.startswith(reverse("two-factor-setup"))


def test_pages_open_without_signing_in_stay_open_before_the_code(client, make_user):
    sign_in(client, make_user(Role.ADMINISTRATOR))
    assert client.get(reverse("health")).status_code == 200
    assert client.get(reverse("password_reset")).status_code == 200


def test_moving_to_a_new_phone_replaces_the_app_and_the_recovery_codes(client, make_user):
    admin = make_user(Role.ADMINISTRATOR)
    client.force_login(admin)
    old = TOTPDevice.objects.get(user=admin)
    client.get(reverse("two-factor-setup"))
    secret = client.session[NEW_SECRET]
    client.post(reverse("two-factor-setup"), {"code": code_for(secret)})
    assert list(TOTPDevice.objects.filter(user=admin).values_list("key", flat=True)) == [secret]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert StaticToken.objects.filter(device__user=admin).count() == 10


def test_new_recovery_codes_replace_the_old_ones(client, make_user):
    admin = make_user(Role.ADMINISTRATOR)
    client.force_login(admin)
    old = set(recovery_codes_renew(user=admin))
    response = client.post(reverse("recovery-codes-new"))
    assert response.url == reverse("recovery-codes")
    new = set(re.findall(r"<li><code>(\w+)</code></li>", client.get(response.url).content.decode()))
    assert len(new) == 10 and not new & old
    assert set(StaticToken.objects.values_list("token", flat=True)) == new


def test_an_administrator_resets_the_two_factor_of_someone_who_lost_their_phone(
    administrator_client, administrator, make_user
):
    chair = make_user(Role.CHAIR)
    theirs = Client()
    theirs.force_login(chair)
    recovery_codes_renew(user=chair)
    page = administrator_client.get(reverse("person", args=[chair.pk])).content.decode()
    assert "Reset two-factor sign-in" in page

    response = administrator_client.post(
        reverse("person-two-factor-reset", args=[chair.pk]), follow=True
    )
    assert "two-factor sign-in is reset" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=chair).exists()
    assert not StaticToken.objects.filter(device__user=chair).exists()
    assert theirs.get(reverse("home")).url.startswith(reverse("login"))
    response = theirs.get(sign_in(theirs, chair).url)
    assert response.url.startswith(reverse("two-factor-setup"))


def test_an_administrator_cannot_reset_their_own(administrator_client, administrator):
    response = administrator_client.post(
        reverse("person-two-factor-reset", args=[administrator.pk]), follow=True
    )
    assert "reset your own two-factor sign-in" in response.content.decode()
    assert TOTPDevice.objects.filter(user=administrator).exists()


def test_only_administrators_reset_two_factor(make_user):
    chair, senior = make_user(Role.CHAIR), make_user(Role.SENIOR_MANAGER)
    client = Client()
    client.force_login(senior)
    AuthenticatorFactory(user=chair)
    assert client.post(reverse("person-two-factor-reset", args=[chair.pk])).status_code == 403
    assert TOTPDevice.objects.filter(user=chair).exists()


def test_signing_in_with_the_council_account_needs_no_second_code_here(make_user):
    """The council's Entra ID asks for its own second factor (permanence/oidc.py marks the
    session); the same administrator with only a password is held back."""
    admin = make_user(Role.ADMINISTRATOR)
    council_account, password = Client(), Client()
    for browser in (council_account, password):
        password_only_login(browser, admin)
    session = council_account.session
    session[SIGNED_IN_WITH] = SIGNED_IN_WITH_COUNCIL_ACCOUNT
    session.save()
    assert council_account.get(reverse("people")).status_code == 200
    assert password.get(reverse("people")).url.startswith(reverse("two-factor-setup"))
