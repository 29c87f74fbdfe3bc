"""Issue 5's journey: the chair records a Lancashire panel by keyboard alone (a
ratification, a re-presentation that books next month, a deferral) and ratifies the
minutes; the tracker shows the new dates and plan; a Knowsley recommendation waits for the
senior officer and gets her decision; the owner completes an action."""

import re
from datetime import UTC, date, datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from agendas import services as agendas_services
from agendas.models import BookingStatus, Panel
from minutes.models import ApprovalStatus, Decision, PanelAction
from permanence.roles import Role
from tests.days import BOOKED_ON
from tests.factories import ChildFactory, UserFactory

from .keyboard import choose, press, sign_in_by_keyboard, tab_to, type_date, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANCASHIRE_DAY = datetime(2027, 1, 13, 10, 0, tzinfo=UTC)  # second Wednesday of January


def schedule_and_book(slug, chair, admin, children):
    call_command("load_panel_presets", slug, stdout=StringIO())
    panel = Panel.objects.get(slug=slug)
    panel.chair = chair
    panel.save()
    meetings = agendas_services.meetings_schedule(
        panel=panel, start=date(2027, 1, 1), end=date(2027, 3, 31)
    ).created
    for first_name, request in children:
        agendas_services.booking_create(
            meeting=meetings[0],
            child=ChildFactory(first_name=first_name, last_name="Lovelace", panel=panel),
            request_type=panel.request_types.get(name=request),
            reason="To agree the plan for permanence",
            booked_by=admin,
        )
    return meetings


def test_the_chair_records_the_panel_by_keyboard(page, assert_accessible):
    chair = UserFactory(
        roles=[Role.CHAIR], email="chair@council.example", first_name="Robin", last_name="Chair"
    )
    admin = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@council.example")
    director = UserFactory(roles=[Role.SENIOR_MANAGER], email="aed@council.example")
    with time_machine.travel(BOOKED_ON, tick=False):
        lancashire = schedule_and_book(
            "lancashire",
            chair,
            admin,
            [("Ada", "Ratification"), ("Byron", "New to care"), ("Clara", "New to care")],
        )
        knowsley = schedule_and_book(
            "knowsley", chair, admin, [("Dan", "Long term fostering match")]
        )
    january, february = lancashire[0], lancashire[1]
    base = f"/panels/lancashire/meetings/{january.pk}"

    with time_machine.travel(LANCASHIRE_DAY, tick=True):
        sign_in_by_keyboard(page, chair.email)
        page.goto(f"{base}/running-order/")
        assert_accessible(page)
        page.get_by_role("link", name="Record decision for Ada Lovelace").click()

        # Ada: her placement is ratified as permanent.
        choose(page, "Ratification of placement as permanent")
        type_into(page, "#id_rationale", "Settled for two years; carers committed to her.")
        assert_accessible(page)
        press(page, "Save and go to the next child")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Byron Lovelace")

        # Byron: re-presented next month, with an action for the chair.
        choose(page, "Re-present to panel")
        type_into(page, "#id_rationale", "Panel wants to see the sibling assessment first.")
        type_date(page, "by_date", date(2027, 2, 1))
        type_into(page, "#id_action-1-description", "Complete the sibling assessment")
        page.keyboard.press("Tab")
        page.keyboard.type("Robin")  # the owner select jumps to the typed name
        type_date(page, "action-1-due_date", date(2027, 1, 29))
        press(page, "Save and go to the next child")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "Wednesday 10 February 2027"
        )
        expect(page.get_by_role("heading", level=1)).to_contain_text("Clara Lovelace")

        # Clara: deferred for the parenting assessment; panel agrees the plan meanwhile.
        choose(page, "Defer until further information is provided")
        type_into(page, "#id_rationale", "The plan is right; the assessment must follow.")
        type_into(page, "#id_further_information", "The updated parenting assessment")
        type_date(page, "by_date", date(2027, 1, 27))
        tab_to(page, "#id_primary_plan", 80)
        page.keyboard.type("Adoption")
        press(page, "Save and go to the next child")
        expect(page.get_by_role("heading", level=1)).to_have_text("Running order and decisions")
        assert_accessible(page)

        byron_forward = Decision.objects.get(booking__child__first_name="Byron").forward_booking
        assert (byron_forward.meeting, byron_forward.status) == (february, BookingStatus.BOOKED)
        assert byron_forward.section.name == "Case re-presented back to permanence panel"
        clara_forward = Decision.objects.get(booking__child__first_name="Clara").forward_booking
        assert clara_forward.meeting == february  # first meeting on or after 27 January

        # The chair ratifies the minutes.
        page.goto(f"{base}/minutes/")
        assert_accessible(page)
        press(page, "Ratify the minutes")
        expect(page.locator("main")).to_contain_text("Ratified by Robin Chair")
        assert_accessible(page)

        # The tracker: Clara's plan, and her next panel three months after this one.
        page.goto("/children/?q=Clara")
        row = page.locator("tbody tr").filter(has_text="Clara Lovelace")
        expect(row).to_contain_text("Adoption")
        expect(row).to_contain_text("13 Apr 2027")
        page.goto("/children/?q=Ada&status=all")
        expect(page.locator("tbody")).to_contain_text("Ada Lovelace")  # secured, still found

        # Knowsley: a recommendation for the Assistant Executive Director.
        dan = knowsley[0].bookings.get()
        page.goto(f"/panels/knowsley/meetings/{knowsley[0].pk}/running-order/{dan.pk}/")
        choose(page, "Recommendation to the Assistant Executive Director")
        type_into(page, "#id_rationale", "A good match; the carers have cared for Dan for a year.")
        press(page, "Save")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "waits for the decision of the Assistant Executive Director"
        )
        decision = Decision.objects.get(booking=dan)
        assert decision.approval_status == ApprovalStatus.AWAITING

        # The owner completes the action panel gave them.
        page.goto("/actions/")
        assert_accessible(page)
        page.get_by_role("link", name=re.compile("Complete")).first.click()
        type_into(page, "textarea", "Assessment completed and shared with the IRO.")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page.locator(".govuk-notification-banner")).to_be_visible()
        assert PanelAction.objects.get().completed_at is not None
        page.get_by_role("button", name="Sign out").click()

        # The Assistant Executive Director approves.
        sign_in_by_keyboard(page, director.email)
        page.goto("/approvals/")
        assert_accessible(page)
        page.get_by_role("link", name=re.compile("Dan Lovelace")).click()
        assert_accessible(page)
        page.get_by_label("Approve").check()
        page.get_by_label(re.compile("Comment")).fill("Approved: IFA costs agreed.")
        page.get_by_role("button", name=re.compile("Save|Record|Submit")).click()
        expect(page.locator(".govuk-notification-banner")).to_be_visible()
    decision.refresh_from_db()
    assert decision.approval_status == ApprovalStatus.APPROVED
    dan.child.refresh_from_db()
    # A long-term fostering match, never the adoption match (issue 11).
    assert dan.child.long_term_match_date == knowsley[0].date
    assert dan.child.match_date is None
