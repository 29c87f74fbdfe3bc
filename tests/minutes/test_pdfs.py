"""The minutes and a decision's record as PDFs: what they say, read back from the PDF, the
header and footer on every page, and who may download them."""

import io
import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from minutes import pdfs, services
from minutes.models import AttendanceStatus, Decision
from permanence.roles import Role
from tests.days import JANUARY
from tests.factories import ChildFactory, TeamFactory, UserFactory, decide
from tracker.codes import Plan

pytestmark = pytest.mark.django_db

COUNCIL = "Lancashire County Council"
AGREE = "Agreement to the plan for permanence"
RATIONALE = "The plan meets Ada's needs and her wishes are clear."


@pytest.fixture(autouse=True)
def council(settings):
    settings.COUNCIL_NAME = COUNCIL


def read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def words(text: str) -> str:
    """Every run of spaces and line breaks as one space; a word broken after a hyphen joined."""
    return re.sub(r"(?<=\w-)\s+", "", re.sub(r"\s+", " ", text))


def text_of(data: bytes) -> str:
    return words(" ".join(page.extract_text() for page in read(data).pages))


@pytest.fixture
def meetings(meetings):
    """Lancashire's meetings, January's on the month's theme."""
    meetings[0].theme = "Life story work"
    meetings[0].save()
    return meetings


@pytest.fixture
def decision(book, meetings, ada, chair, social_worker, on_the_day):
    decision = decide(
        book(meetings[0], ada),
        AGREE,
        chair,
        rationale=RATIONALE,
        timescales="Adoption medical within 6 weeks",
        primary_plan=Plan.ADOPTION,
        contingency_plan=Plan.LONG_TERM_FOSTERING,
    )
    services.action_add(
        decision=decision,
        description="Send the adoption medical request",
        owner=social_worker,
        due_date=date(2027, 2, 24),
    )
    return decision


@pytest.fixture
def held(meetings, decision, book, chair, lancashire, on_the_day):
    """The January meeting: attendance, Ada's decision, a deferral and one child not decided."""
    meeting = meetings[0]
    grace = ChildFactory(first_name="Grace", last_name="Hopper", panel=lancashire)
    decide(
        book(meeting, grace, request="Ratification"),
        "Defer until further information is provided",
        chair,
        rationale="The matching report is not ready.",
        further_information="The matching report",
        by_date=date(2027, 2, 5),
    )
    book(meeting, ChildFactory(first_name="Alan", last_name="Turing", panel=lancashire))
    seats = list(lancashire.memberships.all()[:3])
    seats[0].user = UserFactory(first_name="Priya", last_name="Present")
    seats[0].save()
    services.attendance_record(
        meeting=meeting,
        rows=[
            {"membership": seats[0], "status": AttendanceStatus.PRESENT},
            {"membership": seats[1], "status": AttendanceStatus.APOLOGIES},
            {
                "membership": seats[2],
                "status": AttendanceStatus.REPRESENTED,
                "representative_name": "Rae Stand-In",
                "representative_role": "Finance Officer",
            },
        ],
    )
    services.minutes_save(meeting=meeting, notes="Next month's theme: contact.")
    return meeting


# The minutes -----------------------------------------------------------------------------


def test_the_minutes_give_attendance_each_decision_with_its_rationale_and_the_notes(held):
    seats = list(held.panel.memberships.all()[:3])
    text = text_of(pdfs.minutes_pdf(held))
    for expected in (
        "Lancashire Permanence Panel Minutes",
        "Draft: not yet ratified by the chair.",
        "Date of panel Wednesday 13 January 2027",
        "Theme for the month Life story work",
        f"Present Priya Present, {seats[0].role_on_panel}",
        f"Apologies Not named, {seats[1].role_on_panel}",
        f"Representatives Rae Stand-In, Finance Officer, for the {seats[2].role_on_panel}",
        "No decision recorded yet for: Alan Turing.",
        # Ada's decision, with its plan and action.
        "Ada Lovelace Case number 100234",
        "Request New to care",
        f"Outcome {AGREE}",
        f"Rationale {RATIONALE}",
        "Timescales for the action plan Adoption medical within 6 weeks",
        "Plan for permanence agreed Adoption Contingency: Long-term fostering",
        "Send the adoption medical request Sam Worker 24 February 2027",
        # Grace's deferral, booked for February's panel.
        "Outcome Defer until further information is provided",
        "Rationale The matching report is not ready.",
        "Further information needed The matching report By Friday 5 February 2027",
        "Forward booking Booked for panel on Wednesday 10 February 2027",
        "Senior approval Not needed",
        "Other business and notes Next month's theme: contact.",
    ):
        assert expected in text
    assert text.index("Ada Lovelace") < text.index("Grace Hopper")


def test_ratified_minutes_say_who_ratified_them(held, chair):
    with time_machine.travel(JANUARY, tick=False):
        alan = held.bookings.get(child__last_name="Turing")
        decide(alan, "Refuse", chair)
        services.minutes_ratify(meeting=held, chair=chair)
    text = text_of(pdfs.minutes_pdf(held))
    assert "Ratified by Cara Chair on Wednesday 13 January 2027." in text
    assert "Draft" not in text and "No decision recorded yet" not in text


def test_every_page_of_long_minutes_carries_the_council_the_marking_and_page_x_of_y(
    meetings, book, chair, on_the_day
):
    meeting = meetings[0]
    for number in range(12):
        booking = book(meeting)
        decide(booking, "Refuse", chair, rationale=f"Rationale {number}. " + "Panel heard. " * 40)
    reader = read(pdfs.minutes_pdf(meeting))
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert COUNCIL in text
        assert text.count("OFFICIAL-SENSITIVE") == 2
        assert f"Page {number} of {len(reader.pages)}" in text
    assert reader.metadata.title == (
        "Minutes – Lancashire Permanence Panel, Wednesday 13 January 2027"
    )
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


# The decision record ---------------------------------------------------------------------


def test_the_decision_record_holds_the_case_note(decision):
    reader = read(pdfs.decision_record_pdf(decision))
    text = words(" ".join(page.extract_text() for page in reader.pages))
    for expected in (
        "Decision record for Ada Lovelace",
        "Panel Lancashire Permanence Panel",
        "Date of panel Wednesday 13 January 2027",
        "Name of child Ada Lovelace",
        "Case number 100234",
        "Recorded on the child's file Not yet: due by Wednesday 20 January 2027",
        f"Outcome {AGREE}",
        f"Rationale {RATIONALE}",
        "Plan for permanence agreed Adoption Contingency: Long-term fostering",
        "Send the adoption medical request Sam Worker 24 February 2027",
        "Forward booking None",
        "Senior approval Not needed",
        "History of the decision",
        "Recorded at panel",
        COUNCIL,
        "OFFICIAL-SENSITIVE",
        "Page 1 of 1",
    ):
        assert expected in text
    assert reader.metadata.title == (
        "Decision record – Ada Lovelace, Lancashire Permanence Panel, Wednesday 13 January 2027"
    )


def test_the_decision_record_says_who_attended_for_the_child(decision):
    assert "Attended for the child" not in text_of(pdfs.decision_record_pdf(decision))
    Decision.objects.filter(pk=decision.pk).update(
        social_worker_attended=True, team_manager_attended=True
    )
    decision.refresh_from_db()
    text = text_of(pdfs.decision_record_pdf(decision))
    assert "Request New to care Attended for the child Social worker and team manager" in text


def test_an_amended_decision_shows_both_versions_and_the_reason(decision, chair, held):
    with time_machine.travel(JANUARY, tick=False):
        alan = held.bookings.get(child__last_name="Turing")
        decide(alan, "Refuse", chair)
        services.minutes_ratify(meeting=held, chair=chair)
    with time_machine.travel(date(2027, 1, 15), tick=False):
        services.decision_amend(
            decision=decision,
            reason="The rationale named the wrong review",
            by=chair,
            rationale="Corrected rationale.",
        )
    text = text_of(pdfs.decision_record_pdf(decision))
    assert "Rationale Corrected rationale." in text
    assert "The rationale named the wrong review" in text
    assert RATIONALE in text  # the earlier version, in the history


def test_an_amendment_to_the_actions_is_in_the_record_with_its_reason(decision, chair, held):
    with time_machine.travel(JANUARY, tick=False):
        decide(held.bookings.get(child__last_name="Turing"), "Refuse", chair)
        services.minutes_ratify(meeting=held, chair=chair)
    assert "History of the actions" not in text_of(pdfs.decision_record_pdf(decision))
    with time_machine.travel(date(2027, 1, 15), tick=False):
        services.decision_amend(
            decision=decision,
            reason="The review was already booked",
            by=chair,
            actions=[{"action": decision.actions.first(), "remove": True}],
        )
    text = text_of(pdfs.decision_record_pdf(decision))
    assert "History of the actions" in text
    assert "Removed: The review was already booked" in text


def test_recorded_on_file_names_who_and_when_and_is_no_version(decision, make_user):
    administrator = make_user(Role.ADMINISTRATOR, first_name="Ann", last_name="Admin")
    with time_machine.travel(date(2027, 1, 20), tick=False):
        services.decision_mark_recorded_on_file(decision=decision, by=administrator)
    text = text_of(pdfs.decision_record_pdf(decision))
    assert (
        "Recorded on the child's file Recorded on file by Ann Admin on Wednesday 20 January 2027"
    ) in text
    assert "Changed" not in text


# The downloads ---------------------------------------------------------------------------


def minutes_pdf_url(meeting) -> str:
    return reverse("minutes:minutes-pdf", args=[meeting.panel.slug, meeting.pk])


def case_note_pdf_url(decision) -> str:
    return reverse("minutes:case-note-pdf", args=[decision.pk])


def test_the_minutes_download_for_those_who_read_the_agenda(client, administrator, held, chair):
    client.force_login(chair)
    response = client.get(minutes_pdf_url(held))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="minutes-lancashire-2027-01-13.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert "Ada Lovelace" in text_of(response.content)
    page = client.get(reverse("minutes:minutes", args=["lancashire", held.pk])).content.decode()
    assert f'href="{minutes_pdf_url(held)}"' in page
    assert "Download the minutes (PDF)" in page


def test_the_minutes_are_refused_to_a_social_worker(client, held, social_worker):
    client.force_login(social_worker)
    # Issue 11: refused in plain words (403) rather than a bare 404.
    assert client.get(minutes_pdf_url(held)).status_code == 403


def test_the_social_worker_downloads_their_childs_decision_record(client, social_worker, decision):
    client.force_login(social_worker)
    response = client.get(case_note_pdf_url(decision))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="decision-100234-2027-01-13.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert "Decision record for Ada Lovelace" in text_of(response.content)
    page = client.get(reverse("minutes:case-note", args=[decision.pk])).content.decode()
    assert f'href="{case_note_pdf_url(decision)}"' in page
    assert "Download the decision record (PDF)" in page


def test_the_decision_record_is_not_found_for_a_social_worker_of_another_team(
    client, make_user, decision
):
    client.force_login(make_user(Role.SOCIAL_WORKER, team=TeamFactory(name="Leaving Care")))
    assert client.get(case_note_pdf_url(decision)).status_code == 404


def test_a_case_number_is_made_safe_for_the_file_name(client, administrator, decision):
    child = decision.booking.child
    child.case_number = 'AB/12 "3"'
    child.save()
    client.force_login(administrator)
    response = client.get(case_note_pdf_url(decision))
    assert response["Content-Disposition"] == (
        'attachment; filename="decision-AB-12--3--2027-01-13.pdf"'
    )
