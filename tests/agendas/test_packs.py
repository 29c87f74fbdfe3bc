"""The agenda pack: the agenda, then each child's cover sheet, submission form and documents,
read back from the merged PDF with its bookmarks; documents that cannot go in; progress;
out of date; and who may build and download it."""

import io
import os
import re
import stat
import subprocess
import tempfile
import time
import zipfile
from datetime import datetime

import openpyxl
import pikepdf
import pytest
import weasyprint
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from agendas import packing, pdfs, selectors, services
from agendas.models import (
    AgendaPack,
    Booking,
    PackDownload,
    PackStatus,
    PanelMembership,
    SubmissionDocument,
)
from agendas.views.packs import pack_filename
from permanence import tasks as permanence_tasks
from permanence.jobs.models import JobState
from permanence.jobs.services import Progress, job_run
from permanence.roles import Role
from tests.days import JANUARY, LONDON
from tests.factories import AgendaPackFactory, UserFactory, book_into_slot

pytestmark = pytest.mark.django_db

FORM = "Permanence Panel Submission form"
SUMMARY = "Case summary"
RECORD = "Record of the last multi-agency Looked After Children care planning meeting"


# Real files -------------------------------------------------------------------------------


def pdf_file(text: str, pages: int = 1) -> bytes:
    body = "".join(
        f"<h1 style='break-before: page'>{text}, page {n}</h1><p>Synthetic test content.</p>"
        for n in range(1, pages + 1)
    )
    return weasyprint.HTML(string=body).write_pdf()


def damaged_pdf() -> bytes:
    whole = pdf_file("Damaged report")
    return whole[: len(whole) // 2]  # cut off in the middle, as a failed upload would be


def encrypted_pdf() -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf_file("Locked report"))) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="x", user="y"))
    return out.getvalue()


def png_file() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), (29, 112, 184)).save(buffer, "PNG")
    return buffer.getvalue()


def _zip(*entries: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, method)
    return buffer.getvalue()


def docx_file(text: str) -> bytes:
    """The smallest Word document LibreOffice opens: the package, its relationship to the
    body, and one paragraph."""
    return _zip(
        (
            "[Content_Types].xml",
            b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            b'2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
            b'openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            b'ContentType="application/xml"/><Override PartName="/word/document.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            b'document.main+xml"/></Types>',
        ),
        (
            "_rels/.rels",
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            b'Target="word/document.xml"/></Relationships>',
        ),
        (
            "word/document.xml",
            b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
            + text.encode()
            + b"</w:t></w:r></w:p></w:body></w:document>",
        ),
    )


def odt_file(text: str) -> bytes:
    return _zip(
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        (
            "content.xml",
            b'<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:'
            b'opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:'
            b'text:1.0" office:version="1.2"><office:body><office:text><text:p>'
            + text.encode()
            + b"</text:p></office:text></office:body></office:document-content>",
        ),
        (
            "META-INF/manifest.xml",
            b'<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
            b'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
            b'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
            b'text"/><manifest:file-entry manifest:full-path="content.xml" '
            b'manifest:media-type="text/xml"/></manifest:manifest>',
        ),
    )


def xlsx_file(text: str) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


KINDS = {
    "pdf": "application/pdf",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def store(booking: Booking, requirement: str | None, name: str, content: bytes, by=None):
    """A document stored as it is, bypassing the upload's check of its content, as a file
    damaged after it was checked would be."""
    extension = name.rsplit(".", 1)[1]
    document = SubmissionDocument(
        booking=booking,
        requirement=(
            booking.panel.document_requirements.get(name=requirement) if requirement else None
        ),
        original_name=name,
        extension=extension,
        content_type=KINDS[extension],
        size=len(content),
        uploaded_by=by,
    )
    document.file.save(name, ContentFile(content), save=True)
    return document


# Reading the pack back --------------------------------------------------------------------


def read(pack: AgendaPack) -> PdfReader:
    with pack.file.open("rb") as file:
        data = file.read()
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def outline(reader: PdfReader) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """The bookmarks as (title, first page, [(title, page) of each nested one])."""
    found = []
    for item in reader.outline:
        if isinstance(item, list):
            found[-1][2].extend(
                (child.title, reader.get_destination_page_number(child)) for child in item
            )
        else:
            found.append((item.title, reader.get_destination_page_number(item), []))
    return found


def page_text(reader: PdfReader, number: int) -> str:
    return " ".join(reader.pages[number].extract_text().split())


# A meeting with children booked ------------------------------------------------------------


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(datetime(2026, 12, 1, 9, tzinfo=LONDON), tick=False)


@pytest.fixture
def byron(meeting, social_worker):
    # Booked first, into the later slot: the pack follows the time, not the booking order.
    booking = book_into_slot(meeting, "Byron Lovelace", 1, social_worker)
    store(booking, FORM, "byron-form.pdf", pdf_file("Byron submission form"))
    return booking


@pytest.fixture
def ada(meeting, social_worker, byron):
    booking = book_into_slot(meeting, "Ada Lovelace", 0, social_worker)
    services.submission_save(
        booking=booking, by=social_worker, reason_for_presentation="Ada is new to care"
    )
    store(booking, RECORD, "record.pdf", damaged_pdf())
    store(booking, SUMMARY, "summary-photo.png", png_file())
    store(booking, FORM, "ada-form.pdf", pdf_file("Ada submission form", pages=3))
    store(booking, None, "locked.pdf", encrypted_pdf())
    return booking


def build(meeting, by=None) -> AgendaPack:
    """Ask for a pack and run its job as the worker does (permanence.tasks.run_job)."""
    pack = AgendaPackFactory(meeting=meeting, job__state=JobState.QUEUED, job__requested_by=by)
    job_run(pack.job_id)
    pack.refresh_from_db()
    return pack


# What is in the pack ----------------------------------------------------------------------


def test_the_pack_is_the_agenda_then_each_child_in_running_order_with_bookmarks(
    meeting, ada, byron
):
    pack = build(meeting)
    assert pack.status == PackStatus.READY, pack.error
    reader = read(pack)
    found = outline(reader)

    # The agenda first, then Ada at 09:30 before Byron at 09:50.
    assert [(title, page) for title, page, _ in found] == [
        ("Agenda", 0),
        (f"09:30 Ada Lovelace ({ada.child.case_number})", found[1][1]),
        (f"09:50 Byron Lovelace ({byron.child.case_number})", found[2][1]),
    ]
    assert "Permanence panel agenda" in page_text(reader, 0)
    # Ada's documents in the order of the checklist, then the one panel did not ask for.
    assert [title for title, _ in found[1][2]] == [
        "Cover sheet",
        "Submission form",
        FORM,
        SUMMARY,
        f"{RECORD} (not included)",
        "Other document: locked.pdf (not included)",
    ]
    assert [title for title, _ in found[2][2]] == ["Cover sheet", "Submission form", FORM]

    ada_pages = dict(found[1][2])
    assert found[1][1] == ada_pages["Cover sheet"] > 0
    assert "Cover sheet: Ada Lovelace" in page_text(reader, ada_pages["Cover sheet"])
    assert "Ada is new to care" in page_text(reader, ada_pages["Submission form"])
    # Every page of Ada's three-page form, in its place.
    for n in range(3):
        assert f"Ada submission form, page {n + 1}" in page_text(reader, ada_pages[FORM] + n)
    assert ada_pages[SUMMARY] == ada_pages[FORM] + 3
    assert "/XObject" in reader.pages[ada_pages[SUMMARY]]["/Resources"]  # the photo
    assert [round(float(side)) for side in reader.pages[ada_pages[SUMMARY]].mediabox[2:]] == [
        595,
        842,
    ]  # A4

    damaged = page_text(reader, ada_pages[f"{RECORD} (not included)"])
    assert "This document is not included in the pack" in damaged
    assert RECORD in damaged and "record.pdf" in damaged
    assert "The file is damaged" in damaged
    locked = page_text(reader, ada_pages["Other document: locked.pdf (not included)"])
    assert "Other document: locked.pdf" in locked
    assert "protected by a password" in locked

    byron_pages = dict(found[2][2])
    assert "Cover sheet: Byron Lovelace" in page_text(reader, byron_pages["Cover sheet"])
    assert "Byron submission form, page 1" in page_text(reader, byron_pages[FORM])
    assert len(reader.pages) == byron_pages[FORM] + 1


# Every page: the council, the marking and its number in the whole pack ----------------------

NUMBER = re.compile(r"Page (\d+) of (\d+)")
MM = 72 / 25.4


def test_every_page_has_the_marking_and_its_number_in_the_whole_pack(meeting, ada, byron, settings):
    reader = read(build(meeting))
    total = len(reader.pages)
    for index in range(total):
        text = page_text(reader, index)
        # Once each: a part's own header and footer are not printed under the stamp.
        assert NUMBER.findall(text) == [(str(index + 1), str(total))], (index, text)
        assert text.count("OFFICIAL-SENSITIVE") == 2, (index, text)  # top right, bottom centre
        assert text.count(settings.COUNCIL_NAME) == 1, (index, text)

    ada_pages = dict(outline(reader)[1][2])
    cover = page_text(reader, ada_pages["Cover sheet"])
    assert "Cover sheet: Ada Lovelace" in cover
    assert f"Page {ada_pages['Cover sheet'] + 1} of {total}" in cover
    assert "Page 1 of 1 " not in cover + " "  # its own count, one page, is gone
    # The pages of an uploaded PDF and of an uploaded photo carry them too.
    for page in (ada_pages[FORM], ada_pages[FORM] + 1, ada_pages[FORM] + 2, ada_pages[SUMMARY]):
        text = page_text(reader, page)
        assert f"Page {page + 1} of {total}" in text and "OFFICIAL-SENSITIVE" in text


def pages_of_other_shapes() -> bytes:
    """A landscape A4 page, a US-letter page, and a page turned by /Rotate."""
    html = (
        "<style>@page { size: A4 landscape } @page letter { size: letter }"
        " .letter { page: letter } div + div { break-before: page }</style>"
        "<div>Landscape spreadsheet</div><div class=letter>Letter page</div>"
        "<div>Turned page</div>"
    )
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(weasyprint.HTML(string=html).write_pdf())) as pdf:
        pdf.pages[2].rotate(90, relative=True)
        pdf.save(out)
    return out.getvalue()


def seen(page: pikepdf.Page, x: float, y: float) -> tuple[float, float]:
    """A point in the page's coordinates, on the page as it is seen (after /Rotate)."""
    x0, y0, x1, y1 = (float(value) for value in page.cropbox)
    x, y, width, height = x - x0, y - y0, x1 - x0, y1 - y0
    return {0: (x, y), 90: (y, width - x), 180: (width - x, height - y), 270: (height - y, x)}[
        page.rotation % 360
    ]


def stamp_boxes(page: pikepdf.Page) -> list[tuple[float, float, float, float, float, float]]:
    """The stamp's boxes in the order drawn, on the page as seen: left, bottom, right, top in
    mm from its bottom left corner, then the scale across and the slant of the box's width."""
    boxes, matrix = [], pikepdf.Matrix()
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "cm":
            matrix = pikepdf.Matrix(*(float(value) for value in operands))
        elif str(operator) == "Do" and str(operands[0]).startswith("/PackStamp"):
            form = page.obj.Resources.XObject[operands[0]]
            own = (float(value) for value in form.get("/Matrix", [1, 0, 0, 1, 0, 0]))
            whole = pikepdf.Matrix(*own) @ matrix
            left, bottom, right, top = (float(value) for value in form.BBox)
            corners = [
                seen(page, *whole.transform((x, y))) for x, y in ((left, bottom), (right, top))
            ]
            (ax, ay), (bx, by) = corners
            across = seen(page, *whole.transform((right, bottom)))
            boxes.append(
                (
                    min(ax, bx) / MM,
                    min(ay, by) / MM,
                    max(ax, bx) / MM,
                    max(ay, by) / MM,
                    (across[0] - ax) / (right - left),
                    across[1] - ay,
                )
            )
    return boxes


def test_landscape_letter_and_turned_pages_get_the_stamp_upright_in_their_margins(meeting, byron):
    store(byron, SUMMARY, "shapes.pdf", pages_of_other_shapes())
    reader = read(build(meeting))
    first = dict(outline(reader)[-1][2])[SUMMARY]
    total = len(reader.pages)
    with pikepdf.open(io.BytesIO(reader.stream.getvalue())) as pdf:
        for index, (width, height) in zip(
            range(first, first + 3), [(297, 210), (215.9, 279.4), (210, 297)], strict=True
        ):
            assert f"Page {index + 1} of {total}" in page_text(reader, index)
            council, top, bottom, number = stamp_boxes(pdf.pages[index])
            for box in (council, top, bottom, number):
                assert box[4] == pytest.approx(1, abs=0.001), box  # its own size, not stretched
                assert box[5] == pytest.approx(0, abs=0.01), box  # upright
            # In the outer 12 mm of the page as it is seen.
            for box in (council, top):
                assert height - 12 <= box[1] < box[3] <= height - 3
            for box in (bottom, number):
                assert 3 <= box[1] < box[3] <= 12
            assert council[0] == pytest.approx(12, abs=0.1)
            assert top[2] == number[2] == pytest.approx(width - 12, abs=0.1)
            assert (bottom[0] + bottom[2]) / 2 == pytest.approx(width / 2, abs=0.1)


def test_progress_counts_every_part_and_is_saved_as_the_build_goes(
    meeting, ada, byron, monkeypatch
):
    seen = []
    cover_sheet = pdfs.cover_sheet_pdf

    def watched(booking, **options):
        # What another request (the browser's poll) reads mid-build: the job's progress,
        # from the cache while it runs.
        pack = selectors.latest_pack(meeting)
        seen.append((pack.documents_done, pack.documents_total))
        return cover_sheet(booking, **options)

    monkeypatch.setattr(pdfs, "cover_sheet_pdf", watched)
    monkeypatch.setattr(Progress, "EVERY_SECONDS", 0)  # every document, not every ¼ second
    pack = build(meeting)
    # The agenda, then for each child a cover sheet, the form and each document.
    total = 1 + (2 + 4) + (2 + 1)
    assert seen == [(1, total), (1 + 6, total)]
    assert (pack.documents_done, pack.documents_total) == (total, total)
    assert pack.progress_label == f"{total} of {total} documents"
    assert pack.file.name.startswith(f"packs/{meeting.pk}/")
    assert pack.started_at and pack.finished_at and pack.built_from
    assert pack.error == ""


def test_an_empty_meeting_has_a_pack_of_just_the_agenda(meeting):
    pack = build(meeting)
    reader = read(pack)
    assert outline(reader) == [("Agenda", 0, [])]
    assert (pack.documents_done, pack.documents_total) == (1, 1)


def test_a_cancelled_booking_and_replaced_versions_are_left_out(meeting, ada, byron, time_machine):
    time_machine.shift(60)
    ada.documents.filter(original_name="ada-form.pdf").update(replaced_at=datetime.now(LONDON))
    store(ada, FORM, "ada-form-v2.pdf", pdf_file("Ada second version"))
    services.booking_cancel(booking=byron, reason="Moved to February")
    reader = read(build(meeting))
    found = outline(reader)
    assert [title for title, _, _ in found] == [
        "Agenda",
        f"09:30 Ada Lovelace ({ada.child.case_number})",
    ]
    form_page = dict(found[1][2])[FORM]
    assert "Ada second version" in page_text(reader, form_page)
    assert "Ada submission form" not in " ".join(p.extract_text() for p in reader.pages)


# Documents that cannot go in ----------------------------------------------------------------


def placeholder_for(meeting, name: str) -> str:
    reader = read(build(meeting))
    titles = dict(outline(reader)[-1][2])
    page = next(page for title, page in titles.items() if name in title)
    return page_text(reader, page)


@pytest.fixture
def clara(meeting, social_worker):
    return book_into_slot(meeting, "Clara Lovelace", 2, social_worker)


def test_without_libreoffice_a_word_document_is_a_page_saying_so(meeting, clara, settings):
    settings.LIBREOFFICE_PATH = ""
    store(clara, SUMMARY, "summary.docx", docx_file("Clara case summary"))
    text = placeholder_for(meeting, SUMMARY)
    assert "summary.docx" in text
    assert "The server has no converter for Word (DOCX) files (LibreOffice)" in text


def fake_soffice(tmp_path, script: str) -> str:
    path = tmp_path / "soffice"
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_a_conversion_that_hangs_is_stopped_and_said(meeting, clara, settings, tmp_path):
    marker = tmp_path / "still-running"
    settings.LIBREOFFICE_PATH = fake_soffice(tmp_path, f"sleep 30; touch {marker}")
    settings.LIBREOFFICE_TIMEOUT_SECONDS = 1
    store(clara, SUMMARY, "summary.odt", odt_file("Clara"))
    started = time.monotonic()
    text = placeholder_for(meeting, SUMMARY)
    assert time.monotonic() - started < 15
    assert "Turning it into a PDF took longer than 1 seconds" in text
    time.sleep(0.2)
    assert not marker.exists()  # the whole process group was ended, not just the shell


def test_a_conversion_that_fails_is_said(meeting, clara, settings, tmp_path):
    settings.LIBREOFFICE_PATH = fake_soffice(
        tmp_path, "echo 'Error: source file could not be loaded'; exit 1"
    )
    store(clara, SUMMARY, "summary.xlsx", xlsx_file("Clara"))
    text = placeholder_for(meeting, SUMMARY)
    assert "LibreOffice could not turn it into a PDF; the file may be damaged" in text


def test_a_file_missing_from_storage_or_a_damaged_image_is_a_page_saying_so(meeting, clara):
    missing = store(clara, SUMMARY, "summary.pdf", pdf_file("Clara"))
    missing.file.storage.delete(missing.file.name)
    store(clara, RECORD, "record.png", png_file()[:200])
    reader = read(build(meeting))
    titles = dict(outline(reader)[-1][2])
    assert "The file is missing from storage" in page_text(
        reader, titles[f"{SUMMARY} (not included)"]
    )
    assert "The image is damaged" in page_text(reader, titles[f"{RECORD} (not included)"])


def test_whatever_else_goes_wrong_with_one_document_the_pack_goes_on(meeting, clara, monkeypatch):
    def broken(source, folder):
        raise ValueError("a bug in reading images")

    monkeypatch.setattr(packing, "image_page", broken)
    store(clara, SUMMARY, "photo.png", png_file())
    store(clara, RECORD, "record.pdf", pdf_file("Clara record"))
    reader = read(build(meeting))
    titles = dict(outline(reader)[-1][2])
    assert "It could not be read" in page_text(reader, titles[f"{SUMMARY} (not included)"])
    assert "Clara record" in page_text(reader, titles[RECORD])


@pytest.mark.libreoffice
def test_word_opendocument_and_excel_documents_are_converted_by_libreoffice(meeting, clara):
    store(clara, FORM, "form.docx", docx_file("Clara form written in Word"))
    store(clara, SUMMARY, "summary.odt", odt_file("Clara summary in OpenDocument"))
    store(clara, None, "costs.xlsx", xlsx_file("Clara costs in Excel"))
    reader = read(build(meeting))
    titles = dict(outline(reader)[-1][2])
    assert list(titles) == [
        "Cover sheet",
        "Submission form",
        FORM,
        SUMMARY,
        "Other document: costs.xlsx",
    ]
    assert "Clara form written in Word" in page_text(reader, titles[FORM])
    assert "Clara summary in OpenDocument" in page_text(reader, titles[SUMMARY])
    assert "Clara costs in Excel" in page_text(reader, titles["Other document: costs.xlsx"])
    # Each run had a profile of its own, in the build's folder, gone with it.
    assert not any(name.startswith("agenda-pack-") for name in os.listdir(tempfile.gettempdir()))


@pytest.mark.libreoffice
def test_a_real_word_97_document_passes_the_upload_check_and_is_converted(
    meeting, clara, settings, tmp_path
):
    """A .doc written by Word 97–2003's format (here by LibreOffice, from a DOCX) is
    recognised by its content at upload, and its text reaches the pack."""
    source = tmp_path / "statement.docx"
    source.write_bytes(docx_file("Clara statement saved as Word 97"))
    subprocess.run(  # noqa: S603 - the configured LibreOffice, on a file the test made
        [
            settings.LIBREOFFICE_PATH,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    upload = SimpleUploadedFile("statement.doc", (tmp_path / "statement.doc").read_bytes())
    document = services.document_upload(
        booking=clara,
        requirement=clara.panel.document_requirements.get(name=FORM),
        upload=upload,
        by=None,
    )
    assert (document.extension, document.content_type) == ("doc", "application/msword")
    reader = read(build(meeting))
    titles = dict(outline(reader)[-1][2])
    assert "Clara statement saved as Word 97" in page_text(reader, titles[FORM])


def test_a_pack_that_cannot_be_built_says_why_and_can_be_built_again(meeting, monkeypatch):
    def broken(meeting, **options):
        raise RuntimeError("the agenda template is missing")

    monkeypatch.setattr(pdfs, "agenda_pdf", broken)
    pack = build(meeting)
    assert pack.status == PackStatus.FAILED
    assert pack.error.startswith("Something went wrong (RuntimeError), so this stopped.")
    assert not pack.file
    assert pack.finished_at is not None


# Asking for it, and the task ------------------------------------------------------------------


def test_requesting_a_pack_builds_it_once_the_request_commits(
    meeting, ada, django_capture_on_commit_callbacks
):
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pack = services.pack_request(meeting=meeting, by=admin)
        assert services.pack_request(meeting=meeting, by=admin) == pack  # no second build
    assert AgendaPack.objects.get().status == PackStatus.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()  # the eager task runs the build here
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY
    assert pack.requested_by == admin


def test_the_task_delivered_twice_builds_once(meeting):
    pack = AgendaPackFactory(meeting=meeting, job__state=JobState.QUEUED)
    permanence_tasks.run_job.delay(pack.job_id)
    pack.refresh_from_db()
    first = (pack.file.name, pack.finished_at)
    assert pack.status == PackStatus.READY
    assert job_run(pack.job_id) is None
    pack.refresh_from_db()
    assert (pack.file.name, pack.finished_at) == first


def test_with_the_broker_down_the_pack_says_so(
    meeting, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(permanence_tasks.run_job, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        pack = services.pack_request(meeting=meeting, by=None)
    pack.refresh_from_db()
    assert pack.status == PackStatus.FAILED
    assert "The background worker could not be reached" in pack.error


def test_a_newer_pack_replaces_the_older_ones_file(meeting, time_machine):
    first = build(meeting)
    path = first.file.name
    time_machine.shift(60)
    second = build(meeting)
    first.refresh_from_db()
    assert not first.file
    assert not second.file.storage.exists(path)
    assert second.file.storage.exists(second.file.name)


# Out of date ----------------------------------------------------------------------------------


def test_a_pack_is_out_of_date_once_a_document_is_uploaded_after_it(
    meeting, ada, social_worker, time_machine
):
    pack = build(meeting)
    assert not AgendaPack.objects.get(pk=pack.pk).is_out_of_date
    time_machine.shift(60)
    services.document_upload(
        booking=ada,
        requirement=ada.panel.document_requirements.get(name=RECORD),
        upload=ContentFile(pdf_file("Record, uploaded again"), name="record.pdf"),
        by=social_worker,
    )
    assert AgendaPack.objects.get(pk=pack.pk).is_out_of_date


@pytest.mark.parametrize("change", ["submission", "agenda"])
def test_a_pack_is_out_of_date_once_the_form_or_the_agenda_changes(
    meeting, ada, social_worker, time_machine, change
):
    pack = build(meeting)
    time_machine.shift(60)
    if change == "submission":
        services.submission_save(booking=ada, by=social_worker, current_plan="Adoption")
    else:
        book_into_slot(meeting, "Dora Lovelace", 3, social_worker)
    assert AgendaPack.objects.get(pk=pack.pk).is_out_of_date
    assert selectors.pack_is_out_of_date(AgendaPack.objects.get(pk=pack.pk))


# The meeting page and who may download -------------------------------------------------------


def urls(meeting) -> dict[str, str]:
    args = [meeting.panel.slug, meeting.pk]
    return {
        name: reverse(f"agendas:{name}", args=args)
        for name in ("meeting", "pack-build", "pack-status", "pack-download")
    }


def test_an_administrator_builds_the_pack_and_the_page_offers_it(
    client, meeting, ada, django_capture_on_commit_callbacks
):
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    client.force_login(admin)
    page = client.get(urls(meeting)["meeting"]).content.decode()
    assert "Build the agenda pack" in page
    assert "pack-progress.js" not in page  # nothing to follow yet
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(urls(meeting)["pack-build"])
    assert response.status_code == 302
    assert response.url == urls(meeting)["meeting"] + "#agenda-pack"
    # The test runs the commit's callbacks after the view; eager in production, the build
    # runs inside the request, and the view says it is ready.
    page = client.get(response.url).content.decode()
    assert 'data-status="ready"' in page
    assert "<progress" in page and 'max="10" value="10"' in page
    assert "10 of 10 documents" in page
    assert "Download the agenda pack (PDF)" in page
    assert "Build it again" in page
    assert "Out of date" not in page
    status = client.get(urls(meeting)["pack-status"]).json()
    assert status == {
        "status": "ready",
        "status_label": "Ready",
        "documents_done": 10,
        "documents_total": 10,
        "label": "10 of 10 documents",
        "error": "",
        "download_url": urls(meeting)["pack-download"],
        "out_of_date": False,
    }


def test_while_building_the_page_shows_progress_without_javascript(client, meeting):
    AgendaPackFactory(meeting=meeting, job__state=JobState.RUNNING, job__done=12, job__total=60)
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))
    page = client.get(urls(meeting)["meeting"]).content.decode()
    assert 'max="60" value="12"' in page
    assert 'for="agenda-pack-progress" data-pack-label>12 of 60 documents</label>' in page
    assert "Refresh the page to see how far it has got." in page
    assert 'src="/static/js/pack-progress.js"' in page
    assert "data-pack-build hidden" in page  # no second build while one runs


def test_an_out_of_date_pack_says_so_and_offers_to_build_it_again(
    client, meeting, ada, social_worker, time_machine
):
    build(meeting)
    time_machine.shift(60)
    services.submission_save(booking=ada, by=social_worker, current_plan="Adoption")
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))
    page = client.get(urls(meeting)["meeting"]).content.decode()
    assert "Out of date" in page
    assert "Build it again" in page
    assert client.get(urls(meeting)["pack-status"]).json()["out_of_date"] is True


def download(client, meeting):
    response = client.get(urls(meeting)["pack-download"])
    if response.status_code == 200:
        response.body = b"".join(response.streaming_content)
    return response


def test_administrators_members_and_the_chair_download_and_each_download_is_recorded(
    client, meeting, ada
):
    pack = build(meeting)
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    member = UserFactory(roles=[Role.PANEL_MEMBER])
    PanelMembership.objects.create(panel=meeting.panel, role_on_panel="Health", user=member)
    chair = UserFactory(roles=[Role.CHAIR])
    meeting.panel.chair = chair
    meeting.panel.save()
    for person in (admin, member, chair):
        client.force_login(person)
        response = download(client, meeting)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="agenda-pack-lancashire-{JANUARY:%Y-%m-%d}.pdf"'
        )
        assert response["Cache-Control"] == "private, no-store"
        assert response.body.startswith(b"%PDF-")
    assert pack_filename(meeting) == "agenda-pack-lancashire-2027-01-13.pdf"
    assert list(PackDownload.objects.order_by("pk").values_list("pack", "user")) == [
        (pack.pk, person.pk) for person in (admin, member, chair)
    ]


def test_a_senior_manager_reads_the_meeting_but_may_not_download_its_pack(client, meeting, ada):
    """README, Roles: senior managers oversee every panel, but the pack's papers are for the
    panel that hears them (issue 14)."""
    build(meeting)
    client.force_login(UserFactory(roles=[Role.SENIOR_MANAGER]))
    page = client.get(urls(meeting)["meeting"]).content.decode()
    assert "The agenda pack is ready for the panel's chair and members" in page
    assert urls(meeting)["pack-download"] not in page
    assert client.get(urls(meeting)["pack-status"]).json()["download_url"] == ""
    assert download(client, meeting).status_code == 403
    assert not PackDownload.objects.exists()


def test_a_social_worker_cannot_download_or_build_even_with_a_child_in_it(
    client, meeting, ada, social_worker
):
    build(meeting)
    client.force_login(social_worker)  # Ada's own social worker
    # Issue 11: refused in plain words (403) rather than a bare 404.
    assert client.get(urls(meeting)["pack-download"]).status_code == 403
    assert client.get(urls(meeting)["pack-status"]).status_code == 403
    assert client.post(urls(meeting)["pack-build"]).status_code == 403
    assert not PackDownload.objects.exists()
    assert AgendaPack.objects.count() == 1


def test_a_member_may_not_build_and_a_pack_not_ready_is_not_offered(client, meeting):
    member = UserFactory(roles=[Role.PANEL_MEMBER])
    PanelMembership.objects.create(panel=meeting.panel, role_on_panel="Health", user=member)
    client.force_login(member)
    assert client.post(urls(meeting)["pack-build"]).status_code == 403
    assert "Build the agenda pack" not in client.get(urls(meeting)["meeting"]).content.decode()
    AgendaPackFactory(meeting=meeting, job__state=JobState.RUNNING, job__total=3)
    assert client.get(urls(meeting)["pack-download"]).status_code == 404
    assert client.get(urls(meeting)["pack-status"]).json()["status"] == "building"


# A real worker ----------------------------------------------------------------------------


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_pack_from_the_broker(meeting, ada):
    from celery.contrib.testing.worker import start_worker

    from permanence.celery import app

    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            pack = services.pack_request(meeting=meeting, by=None)  # commits: no atomic block
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                pack.refresh_from_db()
                if not pack.is_working:
                    break
                time.sleep(0.2)
    finally:
        app.conf.task_always_eager = True
    assert pack.status == PackStatus.READY, pack.error
    assert pack.documents_done == pack.documents_total == 1 + 6 + 3
    assert read(pack).pages
