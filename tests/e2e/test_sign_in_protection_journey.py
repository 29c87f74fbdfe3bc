"""Issue 14's sign-in, by keyboard alone with axe-core on every page: an administrator is
made to set up two-factor sign-in, confirms it with a real code, signs out and signs in with
password and code; five wrong passwords lock an address out with the same words whether or
not it has an account."""

import base64
import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from permanence.roles import Role
from permanence.signin.views import LOCKED_OUT
from tests.factories import DEFAULT_PASSWORD, UserFactory

from .keyboard import activate, authenticator_code, press, tab_to, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def type_password(page, email: str, password: str) -> None:
    type_into(page, "#id_username", email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def test_an_administrator_sets_up_two_factor_and_signs_in_with_a_code(page, assert_accessible):
    admin = UserFactory(roles=[Role.ADMINISTRATOR], email="abe@council.example", first_name="Abe")

    page.goto("/people/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/people/$"))
    assert_accessible(page)
    type_password(page, admin.email, DEFAULT_PASSWORD)

    # Made to set it up, and nothing else is open.
    expect(page).to_have_url(re.compile(r"/account/two-factor/\?next=/people/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.locator(".app-qr-code svg")).to_be_visible()
    assert_accessible(page)
    page.goto("/children/")
    expect(page).to_have_url(re.compile(r"/account/two-factor/"))

    # The key, as someone who cannot scan types it into their app.
    activate(page, ".govuk-details__summary")
    key = "".join(page.locator("#two-factor-key span").all_inner_texts())
    assert len(key) == 32
    assert_accessible(page)
    app = TOTP(base64.b32decode(key))

    type_into(page, "#id_code", "123456" if app.token() != 123456 else "654321")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text("That code does not match")
    assert_accessible(page)
    type_into(page, "#id_code", f"{app.token():06d}")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator(".app-recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    activate(page, "a.govuk-button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.locator("main")).to_contain_text("10 left")
    assert_accessible(page)

    press(page, "Sign out")
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    assert_accessible(page)

    # Password, then the code.
    type_password(page, admin.email, DEFAULT_PASSWORD)
    expect(page).to_have_url(re.compile(r"/sign-in/code/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    assert_accessible(page)
    type_into(page, "#id_code", authenticator_code(admin))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/$"))
    activate(page, 'nav[aria-label="Menu"] a[href="/people/"]')
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    assert_accessible(page)


def test_five_wrong_passwords_lock_an_address_out_with_words_that_tell_nothing(
    page, assert_accessible
):
    sam = UserFactory(roles=[Role.SOCIAL_WORKER], email="sam@council.example")
    messages = {}
    for email in (sam.email, "nobody@council.example"):
        page.goto("/sign-in/")
        for attempt in range(5):
            tab_to(page, "#id_username")
            page.keyboard.press("Control+A")
            page.keyboard.type(email)
            page.keyboard.press("Tab")
            page.keyboard.type(f"wrong-password-{attempt}")
            page.keyboard.press("Enter")
            expect(page.locator(".govuk-error-summary")).to_be_visible()
        messages[email] = page.locator(".govuk-error-summary").inner_text()
        assert_accessible(page)
    assert LOCKED_OUT in messages[sam.email]
    assert messages[sam.email] == messages["nobody@council.example"]

    # The right password no longer opens the account from here.
    page.goto("/sign-in/")
    type_password(page, sam.email, DEFAULT_PASSWORD)
    expect(page.locator(".govuk-error-summary")).to_contain_text(LOCKED_OUT)
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    assert_accessible(page)
