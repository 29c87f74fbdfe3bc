"""Saved tracker filters (issue 13): the North Somerset administrator filters the tracker to
the children not discussed at panel in 3 months, saves it by keyboard, and builds January's
tracking list from it; a social worker applies the same saved filter and sees only their
own children. Every page passes axe."""

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from playwright.sync_api import expect

from agendas.models import Booking
from permanence.roles import Role
from tests.factories import PanelFactory, TeamFactory, UserFactory, winter_meetings
from tracker import services
from tracker.models import SavedFilter

from .keyboard import activate, press, sign_in_by_keyboard, tab_to, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUILT_ON = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def north_somerset_children():
    chair = UserFactory(roles=[Role.CHAIR], email="chair@council.example")
    panel = PanelFactory(preset="north-somerset", chair=chair)
    meeting = winter_meetings(panel)[0]
    east, west = TeamFactory(name="East"), TeamFactory(name="West")
    worker = UserFactory(roles=[Role.SOCIAL_WORKER], team=east, email="sw@council.example")

    def child(number, first_name, team, looked_after_since, **fields):
        return services.child_create(
            case_number=f"NS{number}",
            first_name=first_name,
            last_name="Tracked",
            panel=panel,
            team=team,
            looked_after_since=looked_after_since,
            **fields,
        )

    # Not discussed since becoming looked after in the summer: past 3 months by January.
    ruby = child(1, "Ruby", east, date(2026, 6, 1), social_worker=worker)
    leo = child(2, "Leo", west, date(2026, 7, 1))
    # Looked after in December: not yet due when January's panel meets.
    child(3, "Ivy", east, date(2026, 11, 30), social_worker=worker)
    return {"meeting": meeting, "worker": worker, "ruby": ruby, "leo": leo}


def test_a_saved_filter_builds_the_tracking_list_and_is_shared(
    page, assert_accessible, north_somerset_children
):
    meeting = north_somerset_children["meeting"]
    administrator = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@council.example")
    with time_machine.travel(BUILT_ON, tick=True):
        sign_in_by_keyboard(page, administrator.email)
        page.goto("/children/")
        activate(page, "summary:has-text('Filter children')")
        tab_to(page, "#id_flag", 40)
        page.locator("#id_flag").select_option("not_discussed_at_panel")
        press(page, "Apply filters")
        expect(page).to_have_url(re.compile(r"flag=not_discussed_at_panel"))
        assert_accessible(page)

        type_into(page, "#saved-filter-name", "Not discussed in 3 months")
        press(page, "Save this filter")
        expect(page.get_by_text("Saved the filter “Not discussed in 3 months”.")).to_be_visible()
        saved = SavedFilter.objects.get()
        assert saved.query == "flag=not_discussed_at_panel"
        expect(page.get_by_role("link", name="Not discussed in 3 months")).to_have_attribute(
            "aria-current", "true"
        )
        assert_accessible(page)

        # A search for a child is never saved, and the page says why.
        page.goto("/children/?q=Ruby")
        type_into(page, "#saved-filter-name", "Ruby")
        press(page, "Save this filter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Save this filter")
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "cannot search for a name or case number"
        )
        assert_accessible(page)

        page.goto(f"/panels/north-somerset/meetings/{meeting.pk}/")
        activate(page, "a:has-text('Build the tracking list')", "Enter")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Build the tracking list")
        saved_choice = page.get_by_label("Not discussed in 3 months", exact=True)
        tab_to(page, "#rule-due", 80)
        for _ in range(10):
            if saved_choice.evaluate("element => element === document.activeElement"):
                break
            page.keyboard.press("ArrowDown")
        expect(saved_choice).to_be_checked()
        assert_accessible(page)
        press(page, "Show who it finds")
        found = page.locator("#children")
        expect(found).to_contain_text("2 children found")
        expect(found).to_contain_text("Ruby Tracked")
        expect(found).to_contain_text("Leo Tracked")
        expect(found).not_to_contain_text("Ivy Tracked")
        expect(
            found.get_by_text("Matches the saved filter “Not discussed in 3 months”")
        ).to_have_count(2)
        assert_accessible(page)
        press(page, "Add the ticked children to the list")
        expect(page.get_by_text("2 children added to")).to_be_visible()
        assert_accessible(page)
    assert {b.child for b in Booking.objects.filter(meeting=meeting)} == {
        north_somerset_children["ruby"],
        north_somerset_children["leo"],
    }

    # The social worker applies the shared filter, and sees only their own child.
    page.context.clear_cookies()
    sign_in_by_keyboard(page, north_somerset_children["worker"].email)
    page.goto("/children/")
    expect(page.get_by_role("button", name=re.compile("Remove"))).to_have_count(0)
    activate(page, "a:text-is('Not discussed in 3 months')")
    table = page.locator("table")
    expect(table).to_contain_text("Ruby Tracked")
    expect(table).not_to_contain_text("Leo Tracked")
    assert_accessible(page)
