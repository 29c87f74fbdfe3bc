"""Nothing lost: the chair types panel's rationale; a reload, or a session that timed out
before the save, brings the text back; a successful save forgets it. The recording pages
pass axe-core."""

import re
from datetime import UTC, date, datetime
from io import StringIO

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.management import call_command
from playwright.sync_api import expect

from agendas import services as agendas_services
from agendas.models import Panel
from minutes.models import Decision
from permanence.roles import Role
from tests.days import BOOKED_ON
from tests.factories import DEFAULT_PASSWORD, ChildFactory, UserFactory

from .keyboard import authenticator_code, sign_in_by_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Lancashire's January panel, mid-morning.
ON_THE_DAY = datetime(2027, 1, 13, 10, 0, tzinfo=UTC)
RATIONALE = "Panel agrees adoption: the assessments show Ada's needs are best met so."
RESTORED = "We restored what you typed before."


def book_two_children():
    call_command("load_panel_presets", "lancashire", stdout=StringIO())
    panel = Panel.objects.get(slug="lancashire")
    chair = UserFactory(roles=[Role.CHAIR], email="chair@council.example")
    admin = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@council.example")
    panel.chair = chair
    panel.save()
    meeting = agendas_services.meetings_schedule(
        panel=panel, start=date(2027, 1, 1), end=date(2027, 1, 31)
    ).created[0]
    bookings = [
        agendas_services.booking_create(
            meeting=meeting,
            child=ChildFactory(first_name=name, last_name="Lovelace", panel=panel),
            request_type=panel.request_types.get(name="New to care"),
            reason="To agree the plan for permanence",
            booked_by=admin,
        )
        for name in ("Ada", "Byron")
    ]
    return chair, meeting, bookings


def test_what_the_chair_typed_survives_a_reload_and_a_timed_out_session(page, assert_accessible):
    with time_machine.travel(BOOKED_ON, tick=False):
        chair, meeting, (ada, byron) = book_two_children()
    base = f"/panels/lancashire/meetings/{meeting.pk}"
    draft_key = f"keep-draft:decision-{ada.pk}"

    with time_machine.travel(ON_THE_DAY, tick=True):
        sign_in_by_keyboard(page, chair.email)
        page.goto(f"{base}/")
        page.get_by_role("link", name="Running order and decisions").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Running order and decisions")
        expect(page.locator("table")).to_contain_text("Byron Lovelace")
        assert_accessible(page)

        page.get_by_role("link", name="Attendance", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Attendance")
        expect(page.get_by_role("group", name="Health Representative: vacant")).to_be_visible()
        assert_accessible(page)

        page.goto(f"{base}/running-order/")
        page.get_by_role("link", name="Record decision for Ada Lovelace").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Ada Lovelace")
        assert_accessible(page)

        # Typed, then the page is reloaded: the text comes back, and the chair is told.
        rationale = page.get_by_label("Rationale")
        rationale.fill(RATIONALE)
        page.get_by_label("Agreement to the plan for permanence").check()
        page.reload()
        expect(rationale).to_have_value(RATIONALE)
        expect(page.get_by_label("Agreement to the plan for permanence")).to_be_checked()
        expect(page.get_by_role("status")).to_have_text(re.compile(RESTORED))
        assert_accessible(page)

        # The session times out before the save: sign-in, then back to the form, as typed.
        Session.objects.all().delete()
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page).to_have_url(re.compile(r"/sign-in/\?next="))
        page.get_by_label("Email address").fill(chair.email)
        page.get_by_label("Password").fill(DEFAULT_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_label("Code").fill(authenticator_code(chair))  # chairs use two-factor
        page.get_by_role("button", name="Continue").click()
        expect(page).to_have_url(re.compile(rf"{base}/running-order/{ada.pk}/$"))
        expect(rationale).to_have_value(RATIONALE)
        expect(page.get_by_role("status")).to_have_text(re.compile(RESTORED))
        assert not Decision.objects.exists()

        # Saved: the next child's page tells the browser to forget Ada's draft.
        page.get_by_role("button", name="Save and go to the next child").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "Panel's decision for Ada Lovelace is recorded."
        )
        expect(page.get_by_role("heading", level=1)).to_contain_text("Byron Lovelace")
        assert page.evaluate(f"sessionStorage.getItem({draft_key!r})") is None
        assert Decision.objects.get(booking=ada).rationale == RATIONALE

        page.goto(f"{base}/running-order/{ada.pk}/")
        expect(page.get_by_label("Rationale")).to_have_value(RATIONALE)
        expect(page.get_by_role("status")).to_have_count(0)
