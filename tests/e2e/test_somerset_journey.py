"""Issue 11's Somerset Permanence Panel cycle, in its guidance's words, from scheduling to
ratified minutes and the tracker.

The panel meets fortnightly on Thursdays at County Hall, Taunton; this cycle's panel is
Thursday 28 January 2027. Counted by hand in working days before it:

- the submission is due 10 working days before ("two weeks"): Thursday 14 January
  (27, 26, 25, 22, 21, 20, 19, 18, 15, 14 January);
- the booking email goes 7 working days before: Tuesday 19 January
  (27, 26, 25, 22, 21, 20, 19 January);
- the chair agrees the agenda 5 working days before: Thursday 21 January.

The administrator schedules the quarter and books five requests; the social worker sends
Eve's submission; the Deputy Director Children and Families records an emergency decision
for Fay, which goes onto the panel for retrospective ratification; the booking email goes
on its notice day, asking the social worker and team manager to attend in person or by
conference call; the chair agrees the agenda by keyboard; the administrator circulates it
and builds the pack; the chair records the panel's five outcomes by keyboard; the
administrator drafts the minutes, the chair ratifies them by keyboard, and the tracker
shows each child's new plan and next panel. axe-core on every page visited.
"""

import re
from datetime import date, datetime, time
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from agendas.models import Booking, BookingStatus, Meeting, Panel
from minutes.models import Decision, EmergencyDecision
from permanence.models import Notification, NotificationStatus
from permanence.roles import Role
from permanence.tasks import scan
from tests.days import LONDON
from tests.factories import ChildFactory, TeamFactory, UserFactory, approved_carers_for

from .keyboard import choose, press, sign_in_by_keyboard, tab_to, type_date, type_into
from .test_booking_journey import PDF, book, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PANEL_DAY = date(2027, 1, 28)
NOTICE_DAY = date(2027, 1, 19)
REQUEST_TO_ATTEND = (
    "You are requested to attend panel. All social workers are expected to make "
    "themselves available for this panel, either in person or by conference call."
)
RATIFY = "Ratify the request, with timescales for the action plan"
REQUESTS = [  # child, slot, Somerset's request
    ("Ada", "09:30 to 09:50", "Matching"),
    ("Byron", "09:50 to 10:10", "Placement move"),
    ("Clara", "10:10 to 10:30", "Staying Put"),
    ("Dan", "10:30 to 10:50", "Special Guardianship"),
    ("Eve", "10:50 to 11:10", "Connected Persons temporary approval"),
]


def on(day: date, hour: int = 10):
    """The clock running from `hour` o'clock, London time, on `day`."""
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=LONDON), tick=True)


def reminders_sent() -> list[Notification]:
    return list(
        Notification.objects.filter(kind="booking_reminder", status=NotificationStatus.SENT)
        .select_related("recipient")
        .order_by("pk")
    )


def test_somersets_panel_cycle(page, assert_accessible):
    call_command("load_panel_presets", "somerset", stdout=StringIO())
    somerset = Panel.objects.get(slug="somerset")
    chair = UserFactory(
        roles=[Role.CHAIR], email="chair@somerset.example", first_name="Sam", last_name="Chair"
    )
    somerset.chair = chair
    somerset.save()
    admin = UserFactory(
        roles=[Role.ADMINISTRATOR],
        email="admin@somerset.example",
        first_name="Pat",
        last_name="Administrator",
    )
    director = UserFactory(
        roles=[Role.SENIOR_MANAGER],
        email="dd@somerset.example",
        first_name="Dee",
        last_name="Director",
    )
    team = TeamFactory(name="Taunton Children Looked After")
    worker = UserFactory(
        roles=[Role.SOCIAL_WORKER],
        email="worker@somerset.example",
        first_name="Wes",
        last_name="Worker",
        team=team,
    )
    manager = UserFactory(
        roles=[Role.TEAM_MANAGER],
        email="manager@somerset.example",
        first_name="Mo",
        last_name="Manager",
        team=team,
    )
    children = {
        name: ChildFactory(
            case_number=f"51000{n}",
            first_name=name,
            last_name="Lovelace",
            panel=somerset,
            team=team,
            social_worker=worker,
            team_manager=manager,
        )
        for n, name in enumerate(["Ada", "Byron", "Clara", "Dan", "Eve", "Fay"], 1)
    }
    # Ada's foster carers are approved for permanence: Somerset 7 asks for it before a match
    # (tests/e2e/test_carers_approval_journey.py walks the refusal).
    approved_carers_for(children["Ada"])

    # Monday 4 January: the administrator schedules the quarter from the panel page and
    # books five requests into the panel of Thursday 28 January.
    with on(date(2027, 1, 4)):
        sign_in_by_keyboard(page, admin.email)
        page.goto("/panels/somerset/")
        assert_accessible(page)
        page.get_by_role("button", name="Schedule meetings").click()
        assert_accessible(page)
        type_date(page, "start", date(2027, 1, 1))
        type_date(page, "end", date(2027, 3, 31))
        press(page, "Schedule meetings")
        expect(page.locator(".govuk-notification-banner")).to_contain_text("6 meetings scheduled")
        assert_accessible(page)
        assert list(somerset.meetings.values_list("date", flat=True)) == [
            date(2027, 1, 14),
            PANEL_DAY,
            date(2027, 2, 11),
            date(2027, 2, 25),
            date(2027, 3, 11),
            date(2027, 3, 25),
        ]
        page.locator(".govuk-notification-banner").get_by_role(
            "link", name="Thursday 28 January 2027"
        ).click()
        expect(page.locator("main")).to_contain_text("County Hall, Taunton")
        assert_accessible(page)
        for name, slot, request in REQUESTS:
            book(
                page,
                slot=slot,
                case_number=children[name].case_number,
                request=request,
                reason=f"{request}: the panel is asked to decide.",
            )
        assert_accessible(page)
        sign_out(page)
    meeting = Meeting.objects.get(panel=somerset, date=PANEL_DAY)
    meeting_url = f"/panels/somerset/meetings/{meeting.pk}/"
    assert meeting.bookings.filter(status=BookingStatus.BOOKED).count() == 5
    assert len(mail.outbox) == 10  # each booking told at once, to the worker and manager

    # Tuesday 12 January: the social worker sends Eve's submission, form and documents,
    # before it is due on Thursday 14 January.
    with on(date(2027, 1, 12)):
        sign_in_by_keyboard(page, worker.email)
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Bookings").click()
        assert_accessible(page)
        page.get_by_role("link", name="Eve Lovelace").click()
        expect(page.locator("main")).to_contain_text("Thursday 14 January 2027")
        assert_accessible(page)
        page.get_by_role("link", name=re.compile("Fill in")).click()
        assert_accessible(page)
        for label in (
            "Reason for presentation",
            "Current plan and contingency",
            "Progress since the last panel",
            "Barriers to permanence",
            "The child's wishes and feelings",
            "What is asked of panel",
            "Financial implications",
        ):
            page.get_by_label(label, exact=True).fill(f"{label}: Eve's aunt is assessed.")
        page.get_by_role("button", name=re.compile("Save")).click()
        expect(page.locator(".govuk-notification-banner")).to_be_visible()
        for n, name in enumerate(
            ("Up to date C&F Assessment", "Child/Young Person's Care Plan", "CLA Review Outcomes")
        ):
            page.get_by_role("link", name=f"Upload {name}").click()
            if not n:
                assert_accessible(page)
            page.set_input_files(
                "input[type=file]",
                files=[{"name": f"eve {n}.pdf", "mimeType": "application/pdf", "buffer": PDF}],
            )
            page.get_by_role("button", name="Upload document").click()
            expect(page.locator(".govuk-notification-banner")).to_contain_text("uploaded")
        page.get_by_role("button", name="Send to panel").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "Submission sent to panel"
        )
        assert_accessible(page)
        sign_out(page)

    # Friday 15 January: the Deputy Director Children and Families records the emergency
    # decision she made the day before; it goes onto the next panel to be ratified.
    with on(date(2027, 1, 15)):
        sign_in_by_keyboard(page, director.email)
        page.goto("/emergency-decisions/")
        assert_accessible(page)
        type_into(page, "#id_child", children["Fay"].case_number)
        type_date(page, "decided_on", date(2027, 1, 14))
        tab_to(page, "#id_decided_by_role", 40)
        page.keyboard.type("Deputy")
        type_into(page, "#id_decision", "Fay moves to her aunt's tonight, as a connected person.")
        type_into(page, "#id_rationale", "Her placement broke down out of hours.")
        press(page, "Record the emergency decision")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "booked onto the Somerset Permanence Panel"
        )
        recorded = page.locator("table").filter(has_text="Fay Lovelace")
        expect(recorded).to_contain_text("Dee Director, Deputy Director Children and Families")
        expect(recorded).to_contain_text("Somerset Permanence Panel: Thursday 28 January 2027")
        assert_accessible(page)
        # Her own list now has it, to bring back to panel.
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="My tasks").click()
        task = page.locator("#tasks tbody tr").filter(
            has_text="Bring the emergency decision to panel"
        )
        expect(task).to_contain_text("Made on Thursday 14 January 2027 by the Deputy Director")
        expect(task).to_contain_text(children["Fay"].case_number)
        assert_accessible(page)
        sign_out(page)
    eve = Booking.objects.get(child=children["Eve"])
    assert eve.submission.submitted_at.astimezone(LONDON).date() == date(2027, 1, 12)
    emergency = EmergencyDecision.objects.get()
    assert (emergency.decided_by, emergency.recorded_by) == (director, director)
    fay = emergency.ratification_booking
    assert (fay.meeting, fay.section.name, fay.request_type.name) == (
        meeting,
        "Emergency decisions made outside the panel",
        "Retrospective ratification of an emergency decision",
    )

    # Monday 18 January, the day before the notice day: the scan sends no booking email
    # yet, and the meeting page still gives the day the last booking was told.
    with on(date(2027, 1, 18), hour=8):
        scan.apply()
    assert reminders_sent() == []
    with on(date(2027, 1, 18)):
        sign_in_by_keyboard(page, admin.email)
        page.goto(meeting_url)
        notice = page.locator("tr").filter(
            has_text="Booking email to the social worker and team manager"
        )
        expect(notice).to_contain_text("7 working days before")
        expect(notice).to_contain_text("Tuesday 19 January 2027")
        expect(notice).to_contain_text("Sent on Friday 15 January 2027")
        assert_accessible(page)
        sign_out(page)

    # Tuesday 19 January, the notice day: the booking email asks the social worker and
    # team manager of each child to attend, in person or by conference call; the scan
    # running again sends nothing twice.
    mail.outbox.clear()
    with on(NOTICE_DAY, hour=8):
        scan.apply()
        scan.apply()
    reminders = reminders_sent()
    assert sorted((n.recipient.email, n.about) for n in reminders) == sorted(
        (person.email, f"booking:{booking.pk}")
        for booking in meeting.bookings.all()
        for person in (worker, manager)
    )
    assert {n.sent_at.astimezone(LONDON).date() for n in reminders} == {NOTICE_DAY}
    booking_emails = [email for email in mail.outbox if email.subject.startswith("Reminder:")]
    assert sorted(email.to[0] for email in booking_emails) == sorted(
        [worker.email, manager.email] * 6
    )
    for email in booking_emails:
        assert " ".join(REQUEST_TO_ATTEND.split()) in " ".join(email.body.split())
        assert "Lovelace" not in email.subject  # initials and case number only
    # The day's other emails: the empty panel of 14 January's minutes, to the chair and admin.
    assert {email.subject for email in mail.outbox if email not in booking_emails} == {
        "Minutes to ratify by Thursday 21 January 2027: Somerset Permanence Panel, "
        "Thursday 14 January 2027"
    }
    with on(NOTICE_DAY):
        sign_in_by_keyboard(page, admin.email)
        page.goto(meeting_url)
        notice = page.locator("tr").filter(
            has_text="Booking email to the social worker and team manager"
        )
        expect(notice).to_contain_text("Sent on Tuesday 19 January 2027")
        assert_accessible(page)
        page.goto("/outbox/")
        assert_accessible(page)
        sent_to_manager = (
            page.locator("tbody tr")
            .filter(has_text=manager.email)
            .filter(has_text=f"Reminder: FL ({children['Fay'].case_number})")
        )
        expect(sent_to_manager).to_contain_text("19 Jan 2027")
        sent_to_manager.get_by_role("link").click()
        expect(page.locator("main")).to_contain_text("either in person or by conference call")
        assert_accessible(page)
        sign_out(page)

    # Wednesday 20 January: the chair agrees the agenda by keyboard, a day before it is due.
    with on(date(2027, 1, 20)):
        sign_in_by_keyboard(page, chair.email)
        page.goto(f"{meeting_url}agenda/")
        children_table = page.locator("table").filter(has_text="Ada Lovelace")
        for name, _slot, _request in REQUESTS:
            expect(children_table).to_contain_text(f"{name} Lovelace")
        expect(page.locator("main")).to_contain_text("Emergency decisions made outside the panel")
        expect(page.locator("main")).to_contain_text("Fay Lovelace")
        assert_accessible(page)
        press(page, "Agree the agenda")
        expect(page.locator(".govuk-notification-banner")).to_contain_text("You agreed the agenda")
        assert_accessible(page)
        sign_out(page)

    # Thursday 21 January: the administrator circulates the agenda and builds the pack.
    with on(date(2027, 1, 21)):
        sign_in_by_keyboard(page, admin.email)
        page.goto(f"{meeting_url}agenda/")
        press(page, "Mark as circulated")
        expect(page.locator(".govuk-notification-banner")).to_contain_text("circulated")
        assert_accessible(page)
        page.goto(meeting_url)
        press(page, "Build the agenda pack")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "The agenda pack is ready to download.",
            timeout=30_000,  # built within the request
        )
        assert_accessible(page)
        sign_out(page)

    # Thursday 28 January, at County Hall: the chair works down the running order by
    # keyboard, using each of Somerset's five outcomes.
    with on(PANEL_DAY):
        sign_in_by_keyboard(page, chair.email)
        page.goto(f"{meeting_url}running-order/")
        assert_accessible(page)
        page.get_by_role("link", name="Record decision for Ada Lovelace").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Ada Lovelace")

        # Ada: the long-term fostering match is ratified; her worker came by conference call.
        choose(page, RATIFY)
        type_into(page, "#id_rationale", "Carers approved for permanent, long term placements.")
        type_into(page, "#id_timescales", "Matching report on LCS within 10 working days.")
        tab_to(page, "#id_primary_plan", 80)
        page.keyboard.type("Long")
        tab_to(page, "#id_attended_1", 40)
        page.keyboard.press("Space")
        assert_accessible(page)
        press(page, "Save and go to the next child")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Byron Lovelace")

        # Byron: not the move asked for, but an alternative course.
        choose(page, "Set an alternative course")
        type_into(page, "#id_rationale", "Support the current carers before any move.")
        press(page, "Save and go to the next child")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Clara Lovelace")

        # Clara: deferred until the L1001 form comes, by 4 February.
        choose(page, "Defer until further information is provided")
        type_into(page, "#id_rationale", "The Staying Put request has no L1001 form yet.")
        type_into(page, "#id_further_information", "Request for Approval (form L1001)")
        type_date(page, "by_date", date(2027, 2, 4))
        press(page, "Save and go to the next child")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Dan Lovelace")

        # Dan: back to panel for review once the support plan is costed.
        choose(page, "Re-present to panel")
        type_into(page, "#id_rationale", "The financial assessment must come first.")
        type_date(page, "by_date", date(2027, 2, 25))
        press(page, "Save and go to the next child")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Eve Lovelace")

        # Eve: refused, with the explanation.
        choose(page, "Refuse")
        type_into(page, "#id_rationale", "The viability assessment found the aunt cannot care.")
        press(page, "Save and go to the next child")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Fay Lovelace")

        # Fay: the Deputy Director's emergency decision, ratified retrospectively.
        expect(page.locator("main")).to_contain_text("Retrospective ratification")
        choose(page, RATIFY)
        type_into(page, "#id_rationale", "The move to her aunt was right; the aunt is assessed.")
        tab_to(page, "#id_primary_plan", 80)
        page.keyboard.type("Conn")
        assert_accessible(page)
        press(page, "Save and go to the next child")
        expect(page.get_by_role("heading", level=1)).to_have_text("Running order and decisions")
        assert_accessible(page)
        sign_out(page)

    decisions = {
        decision.booking.child.first_name: decision
        for decision in Decision.objects.select_related(
            "booking__child", "outcome", "forward_booking__meeting"
        )
    }
    assert {name: decision.outcome.name for name, decision in decisions.items()} == {
        "Ada": RATIFY,
        "Byron": "Set an alternative course",
        "Clara": "Defer until further information is provided",
        "Dan": "Re-present to panel",
        "Eve": "Refuse",
        "Fay": RATIFY,
    }
    assert decisions["Ada"].social_worker_attended and not decisions["Ada"].team_manager_attended
    assert decisions["Clara"].forward_booking.meeting.date == date(2027, 2, 11)
    assert decisions["Dan"].forward_booking.meeting.date == date(2027, 2, 25)
    assert decisions["Byron"].forward_booking is None

    # The administrator drafts the minutes that afternoon; the chair ratifies them the
    # next day, by keyboard, within the 5 working days.
    with on(PANEL_DAY, hour=14):
        sign_in_by_keyboard(page, admin.email)
        page.goto(f"{meeting_url}minutes/")
        assert_accessible(page)
        type_into(page, "#id_notes", "Fay's emergency decision was brought back and ratified.")
        press(page, "Save notes")
        expect(page.locator(".govuk-notification-banner")).to_be_visible()
        assert_accessible(page)
        sign_out(page)
    with on(date(2027, 1, 29)):
        sign_in_by_keyboard(page, chair.email)
        page.goto(f"{meeting_url}minutes/")
        minutes = page.locator("main")
        expect(minutes).to_contain_text("Fay's emergency decision was brought back and ratified.")
        expect(minutes).to_contain_text("Booked for panel on Thursday 11 February 2027")
        expect(minutes).to_contain_text("Booked for panel on Thursday 25 February 2027")
        assert_accessible(page)
        press(page, "Ratify the minutes")
        expect(minutes).to_contain_text("Ratified by Sam Chair on Friday 29 January 2027")
        assert_accessible(page)

        # The tracker: each child's panel is 28 January, the next due in 3 months, and the
        # plans panel agreed.
        page.goto("/children/?q=Lovelace")
        assert_accessible(page)
        for name in ("Ada", "Byron", "Clara", "Dan", "Eve", "Fay"):
            row = page.locator("tbody tr").filter(has_text=f"{name} Lovelace")
            expect(row).to_contain_text("28 Apr 2027")
        expect(page.locator("tbody tr").filter(has_text="Ada Lovelace")).to_contain_text(
            "Long-term fostering"
        )
        expect(page.locator("tbody tr").filter(has_text="Fay Lovelace")).to_contain_text(
            "Connected person fostering"
        )
    ada = children["Ada"]
    ada.refresh_from_db()
    # A long-term fostering match, never the adoption match.
    assert (ada.long_term_match_date, ada.match_date) == (PANEL_DAY, None)
