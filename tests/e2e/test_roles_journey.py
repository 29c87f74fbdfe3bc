"""Each role signs in by keyboard alone, sees its home page and navigation, and every
page it can reach from the navigation passes axe-core."""

import re

import pytest
from playwright.sync_api import expect

from permanence.roles import Role
from tests.factories import TeamFactory, UserFactory

from .keyboard import sign_in_by_keyboard, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Those who send referrals (North Somerset 3.2) have their own list of them.
SENDER = ["Home", "My tasks", "Tracker", "My referrals", "Panels", "Bookings", "My actions"]
# Those who answer for drift and delay across children have the dashboards.
OVERSIGHT = ["Home", "My tasks", "Tracker", "Dashboards", "Panels", "Bookings", "My actions"]
EXPECTED_NAVIGATION = {
    Role.ADMINISTRATOR: [
        "Home",
        "My tasks",
        "Tracker",
        "Referrals",
        "Carers",
        "Dashboards",
        "Panels",
        "Bookings",
        "New to care",
        "My actions",
        "Finance",
        "People",
        "Closure days",
        "Outbox",
        "Audit",
    ],
    Role.CHAIR: OVERSIGHT,
    Role.PANEL_MEMBER: ["Home", "My tasks", "Tracker", "Panels", "Bookings", "My actions"],
    Role.SOCIAL_WORKER: SENDER,
    Role.TEAM_MANAGER: [*SENDER[:4], "Dashboards", *SENDER[4:]],
    Role.BUSINESS_INTELLIGENCE: SENDER,
    Role.SENIOR_MANAGER: [*OVERSIGHT, "Approvals", "Finance", "Emergency decisions"],
}


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_role_signs_in_and_every_navigation_page_is_accessible(page, assert_accessible, role):
    user = UserFactory(
        roles=[role], email=f"{role.value}@council.example", first_name="Robin", team=TeamFactory()
    )
    page.goto("/sign-in/")
    assert_accessible(page)

    sign_in_by_keyboard(page, user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Permanence panel")
    expect(page.get_by_text(f"You are signed in as: {role.label}")).to_be_visible()
    expect(page.locator(".app-protective-marking").first).to_have_text("OFFICIAL-SENSITIVE")
    navigation = page.get_by_role("navigation", name="Menu").get_by_role("link")
    expect(navigation).to_have_text(EXPECTED_NAVIGATION[role])
    assert_accessible(page)

    for label in EXPECTED_NAVIGATION[role][1:]:
        page.get_by_role("navigation", name="Menu").get_by_role("link", name=label).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        # The menu's current item: a page may mark its own current tab too (the outbox).
        menu = page.get_by_role("navigation", name="Menu")
        expect(menu.locator("[aria-current=page]")).to_have_text(label)
        assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in/$"))


def test_password_reset_page_is_accessible(page, assert_accessible):
    page.goto("/sign-in/")
    page.get_by_role("link", name="I have forgotten my password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    assert_accessible(page)


def test_administrator_adds_a_closure_day_by_keyboard_and_errors_are_accessible(
    page, assert_accessible
):
    admin = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@council.example")
    sign_in_by_keyboard(page, admin.email)
    page.goto("/closure-days/")
    tab_to(page, "#id_date_0")
    for value in ("25", "12", "2026", "Christmas"):
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Tab has reached the "Add closure day" button
    expect(page.locator(".govuk-error-summary")).to_contain_text("already a bank holiday")
    assert_accessible(page)

    page.locator("#id_date_0").fill("29")
    page.locator("#id_description").fill("Christmas closure")
    page.locator("#id_description").press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Tuesday 29 December 2026 is now a closure day"
    )
    expect(page.locator("table")).to_contain_text("Tuesday 29 December 2026")
    assert_accessible(page)
