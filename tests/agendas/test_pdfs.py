"""The agenda, the cover sheet and the submission as PDFs: what they say, read back from the
PDF, the header and footer on every page, and who may download the agenda."""

import io
import re
from datetime import date, time
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from agendas import pdfs, services
from agendas.models import Panel
from permanence.roles import Role
from tests.factories import ChildFactory, UserFactory

from .test_submissions import pdf_bytes, upload

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)
COUNCIL = "Lancashire County Council"


@pytest.fixture(autouse=True)
def today(settings):
    settings.COUNCIL_NAME = COUNCIL
    with time_machine.travel(TODAY, tick=False):
        yield


def read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def words(text: str) -> str:
    """The text with every run of spaces and line breaks as one space, and a word broken
    after its hyphen joined again: a name wrapped in a narrow column reads the same."""
    return re.sub(r"(?<=\w-)\s+", "", re.sub(r"\s+", " ", text))


def text_of(data: bytes) -> str:
    return words(" ".join(page.extract_text() for page in read(data).pages))


@pytest.fixture
def chair():
    """Lancashire's chair, named on the agenda's front page."""
    return UserFactory(first_name="Chris", last_name="Chairman", roles=[Role.CHAIR])


@pytest.fixture
def meeting(meeting):
    """Lancashire's January panel, on the month's theme, at County Hall."""
    meeting.theme = "Life story work"
    meeting.venue = "County Hall, Preston"
    meeting.save()
    return meeting


REQUESTS = (
    "Represented",
    "New to care",
    "Ratification",
    "Request to move placement",
    "Thematic selection",
)


@pytest.fixture
def booked(meeting, administrator):
    """Twenty children, filling every shared slot, each with their own social worker and
    manager."""
    bookings = []
    for number in range(20):
        child = ChildFactory(
            first_name=f"Child{number:02d}",
            last_name="Testchild",
            case_number=f"LC{number:04d}",
            social_worker=UserFactory(first_name=f"Worker{number:02d}", last_name="Social"),
            team_manager=UserFactory(first_name=f"Manager{number:02d}", last_name="Team"),
            panel=meeting.panel,
        )
        bookings.append(
            services.booking_create(
                meeting=meeting,
                child=child,
                request_type=meeting.panel.request_types.get(name=REQUESTS[number % 5]),
                reason="To agree the plan for permanence",
                booked_by=administrator,
            )
        )
    return bookings


# The agenda ------------------------------------------------------------------------------


def test_the_agenda_gives_the_panel_date_time_venue_theme_and_each_item_defined(meeting):
    text = text_of(pdfs.agenda_pdf(meeting))
    assert "Permanence panel agenda" in text
    assert "Panel Lancashire Permanence Panel" in text
    assert "Date of panel Wednesday 13 January 2027" in text
    assert "Time 09:30 to 16:20" in text
    assert "Venue County Hall, Preston" in text
    assert "Chair Chris Chairman" in text
    assert "Theme Life story work" in text
    for number, section in enumerate(meeting.panel.sections.all(), start=1):
        assert f"AGENDA ITEM {number} – {section.name}" in text
        assert words(section.definition) in text


def test_a_panel_without_a_theme_chosen_says_it_is_to_be_confirmed(meeting):
    meeting.theme = ""
    meeting.save()
    assert "Theme To be confirmed" in text_of(pdfs.agenda_pdf(meeting))


def test_the_timetable_names_each_child_with_time_item_social_worker_and_manager(meeting, booked):
    text = text_of(pdfs.agenda_pdf(meeting))
    for booking in booked:
        child = booking.child
        at = f"{booking.slot.starts_at:%H:%M}"
        start = text.index(f"{at} {child.full_name}")
        row = text[start : start + 300]
        assert f"Case number {child.case_number}" in row
        assert booking.section.name in row
        assert str(booking.request_type) in row
        assert str(booking.social_worker) in row
        assert str(booking.team_manager) in row
    # Lunch sits between the 12:30 slot and the 13:00 one.
    assert text.index("12:30 ") < text.index("Lunch, 12:50 to 13:00") < text.index("13:00 ")


def test_free_slots_show_as_free(meeting):
    text = text_of(pdfs.agenda_pdf(meeting))
    assert "09:30 Free" in text and "16:00 Free" in text


def test_every_page_carries_the_council_the_marking_and_page_x_of_y(meeting, booked):
    pages = read(pdfs.agenda_pdf(meeting)).pages
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert COUNCIL in text
        assert text.count("OFFICIAL-SENSITIVE") == 2  # top right and bottom centre
        assert f"Page {number} of {len(pages)}" in text


def test_the_council_name_is_printed_as_written_whatever_its_characters(meeting, settings):
    settings.COUNCIL_NAME = 'Borough of "St Anne\'s" \\ Næss; } @page'
    text = read(pdfs.agenda_pdf(meeting)).pages[0].extract_text()
    assert 'Borough of "St Anne\'s" \\ Næss; } @page' in text


def test_the_pdf_is_tagged_in_british_english_with_a_title(meeting):
    reader = read(pdfs.agenda_pdf(meeting))
    assert reader.metadata.title == (
        "Permanence panel agenda – Lancashire Permanence Panel, Wednesday 13 January 2027"
    )
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    # The headings are the bookmarks.
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles == ["Permanence panel agenda"]


def test_a_panel_whose_sections_have_their_own_times_lists_children_under_each(
    administrator,
):
    services.panel_preset_load(slug="somerset")
    somerset = Panel.objects.get(slug="somerset")
    meeting = services.meetings_schedule(
        panel=somerset, start=date(2027, 1, 1), end=date(2027, 1, 31)
    ).created[0]
    child = ChildFactory(first_name="Ada", last_name="Lovelace", panel=somerset)
    booking = services.booking_create(
        meeting=meeting,
        child=child,
        request_type=somerset.request_types.first(),
        reason="A move",
        booked_by=administrator,
    )
    text = text_of(pdfs.agenda_pdf(meeting))
    first = somerset.sections.first()
    assert f"AGENDA ITEM 1 – {first.name}" in text
    assert f"{booking.slot.starts_at:%H:%M} Ada Lovelace" in text
    assert "Thematic selection" not in text  # Somerset has no thematic item


# The cover sheet and the submission ------------------------------------------------------


@pytest.fixture
def booking(meeting, book, team):
    """Ada's ratification, at 10:30 on the January agenda."""
    child = ChildFactory(
        first_name="Ada",
        last_name="Lovelace",
        case_number="100234",
        date_of_birth=date(2015, 3, 4),
        team=team,
        social_worker=UserFactory(first_name="Sam", last_name="Worker"),
        team_manager=UserFactory(first_name="Terry", last_name="Manager"),
        panel=meeting.panel,
    )
    return book(
        meeting,
        child,
        request="Ratification",
        slot=meeting.slots.get(starts_at=time(10, 30)),
        reason="Ratify the placement with the foster carers as permanent",
    )


def test_the_cover_sheet_is_one_page_about_the_child_and_the_booking(booking):
    reader = read(pdfs.cover_sheet_pdf(booking))
    # Lancashire's members' contributions follow on a second page (tests/agendas/
    # test_contributions.py); the first is the child, the booking and the documents.
    assert len(reader.pages) == 2
    text = words(reader.pages[0].extract_text())
    for expected in (
        "Cover sheet: Ada Lovelace",
        "Name of child Ada Lovelace",
        "Case number 100234",
        "Date of birth 4 March 2015",
        "Date of panel Wednesday 13 January 2027",
        "Time 10:30 to 10:50",
        "Request Ratification",
        "Agenda item 3. Ratification of placement as permanent",
        "Social worker Sam Worker",
        "Team manager Terry Manager",
        "Ratify the placement with the foster carers as permanent",
        COUNCIL,
        "OFFICIAL-SENSITIVE",
        "Page 1 of 2",
    ):
        assert expected in text
    assert reader.metadata.title.startswith("Cover sheet – Ada Lovelace")


def test_the_cover_sheet_names_the_documents_still_missing(booking, administrator):
    summary = booking.panel.document_requirements.get(name="Case summary")
    services.document_upload(
        booking=booking,
        requirement=summary,
        upload=upload("summary.pdf", pdf_bytes()),
        by=administrator,
    )
    text = text_of(pdfs.cover_sheet_pdf(booking))
    missing = re.search(r"Missing: (.*?)\.", text)[1].split("; ")
    assert missing == [
        "Panel submission form",
        "Permanence Panel Submission form",
        "Record of the last multi-agency Looked After Children care planning meeting",
    ]
    assert (
        "Case summary Updated on the child's file; the Case Support Officer attaches it "
        "Required Received"
    ) in text


def test_a_cover_sheet_with_everything_in_says_so(booking, administrator):
    services.submission_save(
        booking=booking, by=administrator, **{name: "Answered" for name in FORM_FIELDS}
    )
    for requirement in booking.panel.document_requirements.all():
        services.document_upload(
            booking=booking,
            requirement=requirement,
            upload=upload("document.pdf", pdf_bytes()),
            by=administrator,
        )
    for contribution in booking.contributions.all():
        services.contribution_write(contribution=contribution, by=administrator, summary="In.")
    text = text_of(pdfs.cover_sheet_pdf(booking))
    assert "Every required document is in." in text
    assert "Every member’s contribution is in." in text
    assert "Missing" not in text


FORM_FIELDS = (
    "reason_for_presentation",
    "current_plan",
    "progress_since_last_panel",
    "barriers_to_permanence",
    "wishes_and_feelings",
    "ask_of_panel",
    "financial_implications",
)


def test_the_submission_gives_each_answer_under_its_question(booking, administrator):
    answers = {name: f"The answer about {name.replace('_', ' ')}." for name in FORM_FIELDS}
    answers["financial_implications"] = ""
    services.submission_save(booking=booking, by=administrator, **answers)
    text = text_of(pdfs.submission_pdf(booking))
    assert "Panel submission: Ada Lovelace" in text
    assert "Not sent yet" in text
    assert "The form is not complete" in text
    assert "Reason for presentation The answer about reason for presentation." in text
    assert "Current plan and contingency The answer about current plan." in text
    assert "The child's wishes and feelings The answer about wishes and feelings." in text
    assert "Financial implications Not answered." in text


def test_a_submission_never_started_says_it_was_not_completed(booking):
    reader = read(pdfs.submission_pdf(booking))
    text = words(reader.pages[0].extract_text())
    assert "The panel submission form was not completed." in text
    assert "Case number 100234" in text
    assert "Reason for presentation" not in text


# The download ----------------------------------------------------------------------------


def agenda_url(meeting) -> str:
    return reverse("agendas:agenda-pdf", args=[meeting.panel.slug, meeting.pk])


def test_the_agenda_downloads_as_an_attachment_that_is_never_cached(
    client, administrator, meeting, booked
):
    client.force_login(administrator)
    response = client.get(agenda_url(meeting))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="agenda-lancashire-2027-01-13.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert "Child00 Testchild" in text_of(response.content)


def test_the_agenda_page_links_to_the_pdf(client, administrator, meeting):
    client.force_login(administrator)
    page = client.get(reverse("agendas:agenda", args=["lancashire", meeting.pk]))
    assert f'href="{agenda_url(meeting)}"' in page.content.decode()
    assert "Download the agenda (PDF)" in page.content.decode()


def test_a_panel_member_the_chair_and_a_senior_manager_download_the_agenda(
    client, meeting, chair, make_user
):
    member = make_user(Role.PANEL_MEMBER)
    seat = meeting.panel.memberships.first()
    seat.user = member
    seat.save()
    for user in (member, chair, make_user(Role.SENIOR_MANAGER)):
        client.force_login(user)
        assert client.get(agenda_url(meeting)).status_code == 200


@pytest.mark.parametrize(
    "who", ["social worker of a child on it", "team manager", "chair of another panel"]
)
def test_those_who_cannot_read_the_agenda_are_refused(client, make_user, meeting, booked, who):
    if who == "social worker of a child on it":
        # They see their own booking, not the whole agenda.
        user = booked[0].social_worker
        user.groups.add(*make_user(Role.SOCIAL_WORKER).groups.all())
    elif who == "team manager":
        user = make_user(Role.TEAM_MANAGER)
    else:
        user = make_user(Role.CHAIR)
    client.force_login(user)
    # Issue 11: refused in plain words (403) rather than a bare 404.
    assert client.get(agenda_url(meeting)).status_code == 403


def test_signing_in_is_needed(client, meeting):
    response = client.get(agenda_url(meeting))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_agenda_of_another_panel_is_not_found_under_this_ones_address(
    client, administrator, meeting
):
    client.force_login(administrator)
    url = reverse("agendas:agenda-pdf", args=["somerset", meeting.pk])
    assert client.get(url).status_code == 404


def test_the_cover_sheet_lists_the_amounts_a_request_carries(booking):
    # Lancashire's ratification carries the celebration event (item 3).
    assert "Amounts" not in text_of(pdfs.cover_sheet_pdf(booking))
    services.booking_amount_add(
        booking=booking,
        description="Celebration event",
        amount=Decimal("350.00"),
        period="one_off",
        added_by=booking.booked_by,
    )
    # On the first page, with the request; the members' contributions follow on the second.
    reader = read(pdfs.cover_sheet_pdf(booking))
    text = words(reader.pages[0].extract_text())
    assert "Amounts asked Celebration event: £350.00 one-off" in text
