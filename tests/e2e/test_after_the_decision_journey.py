"""Issue 16, finishing the journey (Somerset 3.8, 3.9): after panel's decision for a child
placed with parents under a care order, the chair refers the child to the Complex Cases
Panel and recommends revoking the care order, by keyboard alone; the tracker tags the child
until the administrator records the care order revoked. axe runs on every page visited."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from permanence.models import Notification
from permanence.roles import Role
from tests.factories import (
    BookingFactory,
    ChildFactory,
    DecisionFactory,
    MeetingFactory,
    PanelFactory,
    UserFactory,
)
from tracker.codes import LegalStatus, PlacementType

from .keyboard import activate, sign_in_by_keyboard, type_date, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chair_refers_on_and_recommends_revocation_until_it_is_made(
    browser, live_server, assert_accessible
):
    today = timezone.localdate()
    chair = UserFactory(roles=[Role.CHAIR], email="chair@council.example")
    administrator = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@council.example")
    coordinator = UserFactory(
        roles=[Role.SENIOR_MANAGER], email="complex.cases@council.example", first_name="Cora"
    )
    somerset = PanelFactory(preset="somerset", chair=chair, complex_cases_recipient=coordinator)
    meeting = MeetingFactory(panel=somerset, date=today - timedelta(days=2))
    child = ChildFactory(
        panel=somerset,
        case_number="SOM0301",
        first_name="Ruby",
        last_name="Ashdown",
        looked_after_since=today - timedelta(days=400),
        legal_status=LegalStatus.C1,
        placement_type=PlacementType.P1,
    )
    with time_machine.travel(meeting.date - timedelta(days=20), tick=False):
        booking = BookingFactory(meeting=meeting, child=child, booked_by=administrator)
    with time_machine.travel(meeting.date, tick=False):
        DecisionFactory(booking=booking, recorded_by=chair)

    def signed_in(user):
        page = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
        sign_in_by_keyboard(page, user.email)
        page.goto(f"/children/{child.pk}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Ruby Ashdown")
        return page

    page = signed_in(chair)
    assert_accessible(page)
    activate(page, "a:has-text('Refer to the Complex Cases Panel')", key="Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Complex Cases Panel")
    assert_accessible(page)
    type_into(page, "#id_needs", "Speech and language therapy; an EHCP assessment.")
    activate(page, "[name='submit']")
    expect(page.locator("#complex-cases")).to_contain_text("Speech and language therapy")
    (email,) = Notification.objects.filter(kind="complex_cases_referral")
    assert email.to == "complex.cases@council.example"

    activate(page, "a:has-text('Recommend revoking the care order')", key="Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("care order")
    assert_accessible(page)
    activate(page, "[name='submit']")
    expect(page.locator("#care-order-revocation")).to_contain_text("Revocation recommended")
    assert_accessible(page)

    page = signed_in(administrator)
    page.goto("/children/")
    expect(page.locator("tr", has_text="Ruby Ashdown")).to_contain_text("Revocation recommended")
    page.goto(f"/children/{child.pk}/")
    activate(page, "a:has-text('Record it made or withdrawn')", key="Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("care order")
    assert_accessible(page)
    activate(page, "[name='submit']")  # nothing chosen: refused in words
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose whether")
    assert_accessible(page)
    activate(page, "#id_outcome_1", key="Space")  # Care order revoked
    type_date(page, "on", today)
    activate(page, "[name='submit']")
    expect(page.locator("#care-order-revocation")).to_contain_text("Care order revoked on")
    page.goto("/children/")
    expect(page.locator("tr", has_text="Ruby Ashdown")).not_to_contain_text(
        "Revocation recommended"
    )
    assert_accessible(page)
