"""Issue 11, North Somerset's cycle as its terms of reference run it: the Permanency
Tracking Panel has two joint chairs. The administrator seats them and schedules the
monthly panel (third Tuesday), books two children (one for a tracking review, which needs
nothing written) and the social worker sends the other's submission; both joint chairs
are reminded and see the agenda on My tasks, one agrees
it ("agreed by the Panel Chair's at least one working week before"), the administrator
circulates it and builds the pack; on the day the other joint chair records the
decisions, the administrator drafts the minutes, both joint chairs are reminded and see
them on My tasks, and the joint chair who recorded the decisions ratifies them.
The tracker row then shows each child discussed, due back within 3 months. axe runs on
every page, and everyone works by keyboard alone (Tab, arrows, Space and Enter), but for
choosing the file to upload, which is the operating system's dialog."""

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
import weasyprint
from django.core import mail
from playwright.sync_api import expect

from agendas import services as agendas_services
from agendas.models import Meeting, Panel
from minutes.models import Decision, Minutes
from permanence import tasks
from permanence.models import Notification
from permanence.roles import Role
from tests.factories import ChildFactory, TeamFactory, UserFactory
from tracker import services as tracker_services

from .keyboard import activate, choose, press, sign_in_by_keyboard, tab_to, type_date, type_into
from .test_my_tasks_journey import follow_the_line

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PANEL = "North Somerset Permanency Tracking Panel"
BOOKED_ON = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
SUBMITTED_ON = datetime(2027, 1, 6, 10, 0, tzinfo=UTC)
# Agree-by is Tuesday 12 January, "one working week before" Tuesday 19 January; the scan
# reminds both joint chairs the working day before.
REMINDED_ON = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
PANEL_DAY = datetime(2027, 1, 19, 9, 30, tzinfo=UTC)
DAY_AFTER = datetime(2027, 1, 20, 10, 0, tzinfo=UTC)
# Ratify-by is Tuesday 26 January, 5 working days after; the reminder goes 2 before it.
RATIFY_REMINDER_DAY = datetime(2027, 1, 22, 9, 0, tzinfo=UTC)
PDF = weasyprint.HTML(string="<h1>Chronology</h1><p>Synthetic test content.</p>").write_pdf()


@pytest.fixture
def person(browser, live_server):
    """A browser of one's own for each person, signed in by keyboard; closed at the end."""
    contexts = []

    def open_as(user):
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        sign_in_by_keyboard(page, user.email)
        return page

    yield open_as
    for context in contexts:
        context.close()


def tasks_of(page, assert_accessible):
    page.goto("/tasks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My tasks")
    assert_accessible(page)
    return page.locator("main")


def seat(page, assert_accessible, user, panel, *, chairing: str, seat: str):
    """The administrator gives a joint chair their chairing and their seat, by keyboard."""
    page.goto(f"/people/{user.pk}/")
    assert_accessible(page)
    activate(page, f'a[href="/people/{user.pk}/seats/"]')
    expect(page.get_by_role("heading", level=1)).to_have_text("Panel seats")
    assert_accessible(page)
    choose(page, chairing, group=f"chairing_{panel.pk}")
    tab_to(page, f"#id_seat_{panel.pk}", 80)
    page.keyboard.type(seat[:30])
    expect(page.locator(f"#id_seat_{panel.pk} option:checked")).to_contain_text(seat)
    activate(page, "#submit-id-submit")  # "Save seats"
    expect(page.locator("main")).to_contain_text(f"Joint chair of the {PANEL}")
    assert_accessible(page)


def book(page, *, section: str, case_number: str, request: str, reason: str):
    activate(page, f'a:has-text("Book a child into {section}")')
    expect(page.get_by_role("heading", level=1)).to_contain_text("Book a child")
    type_into(page, "#id_child", case_number)
    tab_to(page, "#id_request_type", 10)
    page.keyboard.type(request)  # the select jumps to the typed name
    expect(page.locator("#id_request_type option:checked")).to_have_text(request)
    type_into(page, "#id_reason", reason)
    activate(page, "#submit-id-submit")  # "Book"
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is booked")


def send_submission(page, assert_accessible, booking):
    page.goto(f"/bookings/{booking.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(booking.child.full_name)
    assert_accessible(page)
    activate(page, f'a[href="/bookings/{booking.pk}/submission/"]')  # "Fill in the form"
    expect(page).to_have_url(re.compile(r"/submission/$"))
    expect(page.locator("#submit-id-save")).to_be_visible()
    assert_accessible(page)
    for field in page.locator("form textarea").all():
        type_into(page, f"#{field.get_attribute('id')}", "Written for the test.")
    activate(page, "#submit-id-save")
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    # The terms of reference ask for no document by name: the tracker is the record. The
    # social worker attaches the chronology as another document.
    expect(page.get_by_role("link", name=re.compile(r"^Upload (?!another)"))).to_have_count(0)
    activate(page, 'a:text-is("Upload another document")')
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a document")
    assert_accessible(page)
    page.set_input_files(  # a file chooser is the operating system's, not the page's
        "input[type=file]",
        files=[{"name": "chronology.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    activate(page, "#submit-id-upload")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("uploaded")
    press(page, "Send to panel")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Submission sent to panel")
    assert_accessible(page)
    booking.refresh_from_db()
    assert booking.submission.submitted_at is not None
    assert booking.documents.filter(original_name="chronology.pdf").exists()


def tracker_row(page, name: str):
    page.goto(f"/children/?q={name.split()[0]}")
    return page.locator("tbody tr").filter(has_text=name)


def test_the_joint_chairs_run_the_permanency_tracking_panel(person, assert_accessible):
    agendas_services.panel_preset_load(slug="north-somerset")
    panel = Panel.objects.get(slug="north-somerset")
    admin = UserFactory(
        roles=[Role.ADMINISTRATOR], email="ptp.admin@council.example", first_name="Bea"
    )
    fran = UserFactory(
        roles=[Role.CHAIR], email="fran@council.example", first_name="Fran", last_name="Field"
    )
    corin = UserFactory(
        roles=[Role.CHAIR], email="corin@council.example", first_name="Corin", last_name="Parr"
    )
    team = TeamFactory(name="Children in Care")
    worker = UserFactory(
        roles=[Role.SOCIAL_WORKER], email="worker@council.example", first_name="Sam", team=team
    )
    # Ada was last discussed in September: by January she is past the 3 months. Byron
    # became looked after in November and comes to the next available panel.
    ada = ChildFactory(
        case_number="300101",
        first_name="Ada",
        last_name="Lovelace",
        panel=panel,
        team=team,
        social_worker=worker,
        looked_after_since=date(2026, 3, 2),
        last_panel_date=date(2026, 9, 15),
    )
    byron = ChildFactory(
        case_number="300102",
        first_name="Byron",
        last_name="Lovelace",
        panel=panel,
        team=team,
        social_worker=worker,
        looked_after_since=date(2026, 11, 20),
    )
    tracker_services.children_recompute()

    with time_machine.travel(BOOKED_ON, tick=True):
        page = person(admin)
        # The administrator seats the joint chairs from the People pages.
        seat(
            page,
            assert_accessible,
            fran,
            panel,
            chairing="Joint chair",
            seat="Head of Service Family Support & Safeguarding (joint chair)",
        )
        seat(
            page,
            assert_accessible,
            corin,
            panel,
            chairing="Second joint chair",
            seat="Head of Corporate Parenting (joint chair)",
        )
        panel.refresh_from_db()
        assert (panel.chair, panel.deputy_chair, panel.deputy_is_joint_chair) == (
            fran,
            corin,
            True,
        )

        # The panel page names both; the administrator schedules the first quarter.
        page.goto("/panels/north-somerset/")
        expect(page.locator("main")).to_contain_text("Monthly, on the third Tuesday")
        joint_chairs = page.locator(".govuk-summary-list__row").filter(
            has=page.locator("dt", has_text=re.compile("^Joint chair$"))
        )
        expect(joint_chairs.locator("dd")).to_have_text(["Fran Field", "Corin Parr"])
        assert_accessible(page)
        activate(page, 'a[href="/panels/north-somerset/schedule/"]')
        expect(page.get_by_role("heading", level=1)).to_have_text("Schedule meetings")
        assert_accessible(page)
        type_date(page, "start", date(2027, 1, 1))
        type_date(page, "end", date(2027, 3, 31))
        activate(page, "#submit-id-submit")  # "Schedule meetings"
        expect(page.locator(".govuk-notification-banner")).to_contain_text("3 meetings scheduled")
        assert_accessible(page)
        assert list(Meeting.objects.filter(panel=panel).values_list("date", flat=True)) == [
            date(2027, 1, 19),
            date(2027, 2, 16),
            date(2027, 3, 16),
        ]
        january = Meeting.objects.get(panel=panel, date=date(2027, 1, 19))
        activate(page, f'.govuk-notification-banner a[href$="/meetings/{january.pk}/"]')
        expect(page.get_by_role("heading", level=1)).to_contain_text("19 January 2027")
        assert_accessible(page)
        book(
            page,
            section="Permanency tracking",
            case_number=ada.case_number,
            request="Tracking review",
            reason="Three-monthly tracking: family finding for long-term fostering",
        )
        book(
            page,
            section="Children new to PLO or care",
            case_number=byron.case_number,
            request="New to PLO or care",
            reason="Became looked after on 20 November 2026",
        )
        assert_accessible(page)
    agenda_url = f"/panels/north-somerset/meetings/{january.pk}/agenda/"
    ada_booking = january.bookings.get(child=ada)
    byron_booking = january.bookings.get(child=byron)

    # The social worker sends Byron's submission before the papers are due; Ada's tracking
    # review asks for nothing.
    assert ada_booking.is_tracking
    with time_machine.travel(SUBMITTED_ON, tick=True):
        page = person(worker)
        send_submission(page, assert_accessible, byron_booking)

    # Friday 8 January is two working days before agree-by: no reminder yet.
    with time_machine.travel(datetime(2027, 1, 8, 9, 0, tzinfo=UTC), tick=True):
        tasks.scan()
        assert not Notification.objects.filter(kind="agenda_reminder").exists()

    # The working day before agree-by: the scan reminds both joint chairs, and both see the
    # agenda on My tasks. Ada's tracker row shows she is past her 3 months.
    with time_machine.travel(REMINDED_ON, tick=True):
        tasks.scan()
        reminders = Notification.objects.filter(kind="agenda_reminder")
        assert sorted(n.recipient.email for n in reminders) == [corin.email, fran.email]
        assert {n.due_on for n in reminders} == {REMINDED_ON.date()}
        assert {n.sent_at.date() for n in reminders} == {REMINDED_ON.date()}
        assert {n.subject for n in reminders} == {
            f"Agree the agenda by Tuesday 12 January 2027: {PANEL}, Tuesday 19 January 2027"
        }
        assert sorted(m.to[0] for m in mail.outbox if "Agree the agenda" in m.subject) == [
            corin.email,
            fran.email,
        ]
        page = person(admin)
        page.goto("/outbox/")
        assert_accessible(page)
        for chair in (fran, corin):
            expect(
                page.locator("tbody tr")
                .filter(has_text=chair.email)
                .filter(has_text="Agree the agenda by Tuesday 12 January 2027")
            ).to_have_count(1)
        reminder = reminders.get(recipient=corin)
        activate(page, f'a[href="/outbox/{reminder.pk}/"]')
        expect(page.locator(".govuk-summary-list")).to_contain_text("Sent 11 Jan 2027")
        expect(page.locator(".app-email-text")).to_contain_text(
            f"Please agree the agenda for {PANEL} on Tuesday 19 January 2027 by Tuesday 12 "
            "January 2027. 2 children are booked."
        )
        assert_accessible(page)
        row = tracker_row(page, "Ada Lovelace")
        expect(row).to_contain_text("Not discussed at panel")
        expect(row).to_contain_text("15 Dec 2026")
        assert_accessible(page)

        corin_page = person(corin)
        expect(tasks_of(corin_page, assert_accessible)).to_contain_text("Agree the agenda")

        # Fran, the first joint chair, follows her task and agrees the agenda by keyboard.
        fran_page = person(fran)
        follow_the_line(fran_page, assert_accessible, "Agree the agenda")
        expect(fran_page).to_have_url(re.compile(f"{agenda_url}$"))
        # The agenda in the preset's sections, in the council's words.
        expect(fran_page.get_by_role("table", name="Children new to PLO or care")).to_contain_text(
            "Byron Lovelace"
        )
        expect(fran_page.get_by_role("table", name="Permanency tracking")).to_contain_text(
            "Ada Lovelace"
        )
        assert_accessible(fran_page)
        press(fran_page, "Agree the agenda")
        expect(fran_page.locator(".govuk-notification-banner")).to_contain_text(
            "You agreed the agenda"
        )
        expect(fran_page.locator(".govuk-summary-list")).to_contain_text("Fran Field")
        assert_accessible(fran_page)
        # Agreed by one joint chair is agreed for both.
        expect(tasks_of(corin_page, assert_accessible)).not_to_contain_text("Agree the agenda")
        expect(tasks_of(fran_page, assert_accessible)).not_to_contain_text("Agree the agenda")

        # The administrator circulates the agenda and builds the pack.
        page.goto(agenda_url)
        press(page, "Mark as circulated")
        expect(page.locator(".govuk-notification-banner")).to_contain_text("circulated")
        assert_accessible(page)
        # "The administrator will then circulate the agenda and invites": the whole agenda
        # to both joint chairs, and the social worker's invitation for their own children.
        circulated = Notification.objects.filter(kind="agenda_circulated")
        by_person = {n.recipient.email: n.subject for n in circulated}
        whole = f"Panel agenda: {PANEL}, Tuesday 19 January 2027"
        assert (by_person[fran.email], by_person[corin.email]) == (whole, whole)
        assert by_person[worker.email].startswith("Panel agenda for ")
        page.goto(f"/panels/north-somerset/meetings/{january.pk}/")
        press(page, "Build the agenda pack")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "The agenda pack is ready to download."
        )
        assert_accessible(page)
    january.refresh_from_db()
    assert (january.agenda_agreed_by, january.agenda_circulated_by) == (fran, admin)

    # Panel day: Corin, the other joint chair, records the decisions by keyboard.
    with time_machine.travel(PANEL_DAY, tick=True):
        corin_page = person(corin)
        corin_page.goto(f"/panels/north-somerset/meetings/{january.pk}/running-order/")
        assert_accessible(corin_page)
        activate(corin_page, 'a:has-text("Record decision for Byron Lovelace")')
        expect(corin_page.get_by_role("heading", level=1)).to_contain_text("Byron Lovelace")
        assert_accessible(corin_page)
        choose(corin_page, "Ratify the request, with timescales for the action plan")
        type_into(corin_page, "#id_rationale", "Plan agreed: he stays with his aunt meanwhile.")
        type_into(corin_page, "#id_timescales", "Viability assessment of the aunt by March")
        tab_to(corin_page, "#id_primary_plan", 80)
        corin_page.keyboard.type("Special")
        press(corin_page, "Save and go to the next child")
        expect(corin_page.get_by_role("heading", level=1)).to_contain_text("Ada Lovelace")

        # Ada is tracked: her page offers a tracking review's outcomes, not a request's.
        expect(corin_page.get_by_label("Re-present to panel")).to_have_count(0)
        choose(corin_page, "On track")
        type_into(corin_page, "#id_rationale", "Family finding is on track.")
        press(corin_page, "Save and go to the next child")
        expect(corin_page.get_by_role("heading", level=1)).to_have_text(
            "Running order and decisions"
        )
        assert_accessible(corin_page)
    assert Decision.objects.get(booking=byron_booking).recorded_by == corin
    ada_review = Decision.objects.get(booking=ada_booking)
    assert (ada_review.tracking_review, ada_review.outcome.name) == (True, "On track")

    # The day after: the administrator drafts the minutes, and they are on the joint
    # chairs' My tasks to ratify.
    with time_machine.travel(DAY_AFTER, tick=True):
        page = person(admin)
        page.goto(f"/panels/north-somerset/meetings/{january.pk}/minutes/")
        assert_accessible(page)
        type_into(page, "#id_notes", "The tracker was shared with colleagues before panel.")
        activate(page, "#submit-id-submit")  # "Save notes"
        expect(page.locator(".govuk-notification-banner")).to_be_visible()
        assert_accessible(page)

        fran_page = person(fran)
        expect(tasks_of(fran_page, assert_accessible)).to_contain_text("Ratify the minutes")

    # Thursday 21 January, the working day before the reminder's: none yet.
    with time_machine.travel(datetime(2027, 1, 21, 9, 0, tzinfo=UTC), tick=True):
        tasks.scan()
        assert not Notification.objects.filter(kind="minutes_reminder").exists()

    # Friday 22 January: the scan reminds both joint chairs (and the administrator), and
    # Corin follows his task and ratifies the minutes by keyboard.
    with time_machine.travel(RATIFY_REMINDER_DAY, tick=True):
        tasks.scan()
        reminders = Notification.objects.filter(kind="minutes_reminder")
        assert {n.recipient.email: n.due_on for n in reminders} == {
            email: RATIFY_REMINDER_DAY.date() for email in (admin.email, fran.email, corin.email)
        }
        assert "As chair, please read and ratify them by then." in (
            reminders.get(recipient=fran).body_text
        )
        assert {n.subject for n in reminders} == {
            f"Minutes to ratify by Tuesday 26 January 2027: {PANEL}, Tuesday 19 January 2027"
        }
        page = person(admin)
        fran_page = person(fran)
        expect(tasks_of(fran_page, assert_accessible)).to_contain_text("Ratify the minutes")
        corin_page = person(corin)
        follow_the_line(corin_page, assert_accessible, "Ratify the minutes")
        expect(corin_page.locator("main")).to_contain_text(
            "The tracker was shared with colleagues before panel."
        )
        assert_accessible(corin_page)
        press(corin_page, "Ratify the minutes")
        expect(corin_page.locator("main")).to_contain_text("Ratified by Corin Parr")
        assert_accessible(corin_page)
        expect(tasks_of(fran_page, assert_accessible)).not_to_contain_text("Ratify the minutes")
        expect(tasks_of(corin_page, assert_accessible)).not_to_contain_text("Ratify the minutes")

        # The ratified minutes go to both joint chairs, each decision to the social worker.
        page.goto("/outbox/")
        for chair in (fran, corin):
            expect(
                page.locator("tbody tr")
                .filter(has_text=chair.email)
                .filter(has_text=f"Minutes ratified: {PANEL}, Tuesday 19 January 2027")
            ).to_have_count(1)
        for child in (ada, byron):
            expect(
                page.locator("tbody tr")
                .filter(has_text=worker.email)
                .filter(has_text=f"Panel decision for {child.initials} ({child.case_number})")
            ).to_have_count(1)
        assert_accessible(page)

        # The tracker rows: both discussed on 19 January, due back within 3 months.
        row = tracker_row(page, "Ada Lovelace")
        expect(row).not_to_contain_text("Not discussed at panel")
        expect(row).to_contain_text("19 Apr 2027")
        assert_accessible(page)
        row = tracker_row(page, "Byron Lovelace")
        expect(row).to_contain_text("Special guardianship")
        expect(row).to_contain_text("19 Apr 2027")
    assert Minutes.objects.get(meeting=january).ratified_by == corin
