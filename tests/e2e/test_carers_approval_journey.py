"""Issue 16's Somerset journey: a match with carers not approved for permanence is blocked,
with the reason, then goes through once the approval is recorded (Somerset 7: "confirmation
will be required that the carers are approved for permanent, long term placements").

The administrator adds Ada's proposed carers, links her to them and records their approval
as the fostering panel gave it, short-term only; the booking for her match says panel
cannot agree it yet. On Thursday 14 January 2027 the chair's ratification is refused with
what is needed; the administrator records the carers' new approval, for permanence; the
chair ratifies the match, and it is on the carers' file. By keyboard, axe on every page.
"""

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
from tests.factories import ChildFactory, UserFactory
from tracker.models import Carer

from .keyboard import choose, press, sign_in_by_keyboard, tab_to, type_date, type_into
from .test_booking_journey import sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PANEL_DAY = date(2027, 1, 14)
RATIFY = "Ratify the request, with timescales for the action plan"
NOT_APPROVED = "Sam and Alex Taylor are not approved for permanent, long-term placements."


def on(day: date, hour: int = 10):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=LONDON), tick=True)


def record_approval(page, assert_accessible, *, permanence: bool, approved_for: str, day: date):
    page.get_by_role("link", name=re.compile(r"^Record (the|a new) approval")).click()
    assert_accessible(page)
    page.locator("#id_approved_for").fill("")
    type_into(page, "#id_approved_for", approved_for)
    answer = page.get_by_label("Yes" if permanence else "No", exact=True)
    checked = page.locator("input[name=approved_for_permanence]:checked")
    if checked.count():
        # The earlier answer is chosen: Tab lands on it, and the arrows move the choice.
        tab_to(page, f"#{checked.get_attribute('id')}", 80)
        for _ in range(2):
            if not answer.is_checked():
                page.keyboard.press("ArrowUp")
        expect(answer).to_be_checked()
    else:
        choose(page, "Yes" if permanence else "No", group="approved_for_permanence")
    page.locator("#id_approving_panel").fill("")
    type_into(page, "#id_approving_panel", "Somerset Fostering Panel")
    for part in ("0", "1", "2"):
        page.locator(f"#id_approved_on_{part}").fill("")
    type_date(page, "approved_on", day)
    press(page, "Record the approval")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("approval")


def test_a_somerset_match_waits_for_the_carers_approval_for_permanence(page, assert_accessible):
    call_command("load_panel_presets", "somerset", stdout=StringIO())
    somerset = Panel.objects.get(slug="somerset")
    chair = UserFactory(roles=[Role.CHAIR], email="chair@somerset.example", first_name="Sam")
    somerset.chair = chair
    somerset.save()
    admin = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@somerset.example")
    ada = ChildFactory(case_number="520001", first_name="Ada", last_name="Lovelace", panel=somerset)
    with time_machine.travel(BOOKED_ON, tick=False):
        meeting = agendas_services.meetings_schedule(
            panel=somerset, start=PANEL_DAY, end=PANEL_DAY
        ).created[0]
        booking = agendas_services.booking_create(
            meeting=meeting,
            child=ada,
            request_type=somerset.request_types.get(name="Matching"),
            reason="Long-term match with her foster carers",
            booked_by=admin,
        )

    # Monday 11 January: the administrator keeps the carers' record.
    with on(date(2027, 1, 11)):
        sign_in_by_keyboard(page, admin.email)
        page.goto("/carers/")
        assert_accessible(page)
        page.get_by_role("button", name="Add carers").click()
        assert_accessible(page)
        type_into(page, "#id_name", "Sam and Alex Taylor")
        choose(page, "Foster carer", group="kind")
        type_into(page, "#id_reference", "FC-2231")
        press(page, "Add the carers")
        expect(page.get_by_role("heading", level=1)).to_have_text("Sam and Alex Taylor")
        assert_accessible(page)

        page.get_by_role("link", name="Link a child to Sam and Alex Taylor").click()
        assert_accessible(page)
        type_into(page, "#id_case_number", "520001")
        choose(page, "Proposed carer", group="role")
        press(page, "Link the child")
        expect(page.locator(".govuk-notification-banner")).to_contain_text("520001 is linked")

        record_approval(
            page,
            assert_accessible,
            permanence=False,
            approved_for="Two children aged 0 to 10, short-term",
            day=date(2026, 6, 4),
        )
        expect(page.locator("#approved-for-permanence")).to_contain_text(
            "Not approved for permanence"
        )
        assert_accessible(page)

        # The booking is flagged, and says what is needed.
        page.goto(f"/bookings/{booking.pk}/")
        expect(page.locator("#carers-needed")).to_contain_text("Panel cannot agree this request")
        expect(page.get_by_text(NOT_APPROVED)).to_be_visible()
        assert_accessible(page)
        # The child's page shows her proposed carers and their approval.
        page.goto(f"/children/{ada.pk}/")
        expect(page.locator("#child-carers")).to_contain_text(
            "Sam and Alex Taylor: proposed carer, foster carer. Not approved for permanence"
        )
        assert_accessible(page)
        sign_out(page)

    # Thursday 14 January: the chair cannot ratify the match, and is told why.
    decision_page = f"/panels/somerset/meetings/{meeting.pk}/running-order/{booking.pk}/"
    with on(PANEL_DAY):
        sign_in_by_keyboard(page, chair.email)
        page.goto(decision_page)
        expect(page.locator("#carers-needed")).to_contain_text("Panel cannot agree this request")
        assert_accessible(page)
        choose(page, RATIFY)
        type_into(page, "#id_rationale", "Ada is settled; her carers are committed to her.")
        press(page, "Save")
        expect(page.locator(".govuk-error-summary")).to_contain_text(NOT_APPROVED)
        assert_accessible(page)
        assert not Decision.objects.filter(booking=booking).exists()
        sign_out(page)

        # The administrator records the fostering panel's approval for permanence.
        sign_in_by_keyboard(page, admin.email)
        carers = Carer.objects.get(name="Sam and Alex Taylor")
        page.goto(f"/carers/{carers.pk}/")
        record_approval(
            page,
            assert_accessible,
            permanence=True,
            approved_for="Ada, long-term, as her permanent carers",
            day=date(2027, 1, 13),
        )
        expect(page.locator("#approved-for-permanence")).to_contain_text("Approved for permanence")
        sign_out(page)

        # The chair ratifies the match.
        sign_in_by_keyboard(page, chair.email)
        page.goto(decision_page)
        expect(page.locator("#carers-needed")).to_have_count(0)
        choose(page, RATIFY)
        # The refused decision's draft may have been kept: write the rationale afresh.
        page.locator("#id_rationale").fill("")
        type_into(page, "#id_rationale", "Ada is settled; her carers are committed to her.")
        press(page, "Save")
        expect(page.locator(".govuk-notification-banner")).to_be_visible()
        assert_accessible(page)
        decision = Decision.objects.get(booking=booking)
        assert decision.outcome.name == RATIFY

        # The decision is on the carers' file.
        page.goto(f"/carers/{carers.pk}/")
        decisions = page.locator("#carer-decisions")
        expect(decisions).to_contain_text(
            "Thursday 14 January 2027, Somerset Permanence Panel: Matching for Ada Lovelace "
            f"(520001). {RATIFY}."
        )
        assert decisions.inner_text().count("her carers are committed to her") == 1
        assert_accessible(page)
