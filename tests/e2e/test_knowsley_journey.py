"""Issue 11, Knowsley's cycle end to end: the Knowsley Multi-Agency Permanency Panel meets
on the first Tuesday of the month. The administrator schedules the meetings and books Dan's
long term fostering match into Part 2; the chair agrees the four-part agenda at December's
panel (part 4); the social worker sends the report and documents a week ahead, over
Christmas; the administrator circulates the agenda and builds the pack; at panel the chair
recommends the match to the Assistant Executive Director, who is emailed, opens the email's
link and approves; the answer reaches the social worker, the team manager and the
administrator; the administrator drafts the minutes, the chair ratifies them, the
administrator distributes them within 10 working days, and Dan's tracker row moves on.
Every page passes axe; the chair's and the director's work is done by keyboard."""

import re
from datetime import UTC, date, datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from agendas.models import Booking, Panel
from minutes.models import ApprovalStatus, Decision, Minutes
from permanence.models import Notification
from permanence.roles import Role
from tests.factories import ChildFactory, TeamFactory, UserFactory

from .keyboard import choose, press, sign_in_by_keyboard, tab_to, type_date, type_into
from .test_booking_journey import PDF, book, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PANEL = "Knowsley Multi-Agency Permanency Panel"
AED = "Assistant Executive Director"


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


SCHEDULED_ON = date(2026, 11, 30)
DECEMBER_PANEL = date(2026, 12, 1)  # first Tuesday: part 4 agrees January's agenda
SUBMITTED_ON = date(2026, 12, 16)
CIRCULATED_ON = date(2026, 12, 29)  # the first working day after Christmas
PANEL_DAY = date(2027, 1, 5)  # first Tuesday of January
APPROVED_ON = date(2027, 1, 6)
MINUTES_DRAFTED_ON = date(2027, 1, 7)
RATIFIED_ON = date(2027, 1, 8)
DISTRIBUTED_ON = date(2027, 1, 19)  # 10 working days after panel: the last day allowed

LONG_TERM_FOSTERING_DOCUMENTS = (
    "Single Assessment",
    "Review minutes",
    "Care Plan",
    "Form F",
    "Foster carer review",
    "Minutes of the matching meeting",
)


def test_knowsley_recommendation_approved_by_the_assistant_executive_director(
    page, assert_accessible
):
    call_command("load_panel_presets", "knowsley", stdout=StringIO())
    knowsley = Panel.objects.get(slug="knowsley")
    chair = UserFactory(
        roles=[Role.CHAIR], email="hos@knowsley.example", first_name="Hana", last_name="Service"
    )
    knowsley.chair = chair
    knowsley.save()
    admin = UserFactory(
        roles=[Role.ADMINISTRATOR],
        email="admin@knowsley.example",
        first_name="Amir",
        last_name="Admin",
    )
    director = UserFactory(
        roles=[Role.SENIOR_MANAGER],
        email="aed@knowsley.example",
        first_name="Erin",
        last_name="Director",
    )
    team = TeamFactory(name="Children Looked After Team 1")
    worker = UserFactory(
        roles=[Role.SOCIAL_WORKER],
        email="worker@knowsley.example",
        first_name="Sam",
        last_name="Worker",
        team=team,
    )
    manager = UserFactory(
        roles=[Role.TEAM_MANAGER],
        email="tm@knowsley.example",
        first_name="Tara",
        last_name="Manager",
        team=team,
    )
    dan = ChildFactory(
        case_number="200451",
        first_name="Dan",
        last_name="Lovelace",
        panel=knowsley,
        team=team,
        social_worker=worker,
        team_manager=manager,
    )

    # The administrator schedules the first quarter from the panel page and books Dan's
    # long term fostering match into Part 2's first slot.
    with time_machine.travel(at(SCHEDULED_ON), tick=True):
        sign_in_by_keyboard(page, admin.email)
        page.goto("/panels/knowsley/")
        assert_accessible(page)
        page.get_by_role("button", name="Schedule meetings").click()
        assert_accessible(page)
        type_date(page, "start", date(2027, 1, 1))
        type_date(page, "end", date(2027, 3, 31))
        press(page, "Schedule meetings")
        banner = page.locator(".govuk-notification-banner")
        expect(banner).to_contain_text("3 meetings scheduled")
        expect(banner.get_by_role("link")).to_have_text(
            ["Tuesday 5 January 2027", "Tuesday 2 February 2027", "Tuesday 2 March 2027"]
        )
        assert_accessible(page)
        banner.get_by_role("link", name="Tuesday 5 January 2027").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("5 January 2027")
        # Knowsley's lead times for this meeting: reports a week ahead, which over
        # Christmas is Christmas Eve; minutes distributed within 2 weeks.
        deadlines = page.locator("table").first
        expect(
            deadlines.get_by_role("row", name=re.compile("Reports and documents due"))
        ).to_contain_text("Thursday 24 December 2026")
        expect(
            deadlines.get_by_role("row", name=re.compile("Minutes distributed"))
        ).to_contain_text("Tuesday 19 January 2027")
        assert_accessible(page)
        book(
            page,
            slot="10:15 to 10:30",
            case_number=dan.case_number,
            request="Long term fostering match",
            reason="To match Dan with his foster carers for the long term",
        )
        assert_accessible(page)
        sign_out(page)
    booking = Booking.objects.get(child=dan)
    meeting = booking.meeting
    assert (meeting.date, booking.section.name) == (PANEL_DAY, "Part 2: Matching and approval")
    assert (booking.social_worker, booking.team_manager) == (worker, manager)
    agenda_url = f"/panels/knowsley/meetings/{meeting.pk}/agenda/"
    meeting_url = f"/panels/knowsley/meetings/{meeting.pk}/"

    # At December's panel, part 4, the chair agrees January's agenda: its four parts, Dan
    # in Part 2.
    with time_machine.travel(at(DECEMBER_PANEL, 12), tick=True):
        sign_in_by_keyboard(page, chair.email)
        page.goto(agenda_url)
        expect(page.locator("main h3")).to_have_text(
            [
                "1. Part 1: Adoption tracking",
                "2. Part 2: Matching and approval",
                "3. Part 3: Scrutiny of plans and placements",
                "4. Part 4: Agree next agenda",
            ]
        )
        row = page.locator("tbody tr").filter(has_text="Dan Lovelace")
        expect(row).to_contain_text("10:15")
        expect(row).to_contain_text("Part 2: Matching and approval")
        expect(row).to_contain_text("Long term fostering match")
        assert_accessible(page)
        press(page, "Agree the agenda")
        expect(page.locator(".govuk-notification-banner")).to_contain_text("You agreed the agenda")
        assert_accessible(page)
        sign_out(page)

    # The social worker sends the report and the six documents a long term fostering
    # match needs, before Christmas.
    with time_machine.travel(at(SUBMITTED_ON), tick=True):
        sign_in_by_keyboard(page, worker.email)
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Bookings").click()
        assert_accessible(page)
        page.get_by_role("link", name="Dan Lovelace").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Dan Lovelace")
        assert_accessible(page)
        page.get_by_role("link", name=re.compile("Fill in")).click()
        assert_accessible(page)
        for field in page.locator("main textarea").all():
            field.fill("Written for the test: Dan is settled with his carers.")
        page.get_by_role("button", name=re.compile("Save")).click()
        expect(page.locator(".govuk-notification-banner")).to_be_visible()
        for n, name in enumerate(LONG_TERM_FOSTERING_DOCUMENTS):
            page.get_by_role("link", name=f"Upload {name}").click()
            if not n:
                assert_accessible(page)
            page.set_input_files(
                "input[type=file]",
                files=[{"name": f"document {n}.pdf", "mimeType": "application/pdf", "buffer": PDF}],
            )
            page.get_by_role("button", name="Upload document").click()
            expect(page.locator(".govuk-notification-banner")).to_contain_text("uploaded")
        page.get_by_role("button", name="Send to panel").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "Submission sent to panel"
        )
        assert_accessible(page)
        sign_out(page)

    # After Christmas the administrator circulates the agenda and builds the pack.
    with time_machine.travel(at(CIRCULATED_ON), tick=True):
        sign_in_by_keyboard(page, admin.email)
        page.goto(agenda_url)
        expect(page.locator("tbody tr").filter(has_text="Dan Lovelace")).to_be_visible()
        assert_accessible(page)
        press(page, "Mark as circulated")
        expect(page.locator(".govuk-summary-list")).to_contain_text("29 December 2026")
        assert_accessible(page)
        page.goto(meeting_url)
        page.locator("#agenda-pack").get_by_role("button", name="Build the agenda pack").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "The agenda pack is ready to download."
        )
        assert_accessible(page)
        sign_out(page)

    # At panel the chair recommends the match to the Assistant Executive Director.
    with time_machine.travel(at(PANEL_DAY, 11), tick=True):
        sign_in_by_keyboard(page, chair.email)
        page.goto(f"{meeting_url}running-order/")
        assert_accessible(page)
        page.get_by_role("link", name="Record decision for Dan Lovelace").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Dan Lovelace")
        choose(page, f"Recommendation to the {AED}")
        type_into(
            page, "#id_rationale", "A good match: Dan has lived with these carers for a year."
        )
        tab_to(page, "#id_primary_plan", 80)
        page.keyboard.type("Long")  # the select jumps to "Long-term fostering"
        assert_accessible(page)
        press(page, "Save")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            f"waits for the decision of the {AED}"
        )
        assert_accessible(page)
        sign_out(page)
    decision = Decision.objects.get(booking=booking)
    assert decision.approval_status == ApprovalStatus.AWAITING
    assert decision.primary_plan == "long_term_fostering"

    # She was emailed on the day of panel: once, to her alone, naming Dan only by initials
    # and case number, with a link to approve or decline.
    waiting = [email for email in mail.outbox if AED in email.subject]
    assert [email.to for email in waiting] == [[director.email]]
    assert waiting[0].subject == (
        f"Waiting for a decision by {AED}: DL (200451), {PANEL}, Tuesday 5 January 2027"
    )
    assert "Dan" not in waiting[0].subject
    link = re.search(r"https?://\S+(/approvals/\d+/)", waiting[0].body).group(1)
    assert Notification.objects.get(kind="approval_waiting").created_at.date() == PANEL_DAY

    # The next day she follows the email's link and approves, by keyboard.
    with time_machine.travel(at(APPROVED_ON), tick=True):
        sign_in_by_keyboard(page, director.email)
        page.goto("/tasks/")
        expect(page.locator("main")).to_contain_text("Dan Lovelace")
        assert_accessible(page)
        page.goto(link)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Dan Lovelace")
        expect(page.locator(".govuk-summary-list")).to_contain_text(
            f"Awaiting a decision by the {AED}"
        )
        assert_accessible(page)
        tab_to(page, "#id_choice_1", 80)  # "Approve", the first choice: Space selects it
        page.keyboard.press("Space")
        expect(page.get_by_label("Approve", exact=True)).to_be_checked()
        type_into(page, "#id_comment", "Approved: the carers' allowance is agreed.")
        press(page, "Save your decision")
        expect(page.locator(".govuk-notification-banner")).to_be_visible()
        assert_accessible(page)
        sign_out(page)
    decision.refresh_from_db()
    assert (decision.approval_status, decision.approval_by) == (ApprovalStatus.APPROVED, director)

    # The answer reaches the social worker, the team manager and the administrator.
    answered = [email for email in mail.outbox if email.subject.startswith("Recommendation")]
    assert sorted(email.to[0] for email in answered) == sorted(
        [worker.email, manager.email, admin.email]
    )
    for email in answered:
        assert (
            email.subject == "Recommendation approved: DL (200451), panel on Tuesday 5 January 2027"
        )
        assert "Erin Director has approved" in email.body
        assert "Approved: the carers' allowance is agreed." in email.body
    written = Notification.objects.filter(kind="approval_decided").values_list("created_at")
    assert {when.date() for (when,) in written} == {APPROVED_ON}

    # The administrator sees both emails in the outbox and drafts the minutes.
    with time_machine.travel(at(MINUTES_DRAFTED_ON), tick=True):
        sign_in_by_keyboard(page, admin.email)
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Outbox").click()
        outbox = page.locator("main table")
        waiting_row = outbox.get_by_role("row").filter(has_text="Waiting for a decision")
        expect(waiting_row).to_contain_text(director.email)
        expect(waiting_row).to_contain_text("5 Jan 2027")
        expect(outbox.get_by_role("row").filter(has_text="Recommendation approved")).to_have_count(
            3
        )
        assert_accessible(page)
        waiting_row.get_by_role("link").click()
        expect(page.locator(".app-email-text")).to_contain_text(link)
        assert_accessible(page)
        page.goto(f"{meeting_url}minutes/")
        # The minutes say who approved, when and why, as their PDF does.
        approval = page.locator(".govuk-summary-list__row").filter(has_text="Senior approval")
        expect(approval.locator(".govuk-tag")).to_have_text("Approved")
        expect(approval).to_contain_text(
            "Erin Director, Wednesday 6 January 2027: Approved: the carers' allowance is agreed."
        )
        page.get_by_label("Other business and notes").fill("Part 4: February's agenda agreed.")
        page.get_by_role("button", name="Save notes").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("The notes are saved.")
        assert_accessible(page)
        sign_out(page)

    # The chair ratifies the minutes, by keyboard.
    with time_machine.travel(at(RATIFIED_ON), tick=True):
        sign_in_by_keyboard(page, chair.email)
        page.goto(f"{meeting_url}minutes/")
        assert_accessible(page)
        press(page, "Ratify the minutes")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "You ratified the minutes"
        )
        expect(page.locator("main")).to_contain_text("Ratified by Hana Service")
        assert_accessible(page)
        sign_out(page)

    # On the last of the 10 working days the administrator distributes them.
    with time_machine.travel(at(DISTRIBUTED_ON), tick=True):
        sign_in_by_keyboard(page, admin.email)
        page.goto(f"{meeting_url}minutes/")
        deadlines = page.get_by_role("table", name=re.compile("Deadlines"))
        ratified = deadlines.get_by_role("row", name=re.compile("ratified by"))
        expect(ratified).to_contain_text("Tuesday 12 January 2027 Done")
        distributed = deadlines.get_by_role("row", name=re.compile("distributed by"))
        expect(distributed).to_contain_text("Tuesday 19 January 2027 Due soon")  # not overdue
        press(page, "Mark as distributed")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "The minutes are marked as distributed."
        )
        expect(distributed).to_contain_text("Tuesday 19 January 2027 Done")
        expect(page.locator(".govuk-summary-list").first).to_contain_text(
            "Tuesday 19 January 2027 by Amir Admin"
        )
        assert_accessible(page)

        # Dan's tracker row: his plan and his next panel, 3 months after this one.
        page.goto("/children/?q=Dan")
        row = page.locator("tbody tr").filter(has_text="Dan Lovelace")
        expect(row).to_contain_text("Long-term fostering")
        expect(row).to_contain_text("5 Apr 2027")
        assert_accessible(page)
        row.get_by_role("link", name=re.compile("Dan Lovelace")).click()
        expect(page.locator("#long-term-match")).to_have_text("Tuesday 5 January 2027")
        assert_accessible(page)
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.ratified_by == chair
    assert minutes.distributed_at.date() == DISTRIBUTED_ON
    dan.refresh_from_db()
    # A long-term fostering match, never the adoption match.
    assert (dan.long_term_match_date, dan.match_date) == (PANEL_DAY, None)
    assert dan.last_panel_date == PANEL_DAY
