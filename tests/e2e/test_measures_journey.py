"""A senior manager reads the timeliness measures as of a date they type, then each panel's
performance, by keyboard; every page passes axe."""

import os
from datetime import UTC, date, datetime

import pytest
import time_machine
from playwright.sync_api import expect

from permanence.roles import Role
from tests.factories import PanelFactory, UserFactory, winter_meetings
from tracker import services

from .keyboard import press, sign_in_by_keyboard, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READ_ON = datetime(2027, 3, 31, 10, 0, tzinfo=UTC)
# Set MEASURES_SCREENSHOTS to a folder to keep a picture of each page.
SCREENSHOTS = os.environ.get("MEASURES_SCREENSHOTS", "")


def keep(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def adoptions():
    panel = PanelFactory(preset="lancashire")
    winter_meetings(panel)
    for number, (entered, moved_in, adopted_on) in enumerate(
        [
            (date(2025, 4, 1), date(2026, 3, 2), date(2026, 9, 1)),  # 335 days
            (date(2025, 8, 4), date(2026, 10, 5), date(2027, 2, 1)),  # 427 days
        ]
    ):
        services.child_create(
            case_number=f"AD{number}",
            first_name="Adopted",
            last_name=f"Child{number}",
            panel=panel,
            looked_after_since=entered,
            primary_plan="adoption",
            placement_order_date=date(2025, 12, 1),
            match_date=date(2026, 2, 2),
            placed_for_adoption_date=moved_in,
            permanence_secured_date=adopted_on,
        )


def test_a_senior_manager_reads_timeliness_and_panel_performance(
    page, assert_accessible, adoptions
):
    manager = UserFactory(roles=[Role.SENIOR_MANAGER], email="director@council.example")
    with time_machine.travel(READ_ON, tick=True):
        sign_in_by_keyboard(page, manager.email)
        page.goto("/dashboards/timeliness/")
        assert_accessible(page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Timeliness")
        tab_to(page, "#id_as_of", 80)
        page.locator("#id_as_of").fill("2027-02-28")
        press(page, "Show the measures")
        page.wait_for_url("**/dashboards/timeliness/?as_of=2027-02-28")
        assert_accessible(page)
        a10 = page.locator("#measure-a10")
        # 335 and 427 days: 381 on average over the two, beside the 426-day threshold.
        expect(a10).to_contain_text("381 days")
        expect(a10).to_contain_text("over 2 children")
        expect(a10).to_contain_text("426 days")
        expect(page.locator("#definition-a10")).to_contain_text("foster carers")
        # The month-by-month chart: a text alternative, and its figures as a table.
        chart = page.get_by_role("img", name="A10 and A2, month by month")
        expect(chart).to_be_visible()
        table = page.get_by_role("table", name="Figures: A10 and A2, month by month")
        expect(table.get_by_role("row", name="September 2026")).to_contain_text("335")
        keep(page, "timeliness")

        # A date that is not one is said, in the box and the error summary.
        page.goto("/dashboards/panels/?as_of=2027-02-30")
        expect(page.locator(".govuk-error-summary")).to_contain_text("As of must be a real date")
        assert_accessible(page)
        page.goto("/dashboards/panels/?as_of=2027-03-31")
        assert_accessible(page)
        table = page.locator("#panel-performance")
        expect(table).to_contain_text("Lancashire Permanence Panel")
        expect(table.get_by_role("row", name="Meetings held")).to_contain_text("3")
        keep(page, "panel_performance")
