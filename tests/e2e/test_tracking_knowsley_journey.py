"""Issue 13, Knowsley's Part 1: the panel considers "all children on the adoption tracker or
who are subject to a Placement Order". The administrator builds January's Part 1 list from
the tracker by keyboard: a child with a placement order, one with adoption as the plan and
one with adoption only as the contingency are found, each with the reason; a child with
neither is not. The three are added; building again finds them on the list and adds no one.
axe runs on every page visited."""

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from playwright.sync_api import expect

from agendas import services as agendas_services
from agendas.models import Panel
from permanence.models import Notification
from permanence.roles import Role
from tests.factories import TeamFactory, UserFactory, winter_meetings
from tracker import services as tracker_services

from .keyboard import activate, press, sign_in_by_keyboard, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTION = "Part 1: Adoption tracking"
BUILT_ON = datetime(2026, 12, 14, 10, 0, tzinfo=UTC)


def test_the_administrator_builds_part_1_from_the_adoption_tracker(page, assert_accessible):
    agendas_services.panel_preset_load(slug="knowsley")
    knowsley = Panel.objects.get(slug="knowsley")
    admin = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@knowsley.example")
    team = TeamFactory(name="Children Looked After Team 1")
    worker = UserFactory(roles=[Role.SOCIAL_WORKER], email="worker@knowsley.example", team=team)
    manager = UserFactory(roles=[Role.TEAM_MANAGER], email="tm@knowsley.example", team=team)

    def child(case_number: str, first_name: str, **fields):
        return tracker_services.child_create(
            case_number=case_number,
            first_name=first_name,
            last_name="Knowsley",
            panel=knowsley,
            team=team,
            social_worker=worker,
            team_manager=manager,
            looked_after_since=date(2025, 9, 1),
            **fields,
        )

    order = child("400101", "Orla", placement_order_date=date(2026, 5, 1))
    plan = child("400102", "Piran", primary_plan="adoption")
    contingency = child("400103", "Cass", primary_plan="reunification", contingency_plan="adoption")
    neither = child(
        "400104",
        "Nell",
        primary_plan="long_term_fostering",
        contingency_plan="special_guardianship",
    )
    (january, *_) = winter_meetings(knowsley)
    meeting_url = f"/panels/knowsley/meetings/{january.pk}/"

    with time_machine.travel(BUILT_ON, tick=True):
        sign_in_by_keyboard(page, admin.email)
        page.goto(meeting_url)
        expect(page.get_by_role("heading", level=1)).to_contain_text("5 January 2027")
        assert_accessible(page)
        activate(page, f'a:has-text("Build the tracking list for {SECTION}")')
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Build the tracking list for “{SECTION}”"
        )
        assert_accessible(page)
        # Tab lands on the first rule; the arrow moves to, and chooses, the adoption rule.
        tab_to(page, "#rule-due", 80)
        page.keyboard.press("ArrowDown")
        expect(
            page.get_by_label("A placement order, or adoption as the plan or the contingency")
        ).to_be_checked()
        press(page, "Show who it finds")
        expect(page).to_have_url(re.compile(r"\?rule=adoption$"))
        found = page.locator("#children")
        expect(found.locator("caption")).to_contain_text("3 children found")
        for someone, reason in (
            (order, "Placement order made Friday 1 May 2026"),
            (plan, "Plan: adoption"),
            (contingency, "Contingency plan: adoption"),
        ):
            row = found.locator("tbody tr").filter(has_text=someone.full_name)
            expect(row).to_contain_text(reason)
            expect(row.locator("input[type=checkbox]")).to_be_checked()
        expect(found).not_to_contain_text(neither.full_name)
        assert_accessible(page)
        press(page, "Add the ticked children to the list")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            f"3 children added to “{SECTION}”."
        )
        part_1 = page.get_by_role("table", name=SECTION)
        for someone in (order, plan, contingency):
            expect(part_1).to_contain_text(someone.full_name)
        expect(page.locator("main")).not_to_contain_text(neither.full_name)
        assert_accessible(page)

        # Building again finds the three on the list, and adds no one.
        activate(page, f'a:has-text("Build the tracking list for {SECTION}")')
        tab_to(page, "#rule-due", 80)
        page.keyboard.press("ArrowDown")
        press(page, "Show who it finds")
        found = page.locator("#children")
        expect(found.locator(".govuk-tag", has_text="On this list")).to_have_count(3)
        expect(page.locator("main")).to_contain_text(
            "Everyone this finds is already on the agenda."
        )
        expect(page.get_by_role("button", name="Add the ticked children")).to_have_count(0)
        assert_accessible(page)

    assert {b.child for b in january.bookings.all()} == {order, plan, contingency}
    assert all(b.section.name == SECTION and b.is_tracking for b in january.bookings.all())
    # Told once each that their three children will be tracked.
    told = Notification.objects.filter(kind="tracking_notice")
    assert sorted(n.recipient.email for n in told) == [manager.email, worker.email]
