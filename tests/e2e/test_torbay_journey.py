"""Issue 11, Torbay's cycle in its own words: "the presentation for each case will take the
form of a verbal presentation". An administrator schedules the fortnightly Thursday panel
and books Ada for a verbal update and Byron for an SGO Support Plan sign-off. Ada's social
worker is asked for nothing written, so nothing is chased and nothing is late, while Byron's
SGO Support Plan is chased and arrives late. The chair agrees the agenda, the administrator
circulates it and builds the pack, the team manager presents and the chair records both
decisions and ratifies the minutes by keyboard. As the terms of reference say, each
decision goes to the social worker and team manager with a link to the updated tracker,
whose rows show the change. axe finds nothing on any page visited."""

import csv
import re
from datetime import UTC, date, datetime
from io import StringIO
from urllib.parse import urlparse

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils.timezone import localdate
from playwright.sync_api import expect
from pypdf import PdfReader

from agendas import services as agendas_services
from agendas.models import AgendaPack, Booking, BookingStatus, PackStatus, Panel
from minutes.models import Decision
from permanence.models import Notification
from permanence.roles import Role
from permanence.tasks import scan
from tests.factories import ChildFactory, TeamFactory, UserFactory

from .keyboard import choose, press, sign_in_by_keyboard, tab_to, type_date, type_into
from .test_booking_journey import PDF, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Torbay meets fortnightly on Thursday mornings; its series runs from 8 January 2026, so
# Thursday 21 January 2027 is a panel day. Its deadlines are the defaults, in working days:
# the booking reminder and the submission reminder on Tuesday 12 January, submissions due
# by Thursday 14 January (when the agenda is agreed and circulated), overdue on Friday 15th.
BOOKING_DAY = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)
REMINDER_DAY = datetime(2027, 1, 12, 8, 0, tzinfo=UTC)
AGREE_DAY = datetime(2027, 1, 14, 10, 0, tzinfo=UTC)
OVERDUE_DAY = datetime(2027, 1, 15, 8, 0, tzinfo=UTC)
PANEL_DAY = datetime(2027, 1, 21, 9, 30, tzinfo=UTC)
RATIFY_DAY = datetime(2027, 1, 22, 10, 0, tzinfo=UTC)

SUBMISSION_FORM = (
    "Reason for presentation",
    "Current plan and contingency",
    "Progress since the last panel",
    "Barriers to permanence",
    "The child's wishes and feelings",
    "What is asked of panel",
    "Financial implications",
)


def emails_about(child_first_name: str) -> set[tuple[str, str, date]]:
    """(kind, to whom, the working day it was written) of every email about this child's
    booking for 21 January."""
    booking = Booking.objects.get(child__first_name=child_first_name, meeting__date="2027-01-21")
    return {
        (notification.kind, notification.recipient.email, localdate(notification.created_at))
        for notification in Notification.objects.filter(
            about=f"booking:{booking.pk}"
        ).select_related("recipient")
    }


def book(page, assert_accessible, *, section: str, case_number: str, request: str, reason: str):
    page.get_by_role("link", name=f"Book a child into {section}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Book a child")
    assert_accessible(page)
    page.get_by_label("Child's case number").fill(case_number)
    page.get_by_label("Request").select_option(label=request)
    page.get_by_label("Why is the child coming to panel?").fill(reason)
    page.get_by_role("button", name="Book").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is booked")


def test_torbay_verbal_updates_need_nothing_written(page, assert_accessible):
    call_command("load_panel_presets", "torbay", stdout=StringIO())
    torbay = Panel.objects.get(slug="torbay")
    chair = UserFactory(
        roles=[Role.CHAIR],
        email="head.of.service@torbay.example",
        first_name="Hana",
        last_name="Head",
    )
    torbay.chair = chair
    torbay.save()
    admin = UserFactory(
        roles=[Role.ADMINISTRATOR],
        email="panel.admin@torbay.example",
        first_name="Pat",
        last_name="Admin",
    )
    team = TeamFactory(name="Safeguarding South")
    worker = UserFactory(
        roles=[Role.SOCIAL_WORKER],
        email="sam.worker@torbay.example",
        first_name="Sam",
        last_name="Worker",
        team=team,
    )
    manager = UserFactory(
        roles=[Role.TEAM_MANAGER],
        email="tessa.manager@torbay.example",
        first_name="Tessa",
        last_name="Manager",
        team=team,
    )
    ada, byron = (
        ChildFactory(
            case_number=case_number,
            first_name=name,
            last_name="Lovelace",
            social_worker=worker,
            team_manager=manager,
            team=team,
            panel=torbay,
        )
        for case_number, name in (("300101", "Ada"), ("300102", "Byron"))
    )

    # The administrator schedules January and February from the panel page and books Ada
    # for a verbal update and Byron for his SGO Support Plan to be signed off.
    with time_machine.travel(BOOKING_DAY, tick=True):
        sign_in_by_keyboard(page, admin.email)
        page.goto("/panels/torbay/")
        assert_accessible(page)
        page.get_by_role("button", name="Schedule meetings").click()
        assert_accessible(page)
        for field, value in {"#id_start_0": "1", "#id_start_1": "1", "#id_start_2": "2027"}.items():
            page.fill(field, value)
        for field, value in {"#id_end_0": "28", "#id_end_1": "2", "#id_end_2": "2027"}.items():
            page.fill(field, value)
        page.get_by_role("button", name="Schedule meetings").click()
        banner = page.locator(".govuk-notification-banner")
        expect(banner).to_contain_text("4 meetings scheduled")
        expect(banner.get_by_role("link")).to_have_text(
            [
                "Thursday 7 January 2027",
                "Thursday 21 January 2027",
                "Thursday 4 February 2027",
                "Thursday 18 February 2027",
            ]
        )
        assert_accessible(page)
        banner.get_by_role("link", name="Thursday 21 January 2027").click()
        assert_accessible(page)
        book(
            page,
            assert_accessible,
            section="Placed at home under Schedule 3",
            case_number=ada.case_number,
            request="Verbal update",
            reason="Progress of the Schedule 3 assessment at home",
        )
        book(
            page,
            assert_accessible,
            section="Special Guardianship",
            case_number=byron.case_number,
            request="SGO Support Plan sign-off",
            reason="Sign off the SGO Support Plan with his grandparents",
        )
        bookings = page.locator("table")
        ada_row = bookings.locator("tr").filter(has_text="Ada Lovelace")
        expect(ada_row).to_contain_text("Verbal update")
        expect(ada_row).to_contain_text("Tessa Manager")
        byron_row = bookings.locator("tr").filter(has_text="Byron Lovelace")
        expect(byron_row).to_contain_text("Submission due")
        assert_accessible(page)
        meeting_url = page.url

        # The booking emails: Ada's asks for nothing written, Byron's for his plan.
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Outbox").click()
        assert_accessible(page)
        page.get_by_role("link", name=re.compile(r"^Panel booking for AL \(300101\)")).first.click()
        expect(page.locator(".app-email-text")).to_contain_text(
            "This is a verbal update: nothing written is needed before panel."
        )
        assert_accessible(page)
    told_of_booking = {
        ("booking_notice", worker.email, BOOKING_DAY.date()),
        ("booking_notice", manager.email, BOOKING_DAY.date()),
    }
    assert emails_about("Ada") == emails_about("Byron") == told_of_booking
    byron_notice = next(
        email
        for email in mail.outbox
        if "BL (300102)" in email.subject and email.to == [worker.email]
    )
    assert "SGO Support Plan" in byron_notice.body
    assert "nothing written" not in byron_notice.body

    # Notice day: both are reminded of panel; only Byron's submission is chased.
    with time_machine.travel(REMINDER_DAY, tick=True):
        scan()
    reminded = told_of_booking | {
        ("booking_reminder", worker.email, REMINDER_DAY.date()),
        ("booking_reminder", manager.email, REMINDER_DAY.date()),
    }
    assert emails_about("Ada") == reminded
    assert emails_about("Byron") == reminded | {
        ("submission_reminder", worker.email, REMINDER_DAY.date())
    }

    # The social worker sees there is nothing to send for Ada.
    with time_machine.travel(REMINDER_DAY, tick=True):
        sign_in_by_keyboard(page, worker.email)
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Bookings").click()
        assert_accessible(page)
        page.get_by_role("link", name="Ada Lovelace").click()
        expect(page.locator("main")).to_contain_text("Verbal update: nothing to send")
        expect(page.locator("main")).to_contain_text("nothing written is asked for")
        expect(page.get_by_role("button", name="Send to panel")).to_have_count(0)
        expect(page.get_by_role("link", name=re.compile("^Fill in"))).to_have_count(0)
        expect(page.locator("#submission-checklist")).not_to_contain_text("Missing")
        assert_accessible(page)
        sign_out(page)

    # Agree-by day: the chair agrees the agenda by keyboard; the administrator circulates it.
    with time_machine.travel(AGREE_DAY, tick=True):
        sign_in_by_keyboard(page, chair.email)
        page.goto(f"{meeting_url}agenda/")
        expect(page.locator("main")).to_contain_text("Placed at home under Schedule 3")
        assert_accessible(page)
        press(page, "Agree the agenda")
        expect(page.locator(".govuk-notification-banner")).to_contain_text("You agreed the agenda")
        assert_accessible(page)
        sign_out(page)

        sign_in_by_keyboard(page, admin.email)
        page.goto(f"{meeting_url}agenda/")
        page.get_by_role("button", name="Mark as circulated").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("circulated")
        assert_accessible(page)
        sign_out(page)
    circulated = {email.to[0] for email in mail.outbox if email.subject.startswith("Panel agenda")}
    assert {chair.email, worker.email, manager.email} <= circulated

    # The day after submissions were due: Byron's is overdue and chased; Ada's never is.
    with time_machine.travel(OVERDUE_DAY, tick=True):
        scan()
        assert emails_about("Ada") == reminded
        assert emails_about("Byron") == reminded | {
            ("submission_reminder", worker.email, REMINDER_DAY.date()),
            ("submission_overdue", worker.email, OVERDUE_DAY.date()),
            ("submission_overdue", manager.email, OVERDUE_DAY.date()),
        }

        sign_in_by_keyboard(page, admin.email)
        page.goto("/bookings/")
        ada_row = page.locator("tbody tr").filter(has_text="Ada Lovelace")
        expect(ada_row).to_contain_text("Verbal update")
        expect(ada_row).not_to_contain_text("Late")
        expect(page.locator("tbody tr").filter(has_text="Byron Lovelace")).to_contain_text("Late")
        assert_accessible(page)
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="My tasks").click()
        expect(page.get_by_role("link", name=re.compile("^Chase the submission"))).to_have_text(
            ["Chase the submission for Byron Lovelace, case number 300102"]
        )
        assert_accessible(page)
        sign_out(page)

        # The social worker sends Byron's submission and his SGO Support Plan, a day late.
        sign_in_by_keyboard(page, worker.email)
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="My tasks").click()
        expect(page.get_by_role("link", name=re.compile("^Send the submission"))).to_have_text(
            ["Send the submission for Byron Lovelace, case number 300102"]
        )
        assert_accessible(page)
        page.get_by_role("link", name=re.compile("^Send the submission")).click()
        assert_accessible(page)
        for label in SUBMISSION_FORM:
            page.get_by_label(label, exact=True).fill(f"{label}: written for the test.")
        page.get_by_role("button", name=re.compile("Save")).click()
        expect(page.locator(".govuk-notification-banner")).to_be_visible()
        page.get_by_role("link", name="Upload SGO Support Plan").click()
        assert_accessible(page)
        page.set_input_files(
            "input[type=file]",
            files=[{"name": "sgo-plan.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
        page.get_by_role("button", name="Upload document").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("uploaded")
        page.get_by_role("button", name="Send to panel").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "Submission sent to panel"
        )
        assert_accessible(page)
        sign_out(page)

        # The administrator builds the pack: Ada's cover sheet says there is nothing to send.
        sign_in_by_keyboard(page, admin.email)
        page.goto(meeting_url)
        page.get_by_role("button", name="Build the agenda pack").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "The agenda pack is ready to download."
        )
        assert_accessible(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the agenda pack (PDF)").click()
        pack = PdfReader(download.value.path())
        pack_text = " ".join(" ".join(sheet.extract_text().split()) for sheet in pack.pages)
        sign_out(page)
    assert "Verbal update: nothing to send" in pack_text
    assert "SGO Support Plan" in pack_text
    assert AgendaPack.objects.get().status == PackStatus.READY

    # Byron's social worker has recorded what his prospective special guardians said: the
    # support plan is not signed off without it (issue 16; the page is walked in
    # tests/e2e/test_torbay_guardians_feedback_journey.py).
    with time_machine.travel(PANEL_DAY, tick=False):
        agendas_services.guardians_feedback_record(
            booking=Booking.objects.get(child=byron, status=BookingStatus.BOOKED),
            received_on=localdate(),
            summary="His grandparents agree the support plan.",
            by=worker,
        )

    # Panel day: the team manager presents; the chair records both decisions by keyboard.
    with time_machine.travel(PANEL_DAY, tick=True):
        sign_in_by_keyboard(page, chair.email)
        page.goto(f"{meeting_url}running-order/")
        running_order = page.locator("tbody")
        expect(running_order.locator("tr").filter(has_text="Ada Lovelace")).to_contain_text(
            "Verbal update"
        )
        assert_accessible(page)
        link = page.get_by_role("link", name="Record decision for Ada Lovelace")
        link.evaluate("element => element.setAttribute('data-first-child', '')")
        tab_to(page, "[data-first-child]", 60)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Ada Lovelace")
        expect(page.locator("main")).to_contain_text("Verbal update: nothing to send")
        assert_accessible(page)

        # Ada: the chair sets the review frequency, back in four weeks for another update.
        choose(page, "Re-present to panel")
        type_into(page, "#id_rationale", "Schedule 3 assessment is positive; review in a month.")
        type_date(page, "by_date", date(2027, 2, 18))
        tab_to(page, "#id_primary_plan", 40)
        page.keyboard.type("Placement")
        tab_to(page, "input[name=attended][value=team_manager]", 20)
        page.keyboard.press("Space")
        type_into(page, "#id_action-1-description", "Share the Schedule 3 assessment")
        page.keyboard.press("Tab")
        page.keyboard.type("Tessa")
        type_date(page, "action-1-due_date", date(2027, 2, 11))
        press(page, "Save and go to the next child")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "Thursday 18 February 2027"
        )
        expect(page.get_by_role("heading", level=1)).to_contain_text("Byron Lovelace")

        # Byron: his SGO Support Plan is signed off.
        choose(page, "Ratify the request, with timescales for the action plan")
        type_into(page, "#id_rationale", "The SGO Support Plan meets his needs; signed off.")
        type_into(page, "#id_timescales", "Special Guardians' feedback within 2 weeks")
        tab_to(page, "#id_primary_plan", 40)
        page.keyboard.type("Special")
        # "The chair determines review frequency": Byron comes back in 6 weeks.
        type_into(page, "#id_comes_back_every", "6")
        tab_to(page, "input[name=comes_back_unit][value=weeks]", 5)
        page.keyboard.press("Space")
        tab_to(page, "input[name=attended][value=team_manager]", 20)
        page.keyboard.press("Space")
        assert_accessible(page)
        press(page, "Save and go to the next child")
        expect(page.get_by_role("heading", level=1)).to_have_text("Running order and decisions")
        assert_accessible(page)
        sign_out(page)

    ada_decision = Decision.objects.get(booking__child=ada)
    assert ada_decision.team_manager_attended
    forward = ada_decision.forward_booking
    assert (forward.meeting.date, forward.status) == (date(2027, 2, 18), BookingStatus.BOOKED)
    assert forward.request_type.name == "Verbal update"  # still nothing written asked for

    # The administrator drafts the minutes; the chair ratifies them by keyboard.
    with time_machine.travel(PANEL_DAY.replace(hour=14), tick=True):
        sign_in_by_keyboard(page, admin.email)
        page.goto(f"{meeting_url}minutes/")
        assert_accessible(page)
        page.get_by_label(re.compile("notes", re.I)).fill(
            "Team Managers gave verbal updates for both children."
        )
        page.get_by_role("button", name=re.compile("Save")).click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("The notes are saved")
        assert_accessible(page)
        sign_out(page)
    mail.outbox.clear()

    with time_machine.travel(RATIFY_DAY, tick=True):
        sign_in_by_keyboard(page, chair.email)
        page.goto(f"{meeting_url}minutes/")
        expect(page.locator("main")).to_contain_text("Team Managers gave verbal updates")
        # Ada's team manager presented her verbal update; the minutes say so.
        ada_minutes = page.locator("dl").filter(has_text="Verbal update")
        expect(
            ada_minutes.locator(".govuk-summary-list__row").filter(has_text="Attended for")
        ).to_have_text(re.compile(r"Attended for the child\s*Team manager$"))
        assert_accessible(page)
        press(page, "Ratify the minutes")
        expect(page.locator("main")).to_contain_text("Ratified by Hana Head")
        assert_accessible(page)
        sign_out(page)

        # Each decision goes to the social worker and team manager with the tracker link.
        tracker_link = f"/children/?panel={torbay.pk}"
        decisions = [email for email in mail.outbox if email.subject.startswith("Panel decision")]
        assert sorted((email.to[0], email.subject) for email in decisions) == sorted(
            (person.email, f"Panel decision for {initials} ({case}), Thursday 21 January 2027")
            for person in (worker, manager)
            for initials, case in (("AL", "300101"), ("BL", "300102"))
        )
        for email in decisions:
            assert "The updated tracker is circulated to you too" in email.body
            assert tracker_link in email.body

        # The administrator sees them in the outbox, distributes the minutes and records
        # Ada's decision on her case file, as Torbay's administrator does.
        sign_in_by_keyboard(page, admin.email)
        page.goto("/outbox/")
        page.get_by_role(
            "link", name="Panel decision for AL (300101), Thursday 21 January 2027"
        ).first.click()
        expect(page.locator(".app-email-text")).to_contain_text(tracker_link)
        assert_accessible(page)
        page.goto(f"{meeting_url}minutes/")
        page.get_by_role("button", name="Mark as distributed").click()
        expect(page.locator("main")).to_contain_text("22 January 2027 by")
        page.goto(f"/decisions/{ada_decision.pk}/case-note/")
        assert_accessible(page)
        page.get_by_role("button", name="Recorded on the child's file").click()
        expect(page.locator("main")).to_contain_text(
            "Recorded on file by Pat Admin on Friday 22 January 2027"
        )
        assert_accessible(page)
        sign_out(page)

        # The team manager follows the link: the tracker rows show what panel agreed.
        sign_in_by_keyboard(page, manager.email)
        page.goto(tracker_link)
        assert_accessible(page)
        ada_row = page.locator("tbody tr").filter(has_text="Ada Lovelace")
        expect(ada_row).to_contain_text("Placement with parents")
        expect(ada_row).to_contain_text("21 Apr 2027")
        byron_row = page.locator("tbody tr").filter(has_text="Byron Lovelace")
        expect(byron_row).to_contain_text("Special guardianship")
        # The chair's 6 weeks, not the panel's 3 months: Thursday 4 March 2027.
        expect(byron_row).to_contain_text("4 Mar 2027")
        expect(byron_row).to_contain_text("Chair: every 6 weeks")
        page.get_by_role("link", name="Byron Lovelace").click()
        expect(page.locator("#next-panel-due")).to_contain_text(
            "The chair set it: comes back every 6 weeks, at panel on Thursday 21 January 2027"
        )
        assert_accessible(page)

        # The minutes as the tracker, circulated to the team manager for their children.
        minutes_tracker = f"{meeting_url}minutes/tracker/"
        assert all(f"{urlparse(minutes_tracker).path}?format=xlsx" in e.body for e in decisions)
        download = page.request.get(minutes_tracker)
        assert download.ok
        rows = list(csv.DictReader(StringIO(download.text().lstrip("\ufeff"))))
        assert [(row["first_name"], row["outcome"]) for row in rows] == [
            ("Ada", "Re-present to panel"),
            ("Byron", "Ratify the request, with timescales for the action plan"),
        ]
        assert rows[1]["panel_review_frequency"] == "every 6 weeks"
        assert rows[1]["next_panel_due"] == "2027-03-04"
        assert rows[0]["actions"].startswith("Share the Schedule 3 assessment (")
