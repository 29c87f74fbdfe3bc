"""The drift-and-delay board (issue 15): a senior manager opens the dashboards from the menu,
follows the count of children in care proceedings over 26 weeks to the tracker filtered to
them, comes back, asks for the board as of another date, and reads the chart of children
with a flag by team as a table and as its text alternative. All by keyboard; every page
passes axe."""

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from playwright.sync_api import expect

from permanence.roles import Role
from tests.factories import PanelFactory, TeamFactory, UserFactory
from tracker import services

from .keyboard import activate, press, sign_in_by_keyboard, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)


@pytest.fixture
def council():
    panel = PanelFactory(preset="somerset")
    east, west = TeamFactory(name="East"), TeamFactory(name="West")
    worker = UserFactory(
        roles=[Role.SOCIAL_WORKER], team=east, first_name="Priya", last_name="Shah"
    )

    def child(number, team, **fields):
        return services.child_create(
            case_number=f"DJ{number}",
            first_name=f"Child{number}",
            last_name="Board",
            panel=panel,
            team=team,
            **fields,
        )

    # Proceedings issued in June 2026: past their 26 weeks by January.
    child(1, east, social_worker=worker, proceedings_issued=date(2026, 6, 1))
    child(2, west, proceedings_issued=date(2026, 6, 15))
    # Issued in November: within the 26 weeks.
    child(3, east, social_worker=worker, proceedings_issued=date(2026, 11, 2))
    return panel


def test_a_manager_follows_a_flag_count_to_the_tracker_and_reads_a_chart(
    page, assert_accessible, council
):
    manager = UserFactory(roles=[Role.SENIOR_MANAGER], email="director@council.example")
    with time_machine.travel(TODAY, tick=True):
        sign_in_by_keyboard(page, manager.email)
        activate(page, "nav[aria-label='Menu'] a:text-is('Dashboards')")
        expect(page).to_have_url(re.compile(r"/dashboards/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Drift and delay")
        expect(page.locator("nav[aria-label='Dashboards'] [aria-current='page']")).to_have_text(
            "Drift and delay"
        )
        # The wide breakdowns scroll inside their own region; the page never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
        assert_accessible(page)

        # The count of children over 26 weeks, as of today, opens those two in the tracker.
        late = page.locator("#flags + div table tr", has_text="Care proceedings over 26 weeks")
        count = late.locator("td").first.get_by_role("link")
        expect(count).to_have_text(re.compile(r"^2\b"))
        activate(
            page, "#flags + div table tr:has-text('Care proceedings over 26 weeks') td a >> nth=0"
        )
        expect(page).to_have_url(re.compile(r"/children/\?flag=proceedings_over_26_weeks$"))
        expect(page.get_by_text("2 children match these filters")).to_be_visible()
        expect(page.get_by_role("link", name=re.compile("Child1 Board"))).to_be_visible()
        expect(page.get_by_role("link", name=re.compile("Child3 Board"))).to_have_count(0)
        assert_accessible(page)

        # Back on the board, as of 1 December 2026: only the first was over 26 weeks then.
        page.go_back()
        type_into(page, "#id_as_of", "")
        page.locator("#id_as_of").fill("2026-12-01")
        press(page, "Show the board")
        expect(page).to_have_url(re.compile(r"as_of=2026-12-01"))
        expect(page.get_by_text("As of Tuesday 1 December 2026:")).to_be_visible()
        expect(late.locator("td").first).to_have_text(re.compile(r"^1\b"))
        assert_accessible(page)

        # The chart by team: its figures as a table, and its text alternative.
        chart = page.locator("figure", has_text="Children with a flag by team")
        figures = chart.get_by_role("table")
        expect(figures.locator("caption")).to_have_text("Figures: children with a flag by team")
        expect(figures.get_by_role("row", name=re.compile(r"^East"))).to_have_text(
            re.compile(r"East\s+2\s+\d+")
        )
        expect(figures.get_by_role("row", name=re.compile(r"^West"))).to_have_text(
            re.compile(r"West\s+1\s+\d+")
        )
        picture = chart.get_by_role("img")
        # Its title and the text alternative name the picture for a screen reader.
        expect(picture).to_have_accessible_name(
            re.compile(
                r"Bar chart of children with a flag by team\. Children tracked: highest East"
            )
        )
        expect(
            chart.get_by_role("link", name=re.compile("Download these figures"))
        ).to_have_attribute("href", re.compile(r"csv=flagged_by_team"))
