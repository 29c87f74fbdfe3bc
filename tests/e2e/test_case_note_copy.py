"""Under the Content-Security-Policy (issue 14) the case note's Copy button still works: its
script is a static file now, not inline. By keyboard, and axe finds nothing. The
Permissions-Policy lets the page write to the clipboard and not read it."""

from datetime import UTC, datetime

import pytest
import time_machine
from playwright.sync_api import Error, expect

from permanence.roles import Role
from tests.days import BOOKED_ON
from tests.factories import BookingFactory, UserFactory, decide

from .keyboard import activate, sign_in_by_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ON_THE_DAY = datetime(2027, 1, 13, 10, 0, tzinfo=UTC)


def test_the_social_worker_copies_the_case_note_by_keyboard(page, assert_accessible, meeting):
    social_worker = UserFactory(roles=[Role.SOCIAL_WORKER], email="sam@council.example")
    with time_machine.travel(BOOKED_ON, tick=False):
        booking = BookingFactory(
            meeting=meeting,
            child__first_name="Ada",
            child__social_worker=social_worker,
            child__team=social_worker.team,
        )
    with time_machine.travel(ON_THE_DAY, tick=False):
        decision = decide(booking, "Refuse", meeting.panel.chair or UserFactory(roles=[Role.CHAIR]))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    sign_in_by_keyboard(page, "sam@council.example")
    page.goto(f"/decisions/{decision.pk}/case-note/")
    copy = page.locator("#copy-case-note")
    expect(copy).to_be_visible()  # shown by the static script, which the policy allows
    assert page.evaluate("document.body.classList.contains('js-enabled')")  # the nonced one
    assert_accessible(page)

    activate(page, "#copy-case-note")
    expect(page.locator("#copy-status")).to_have_text("The case note is copied.")
    # The Permissions-Policy lets the page write to the clipboard, never read it.
    with pytest.raises(Error, match="permissions policy"):
        page.evaluate("navigator.clipboard.readText()")
