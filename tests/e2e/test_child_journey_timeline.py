"""A manager reads a child's journey: the timeline across the page, its table by keyboard,
and the timeline down the page on a phone."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from permanence.roles import Role
from tests.factories import TeamFactory, UserFactory
from tracker import services

from .keyboard import sign_in_by_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ruby():
    today = timezone.localdate()
    return services.child_create(
        case_number="CN2001",
        first_name="Ruby",
        last_name="Ashdown",
        team=TeamFactory(name="North"),
        looked_after_since=today - timedelta(days=300),
        first_review_date=today - timedelta(days=275),
        second_review_date=today - timedelta(days=150),  # the next is due in a month
        proceedings_issued=today - timedelta(days=200),
        last_panel_date=today - timedelta(days=120),
        legal_status="C1",
    )


def test_manager_reads_the_childs_journey_as_a_picture_and_as_a_table(
    page, assert_accessible, ruby
):
    manager = UserFactory(roles=[Role.SENIOR_MANAGER], email="head@council.example")
    sign_in_by_keyboard(page, manager.email)
    page.goto(f"/children/{ruby.pk}/")
    expect(page.get_by_role("heading", name="The child's journey")).to_be_visible()

    # Across the page on a wide screen; the phone's drawing is hidden from everyone.
    across = page.locator(".app-timeline__svg--across")
    expect(across).to_be_visible()
    expect(page.locator(".app-timeline__svg--down")).to_be_hidden()
    expect(page.get_by_role("img", name="Timeline of Ruby Ashdown's journey")).to_have_count(1)
    expect(across.locator("text").filter(has_text="Entered care")).to_be_visible()
    expect(across.locator("text").filter(has_text="26 weeks of proceedings end")).to_contain_text(
        "Overdue"
    )
    box = across.bounding_box()
    assert box["width"] > 600  # it takes the page's width
    assert_accessible(page)

    page.locator("summary", has_text="The journey, date by date").focus()
    page.keyboard.press("Enter")
    table = page.get_by_role("table", name="The child's journey in date order")
    entered = date_format(ruby.looked_after_since)
    expect(table.get_by_role("row").nth(1)).to_contain_text(f"{entered} Entered care Happened")
    expect(table.get_by_role("row", name="Review due")).to_have_text(
        re.compile(r"Review due\s+Due")
    )
    expect(table.get_by_role("row", name="At panel")).to_contain_text("Recorded on the tracker")
    assert_accessible(page)

    # On a phone, down the page, at a size that reads, and nothing wider than the screen.
    page.set_viewport_size({"width": 375, "height": 800})
    down = page.locator(".app-timeline__svg--down")
    expect(down).to_be_visible()
    expect(across).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    label = down.locator("text").filter(has_text="Entered care").first
    assert label.bounding_box()["height"] >= 26  # two lines of 13px
    assert_accessible(page)
