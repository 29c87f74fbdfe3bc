"""Issue 16, Lancashire's members' contributions: "Each individual panel member also has
individual responsibilities", and each is "expected" to bring them to panel for every child.

The panel's page says what it expects. Case Support books Ada into January's panel, and
each member seat the panel names is asked for its contribution, due the working day before
the agenda goes out. The health, education and Access to Resources members find the request
on My tasks and write theirs by keyboard; the IRO representative is away, so the Senior
Manager writes the IRO's as their representative from Ada's booking. The fostering
contribution is never written. The pack's cover sheet and the chair's page at panel show the
four written, the representative named, and the fostering one as missing. axe on every page
visited.
"""

import re
from datetime import UTC, date, datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from agendas import services
from agendas.models import Contribution, Panel
from permanence.roles import Role
from tests.factories import ChildFactory, TeamFactory, UserFactory

from .keyboard import activate, choose, press, tab_to, type_date, type_into
from .test_lancashire_journey import (
    agree_the_agenda,
    circulate_and_build_the_pack,
    sign_in_as,
    visit,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOOKING_DAY = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
WRITING_DAY = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)  # the day before they are due
AGENDA_DAY = datetime(2027, 1, 5, 10, 0, tzinfo=UTC)  # circulate by 6 January
PANEL_DAY = datetime(2027, 1, 13, 10, 0, tzinfo=UTC)
DUE = "Tuesday 5 January 2027"
IRO_SEAT = "Independent Reviewing Officer representative (Quality and Assurance Manager)"


def member(panel, seat, first_name, last_name):
    person = UserFactory(
        roles=[Role.PANEL_MEMBER],
        email=f"{first_name.lower()}@lancashire.example",
        first_name=first_name,
        last_name=last_name,
    )
    services.panel_membership_update(
        membership=panel.memberships.get(role_on_panel=seat), user=person
    )
    return person


def open_from_my_tasks(page, assert_accessible, action: str):
    """The member's request on My tasks, due the day before the agenda goes out."""
    visit(page, assert_accessible, "/tasks/")
    row = page.locator("tbody tr").filter(has_text=action)
    expect(row).to_contain_text("Ada Lovelace, case number 100231")
    expect(row).to_contain_text(DUE)
    activate(page, f"main a:has-text('{action}')")
    expect(page.get_by_role("heading", level=1)).to_contain_text("contribution")
    assert_accessible(page)


def saved(page, assert_accessible, words: str):
    press(page, "Save the contribution")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(words)
    assert_accessible(page)


def test_lancashire_members_bring_their_contributions_to_panel(page, assert_accessible):
    call_command("load_panel_presets", "lancashire", stdout=StringIO())
    lancashire = Panel.objects.get(slug="lancashire")
    chair = UserFactory(
        roles=[Role.CHAIR], email="hos@lancashire.example", first_name="Helen", last_name="Head"
    )
    services.panel_update(panel=lancashire, chair=chair)
    support = UserFactory(
        roles=[Role.ADMINISTRATOR],
        email="case.support@lancashire.example",
        first_name="Casey",
        last_name="Support",
    )
    health = member(lancashire, "Health Representative", "Hana", "Health")
    education = member(lancashire, "Education Representative (virtual school)", "Ed", "Virtual")
    art = member(lancashire, "Access to Resources representative", "Art", "Resources")
    iro = member(lancashire, IRO_SEAT, "Ira", "Officer")
    deputy = member(lancashire, "Children's Social Care Senior Manager", "Dee", "Puty")
    team = TeamFactory(name="Children in Our Care, Preston")
    ada = ChildFactory(
        case_number="100231", first_name="Ada", last_name="Lovelace", team=team, panel=lancashire
    )

    # 1 December: Case Support reads what the panel expects on its page, and books Ada;
    # each seat is asked for its contribution.
    with time_machine.travel(BOOKING_DAY, tick=True):
        sign_in_as(page, support)
        visit(page, assert_accessible, "/panels/lancashire/")
        expected = page.locator("#contributions + table")
        expect(expected.locator("tbody tr")).to_have_count(5)
        expect(expected).to_contain_text("Access to Resources representative")
        expect(expected).to_contain_text("6 working days before the panel")
        tab_to(page, "main a:text-is('Change the contributions')", 400)  # the page's last link
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Members’ contributions")
        assert_accessible(page)
        expect(page.get_by_label("Health: from which seat")).to_have_value(
            str(lancashire.memberships.get(role_on_panel="Health Representative").pk)
        )
        press(page, "Save the contributions")
        expect(page.locator(".govuk-notification-banner")).to_contain_text("are saved")
        assert_accessible(page)
        january = services.meetings_schedule(
            panel=lancashire, start=date(2027, 1, 1), end=date(2027, 1, 31)
        ).created[0]
        booking = services.booking_create(
            meeting=january,
            child=ada,
            request_type=lancashire.request_types.get(name="New to care"),
            reason="Panel to agree her plan before the second CLA review.",
            booked_by=support,
        )
    assert {item.kind: item.due_date for item in booking.contributions.all()} == {
        "health": date(2027, 1, 5),
        "education": date(2027, 1, 5),
        "iro": date(2027, 1, 5),
        "access_to_resources": date(2027, 1, 5),
        "fostering_residential": date(2027, 1, 5),
    }

    # 4 January: three members write theirs from My tasks, by keyboard.
    with time_machine.travel(WRITING_DAY, tick=True):
        sign_in_as(page, health)
        open_from_my_tasks(page, assert_accessible, "Write the health contribution")
        type_date(page, "last_health_assessment", date(2026, 11, 12))
        choose(page, "Yes", group="health_plan_on_track")
        type_into(page, "#id_summary", "Review Health Assessment held; dental check booked.")
        saved(page, assert_accessible, "Health contribution saved.")
        expect(page.locator("#contribution-health")).to_contain_text("Thursday 12 November 2026")
        expect(page.locator("#contribution-education")).to_contain_text("Missing")

        sign_in_as(page, education)
        open_from_my_tasks(page, assert_accessible, "Write the education contribution")
        type_date(page, "pep_date", date(2026, 11, 3))
        choose(page, "Yes", group="pep_up_to_date")
        type_into(page, "#id_summary", "PEP reviewed in November; attendance 97%.")
        saved(page, assert_accessible, "Education contribution saved.")

        sign_in_as(page, art)
        open_from_my_tasks(page, assert_accessible, "Write the Access to Resources contribution")
        type_into(page, "#id_weekly_placement_cost", "1250.00")
        type_into(page, "#id_summary", "In-house placement meeting outcomes; no search needed.")
        saved(page, assert_accessible, "Access to Resources contribution saved.")

        # Ira is away: the Senior Manager writes the IRO's contribution as her
        # representative, from Ada's booking.
        sign_in_as(page, deputy)
        visit(page, assert_accessible, f"/bookings/{booking.pk}/")
        activate(page, "#contribution-iro a:has-text('Write')")
        expect(page.locator("#representative")).to_contain_text(
            f"You are writing this as the representative of Ira Officer, {IRO_SEAT}."
        )
        assert_accessible(page)
        choose(page, "Yes", group="iro_agrees_with_plan")
        type_into(page, "#id_summary", "The IRO supports the plan; asks for life-story work.")
        saved(page, assert_accessible, f"contribution saved for Ira Officer, {IRO_SEAT}.")
        expect(page.locator("#contribution-iro")).to_contain_text("By a representative")
    written = Contribution.objects.get(booking=booking, kind="iro")
    assert (written.written_by, written.represented_member) == (deputy, f"{iro}, {IRO_SEAT}")
    assert Contribution.objects.filter(booking=booking, written_at__isnull=True).count() == 1

    # 5 January: the agenda goes out; the pack's cover sheet carries what the members wrote
    # and names the one still missing.
    january_url = f"/panels/lancashire/meetings/{january.pk}/"
    with time_machine.travel(AGENDA_DAY, tick=True):
        sign_in_as(page, chair)
        agree_the_agenda(page, assert_accessible, january_url)
        sign_in_as(page, support)
        pack = circulate_and_build_the_pack(page, assert_accessible, january_url)
    cover = pack.split("Cover sheet: Ada Lovelace", 1)[1]
    for expected in (
        "Members’ contributions",
        "Missing: Fostering and residential from the Fostering Manager, due by " + DUE,
        "Date of the last Initial or Review Health Assessment Thursday 12 November 2026",
        "Review Health Assessment held; dental check booked.",
        "Is the PEP up to date? Yes",
        "Weekly placement cost (£) £1,250.00 a week",
        "Does the IRO agree with the plan? Yes",
        f"representing Ira Officer, {IRO_SEAT}",
    ):
        assert expected in cover, expected

    # 13 January, at panel: the chair's page shows the same.
    with time_machine.travel(PANEL_DAY, tick=True):
        sign_in_as(page, chair)
        visit(page, assert_accessible, f"{january_url}running-order/")
        page.get_by_role("link", name="Record decision for Ada Lovelace").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Ada Lovelace")
        assert_accessible(page)
        expect(page.locator("#contribution-health")).to_contain_text("dental check booked")
        expect(page.locator("#contribution-education")).to_contain_text("attendance 97%")
        expect(page.locator("#contribution-access_to_resources")).to_contain_text(
            "£1,250.00 a week"
        )
        expect(page.locator("#contribution-iro")).to_contain_text(
            re.compile(r"by Dee Puty, representing Ira Officer")
        )
        expect(page.locator("#contribution-fostering_residential")).to_contain_text(
            f"Missing Due by {DUE} (overdue)"
        )
