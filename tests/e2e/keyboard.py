"""Driving the service by keyboard alone, as a keyboard user does: every journey's helpers.

Each helper reaches its element with Tab, so a step that passes also proves the element
is reachable by keyboard, in the page's own order.
"""

import re
import time
from datetime import date

from django_otp.oath import TOTP
from playwright.sync_api import expect

from permanence.models import User
from permanence.signin.rules import two_factor_required
from permanence.signin.selectors import has_two_factor
from tests.factories import DEFAULT_PASSWORD, AuthenticatorFactory


def tab_to(page, selector: str, limit: int = 25) -> None:
    """Press Tab until the element is focused, proving it is reachable by keyboard."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} was not reached with {limit} presses of Tab")


def sign_in_by_keyboard(page, email: str) -> None:
    """Sign in as someone who has set up what their role needs: a person whose role asks
    for two-factor sign-in has an authenticator app, and types its code."""
    user = User.objects.get(email__iexact=email)
    needs_code = two_factor_required(user) or has_two_factor(user)
    if needs_code:
        AuthenticatorFactory(user=user)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/$"))
    tab_to(page, "#id_username")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    if needs_code:
        expect(page).to_have_url(re.compile(r"/sign-in/code/"))
        type_into(page, "#id_code", authenticator_code(user))
        page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile(r"/sign-in/"))


def authenticator_code(user) -> str:
    """The code the person's app shows now. A code is good once, so a second sign-in in the
    same 30 seconds (the clock may stand still under time_machine) takes the next step's,
    which django-otp accepts as one step of drift."""
    device = AuthenticatorFactory(user=user)
    device.refresh_from_db()
    app = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    app.time = time.time()
    app.drift += max(0, device.last_t + 1 - app.t())
    return f"{app.token():0{device.digits}d}"


def activate(page, selector: str, key: str = "Enter") -> None:
    tab_to(page, selector, limit=80)
    page.keyboard.press(key)


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector, limit=80)
    page.keyboard.type(text)


def type_date(page, name: str, day: date) -> None:
    """Fill a GOV.UK date input's day, month and year, tabbing between them."""
    type_into(page, f"#id_{name}_0", str(day.day))
    page.keyboard.press("Tab")
    page.keyboard.type(str(day.month))
    page.keyboard.press("Tab")
    page.keyboard.type(str(day.year))


def choose(page, label: str, group: str = "outcome") -> None:
    """Tab into a radio group, then arrow down to the option, as a keyboard user does.
    Tab lands on the first option without choosing it, so Space chooses that one."""
    target = page.get_by_label(label, exact=True)
    tab_to(page, f"#id_{group}_1", 80)
    for _ in range(20):
        if target.evaluate("element => element === document.activeElement"):
            if not target.is_checked():
                page.keyboard.press("Space")
            break
        page.keyboard.press("ArrowDown")
    expect(target).to_be_checked()


def press(page, button: str) -> None:
    """Tab to a button (a <button>, or crispy-forms' <input type=submit>) and press Enter."""
    tab_to(page, f"button:text-is('{button}'), input[type=submit][value='{button}']", 120)
    page.keyboard.press("Enter")
