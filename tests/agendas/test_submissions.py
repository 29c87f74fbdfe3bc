"""The submission services and upload sniffing, with real files of every kind."""

import io
import tracemalloc
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import weasyprint
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from agendas import selectors, services, uploads
from agendas.models import Booking, DocumentRequirement, SubmissionDocument
from permanence.roles import Role
from tests.days import LONDON
from tests.factories import BookingFactory, PanelFactory, UserFactory

pytestmark = pytest.mark.django_db

# Somerset meets fortnightly on Thursdays; submissions are due 10 working days before.
MEETING_DATE = date(2027, 2, 11)
DUE_DATE = date(2027, 1, 28)
NOT_ACCEPTED = (
    "is not a file type panel accepts. Upload a PDF, Word (DOCX or DOC), OpenDocument text "
    "(ODT), Excel (XLSX), PNG or JPEG file."
)
EVERY_REQUEST = [
    "Up to date C&F Assessment",
    "Child/Young Person's Care Plan",
    "CLA Review Outcomes",
]
MATCHING = [
    "Matching Proposal for a Long Term Fostering Placement",
    "Foster Carers most recent Annual Review",
    "Foster Carers Form F",
    "Foster Carers Capacity to Offer Permanence",
]
FORM_ANSWERS = {
    "reason_for_presentation": "Match with long term carers",
    "current_plan": "Long term fostering; contingency Special Guardianship",
    "progress_since_last_panel": "First time at panel",
    "barriers_to_permanence": "None known",
    "wishes_and_feelings": "Wants to stay where she is",
    "ask_of_panel": "Agree the match",
    "financial_implications": "None",
}


# Real files -------------------------------------------------------------------------------


def pdf_bytes() -> bytes:
    return weasyprint.HTML(string="<p>x</p>").write_pdf()


def _zip(*entries: tuple[str, bytes], stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, (name, content) in enumerate(entries):
            stored = stored_first and number == 0
            archive.writestr(name, content, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return _zip(
        (
            "[Content_Types].xml",
            b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            b'2006/content-types"><Override PartName="/word/document.xml" ContentType="'
            b'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"'
            b"/></Types>",
        ),
        ("_rels/.rels", b'<?xml version="1.0"?><Relationships/>'),
        (
            "word/document.xml",
            b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body>'
            b"</w:document>",
        ),
    )


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odt_bytes(mimetype: bytes = b"application/vnd.oasis.opendocument.text") -> bytes:
    return _zip(
        ("mimetype", mimetype),
        ("content.xml", b'<?xml version="1.0"?><office:document-content/>'),
        ("META-INF/manifest.xml", b'<?xml version="1.0"?><manifest:manifest/>'),
        stored_first=True,
    )


def image_bytes(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, kind)
    return buffer.getvalue()


def doc_bytes() -> bytes:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".ljust(512, b"\0")
    return (ole + b"\xec\xa5\xc1\x00").ljust(4096, b"\0")


def encrypted_odt_bytes() -> bytes:
    """An ODT whose mimetype entry says it is encrypted: zipfile refuses to read it."""
    data = bytearray(odt_bytes())
    central = data.index(b"PK\x01\x02")  # the first entry, mimetype, in the directory
    data[central + 8] |= 0x01
    return bytes(data)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


ACCEPTED_FILES = [
    ("report.pdf", pdf_bytes, "pdf", "application/pdf"),
    (
        "plan.docx",
        docx_bytes,
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "costs.xlsx",
        xlsx_bytes,
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("minutes.odt", odt_bytes, "odt", "application/vnd.oasis.opendocument.text"),
    ("photo.png", lambda: image_bytes("PNG"), "png", "image/png"),
    ("photo.jpeg", lambda: image_bytes("JPEG"), "jpg", "image/jpeg"),
    ("old-form.doc", doc_bytes, "doc", "application/msword"),
]

REFUSED_FILES = [
    pytest.param("notes.pdf", b"Just some text, not a PDF at all.\n" * 20, id="text-named-pdf"),
    pytest.param("report.docx", b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 2048, id="exe-named-docx"),
    pytest.param("report.docx", _zip(("readme.txt", b"x" * 100)), id="plain-zip-named-docx"),
    pytest.param(
        "minutes.odt",
        odt_bytes(b"application/vnd.oasis.opendocument.spreadsheet"),
        id="ods-named-odt",
    ),
    pytest.param("minutes.odt", encrypted_odt_bytes(), id="encrypted-zip"),
    pytest.param("page.pdf", b"<html><script>alert(1)</script></html>", id="html-named-pdf"),
]


# Bookings ---------------------------------------------------------------------------------


def make_booking(
    panel, *, social_worker, request_type: str = "Matching", team=None, booked_by=None
) -> Booking:
    """A booking into the panel's first meeting in February 2027 (Somerset's is on
    MEETING_DATE); call with today before it."""
    if not panel.meetings.exists():
        services.meetings_schedule(panel=panel, start=date(2027, 1, 1), end=date(2027, 2, 28))
    meeting = panel.meetings.filter(date__gte=date(2027, 2, 1)).order_by("date").first()
    return BookingFactory(
        meeting=meeting,
        child__social_worker=social_worker,
        child__team=team or social_worker.team,
        request=request_type,
        reason="To agree the plan",
        booked_by=booked_by or UserFactory(roles=[Role.ADMINISTRATOR]),
    )


def requirement(booking: Booking, name: str) -> DocumentRequirement:
    return selectors.documents_required(booking).get(name=name)


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime(2027, 1, 18, 9, tzinfo=LONDON), tick=False)
    return date(2027, 1, 18)


@pytest.fixture
def booking(today, social_worker):
    return make_booking(PanelFactory(preset="somerset"), social_worker=social_worker)


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


# What a file is ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "make", "extension", "content_type"), ACCEPTED_FILES)
def test_identify_reads_the_content_and_leaves_the_file_at_its_start(
    name, make, extension, content_type
):
    file = upload(name, make())
    file.read(10)
    kind = uploads.identify(file)
    assert (kind.extension, kind.content_type) == (extension, content_type)
    assert file.tell() == 0


@pytest.mark.parametrize(("name", "content"), REFUSED_FILES)
def test_identify_refuses_what_the_name_does_not_make_true(name, content):
    assert uploads.identify(upload(name, content)) is None


def test_identify_reads_only_the_start_of_an_odt_mimetype_entry():
    # 64 MB of spaces compress to a few dozen KB: reading the entry whole was a zip bomb.
    bomb = _zip(("mimetype", b"application/vnd.oasis.opendocument.text" + b" " * 64_000_000))
    assert len(bomb) < 1_000_000
    file = upload("bomb.odt", bomb)
    tracemalloc.start()
    try:
        kind = uploads.identify(file)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert kind.extension == "odt"
    assert peak < 8_000_000


# Uploading --------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "make", "extension", "content_type"), ACCEPTED_FILES)
def test_each_accepted_kind_is_stored_under_a_name_panel_chose(
    booking, social_worker, tmp_path, name, make, extension, content_type
):
    content = make()
    document = services.document_upload(
        booking=booking,
        requirement=requirement(booking, "CLA Review Outcomes"),
        upload=upload(name, content),
        by=social_worker,
    )
    document.refresh_from_db()
    assert document.original_name == name
    assert (document.extension, document.content_type) == (extension, content_type)
    assert document.size == len(content)
    assert document.uploaded_by == social_worker
    assert document.file.name.startswith(f"bookings/{booking.pk}/")
    assert document.file.name.endswith(f".{extension}")
    assert Path(name).stem not in document.file.name
    assert stored_files(tmp_path / "submissions") == [tmp_path / "submissions" / document.file.name]
    with document.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("sent_name", "label"),
    [("../../etc/passwd.pdf", "passwd.pdf"), ("..\\..\\Windows\\win.ini.pdf", "win.ini.pdf")],
)
def test_the_uploaded_name_is_a_label_never_a_path(
    booking, social_worker, tmp_path, sent_name, label
):
    file = upload("x.pdf", pdf_bytes())
    file._name = sent_name  # as a hostile client could send it, past Django's own clean-up
    document = services.document_upload(
        booking=booking, requirement=None, upload=file, by=social_worker
    )
    assert document.original_name == label
    assert ".." not in document.file.name
    assert "passwd" not in document.file.name and "win" not in document.file.name
    root = (tmp_path / "submissions").resolve()
    assert Path(document.file.path).resolve().is_relative_to(root)
    assert not (tmp_path / "etc").exists()


@pytest.mark.parametrize(("name", "content"), REFUSED_FILES)
def test_a_file_of_the_wrong_kind_is_refused_and_nothing_is_stored(
    booking, social_worker, tmp_path, name, content
):
    with pytest.raises(ValidationError) as refused:
        services.document_upload(
            booking=booking, requirement=None, upload=upload(name, content), by=social_worker
        )
    assert refused.value.message_dict == {"file": [f"“{name}” {NOT_ACCEPTED}"]}
    assert not SubmissionDocument.objects.exists()
    assert stored_files(tmp_path / "submissions") == []


def test_a_file_over_the_limit_is_refused(booking, social_worker, settings, tmp_path):
    settings.SUBMISSION_MAX_UPLOAD_MB = 1
    content = pdf_bytes().ljust(int(1.1 * 1024 * 1024), b"\n")
    with pytest.raises(ValidationError) as refused:
        services.document_upload(
            booking=booking, requirement=None, upload=upload("big.pdf", content), by=social_worker
        )
    assert refused.value.message_dict == {
        "file": ["“big.pdf” is 1.1 MB. Files must be 1 MB or smaller."]
    }
    assert not SubmissionDocument.objects.exists()
    assert stored_files(tmp_path / "submissions") == []


def test_an_empty_file_is_refused(booking, social_worker):
    with pytest.raises(ValidationError) as refused:
        services.document_upload(
            booking=booking, requirement=None, upload=upload("empty.pdf", b""), by=social_worker
        )
    assert refused.value.message_dict == {"file": ["“empty.pdf” is empty."]}
    assert not SubmissionDocument.objects.exists()


def test_a_document_for_another_request_type_is_refused(booking, social_worker):
    staying_put = DocumentRequirement.objects.get(
        panel=booking.panel, name="Request for Approval for Staying Put Arrangement"
    )
    with pytest.raises(ValidationError) as refused:
        services.document_upload(
            booking=booking,
            requirement=staying_put,
            upload=upload("a.pdf", pdf_bytes()),
            by=social_worker,
        )
    assert refused.value.messages == ["The panel does not ask for that document for this request."]


def test_replacing_a_document_keeps_the_earlier_version(booking, social_worker, time_machine):
    care_plan = requirement(booking, "Child/Young Person's Care Plan")
    first = services.document_upload(
        booking=booking,
        requirement=care_plan,
        upload=upload("v1.pdf", pdf_bytes()),
        by=social_worker,
    )
    time_machine.shift(3600)
    second = services.document_upload(
        booking=booking,
        requirement=care_plan,
        upload=upload("v2.docx", docx_bytes()),
        by=social_worker,
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.replaced_at == second.uploaded_at
    assert second.replaced_at is None
    assert first.file.name != second.file.name
    with first.file.open("rb") as old, second.file.open("rb") as new:
        assert old.read()[:4] == b"%PDF" and new.read()[:2] == b"PK"
    item = next(i for i in selectors.submission_checklist(booking) if i.requirement == care_plan)
    assert item.document == second


def test_other_documents_are_never_replaced(booking, social_worker):
    for name in ("a.pdf", "b.pdf"):
        services.document_upload(
            booking=booking, requirement=None, upload=upload(name, pdf_bytes()), by=social_worker
        )
    assert SubmissionDocument.objects.filter(replaced_at__isnull=True).count() == 2


def test_a_cancelled_booking_takes_no_more_uploads_or_answers(booking, social_worker):
    services.booking_cancel(booking=booking, reason="Plan changed")
    closed = ["This booking is cancelled, so its submission is closed."]
    with pytest.raises(ValidationError) as refused:
        services.document_upload(
            booking=booking, requirement=None, upload=upload("a.pdf", pdf_bytes()), by=social_worker
        )
    assert refused.value.messages == closed
    with pytest.raises(ValidationError) as refused:
        services.submission_save(booking=booking, by=social_worker, ask_of_panel="x")
    assert refused.value.messages == closed


# The checklist and sending to panel -------------------------------------------------------


def test_the_checklist_follows_the_request_type(today, social_worker):
    somerset = PanelFactory(preset="somerset")
    matching = make_booking(somerset, social_worker=social_worker, request_type="Matching")
    items = selectors.submission_checklist(matching)
    assert [item.name for item in items] == ["Panel submission form", *EVERY_REQUEST, *MATCHING]
    assert [item.name for item in items if item.missing] == [
        "Panel submission form",
        *EVERY_REQUEST,
        *(name for name in MATCHING if name != "Foster Carers Form F"),
    ]
    form_f = next(item for item in items if item.name == "Foster Carers Form F")
    assert (form_f.required, form_f.note) == (False, "If completed within the last 2 years")

    connected = make_booking(
        somerset, social_worker=social_worker, request_type="Connected Persons temporary approval"
    )
    assert [item.name for item in selectors.submission_checklist(connected)] == [
        "Panel submission form",
        *EVERY_REQUEST,
    ]

    knowsley = services.panel_preset_load(slug="knowsley").panel
    scrutiny = make_booking(
        knowsley, social_worker=social_worker, request_type="Placement scrutiny"
    )
    assert [item.name for item in selectors.submission_checklist(scrutiny)] == [
        "Panel submission form",
        "Independent Placement Agreement (IPA)",
        "Most recent review minutes",
        "Care Plan",
        "Most recent Single Assessment",
    ]


def test_saving_the_form_keeps_answers_and_it_is_done_only_when_every_answer_is_given(
    booking, social_worker
):
    submission = services.submission_save(
        booking=booking, by=social_worker, reason_for_presentation="  Match  "
    )
    assert submission.reason_for_presentation == "Match"
    assert selectors.submission_checklist(booking)[0].missing
    services.submission_save(booking=booking, by=social_worker, **FORM_ANSWERS)
    assert not selectors.submission_checklist(booking)[0].missing
    with pytest.raises(TypeError):
        services.submission_save(booking=booking, by=social_worker, submitted_at="now")


def complete(booking: Booking, by) -> None:
    """Answer every question and upload every required document."""
    services.submission_save(booking=booking, by=by, **FORM_ANSWERS)
    for item in selectors.submission_checklist(booking):
        if item.requirement and item.required:
            services.document_upload(
                booking=booking,
                requirement=item.requirement,
                upload=upload("doc.pdf", pdf_bytes()),
                by=by,
            )


def test_sending_is_refused_while_anything_required_is_missing(booking, social_worker):
    with pytest.raises(ValidationError) as refused:
        services.submission_submit(booking=booking, by=social_worker)
    assert refused.value.messages == [
        f"Still missing: {name}."
        for name in [
            "Panel submission form",
            *EVERY_REQUEST,
            *(name for name in MATCHING if name != "Foster Carers Form F"),
        ]
    ]
    complete(booking, social_worker)
    # A required document replaced is still there; one never uploaded is still missing.
    care_plan = requirement(booking, "CLA Review Outcomes")
    SubmissionDocument.objects.filter(requirement=care_plan).delete()
    with pytest.raises(ValidationError) as refused:
        services.submission_submit(booking=booking, by=social_worker)
    assert refused.value.messages == ["Still missing: CLA Review Outcomes."]
    booking.refresh_from_db()
    assert booking.submission.submitted_at is None


def test_sending_is_accepted_when_complete_without_the_optional_document(booking, social_worker):
    complete(booking, social_worker)
    submission = services.submission_submit(booking=booking, by=social_worker)
    submission.refresh_from_db()
    assert submission.submitted_at == datetime(2027, 1, 18, 9, tzinfo=LONDON)
    assert submission.submitted_by == social_worker


def test_a_sent_submission_is_not_sent_again(booking, social_worker, time_machine):
    complete(booking, social_worker)
    services.submission_submit(booking=booking, by=social_worker)
    time_machine.move_to(datetime(2027, 2, 1, 9, tzinfo=LONDON), tick=False)
    with pytest.raises(ValidationError) as refused:
        services.submission_submit(booking=booking, by=social_worker)
    assert refused.value.messages == [
        "This submission was sent to panel on Monday 18 January 2027."
    ]
    booking.submission.refresh_from_db()
    assert booking.submission.submitted_at == datetime(2027, 1, 18, 9, tzinfo=LONDON)


# Late submissions -------------------------------------------------------------------------


def test_the_submission_is_due_ten_working_days_before_somerset_meets(booking):
    assert selectors.submission_due_date(booking.meeting) == DUE_DATE


@pytest.mark.parametrize(
    ("sent_on", "late"),
    [(date(2027, 1, 27), False), (DUE_DATE, False), (date(2027, 1, 29), True)],
)
def test_sent_after_the_due_date_is_late(booking, social_worker, time_machine, sent_on, late):
    complete(booking, social_worker)
    time_machine.move_to(datetime.combine(sent_on, datetime.min.time(), LONDON).replace(hour=17))
    services.submission_submit(booking=booking, by=social_worker)
    booking = Booking.objects.get(pk=booking.pk)
    # Once sent, lateness is fixed by when it was sent, not by today.
    assert selectors.submission_is_late(booking, today=date(2027, 2, 10)) is late


def test_sent_late_in_the_evening_of_the_due_date_is_on_time(booking, social_worker, time_machine):
    # 23:30 in London on the due date is the next day in UTC in summer, not in January;
    # the local date counts either way.
    complete(booking, social_worker)
    time_machine.move_to(datetime(2027, 1, 28, 23, 30, tzinfo=LONDON))
    services.submission_submit(booking=booking, by=social_worker)
    assert not selectors.submission_is_late(Booking.objects.get(pk=booking.pk), today=MEETING_DATE)


def test_not_sent_is_late_only_once_the_due_date_has_passed(booking, time_machine):
    time_machine.move_to(datetime(2027, 1, 28, 17, tzinfo=LONDON))
    assert not selectors.submission_is_late(booking, today=DUE_DATE)
    time_machine.move_to(datetime(2027, 1, 29, 9, tzinfo=LONDON))
    assert selectors.submission_is_late(booking, today=date(2027, 1, 29))
