"""Torbay: the social worker records what the prospective special guardians said against the
SGO request, by keyboard; the chair cannot sign off the support plan before, and can after.
axe on every page visited."""

import re
from datetime import date, datetime, time
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from agendas import services as agendas_services
from agendas.models import Panel
from minutes.models import Decision
from permanence.roles import Role
from tests.days import BOOKED_ON, LONDON
from tests.factories import ChildFactory, TeamFactory, UserFactory

from .keyboard import choose, press, sign_in_by_keyboard, type_date, type_into
from .test_booking_journey import sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PANEL_DAY = date(2027, 1, 7)
RATIFY = "Ratify the request, with timescales for the action plan"


def test_torbays_sgo_sign_off_waits_for_the_guardians_feedback(page, assert_accessible):
    call_command("load_panel_presets", "torbay", stdout=StringIO())
    torbay = Panel.objects.get(slug="torbay")
    chair = UserFactory(roles=[Role.CHAIR], email="chair@torbay.example")
    torbay.chair = chair
    torbay.save()
    team = TeamFactory(name="Torbay Children in Care")
    worker = UserFactory(roles=[Role.SOCIAL_WORKER], email="worker@torbay.example", team=team)
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    child = ChildFactory(
        first_name="Dan", last_name="Lovelace", panel=torbay, team=team, social_worker=worker
    )
    with time_machine.travel(BOOKED_ON, tick=False):
        meeting = agendas_services.meetings_schedule(
            panel=torbay, start=PANEL_DAY, end=PANEL_DAY
        ).created[0]
        booking = agendas_services.booking_create(
            meeting=meeting,
            child=child,
            request_type=torbay.request_types.get(name="SGO Support Plan sign-off"),
            reason="Sign-off of the SGO support plan for his grandparents",
            booked_by=admin,
            social_worker=worker,
        )
    decision_page = f"/panels/torbay/meetings/{meeting.pk}/running-order/{booking.pk}/"

    with time_machine.travel(datetime.combine(PANEL_DAY, time(9), tzinfo=LONDON), tick=True):
        sign_in_by_keyboard(page, chair.email)
        page.goto(decision_page)
        expect(page.locator("#carers-needed")).to_contain_text("Panel cannot agree")
        choose(page, RATIFY)
        type_into(page, "#id_rationale", "The plan meets Dan's needs.")
        press(page, "Save")
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Record what they said before the SGO support plan is signed off."
        )
        assert_accessible(page)
        sign_out(page)

        sign_in_by_keyboard(page, worker.email)
        page.goto(f"/bookings/{booking.pk}/")
        assert_accessible(page)
        page.get_by_role("link", name="Record what the prospective special guardians said").click()
        assert_accessible(page)
        press(page, "Record feedback")  # empty: the form says what is missing
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Enter the date of the communication"
        )
        assert_accessible(page)
        type_date(page, "received_on", date(2027, 1, 5))
        type_into(page, "#id_summary", "They agree the support plan and ask for help with contact.")
        press(page, "Record feedback")
        expect(page).to_have_url(re.compile(rf"/bookings/{booking.pk}/$"))
        expect(page.locator("#guardians-feedback")).to_contain_text(
            "Tuesday 5 January 2027: They agree the support plan"
        )
        expect(page.locator("#carers-needed")).to_have_count(0)
        assert_accessible(page)
        sign_out(page)

        sign_in_by_keyboard(page, chair.email)
        page.goto(decision_page)
        choose(page, RATIFY)
        page.locator("#id_rationale").fill("")
        type_into(page, "#id_rationale", "The plan meets Dan's needs.")
        press(page, "Save")
        expect(page.locator(".govuk-notification-banner")).to_be_visible()
        assert Decision.objects.get(booking=booking).outcome.name == RATIFY
