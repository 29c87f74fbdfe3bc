"""Issue 16, money under a scheme of delegation, Knowsley: the social worker lists the SGO
support plan's allowance on the request; at panel the chair agrees it, and as it is above
the request type's delegation limit it waits for the Assistant Executive Director, who
approves it; it then appears in the finance view and its CSV. Every page passes axe; each
person's work is done by keyboard."""

import csv
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from agendas import services as agendas_services
from agendas.models import Panel
from minutes.models import ApprovalStatus, Decision
from permanence.roles import Role
from tests.factories import BookingFactory, ChildFactory, TeamFactory, UserFactory

from .keyboard import choose, press, sign_in_by_keyboard, tab_to, type_into
from .test_booking_journey import sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AED = "Assistant Executive Director"
SGO = "Special Guardianship Order: friends and family carers"
BOOKED_ON = date(2026, 12, 1)
PANEL_DAY = date(2027, 1, 5)  # Knowsley's first Tuesday of January
APPROVED_ON = date(2027, 1, 6)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def test_an_sgo_support_plan_over_its_limit_waits_for_the_director_then_is_committed(
    page, assert_accessible
):
    call_command("load_panel_presets", "knowsley", stdout=StringIO())
    knowsley = Panel.objects.get(slug="knowsley")
    chair = UserFactory(roles=[Role.CHAIR], email="hos@knowsley.example")
    agendas_services.panel_update(panel=knowsley, chair=chair)
    sgo = knowsley.request_types.get(name=SGO)
    # Knowsley's own figure: no terms of reference gives one.
    agendas_services.request_type_update(request_type=sgo, delegation_limit=Decimal("10000"))
    admin = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@knowsley.example")
    director = UserFactory(
        roles=[Role.SENIOR_MANAGER], email="aed@knowsley.example", first_name="Erin"
    )
    team = TeamFactory(name="Permanence Team")
    worker = UserFactory(roles=[Role.SOCIAL_WORKER], team=team, email="sw@knowsley.example")
    with time_machine.travel(at(BOOKED_ON), tick=False):
        meeting = agendas_services.meetings_schedule(
            panel=knowsley, start=date(2027, 1, 1), end=date(2027, 1, 31)
        ).created[0]
        child = ChildFactory(
            first_name="Maya", last_name="Okafor", panel=knowsley, team=team, social_worker=worker
        )
        booking = BookingFactory(
            meeting=meeting, child=child, request=SGO, booked_by=admin, social_worker=worker
        )

    # The social worker lists the allowance the support plan asks for: £250 a week.
    with time_machine.travel(at(BOOKED_ON, 14), tick=True):
        sign_in_by_keyboard(page, worker.email)
        page.goto(f"/bookings/{booking.pk}/")
        assert_accessible(page)
        page.get_by_role("link", name="Change amounts").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Amounts panel is asked to agree")
        expect(page.locator("main")).to_contain_text(f"waits for the {AED}")
        assert_accessible(page)
        type_into(page, "#id_description", "Special guardianship allowance")
        page.keyboard.press("Tab")
        page.keyboard.type("250")
        choose(page, "A week", group="period")
        press(page, "Add the amount")
        expect(page.locator(".govuk-notification-banner")).to_contain_text("is added")
        expect(page.locator("[data-amounts] tbody")).to_contain_text("£250.00")
        assert_accessible(page)
        sign_out(page)

    # At panel the chair agrees it: £13,000 a year is above the £10,000 limit.
    meeting_url = f"/panels/knowsley/meetings/{meeting.pk}/"
    with time_machine.travel(at(PANEL_DAY, 11), tick=True):
        sign_in_by_keyboard(page, chair.email)
        page.goto(f"{meeting_url}running-order/")
        page.get_by_role("link", name="Record decision for Maya Okafor").click()
        expect(page.locator("[data-amounts]")).to_contain_text("Not decided yet")
        assert_accessible(page)
        choose(page, "Approval")
        type_into(page, "#id_rationale", "The support plan meets Maya's needs.")
        press(page, "Save")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            f"waits for the decision of the {AED}"
        )
        page.goto(f"{meeting_url}running-order/{booking.pk}/")
        expect(page.locator("main")).to_contain_text("Panel agreed this: it waits")
        page.get_by_role("link", name="Approve, change or refuse each amount").click()
        expect(page.locator("#senior-approval")).to_contain_text("Awaiting")
        expect(page.get_by_label("Approved as asked")).to_be_checked()
        assert_accessible(page)
        sign_out(page)
    decision = Decision.objects.get(booking=booking)
    assert decision.approval_status == ApprovalStatus.AWAITING

    # Nothing is committed until the director answers.
    with time_machine.travel(at(PANEL_DAY, 15), tick=True):
        sign_in_by_keyboard(page, admin.email)
        page.goto("/finance/")
        expect(page.locator("main")).to_contain_text("No commitments approved yet")
        assert_accessible(page)
        sign_out(page)

    with time_machine.travel(at(APPROVED_ON), tick=True):
        sign_in_by_keyboard(page, director.email)
        page.goto("/approvals/")
        assert_accessible(page)
        page.get_by_role("link", name=re.compile("Maya Okafor")).first.click()
        assert_accessible(page)
        tab_to(page, "#id_choice_1", 80)  # "Approve", the first choice
        page.keyboard.press("Space")
        type_into(page, "#id_comment", "Agreed within the budget.")
        press(page, "Save your decision")
        expect(page.locator(".govuk-notification-banner")).to_contain_text("You approved")
        # The finance view, for senior managers as for administrators.
        page.goto("/finance/")
        month = page.locator("[data-finance-month='2027-01']")
        expect(month).to_contain_text(SGO)
        expect(month).to_contain_text(f"MO ({child.case_number})")
        expect(month).to_contain_text("£250.00 a week")
        expect(month).to_contain_text("£13,000.00")
        expect(page.locator("main")).not_to_contain_text("Maya Okafor")
        assert_accessible(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download every commitment (CSV)").click()
        rows = list(csv.DictReader(StringIO(download.value.path().read_text("utf-8-sig"))))
        found = [(row["case_number"], row["approved_a_year"], row["request_type"]) for row in rows]
        assert found == [(child.case_number, "13000.00", SGO)]
        # And the meeting page totals what was approved.
        page.goto(meeting_url)
        expect(page.locator("[data-money-a-year]")).to_have_text("£13,000.00")
        assert_accessible(page)
