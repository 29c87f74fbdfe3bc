"""Issue 11, Lancashire's cycle: a re-presentation with its actions carried (agenda item 1,
"Business Support will provide to the Panel the reason for the case to be re-presented and
details of any actions set from the previous Panel").

Case Support schedules the panel and books Ada as new to care; her social worker sends the
submission; the Head of Service agrees the agenda, Case Support circulates it and builds the
pack. At January's panel the chair re-presents Ada for February with two actions, and
ratifies the minutes. One action is done in January. In February the agenda row, the pack's
cover sheet and the chair's decision page each show January's reason and both actions with
their status as they are that day; the documents came with her. The chair agrees the plan
for permanence, ratifies, and Ada's tracker row shows it. axe on every page visited.
"""

import re
from datetime import UTC, date, datetime
from io import StringIO

import pytest
import time_machine
import weasyprint
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from agendas.models import Booking, BookingStatus, Panel
from minutes.models import Decision, PanelAction
from permanence.models import Notification
from permanence.roles import Role
from tests.agendas.test_pdfs import text_of
from tests.factories import ChildFactory, TeamFactory, UserFactory

from .keyboard import choose, press, sign_in_by_keyboard, tab_to, type_date, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = weasyprint.HTML(string="<h1>Case summary</h1><p>Synthetic test content.</p>").write_pdf()
DOCUMENTS = (
    "Permanence Panel Submission form",
    "Case summary",
    "Record of the last multi-agency Looked After Children care planning meeting",
)
RE_PRESENTED = "Case re-presented back to permanence panel"
REASON = "Panel needs the sibling assessment before it agrees the plan for permanence."

BOOKING_DAY = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
JANUARY_AGENDA_DAY = datetime(2027, 1, 5, 10, 0, tzinfo=UTC)  # circulate by 6 January
JANUARY_PANEL = datetime(2027, 1, 13, 10, 0, tzinfo=UTC)  # second Wednesday
ACTION_DONE_DAY = datetime(2027, 1, 20, 10, 0, tzinfo=UTC)
FEBRUARY_SUBMISSION_DAY = datetime(2027, 2, 1, 10, 0, tzinfo=UTC)
FEBRUARY_AGENDA_DAY = datetime(2027, 2, 2, 10, 0, tzinfo=UTC)  # circulate by 3 February
FEBRUARY_PANEL = datetime(2027, 2, 10, 10, 0, tzinfo=UTC)


def sign_in_as(page, person):
    """A fresh session for each person (and after each trip in time)."""
    page.context.clear_cookies()
    sign_in_by_keyboard(page, person.email)


def visit(page, assert_accessible, url: str):
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def send_the_submission(page, assert_accessible, booking: Booking, *, answers: dict[str, str]):
    """The social worker answers what the form still lacks, uploads each missing
    document, and sends the submission to panel; by keyboard, but for choosing the files."""
    visit(page, assert_accessible, f"/bookings/{booking.pk}/")
    page.get_by_role("link", name=re.compile("^(Fill in|Change) the ")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("submission")
    assert_accessible(page)
    for name, text in answers.items():
        type_into(page, f"#id_{name}", text)
    press(page, "Save and come back later")
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    for name in DOCUMENTS:
        upload = page.get_by_role("link", name=f"Upload {name}", exact=True)
        if not upload.count():
            continue
        upload.click()
        assert_accessible(page)
        page.set_input_files(
            "input[type=file]",
            files=[{"name": f"{name}.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
        press(page, "Upload document")
        expect(page.locator(".govuk-notification-banner")).to_contain_text("uploaded")
    press(page, "Send to panel")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Submission sent to panel")
    assert_accessible(page)


def agree_the_agenda(page, assert_accessible, meeting_url: str):
    visit(page, assert_accessible, f"{meeting_url}agenda/")
    press(page, "Agree the agenda")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You agreed the agenda")
    assert_accessible(page)


def circulate_and_build_the_pack(page, assert_accessible, meeting_url: str) -> str:
    """Case Support circulates the agreed agenda and builds the pack (the tests' worker
    is eager); returns the pack's text."""
    visit(page, assert_accessible, f"{meeting_url}agenda/")
    press(page, "Mark as circulated")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("circulated")
    assert_accessible(page)
    visit(page, assert_accessible, meeting_url)
    press(page, "Build the agenda pack")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The agenda pack is ready to download."
    )
    assert_accessible(page)
    with page.expect_download() as download:
        tab_to(page, "#agenda-pack a:text-is('Download the agenda pack (PDF)')", 120)
        page.keyboard.press("Enter")
    return text_of(download.value.path().read_bytes())


def draft_the_minutes(page, assert_accessible, meeting_url: str, notes: str):
    visit(page, assert_accessible, f"{meeting_url}minutes/")
    type_into(page, "#id_notes", notes)
    press(page, "Save notes")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The notes are saved.")
    assert_accessible(page)


def ratify_the_minutes(page, assert_accessible, meeting_url: str, chair):
    visit(page, assert_accessible, f"{meeting_url}minutes/")
    press(page, "Ratify the minutes")
    expect(page.locator("main")).to_contain_text(f"Ratified by {chair}")
    assert_accessible(page)


def test_lancashire_re_presents_a_child_with_her_actions_carried(page, assert_accessible):
    call_command("load_panel_presets", "lancashire", stdout=StringIO())
    lancashire = Panel.objects.get(slug="lancashire")
    chair = UserFactory(
        roles=[Role.CHAIR], email="hos@lancashire.example", first_name="Helen", last_name="Head"
    )
    lancashire.chair = chair
    lancashire.save()
    support = UserFactory(
        roles=[Role.ADMINISTRATOR],
        email="case.support@lancashire.example",
        first_name="Casey",
        last_name="Support",
    )
    team = TeamFactory(name="Children in Our Care, Preston")
    worker = UserFactory(
        roles=[Role.SOCIAL_WORKER],
        email="sam.worker@lancashire.example",
        first_name="Sam",
        last_name="Worker",
        team=team,
    )
    manager = UserFactory(
        roles=[Role.TEAM_MANAGER],
        email="tess.manager@lancashire.example",
        first_name="Tess",
        last_name="Manager",
        team=team,
    )
    ada = ChildFactory(
        case_number="100231",
        first_name="Ada",
        last_name="Lovelace",
        social_worker=worker,
        team_manager=manager,
        team=team,
        panel=lancashire,
    )

    # 1 December: Case Support schedules the first quarter from the panel page and books
    # Ada as new to care; Sam sends her submission.
    with time_machine.travel(BOOKING_DAY, tick=True):
        sign_in_as(page, support)
        visit(page, assert_accessible, "/panels/lancashire/")
        tab_to(page, "main a:text-is('Schedule meetings')", 120)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Schedule meetings")
        assert_accessible(page)
        type_date(page, "start", date(2027, 1, 1))
        type_date(page, "end", date(2027, 3, 31))
        press(page, "Schedule meetings")
        banner = page.locator(".govuk-notification-banner")
        expect(banner).to_contain_text("3 meetings scheduled")
        assert_accessible(page)
        banner.get_by_role("link", name="Wednesday 13 January 2027").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Wednesday 13 January 2027")
        assert_accessible(page)
        page.get_by_role("link", name="Book a child into the 09:30 to 09:50 slot").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Book a child")
        assert_accessible(page)
        type_into(page, "#id_child", ada.case_number)
        page.keyboard.press("Tab")
        page.keyboard.type("New")  # the request select jumps to "New to care"
        expect(page.get_by_label("Request")).to_have_value(
            str(lancashire.request_types.get(name="New to care").pk)
        )
        type_into(
            page,
            "#id_reason",
            "Looked after since October: panel to agree her plan before the second CLA review.",
        )
        press(page, "Book")
        expect(page.locator(".govuk-notification-banner")).to_contain_text("is booked")
        assert_accessible(page)
        january_booking = Booking.objects.get(child=ada)
        january, february = lancashire.meetings.order_by("date")[:2]
        assert (january.date, february.date) == (date(2027, 1, 13), date(2027, 2, 10))

        sign_in_as(page, worker)
        send_the_submission(
            page,
            assert_accessible,
            january_booking,
            answers={
                "reason_for_presentation": "New to care in October 2026.",
                "current_plan": "Long-term fostering; contingency adoption.",
                "progress_since_last_panel": "First time at panel.",
                "barriers_to_permanence": "Her brother's assessment is not finished.",
                "wishes_and_feelings": "Ada wants to stay with her carers.",
                "ask_of_panel": "Agree the plan for permanence.",
                "financial_implications": "None.",
            },
        )

    january_url = f"/panels/lancashire/meetings/{january.pk}/"
    february_url = f"/panels/lancashire/meetings/{february.pk}/"

    # 5 January: the Head of Service agrees the agenda; Case Support circulates it and
    # builds the pack. Ada is new to care: nothing is carried from a previous panel yet.
    with time_machine.travel(JANUARY_AGENDA_DAY, tick=True):
        sign_in_as(page, chair)
        agree_the_agenda(page, assert_accessible, january_url)
        expect(page.locator("table").filter(has_text="Ada Lovelace")).not_to_contain_text(
            "Actions set"
        )
        sign_in_as(page, support)
        pack = circulate_and_build_the_pack(page, assert_accessible, january_url)
        assert "Cover sheet: Ada Lovelace" in pack
        assert "From the previous panel" not in pack

    # 13 January, at panel: the chair re-presents Ada, by keyboard, with two actions.
    with time_machine.travel(JANUARY_PANEL, tick=True):
        sign_in_as(page, chair)
        visit(page, assert_accessible, f"{january_url}running-order/")
        page.get_by_role("link", name="Record decision for Ada Lovelace").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Ada Lovelace")
        expect(page.locator("#previous-panel")).to_have_count(0)
        assert_accessible(page)
        choose(page, "Re-present to panel")
        type_into(page, "#id_rationale", REASON)
        type_date(page, "by_date", date(2027, 2, 1))
        # The request stays "New to care" unless the chair chooses another.
        expect(page.get_by_label("What the child comes back to panel for")).to_have_value(
            str(january_booking.request_type_id)
        )
        type_into(page, "#id_action-1-description", "Complete the sibling assessment")
        page.keyboard.press("Tab")
        page.keyboard.type("Sam")  # the owner select jumps to the typed name
        type_date(page, "action-1-due_date", date(2027, 1, 29))
        type_into(page, "#id_action-2-description", "Share the updated health assessment")
        page.keyboard.press("Tab")
        page.keyboard.type("Tess")
        type_date(page, "action-2-due_date", date(2027, 2, 5))
        press(page, "Save and go to the next child")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "Wednesday 10 February 2027"
        )
        expect(page.get_by_role("heading", level=1)).to_have_text("Running order and decisions")
        assert_accessible(page)

        decision = Decision.objects.get(booking=january_booking)
        forward = decision.forward_booking
        assert (forward.meeting, forward.status) == (february, BookingStatus.BOOKED)
        assert forward.section.name == RE_PRESENTED
        assert forward.request_type.name == "New to care"

        sign_in_as(page, support)
        draft_the_minutes(page, assert_accessible, january_url, "Thematic selection: none.")
        sign_in_as(page, chair)
        ratify_the_minutes(page, assert_accessible, january_url, chair)

        # Sam is told the decision, the forward booking and the actions, the day it is
        # ratified; Case Support sees the email in the outbox.
        sign_in_as(page, support)
        visit(page, assert_accessible, "/outbox/")
        subject = "Panel decision for AL (100231), Wednesday 13 January 2027"
        booked = "Panel booking for AL (100231): Lancashire Permanence Panel, Wednesday 10 February"
        expect(page.locator("tbody tr").filter(has_text=booked)).to_have_count(2)  # forward-booked
        rows = page.locator("tbody tr").filter(has_text=subject)
        expect(rows).to_have_count(2)  # Sam and Tess
        rows.filter(has_text=worker.email).get_by_role("link", name=subject).click()
        body = page.locator("main")
        expect(body).to_contain_text("Outcome: Re-present to panel")
        expect(body).to_contain_text(
            "Forward booking: Booked for panel on Wednesday 10 February 2027"
        )
        expect(body).to_contain_text(
            "Complete the sibling assessment (Sam Worker, by Friday 29 January 2027)"
        )
        expect(body).to_contain_text(
            "Share the updated health assessment (Tess Manager, by Friday 5 February"
        )
        assert_accessible(page)
    sent = Notification.objects.get(recipient=worker, subject=subject)
    assert sent.created_at.date() == date(2027, 1, 13)
    decided = [message for message in mail.outbox if message.subject == subject]
    assert sorted(message.to[0] for message in decided) == [worker.email, manager.email]
    assert "Forward booking: Booked for panel on Wednesday 10 February 2027" in decided[0].body

    # 20 January: Sam completes her action from My actions, by keyboard.
    with time_machine.travel(ACTION_DONE_DAY, tick=True):
        sign_in_as(page, worker)
        visit(page, assert_accessible, "/actions/")
        page.get_by_role("link", name=re.compile("Complete")).first.click()
        assert_accessible(page)
        type_into(page, "textarea", "Sibling assessment completed and shared with the IRO.")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page.locator(".govuk-notification-banner")).to_be_visible()
        assert_accessible(page)
    done = PanelAction.objects.get(description="Complete the sibling assessment")
    assert done.completed_at is not None

    # 1 February: Ada's February booking already holds the documents Sam sent; her
    # answers wait as a draft, and the progress since the last panel is asked afresh.
    with time_machine.travel(FEBRUARY_SUBMISSION_DAY, tick=True):
        sign_in_as(page, worker)
        visit(page, assert_accessible, f"/bookings/{forward.pk}/")
        items = page.locator("#submission-checklist > li")
        # The form is missing until Sam answers the progress since the last panel.
        expect(page.locator("#submission-item-1-status")).to_have_text("Missing")
        for n, name in enumerate(DOCUMENTS, 2):
            expect(items.nth(n - 1)).to_contain_text(f"{name}.pdf")
            expect(page.locator(f"#submission-item-{n}-status")).to_have_text("Completed")
        expect(page.locator("#submission-due")).not_to_contain_text("Sent to panel")
        send_the_submission(
            page,
            assert_accessible,
            forward,
            answers={"progress_since_last_panel": "The sibling assessment is done."},
        )
    forward.refresh_from_db()
    assert forward.submission.current_plan == "Long-term fostering; contingency adoption."
    assert forward.documents.filter(replaced_at__isnull=True).count() == 3

    # 2 February: the agenda row for agenda item 1, and the pack's cover sheet, give
    # January's reason and each action with its status.
    with time_machine.travel(FEBRUARY_AGENDA_DAY, tick=True):
        sign_in_as(page, chair)
        agree_the_agenda(page, assert_accessible, february_url)
        row = page.locator("tbody tr").filter(has_text="Ada Lovelace")
        expect(row).to_contain_text(RE_PRESENTED)
        expect(row).to_contain_text("Re-present to panel at panel on Wednesday 13 January 2027")
        expect(row).to_contain_text(f"Reason: {REASON}")
        expect(
            row.locator("li").filter(has_text="Complete the sibling assessment")
        ).to_contain_text("Done on Wednesday 20 January 2027")
        expect(row.locator("li").filter(has_text="Share the updated health")).to_contain_text(
            "Open"
        )
        sign_in_as(page, support)
        pack = circulate_and_build_the_pack(page, assert_accessible, february_url)
        agenda, cover = pack.split("Cover sheet: Ada Lovelace", 1)
        assert f"Reason: {REASON}" in agenda  # the agenda's own row, in the pack
        assert "From the previous panel" in cover
        assert "Re-present to panel at panel on Wednesday 13 January 2027" in cover
        assert f"Reason: {REASON}" in cover
        assert (
            "Complete the sibling assessment (Sam Worker, by 29 January 2027): done on "
            "20 January 2027" in cover
        )
        assert "Share the updated health assessment (Tess Manager, by 5 February 2027): open" in (
            cover
        )
        assert "Every required document is in." in cover

    # 10 February, at panel: the chair's decision page carries the same, live: Tess's
    # action is now overdue. The chair agrees the plan for permanence, by keyboard.
    with time_machine.travel(FEBRUARY_PANEL, tick=True):
        sign_in_as(page, chair)
        visit(page, assert_accessible, f"{february_url}running-order/")
        page.get_by_role("link", name="Record decision for Ada Lovelace").click()
        previous = page.locator("#previous-panel")
        expect(previous).to_contain_text(
            "Re-present to panel at panel on Wednesday 13 January 2027"
        )
        expect(previous).to_contain_text(f"Reason: {REASON}")
        expect(previous.locator("li").first).to_contain_text("Done on Wednesday 20 January 2027")
        expect(previous.locator("li").last).to_contain_text("Overdue")
        assert_accessible(page)
        choose(page, "Agreement to the plan for permanence")
        type_into(page, "#id_rationale", "Siblings placed together; the carers are committed.")
        tab_to(page, "#id_primary_plan", 80)
        page.keyboard.type("Long")
        press(page, "Save and go to the next child")
        expect(page.get_by_role("heading", level=1)).to_have_text("Running order and decisions")
        assert_accessible(page)

        sign_in_as(page, support)
        draft_the_minutes(page, assert_accessible, february_url, "Thematic selection: none.")
        sign_in_as(page, chair)
        ratify_the_minutes(page, assert_accessible, february_url, chair)

        # The tracker: Ada's plan, her next panel three months on, and Tess's action
        # from January, still open.
        visit(page, assert_accessible, "/children/?q=Ada")
        row = page.locator("tbody tr").filter(has_text="Ada Lovelace")
        expect(row).to_contain_text("Long-term fostering")
        expect(row).to_contain_text("10 May 2027")
        expect(row).to_contain_text("Panel actions overdue")
    ada.refresh_from_db()
    assert (ada.primary_plan, ada.last_panel_date) == ("long_term_fostering", date(2027, 2, 10))
