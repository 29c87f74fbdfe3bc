"""Issue 11, what decisions mean: a Lancashire ratification subject to the final order is
amended from the child's page (a field and an action), the final order secures permanence,
and Somerset's Deputy Director records her own emergency decision. axe on every page."""

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from playwright.sync_api import expect

from agendas import services as agendas_services
from minutes import services
from minutes.models import EmergencyDecision
from permanence.roles import Role
from tests.days import BOOKED_ON
from tests.factories import ChildFactory, PanelFactory, UserFactory
from tracker import services as tracker_services

from .keyboard import sign_in_by_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANCASHIRE_DAY = date(2027, 1, 13)
AFTER = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)


def test_a_ratification_subject_to_the_final_order_is_amended_from_the_child_page(
    page, assert_accessible
):
    chair = UserFactory(roles=[Role.CHAIR], email="chair@council.example", first_name="Robin")
    admin = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@council.example")
    lancashire = PanelFactory(preset="lancashire", chair=chair)
    with time_machine.travel(BOOKED_ON, tick=False):
        meeting = agendas_services.meetings_schedule(
            panel=lancashire, start=date(2027, 1, 1), end=date(2027, 1, 31)
        ).created[0]
        child = ChildFactory(
            first_name="Ada", proceedings_issued=date(2026, 9, 1), panel=lancashire
        )
        booking = agendas_services.booking_create(
            meeting=meeting,
            child=child,
            request_type=lancashire.request_types.get(name="Ratification"),
            reason="Ratify her placement as permanent",
            booked_by=admin,
        )
    with time_machine.travel(LANCASHIRE_DAY, tick=False):
        decision = services.decision_record(
            booking=booking,
            outcome=lancashire.outcomes.get(name="Ratification of placement as permanent"),
            rationale="Settled for two years; carers committed to her.",
            recorded_by=chair,
            subject_to_final_order=True,
        )
        services.action_add(
            decision=decision,
            description="Plan the celebration",
            owner=chair,
            due_date=date(2027, 2, 1),
        )
        services.minutes_ratify(meeting=meeting, chair=chair)

    with time_machine.travel(AFTER, tick=True):
        sign_in_by_keyboard(page, chair.email)
        page.goto(f"/children/{child.pk}/")
        expect(page.locator("#permanence-pending")).to_contain_text("subject to the final order")
        assert_accessible(page)
        page.get_by_role("link", name=re.compile("^Amend")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Amend the decision")
        assert_accessible(page)
        page.get_by_label("Why is the decision amended?").fill("The timescales were left out")
        timescales = page.get_by_role("textbox", name="Timescales for the action plan")
        timescales.fill("Celebration within 8 weeks")
        page.get_by_label("Remove this action").check()
        page.get_by_role("button", name="Amend the decision").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("amended")
        expect(page.locator("body")).to_contain_text("The timescales were left out")
        assert_accessible(page)

    decision.refresh_from_db()
    assert decision.timescales == "Celebration within 8 weeks"
    assert not decision.actions.exists()
    child.refresh_from_db()
    tracker_services.child_update(child=child, final_order_date=date(2027, 1, 20))
    child.refresh_from_db()
    assert child.permanence_secured_date == date(2027, 1, 20)


def test_the_deputy_director_records_her_own_emergency_decision(page, assert_accessible):
    somerset = PanelFactory(preset="somerset")
    director = UserFactory(
        roles=[Role.SENIOR_MANAGER],
        email="dd@council.example",
        first_name="Dee",
        last_name="Director",
    )
    with time_machine.travel(BOOKED_ON, tick=False):
        agendas_services.meetings_schedule(
            panel=somerset, start=date(2027, 1, 1), end=date(2027, 1, 31)
        )
    ChildFactory(first_name="Ada", case_number="100234", panel=somerset)

    with time_machine.travel(datetime(2027, 1, 5, 10, 0, tzinfo=UTC), tick=True):
        sign_in_by_keyboard(page, director.email)
        page.goto("/emergency-decisions/")
        assert_accessible(page)
        page.get_by_role("button", name="Record the emergency decision").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Child's case number").fill("100234")
        page.get_by_label("Day").fill("4")
        page.get_by_label("Month").fill("1")
        page.get_by_label("Year").fill("2027")
        page.get_by_label("In their role as").select_option("Deputy Director Children and Families")
        page.get_by_label("What was decided").fill("Placement with her aunt tonight.")
        page.get_by_label("Rationale").fill("The placement broke down out of hours.")
        page.get_by_role("button", name="Record the emergency decision").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "booked onto the Somerset Permanence Panel"
        )
        expect(page.locator("table")).to_contain_text(
            "Dee Director, Deputy Director Children and Families"
        )
        assert_accessible(page)
    emergency = EmergencyDecision.objects.get()
    assert (emergency.decided_by, emergency.recorded_by) == (director, director)
