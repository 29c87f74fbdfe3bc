"""The submission pages: who may open them, uploads and downloads, sending to panel."""

import re
from datetime import datetime
from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse

from agendas import selectors, services
from agendas.models import Submission, SubmissionDocument
from agendas.permissions import can_edit_submission
from permanence.roles import Role
from tests.factories import PanelFactory, TeamFactory, UserFactory

from .test_submissions import (
    FORM_ANSWERS,
    LONDON,
    NOT_ACCEPTED,
    complete,
    docx_bytes,
    make_booking,
    pdf_bytes,
    requirement,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(time_machine, social_worker):
    time_machine.move_to(datetime(2027, 1, 18, 9, tzinfo=LONDON), tick=False)
    return make_booking(PanelFactory(preset="somerset"), social_worker=social_worker)


@pytest.fixture
def sw_client(client, social_worker, booking):
    # Signed in after the clock has moved to 2027, so the session is still fresh.
    client.force_login(social_worker)
    return client


def urls(booking, document=None) -> dict[str, str]:
    found = {
        "submission": reverse("bookings:submission", args=[booking.pk]),
        "upload": reverse("bookings:document-upload", args=[booking.pk]),
        "submit": reverse("bookings:submit", args=[booking.pk]),
    }
    if document:
        found["download"] = reverse("bookings:document-download", args=[document.pk])
    return found


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def a_document(booking, by, name="Child/Young Person's Care Plan", file=None):
    return services.document_upload(
        booking=booking,
        requirement=requirement(booking, name),
        upload=file or upload("care-plan.pdf", pdf_bytes()),
        by=by,
    )


VOID = {"br", "hr", "img", "input", "link", "meta"}


class Ids(HTMLParser):
    """Every id in the page, checking each element is closed where it was opened."""

    def __init__(self):
        super().__init__()
        self.ids, self.open = [], []

    def handle_starttag(self, tag, attrs):
        self.ids += [value for name, value in attrs if name == "id"]
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open.pop() == tag, f"</{tag}> closes nothing open"


def ids_in(html: str) -> list[str]:
    parser = Ids()
    parser.feed(html)
    assert parser.open == [], f"left open: {parser.open}"
    return parser.ids


# Who may open the pages -------------------------------------------------------------------


def test_signed_out_people_are_sent_to_sign_in(client, booking, social_worker):
    document = a_document(booking, social_worker)
    for url in urls(booking, document).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_a_social_worker_of_another_team_gets_404_everywhere(client, booking, social_worker):
    document = a_document(booking, social_worker)
    client.force_login(UserFactory(roles=[Role.SOCIAL_WORKER], team=TeamFactory(name="South")))
    for name, url in urls(booking, document).items():
        if name != "submit":
            assert client.get(url).status_code == 404, name
        if name != "download":
            assert client.post(url).status_code == 404, name
    assert not Submission.objects.filter(submitted_at__isnull=False).exists()


def test_someone_who_may_read_the_booking_but_not_edit_it_gets_403(client, booking, social_worker):
    document = a_document(booking, social_worker)
    client.force_login(UserFactory(roles=[Role.PANEL_MEMBER]))
    for name, url in urls(booking).items():
        response = client.post(url) if name == "submit" else client.get(url)
        assert response.status_code == 403, name
    # Reading is theirs: the panel reads the documents.
    assert client.get(urls(booking, document)["download"]).status_code == 200


def test_the_team_manager_of_the_childs_team_may_edit(client, booking, team):
    client.force_login(UserFactory(roles=[Role.TEAM_MANAGER], team=team))
    assert client.get(urls(booking)["submission"]).status_code == 200
    assert client.get(urls(booking)["upload"]).status_code == 200


# The submission form ----------------------------------------------------------------------


def test_the_form_asks_each_question_in_gov_uk_style(sw_client, booking):
    page = sw_client.get(urls(booking)["submission"]).content.decode()
    for label in (
        "Reason for presentation",
        "Current plan and contingency",
        "Progress since the last panel",
        "Barriers to permanence",
        "The child's wishes and feelings",
        "What is asked of panel",
        "Financial implications",
    ):
        assert label in page
    assert 'class="govuk-textarea' in page
    # The hint, then the character count (issue 11: every free-text field has a maximum).
    assert 'aria-describedby="id_current_plan_hint id_current_plan-info"' in page
    assert 'data-maxlength="10000"' in page
    assert "Save and come back later" in page


def test_saving_the_form_goes_back_to_the_booking(sw_client, booking, social_worker):
    response = sw_client.post(urls(booking)["submission"], {"ask_of_panel": " Agree the match "})
    assert response.status_code == 302
    assert response.url == reverse("bookings:detail", args=[booking.pk])
    assert message_texts(response) == ["Submission form saved."]
    submission = Submission.objects.get(booking=booking)
    assert submission.ask_of_panel == "Agree the match"
    assert submission.updated_by == social_worker
    assert submission.submitted_at is None
    # The saved answers come back on the form.
    page = sw_client.get(urls(booking)["submission"]).content.decode()
    assert ">\nAgree the match</textarea>" in page


def test_saving_a_cancelled_bookings_form_shows_why_not(sw_client, booking):
    services.booking_cancel(booking=booking, reason="Plan changed")
    response = sw_client.post(urls(booking)["submission"], FORM_ANSWERS)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "This booking is cancelled, so its submission is closed." in page
    assert page.count("Error: ") == 1  # in the title


# Uploading --------------------------------------------------------------------------------


def test_the_upload_page_preselects_the_document_from_the_checklist(sw_client, booking):
    care_plan = requirement(booking, "Child/Young Person's Care Plan")
    page = sw_client.get(urls(booking)["upload"], {"requirement": care_plan.pk}).content.decode()
    assert "Upload Child/Young Person&#x27;s Care Plan" in page
    assert f'type="hidden" name="requirement" value="{care_plan.pk}"' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'class="govuk-file-upload"' in page
    # Without one, or with one panel does not ask for, the document is chosen from a list.
    for params in ({}, {"requirement": "999999"}, {"requirement": "x"}):
        page = sw_client.get(urls(booking)["upload"], params).content.decode()
        assert '<h1 class="govuk-heading-l">Upload a document</h1>' in page
        assert '<option value="" selected>Another document</option>' in page
        assert f'<option value="{care_plan.pk}">' in page


def test_uploading_a_document_goes_back_to_the_booking(sw_client, booking, social_worker):
    care_plan = requirement(booking, "Child/Young Person's Care Plan")
    response = sw_client.post(
        urls(booking)["upload"],
        {"requirement": care_plan.pk, "file": upload("Plan for AB.docx", docx_bytes())},
    )
    assert response.status_code == 302
    assert response.url == reverse("bookings:detail", args=[booking.pk])
    assert message_texts(response) == ["“Child/Young Person's Care Plan” uploaded."]
    document = SubmissionDocument.objects.get()
    assert (document.requirement, document.original_name) == (care_plan, "Plan for AB.docx")
    assert document.uploaded_by == social_worker


def test_another_document_has_no_requirement(sw_client, booking):
    response = sw_client.post(
        urls(booking)["upload"], {"requirement": "", "file": upload("letter.pdf", pdf_bytes())}
    )
    assert response.status_code == 302
    assert message_texts(response) == ["“Other document” uploaded."]
    assert SubmissionDocument.objects.get().requirement is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.pdf", b"plain text\n" * 10, f"“notes.pdf” {NOT_ACCEPTED}"),
        ("setup.docx", b"MZ" + b"\0" * 600, f"“setup.docx” {NOT_ACCEPTED}"),
        ("empty.pdf", b"", "“empty.pdf” is empty."),
    ],
)
def test_a_refused_upload_shows_the_message_and_stores_nothing(
    sw_client, booking, tmp_path, name, content, message
):
    care_plan = requirement(booking, "Child/Young Person's Care Plan")
    response = sw_client.post(
        f"{urls(booking)['upload']}?requirement={care_plan.pk}",
        {"requirement": care_plan.pk, "file": upload(name, content)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Upload Child/Young Person&#x27;s Care Plan" in page
    assert "govuk-error-summary" in page
    assert f'<a href="#id_file">{message}</a>' in page.replace("&#x27;", "'")
    assert "govuk-form-group--error" in page and "govuk-file-upload--error" in page
    # The form is kept: still for the same document.
    assert f'type="hidden" name="requirement" value="{care_plan.pk}"' in page
    assert not SubmissionDocument.objects.exists()
    stored = tmp_path / "submissions"
    assert not stored.exists() or not any(path.is_file() for path in stored.rglob("*"))


def test_a_file_over_the_limit_is_refused_on_the_page(sw_client, booking, settings):
    settings.SUBMISSION_MAX_UPLOAD_MB = 1
    content = pdf_bytes().ljust(int(1.1 * 1024 * 1024), b"\n")
    response = sw_client.post(urls(booking)["upload"], {"file": upload("big.pdf", content)})
    assert response.status_code == 200
    assert "“big.pdf” is 1.1 MB. Files must be 1 MB or smaller." in response.content.decode()
    assert "up to 1 MB" in response.content.decode()
    assert not SubmissionDocument.objects.exists()


def test_no_file_chosen_asks_for_one(sw_client, booking):
    response = sw_client.post(urls(booking)["upload"], {"requirement": ""})
    assert response.status_code == 200
    assert '<a href="#id_file">Select the file to upload.</a>' in response.content.decode()


# Downloading ------------------------------------------------------------------------------


def test_a_download_is_an_attachment_with_its_own_name_and_type(sw_client, booking, social_worker):
    content = pdf_bytes()
    document = a_document(booking, social_worker, file=upload("Care plan.pdf", content))
    response = sw_client.get(urls(booking, document)["download"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Care plan.pdf\"; filename*=UTF-8''Care%20plan.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == content


def test_every_version_of_a_replaced_document_can_be_downloaded(
    sw_client, booking, social_worker, time_machine
):
    first = a_document(booking, social_worker, file=upload("v1.pdf", pdf_bytes()))
    time_machine.shift(60)
    second = a_document(booking, social_worker, file=upload("v2.docx", docx_bytes()))
    first.refresh_from_db()
    assert first.replaced_at is not None
    old = sw_client.get(urls(booking, first)["download"])
    new = sw_client.get(urls(booking, second)["download"])
    assert old["Content-Disposition"] == "attachment; filename=\"v1.pdf\"; filename*=UTF-8''v1.pdf"
    assert b"".join(old.streaming_content)[:4] == b"%PDF"
    assert new["Content-Disposition"] == (
        "attachment; filename=\"v2.docx\"; filename*=UTF-8''v2.docx"
    )
    assert new["Content-Type"] == second.content_type


def test_a_file_missing_from_storage_is_a_404_not_an_error(sw_client, booking, social_worker):
    document = a_document(booking, social_worker)
    document.file.storage.delete(document.file.name)
    assert sw_client.get(urls(booking, document)["download"]).status_code == 404


# Sending to panel -------------------------------------------------------------------------


def test_sending_with_gaps_lists_them_on_the_booking_page(sw_client, booking, social_worker):
    services.submission_save(booking=booking, by=social_worker, **FORM_ANSWERS)
    assert sw_client.get(urls(booking)["submit"]).status_code == 405
    response = sw_client.post(urls(booking)["submit"])
    assert response.status_code == 302
    assert response.url == reverse("bookings:detail", args=[booking.pk])
    texts = message_texts(response)
    assert "Still missing: CLA Review Outcomes." in texts
    assert "Still missing: Panel submission form." not in texts
    assert "Still missing: Foster Carers Form F." not in texts
    assert Submission.objects.get(booking=booking).submitted_at is None


def test_sending_a_complete_submission(sw_client, booking, social_worker):
    complete(booking, social_worker)
    response = sw_client.post(urls(booking)["submit"])
    assert response.status_code == 302
    assert message_texts(response) == ["Submission sent to panel."]
    submission = Submission.objects.get(booking=booking)
    assert submission.submitted_at == datetime(2027, 1, 18, 9, tzinfo=LONDON)
    assert submission.submitted_by == social_worker


# The checklist on the booking page --------------------------------------------------------


def checklist_html(booking, user, today) -> str:
    """The include as the booking page renders it."""
    booking.refresh_from_db()
    submission = Submission.objects.filter(booking=booking).first()
    return render_to_string(
        "agendas/includes/submission_checklist.html",
        {
            "booking": booking,
            "checklist": selectors.submission_checklist(booking),
            "may_edit_submission": can_edit_submission(user, booking),
            "documents": booking.documents.select_related("requirement").order_by("-uploaded_at"),
            "submission": submission,
            "due_date": selectors.submission_due_date(booking.meeting),
            "late": selectors.submission_is_late(booking, today=today),
            "csrf_token": "token",
        },
    )


def test_the_checklist_shows_what_is_missing_done_and_optional(
    booking, social_worker, time_machine
):
    first = a_document(booking, social_worker, file=upload("old-plan.pdf", pdf_bytes()))
    time_machine.shift(60)
    current = a_document(booking, social_worker, file=upload("new-plan.pdf", pdf_bytes()))
    for version in ("cla-1.pdf", "cla-2.pdf"):
        time_machine.shift(60)
        a_document(booking, social_worker, "CLA Review Outcomes", upload(version, pdf_bytes()))
    services.document_upload(
        booking=booking,
        requirement=None,
        upload=upload("letter.pdf", pdf_bytes()),
        by=social_worker,
    )
    html = checklist_html(booking, social_worker, booking.meeting.date.replace(month=1, day=18))
    ids = ids_in(html)
    assert len(ids) == len(set(ids))
    assert 'class="govuk-task-list"' in html
    assert html.count('govuk-tag--red">Missing</strong>') == 5
    assert html.count('govuk-tag--grey">Optional</strong>') == 1
    statuses = re.findall(r'-status">\s*(.*?)\s*</div>', html)
    assert statuses.count("Completed") == 2  # plain text, as GOV.UK shows a finished task
    assert "Send it to panel by Thursday 28 January 2027." in html
    assert ">Late<" not in html
    care_plan = requirement(booking, "Child/Young Person's Care Plan")
    upload_url = reverse("bookings:document-upload", args=[booking.pk])
    assert (
        f'href="{upload_url}?requirement={care_plan.pk}"'
        f' aria-describedby="submission-item-3-status">Replace'
        f'<span class="govuk-visually-hidden"> Child/Young Person&#x27;s Care Plan</span></a>'
    ) in html
    assert 'Upload<span class="govuk-visually-hidden"> Up to date C&amp;F Assessment</span>' in html
    current_url = reverse("bookings:document-download", args=[current.pk])
    assert f'<a class="govuk-link" href="{current_url}">new-plan.pdf' in html
    assert "Earlier versions" in html and html.count("<details") == html.count("</details>") == 2
    first_url = reverse("bookings:document-download", args=[first.pk])
    assert f'<a class="govuk-link" href="{first_url}">old-plan.pdf' in html
    assert "Other documents" in html and "letter.pdf" in html
    assert 'Fill in<span class="govuk-visually-hidden"> the panel submission form' in html
    assert "Send to panel</button>" in html
    assert f'action="{reverse("bookings:submit", args=[booking.pk])}"' in html


def test_the_checklist_for_a_reader_has_no_edit_links(booking, social_worker):
    html = checklist_html(booking, UserFactory(roles=[Role.PANEL_MEMBER]), booking.meeting.date)
    assert "Upload<span" not in html and "Send to panel</button>" not in html
    assert "Earlier versions" not in html and "Other documents" not in html


def test_the_checklist_once_sent_late(booking, social_worker, time_machine):
    complete(booking, social_worker)
    time_machine.move_to(datetime(2027, 1, 29, 10, tzinfo=LONDON))
    services.submission_submit(booking=booking, by=social_worker)
    html = checklist_html(booking, social_worker, booking.meeting.date)
    assert "Sent to panel on Friday 29 January 2027." in html
    assert '<strong class="govuk-tag govuk-tag--red">Late</strong>' in html
    assert "Send to panel</button>" not in html
    assert "Missing" not in html


def test_the_booking_page_shows_the_checklist_and_the_gaps(sw_client, booking):
    response = sw_client.post(urls(booking)["submit"], follow=True)
    page = response.content.decode()
    assert "Still missing: Panel submission form." in page
    assert 'class="govuk-task-list"' in page
    ids = ids_in(page)
    assert len(ids) == len(set(ids))
