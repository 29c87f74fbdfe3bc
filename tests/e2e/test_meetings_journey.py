"""An administrator schedules Lancashire's meetings in the browser and opens one."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from permanence.roles import Role
from tests.factories import UserFactory

from .keyboard import sign_in_by_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_schedules_three_months_and_opens_a_meeting(page, assert_accessible):
    call_command("load_panel_presets", "lancashire", stdout=StringIO())
    admin = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@council.example")
    sign_in_by_keyboard(page, admin.email)
    page.goto("/panels/lancashire/")
    page.get_by_role("button", name="Schedule meetings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule meetings")
    assert_accessible(page)

    for field, value in {"#id_start_0": "1", "#id_start_1": "1", "#id_start_2": "2027"}.items():
        page.fill(field, value)
    for field, value in {"#id_end_0": "31", "#id_end_1": "3", "#id_end_2": "2027"}.items():
        page.fill(field, value)
    page.get_by_role("button", name="Schedule meetings").click()
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("3 meetings scheduled")
    assert_accessible(page)

    banner.get_by_role("link", name="Wednesday 10 February 2027").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wednesday 10 February 2027")
    expect(page.locator("table").first).to_contain_text("Wednesday 3 February 2027")  # agenda, -5
    assert_accessible(page)

    page.get_by_role("button", name="Change date, time or place").click()
    assert_accessible(page)
    page.fill("#id_date_0", "29")
    page.fill("#id_date_1", "3")
    page.get_by_role("button", name="Save meeting").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("a bank holiday (Easter Monday)")
    assert_accessible(page)
    page.fill("#id_date_0", "11")
    page.fill("#id_date_1", "2")
    page.fill("#id_venue", "County Hall, Preston")
    page.get_by_role("button", name="Save meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thursday 11 February 2027")
    expect(page.locator(".govuk-summary-list")).to_contain_text("County Hall, Preston")

    page.get_by_role("link", name="Cancel this meeting").click()
    assert_accessible(page)
    page.get_by_label("Why is the meeting cancelled?").fill("The chair is at court")
    page.get_by_role("button", name="Cancel meeting").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("The chair is at court")
    assert_accessible(page)
