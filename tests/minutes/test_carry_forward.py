"""What a deferral or re-presentation carries to the child's next booking (Lancashire agenda
item 1): the previous panel's reason and every action with its status, read live on the
agenda, the pack's cover sheet and the chair's decision page; the request; the documents."""

import io
import re
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from agendas import pdfs, selectors
from agendas import services as agendas_services
from agendas.models import (
    Booking,
    BookingStatus,
    DocumentRequirement,
    Panel,
    Submission,
)
from minutes import services
from permanence.jobs.models import JobState
from permanence.jobs.services import job_run
from permanence.roles import Role
from tests import factories
from tests.days import BOOKED_ON, FEBRUARY, JANUARY, MARCH

from ..agendas.test_submissions import FORM_ANSWERS, pdf_bytes

pytestmark = pytest.mark.django_db

REASON = "Panel needs the sibling assessment before it agrees the plan."
CASE_SUMMARY = "Case summary"
LAST_MEETING = "Record of the last multi-agency Looked After Children care planning meeting"


@pytest.fixture
def chair(make_user):
    """Lancashire's chair, who owns the actions named on the pages below."""
    return make_user(Role.CHAIR, first_name="Chris", last_name="Chair")


def decide(booking, name, chair, **fields):
    return factories.decide(booking, name, chair, **{"rationale": REASON, **fields})


def re_present(booking, chair, by_date=FEBRUARY, **fields):
    with time_machine.travel(booking.meeting.date, tick=False):
        return decide(booking, "Re-present to panel", chair, by_date=by_date, **fields)


@pytest.fixture
def re_presented(book, meetings, ada, chair):
    """Ada re-presented in January with two actions: the first done, the second open."""
    decision = re_present(book(meetings[0], ada), chair)
    done = services.action_add(
        decision=decision,
        description="Complete the sibling assessment",
        owner=chair,
        due_date=date(2027, 1, 29),
    )
    services.action_add(
        decision=decision,
        description="Update the care plan",
        owner=chair,
        due_date=date(2027, 2, 5),
    )
    with time_machine.travel(date(2027, 1, 20), tick=False):
        services.action_complete(action=done, note="Assessment on the child's file")
    return decision


def fresh(booking: Booking) -> Booking:
    return Booking.objects.get(pk=booking.pk)


def words(text: str) -> str:
    return re.sub(r"(?<=\w-)\s+", "", re.sub(r"\s+", " ", text))


def pdf_text(data: bytes) -> str:
    return words(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def html_text(response) -> str:
    return words(re.sub(r"<[^>]+>", " ", response.content.decode()))


# The live link --------------------------------------------------------------------------


def test_the_new_booking_links_to_the_decision_not_a_copy_of_it(re_presented, meetings):
    forward = fresh(re_presented.forward_booking)
    assert forward.meeting == meetings[1]
    assert forward.previous_decision == re_presented
    assert forward.reason == "From panel on Wednesday 13 January 2027: re-presented."
    assert REASON not in forward.reason and "sibling" not in forward.reason
    actions = list(forward.previous_decision.actions.all())
    assert [action.description for action in actions] == [
        "Complete the sibling assessment",
        "Update the care plan",
    ]
    assert [bool(action.completed_at) for action in actions] == [True, False]


def test_deferred_twice_the_latest_panel_shows(book, meetings, ada, chair):
    with time_machine.travel(JANUARY, tick=False):
        first = decide(
            book(meetings[0], ada),
            "Defer until further information is provided",
            chair,
            rationale="January's reason",
            further_information="The parenting assessment",
            by_date=FEBRUARY,
        )
    with time_machine.travel(FEBRUARY, tick=False):
        second = decide(
            first.forward_booking,
            "Defer until further information is provided",
            chair,
            rationale="February's reason",
            further_information="The updated parenting assessment",
            by_date=MARCH,
        )
    march = fresh(second.forward_booking)
    assert march.meeting == meetings[2]
    assert march.previous_decision == second
    agenda = selectors.agenda(meetings[2])
    assert agenda.bookings[0].previous_decision.rationale == "February's reason"


def test_a_child_not_forward_booked_has_no_previous_panel(book, meetings):
    assert fresh(book(meetings[1])).previous_decision is None


def test_onto_the_waiting_list_then_placed_keeps_the_link_and_the_documents(
    book, meetings, ada, chair, administrator, social_worker
):
    booking = book(meetings[0], ada)
    upload(booking, CASE_SUMMARY, social_worker)
    # No meeting is scheduled on or after 1 April: the child waits.
    decision = re_present(booking, chair, by_date=date(2027, 4, 1))
    waiting = fresh(decision.forward_booking)
    assert waiting.status == BookingStatus.WAITING
    assert waiting.previous_decision == decision
    with time_machine.travel(JANUARY, tick=False):
        april = agendas_services.meetings_schedule(
            panel=meetings[0].panel, start=date(2027, 4, 1), end=date(2027, 4, 30)
        ).created[0]
        placed = agendas_services.booking_move(booking=waiting, meeting=april)
    assert placed.pk == waiting.pk and placed.meeting == april
    agenda = selectors.agenda(april)
    assert agenda.bookings[0].previous_decision == decision
    assert [item.name for item in selectors.submission_checklist(placed) if item.done] == [
        CASE_SUMMARY
    ]


def test_changing_the_outcome_away_from_re_presentation_drops_the_link(book, meetings, ada, chair):
    booking = book(meetings[0], ada)
    forward = re_present(booking, chair).forward_booking
    with time_machine.travel(JANUARY, tick=False):
        decide(booking, "Refuse", chair)
    forward = fresh(forward)
    assert forward.status == BookingStatus.CANCELLED
    assert forward.previous_decision is None


# The request -----------------------------------------------------------------------------


def test_the_new_booking_keeps_the_request_and_sits_in_agenda_item_1(re_presented):
    forward = re_presented.forward_booking
    assert forward.request_type.name == "New to care"
    assert forward.section.name == "Case re-presented back to permanence panel"


def test_the_chair_can_choose_another_request(book, meetings, ada, chair, lancashire):
    ratification = lancashire.request_types.get(name="Ratification")
    decision = re_present(book(meetings[0], ada), chair, forward_request_type=ratification)
    forward = decision.forward_booking
    assert forward.request_type == ratification
    assert forward.section.name == "Ratification of placement as permanent"


def test_changing_the_chosen_request_changes_the_forward_booking(book, meetings, ada, chair):
    booking = book(meetings[0], ada)
    forward = re_present(booking, chair).forward_booking
    moving = booking.panel.request_types.get(name="Request to move placement")
    decision = re_present(booking, chair, forward_request_type=moving)
    assert decision.forward_booking == forward
    assert fresh(forward).request_type == moving


def test_another_panels_request_is_refused(book, meetings, ada, chair):
    agendas_services.panel_preset_load(slug="somerset")
    somerset = Panel.objects.get(slug="somerset").request_types.first()
    booking = book(meetings[0], ada)
    with pytest.raises(ValidationError) as refused:
        re_present(booking, chair, forward_request_type=somerset)
    assert refused.value.message_dict == {
        "forward_request_type": ["Choose one of this panel's requests."]
    }
    assert not Booking.objects.filter(child=ada, meeting=meetings[1]).exists()


# The documents and the checklist -------------------------------------------------------


def upload(booking, requirement_name, by, name="report.pdf"):
    requirement = (
        None
        if requirement_name is None
        else DocumentRequirement.objects.get(panel=booking.panel, name=requirement_name)
    )
    with time_machine.travel(BOOKED_ON, tick=False):
        return agendas_services.document_upload(
            booking=booking,
            requirement=requirement,
            upload=SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf"),
            by=by,
        )


def test_the_documents_sent_are_current_on_the_new_booking(
    book, meetings, ada, chair, social_worker
):
    booking = book(meetings[0], ada)
    upload(booking, CASE_SUMMARY, social_worker, name="old summary.pdf")
    summary = upload(booking, CASE_SUMMARY, social_worker, name="summary.pdf")
    extra = upload(booking, None, social_worker, name="letter.pdf")
    agendas_services.submission_save(booking=booking, by=social_worker, **FORM_ANSWERS)
    forward = re_present(booking, chair).forward_booking

    current = forward.documents.filter(replaced_at__isnull=True).order_by("original_name")
    assert [(doc.original_name, doc.file.name) for doc in current] == [
        ("letter.pdf", extra.file.name),
        ("summary.pdf", summary.file.name),
    ]
    assert all(doc.uploaded_at == summary.uploaded_at for doc in current if doc.requirement)
    assert not forward.documents.filter(original_name="old summary.pdf").exists()

    # The checklist asks only for what is still missing: the form (progress since the last
    # panel is answered afresh) and the record of the last care planning meeting.
    missing = [item.name for item in selectors.submission_checklist(forward) if item.missing]
    assert missing == [selectors.SUBMISSION_FORM, "Permanence Panel Submission form", LAST_MEETING]
    draft = Submission.objects.get(booking=forward)
    assert draft.submitted_at is None
    assert draft.progress_since_last_panel == ""
    assert draft.current_plan == FORM_ANSWERS["current_plan"]


def test_a_replacement_on_the_new_booking_leaves_the_old_record(
    book, meetings, ada, chair, social_worker
):
    booking = book(meetings[0], ada)
    summary = upload(booking, CASE_SUMMARY, social_worker, name="summary.pdf")
    forward = re_present(booking, chair).forward_booking
    upload(forward, CASE_SUMMARY, social_worker, name="new summary.pdf")
    summary.refresh_from_db()
    assert summary.replaced_at is None
    assert [doc.original_name for doc in booking.documents.all()] == ["summary.pdf"]
    assert [doc.original_name for doc in forward.documents.filter(replaced_at__isnull=True)] == [
        "new summary.pdf"
    ]


def test_a_carried_document_downloads_only_for_who_may_see_the_child(
    client, book, meetings, ada, chair, social_worker, make_user
):
    booking = book(meetings[0], ada)
    summary = upload(booking, CASE_SUMMARY, social_worker, name="summary.pdf")
    with summary.file.open("rb") as stored:
        sent = stored.read()
    forward = re_present(booking, chair).forward_booking
    carried = forward.documents.get()
    url = reverse("bookings:document-download", args=[carried.pk])
    client.force_login(social_worker)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == sent
    client.force_login(make_user(Role.SOCIAL_WORKER))
    assert client.get(url).status_code == 404


def test_a_request_that_does_not_ask_for_a_document_carries_it_as_an_extra(
    book, meetings, ada, chair, social_worker, lancashire
):
    new_to_care = lancashire.request_types.get(name="New to care")
    DocumentRequirement.objects.create(
        panel=lancashire, request_type=new_to_care, name="Sibling assessment"
    )
    booking = book(meetings[0], ada)
    upload(booking, "Sibling assessment", social_worker, name="siblings.pdf")
    ratification = lancashire.request_types.get(name="Ratification")
    forward = re_present(booking, chair, forward_request_type=ratification).forward_booking
    carried = forward.documents.get()
    assert (carried.original_name, carried.requirement) == ("siblings.pdf", None)
    assert "Sibling assessment" not in [
        item.name for item in selectors.submission_checklist(forward)
    ]


# Where it shows ----------------------------------------------------------------------------


def test_the_agenda_row_shows_the_reason_and_each_action_with_its_status(
    client, administrator, re_presented, meetings
):
    url = reverse("agendas:agenda", args=["lancashire", meetings[1].pk])
    with time_machine.travel(date(2027, 2, 1), tick=False):
        client.force_login(administrator)
        page = html_text(client.get(url))
    assert "Re-present to panel at panel on Wednesday 13 January 2027" in page
    assert f"Reason: {REASON}" in page
    assert "Complete the sibling assessment (Chris Chair, by Friday 29 January 2027) Done" in page
    assert "Done on Wednesday 20 January 2027" in page
    assert "Update the care plan (Chris Chair, by Friday 5 February 2027) Open" in page

    # Live: overdue the day after it is due, and done once completed.
    with time_machine.travel(date(2027, 2, 8), tick=False):
        client.force_login(administrator)
        assert "Update the care plan (Chris Chair, by Friday 5 February 2027) Overdue" in (
            html_text(client.get(url))
        )
        services.action_complete(action=re_presented.actions.get(completed_at=None), note="Done")
        page = html_text(client.get(url))
    assert "Update the care plan (Chris Chair, by Friday 5 February 2027) Done" in page
    assert "Overdue" not in page


def test_an_action_is_overdue_from_the_day_after_it_is_due(re_presented):
    action = re_presented.actions.get(completed_at=None)  # due Friday 5 February 2027
    with time_machine.travel(date(2027, 2, 5), tick=False):
        assert not action.is_overdue
    with time_machine.travel(date(2027, 2, 6), tick=False):
        assert action.is_overdue
        services.action_complete(action=action, note="Care plan updated")
        assert not action.is_overdue


def test_the_agenda_is_refused_to_a_social_worker_in_plain_words(client, social_worker, meetings):
    client.force_login(social_worker)
    url = reverse("agendas:agenda", args=["lancashire", meetings[1].pk])
    response = client.get(url)
    assert response.status_code == 403
    assert "sit on the Lancashire Permanence Panel, so you can" in response.content.decode()


def test_the_chairs_decision_page_shows_the_previous_panel(client, chair, re_presented, meetings):
    forward = re_presented.forward_booking
    url = reverse("decisions:decision", args=["lancashire", meetings[1].pk, forward.pk])
    with time_machine.travel(FEBRUARY, tick=False):
        client.force_login(chair)
        page = html_text(client.get(url))
    assert "From the previous panel" in page
    assert f"Reason: {REASON}" in page
    assert "Complete the sibling assessment (Chris Chair, by Friday 29 January 2027) Done" in page
    assert "Update the care plan (Chris Chair, by Friday 5 February 2027) Overdue" in page
    # The request is kept unless the chair chooses another.
    with time_machine.travel(FEBRUARY, tick=False):
        form = client.get(url).context["form"]
    assert form["forward_request_type"].value() == forward.request_type_id


def test_the_decision_page_is_refused_to_a_social_worker(
    client, social_worker, re_presented, meetings
):
    forward = re_presented.forward_booking
    client.force_login(social_worker)
    url = reverse("decisions:decision", args=["lancashire", meetings[1].pk, forward.pk])
    assert client.get(url).status_code in (403, 404)


def test_choosing_another_request_on_the_decision_page(client, chair, book, meetings, ada):
    booking = book(meetings[0], ada)
    ratification = booking.panel.request_types.get(name="Ratification")
    url = reverse("decisions:decision", args=["lancashire", meetings[0].pk, booking.pk])
    data = {
        "outcome": booking.panel.outcomes.get(name="Re-present to panel").pk,
        "rationale": REASON,
        "by_date_0": "10",
        "by_date_1": "2",
        "by_date_2": "2027",
        "forward_request_type": ratification.pk,
        "save": "1",
    }
    with time_machine.travel(JANUARY, tick=False):
        client.force_login(chair)
        response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    booking.refresh_from_db()
    assert booking.decision.forward_booking.request_type == ratification


def test_the_social_worker_sees_the_previous_panel_on_the_booking(
    client, social_worker, re_presented
):
    url = reverse("bookings:detail", args=[re_presented.forward_booking.pk])
    with time_machine.travel(FEBRUARY, tick=False):
        client.force_login(social_worker)
        page = html_text(client.get(url))
    assert "From the previous panel" in page
    assert f"Reason: {REASON}" in page
    assert "Update the care plan (Chris Chair, by Friday 5 February 2027) Overdue" in page


def test_the_packs_cover_sheet_carries_the_reason_and_actions(re_presented, meetings):
    with time_machine.travel(date(2027, 2, 8), tick=False):
        pack = factories.AgendaPackFactory(meeting=meetings[1], job__state=JobState.QUEUED)
        job_run(pack.job_id)
    pack.refresh_from_db()
    with pack.file.open("rb") as file:
        pages = [words(page.extract_text()) for page in PdfReader(file).pages]
    cover = next(page for page in pages if "Cover sheet: Ada Lovelace" in page)
    assert REASON in cover
    assert "Complete the sibling assessment" in cover and "done on 20 January 2027" in cover
    assert "Update the care plan" in cover and "overdue" in cover


def test_the_agenda_pdf_and_the_cover_sheet_carry_the_reason_and_actions(re_presented, meetings):
    forward = re_presented.forward_booking
    with time_machine.travel(date(2027, 2, 8), tick=False):
        agenda = pdf_text(pdfs.agenda_pdf(meetings[1]))
        cover = pdf_text(pdfs.cover_sheet_pdf(forward, for_pack=True))
    for text in (agenda, cover):
        assert "Re-present to panel at panel on Wednesday 13 January 2027" in text
        assert REASON in text
        assert "Complete the sibling assessment" in text
        assert "done on 20 January 2027" in text
        assert "Update the care plan" in text
        assert "overdue" in text
    assert "From the previous panel" in cover


def test_the_agenda_costs_the_same_queries_for_one_re_presented_child_as_for_three(
    client, administrator, book, meetings, chair
):
    client.force_login(administrator)
    url = reverse("agendas:agenda", args=["lancashire", meetings[1].pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    def re_present_one():
        decision = re_present(book(meetings[0]), chair)
        for number in range(2):
            services.action_add(
                decision=decision,
                description=f"Action {number}",
                owner=chair,
                due_date=date(2027, 2, 1),
            )

    re_present_one()
    one = queries()
    re_present_one()
    re_present_one()
    assert meetings[1].bookings.filter(status=BookingStatus.BOOKED).count() == 3
    assert queries() == one
