"""Issue 16, finishing the journey (North Somerset 5): "continue tracking children until
permanence is secured… Life story work and letters for later life are completed." A North
Somerset child adopted a month ago sits on the "after permanence" list, flagged, while the
life-story book and the later-life letter are overdue; the administrator records the letter
done (the child stays: the book is still to do), then the life-story book done, by keyboard
alone, and the child leaves the list. axe runs on every page visited."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from permanence.roles import Role
from permanence.workdays import calendar
from tests.factories import PanelFactory, UserFactory
from tracker import services
from tracker.codes import LegalStatus

from .keyboard import activate, sign_in_by_keyboard, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FLAG = "Life story or later-life letter overdue"


def type_date_at_the_end_of_the_form(page, name: str, day) -> None:
    """The after-permanence dates are the child form's last section: a long way by Tab."""
    tab_to(page, f"#id_{name}_0", limit=300)
    page.keyboard.type(str(day.day))
    page.keyboard.press("Tab")
    page.keyboard.type(str(day.month))
    page.keyboard.press("Tab")
    page.keyboard.type(str(day.year))


def record_done(page, name: str, day) -> None:
    activate(page, "a[href$='/change/']")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ada Lovell")
    type_date_at_the_end_of_the_form(page, name, day)
    tab_to(page, "[name='submit']", limit=20)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lovell")


def test_an_adopted_child_stays_after_permanence_until_the_life_story_is_done(
    page, assert_accessible
):
    today = timezone.localdate()
    adoption_order = today - timedelta(days=30)
    due = calendar().add_working_days(adoption_order, 10)
    administrator = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@council.example")
    child = services.child_create(
        case_number="NS2001",
        first_name="Ada",
        last_name="Lovell",
        panel=PanelFactory(preset="north-somerset"),
        legal_status=LegalStatus.E1,
        looked_after_since=today - timedelta(days=700),
        proceedings_issued=today - timedelta(days=700),
        placement_order_date=today - timedelta(days=400),
        final_order_date=adoption_order,
        permanence_secured_date=adoption_order,
    )
    assert child.life_story_book_due == child.later_life_letter_due == due

    sign_in_by_keyboard(page, administrator.email)
    activate(page, "nav a:has-text('Tracker')")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tracker")
    activate(page, "a:has-text('after permanence')", key="Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("After permanence")
    row = page.locator("tr", has_text="Ada Lovell")
    expect(row).to_contain_text("NS2001")
    expect(row).to_contain_text(FLAG)
    expect(row).to_contain_text("Life-story book, due")
    expect(row).to_contain_text("Later-life letter, due")
    assert_accessible(page)

    activate(page, "a:has-text('Ada Lovell')")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lovell")
    expect(page.locator("#life-story-overdue")).to_contain_text(FLAG)
    assert_accessible(page)

    record_done(page, "later_life_letter_done_date", today)
    expect(page.locator("#later-life-letter")).to_contain_text("Done on")
    expect(page.locator("#life-story-overdue")).to_contain_text("the life-story book was due")
    assert_accessible(page)
    page.goto("/children/after-permanence/")
    row = page.locator("tr", has_text="Ada Lovell")
    expect(row).to_contain_text(FLAG)
    expect(row).not_to_contain_text("Later-life letter")

    activate(page, "a:has-text('Ada Lovell')")
    record_done(page, "life_story_book_done_date", today)
    expect(page.locator("#life-story-book")).to_contain_text("Done on")
    expect(page.locator("#life-story-overdue")).to_have_count(0)
    assert_accessible(page)

    page.goto("/children/after-permanence/")
    expect(page.get_by_role("heading", level=1)).to_have_text("After permanence")
    expect(page.get_by_text("Ada Lovell")).to_have_count(0)
    expect(page.get_by_text(re.compile("No child with permanence secured"))).to_be_visible()
    assert_accessible(page)
