"""One running order: the running order page, the web agenda, the agenda PDF, the pack's
bookmarks and the minutes list the children in the same order, on SQLite and PostgreSQL
(which sort empty slot times at opposite ends), and the web agenda shows lunch where the
PDF does."""

import io
import re
from datetime import date, datetime

import pytest
from django.urls import reverse
from pypdf import PdfReader

from agendas import pdfs
from agendas.models import Booking, PackStatus
from minutes.pdfs import minutes_pdf
from permanence.jobs.models import JobState
from permanence.jobs.services import job_run
from permanence.roles import Role
from tests.days import LONDON
from tests.factories import AgendaPackFactory, BookingFactory, PanelFactory, winter_meetings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(datetime(2026, 12, 1, 9, tzinfo=LONDON), tick=False)


def meeting_of(slug: str):
    """The panel's first meeting of 2027."""
    return winter_meetings(PanelFactory(preset=slug), end=date(2027, 1, 31))[0]


def book_case(meeting, case_number: str, administrator, *, section: str | None = None, slot=None):
    """Book the child with the case number for the panel's first request type."""
    panel = meeting.panel
    return BookingFactory(
        meeting=meeting,
        child__case_number=case_number,
        child__last_name=case_number,
        request_type=panel.request_types.order_by("pk").first(),
        booked_by=administrator,
        section=panel.sections.get(name=section) if section else None,
        slot=slot,
    )


def lancashire_scrambled(administrator):
    """Shared 20-minute slots booked out of time order, one after lunch."""
    meeting = meeting_of("lancashire")
    slots = list(meeting.slots.filter(section=None).order_by("starts_at"))
    for case_number, index in (("ORD-C", 10), ("ORD-A", 0), ("ORD-D", 11), ("ORD-B", 3)):
        book_case(meeting, case_number, administrator, slot=slots[index])
    return meeting, ["ORD-A", "ORD-B", "ORD-C", "ORD-D"]


def knowsley_scrambled(administrator):
    """Part 1 lists children without times, before the timed slots of parts 2 and 3."""
    meeting = meeting_of("knowsley")
    part_2 = list(meeting.slots.filter(section__order=2).order_by("starts_at"))
    part_3 = list(meeting.slots.filter(section__order=3).order_by("starts_at"))
    book_case(
        meeting,
        "ORD-E",
        administrator,
        section="Part 3: Scrutiny of plans and placements",
        slot=part_3[0],
    )
    book_case(meeting, "ORD-A", administrator, section="Part 1: Adoption tracking")
    book_case(
        meeting, "ORD-D", administrator, section="Part 2: Matching and approval", slot=part_2[3]
    )
    book_case(meeting, "ORD-B", administrator, section="Part 1: Adoption tracking")
    book_case(
        meeting, "ORD-C", administrator, section="Part 2: Matching and approval", slot=part_2[0]
    )
    return meeting, ["ORD-A", "ORD-B", "ORD-C", "ORD-D", "ORD-E"]


CASE = re.compile(r"ORD-[A-Z]")


def in_order(text: str) -> list[str]:
    """Each case number in the order it first appears."""
    seen = []
    for case_number in CASE.findall(text):
        if case_number not in seen:
            seen.append(case_number)
    return seen


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    # A name wrapped after its hyphen reads whole again.
    return re.sub(r"(?<=ORD-)\s+", "", text)


@pytest.mark.parametrize("scrambled", [lancashire_scrambled, knowsley_scrambled])
def test_every_page_lists_the_children_in_the_same_running_order(scrambled, administrator, client):
    meeting, expected = scrambled(administrator)
    slug = meeting.panel.slug
    assert [b.child.case_number for b in Booking.objects.in_running_order()] == expected

    client.force_login(administrator)
    running_order = client.get(reverse("decisions:running-order", args=[slug, meeting.pk]))
    assert in_order(running_order.content.decode()) == expected
    web_agenda = client.get(reverse("agendas:agenda", args=[slug, meeting.pk]))
    assert in_order(web_agenda.content.decode()) == expected
    meeting_page = client.get(reverse("agendas:meeting", args=[slug, meeting.pk]))
    assert in_order(meeting_page.content.decode()) == expected
    assert in_order(pdf_text(pdfs.agenda_pdf(meeting))) == expected
    assert in_order(pdf_text(minutes_pdf(meeting))) == expected

    pack = AgendaPackFactory(meeting=meeting, job__state=JobState.QUEUED)
    job_run(pack.job_id)
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY, pack.error
    with pack.file.open("rb") as file:
        reader = PdfReader(io.BytesIO(file.read()))
    bookmarks = [item.title for item in reader.outline if not isinstance(item, list)]
    assert in_order(" ".join(bookmarks)) == expected


@pytest.mark.postgres
@pytest.mark.parametrize("scrambled", [lancashire_scrambled, knowsley_scrambled])
def test_the_running_order_is_the_same_on_postgresql(scrambled, administrator):
    meeting, expected = scrambled(administrator)
    assert [b.child.case_number for b in meeting.bookings.in_running_order()] == expected


def rows_of(html: str) -> list[str]:
    """Each table row's text, tags and runs of space removed."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()).replace(" ,", ",") for row in rows]


def test_the_web_agenda_and_meeting_page_show_lunch_where_the_pdf_does(administrator, client):
    meeting, _ = lancashire_scrambled(administrator)
    slug = meeting.panel.slug
    lunch = "Lunch, 12:50 to 13:00"
    client.force_login(administrator)
    for name in ("agendas:agenda", "agendas:meeting"):
        rows = rows_of(client.get(reverse(name, args=[slug, meeting.pk])).content.decode())
        at = next(n for n, row in enumerate(rows) if lunch in row)
        # Between the 12:30 slot and the 13:00 slot, and only once.
        assert rows[at - 1].startswith("12:30"), name
        assert rows[at + 1].startswith("13:00"), name
        assert sum(lunch in row for row in rows) == 1, name
    text = " ".join(pdf_text(pdfs.agenda_pdf(meeting)).split())
    assert text.index("12:30") < text.index(lunch) < text.index("13:00")


def test_a_panel_without_breaks_shows_none(administrator, client):
    meeting, _ = knowsley_scrambled(administrator)
    client.force_login(administrator)
    page = client.get(reverse("agendas:agenda", args=[meeting.panel.slug, meeting.pk]))
    assert "Lunch" not in page.content.decode()


def test_only_a_role_that_reads_the_agenda_sees_the_running_order(make_user, client, administrator):
    meeting, _ = lancashire_scrambled(administrator)
    client.force_login(make_user(Role.SOCIAL_WORKER))
    response = client.get(reverse("decisions:running-order", args=["lancashire", meeting.pk]))
    assert response.status_code in (403, 404)
