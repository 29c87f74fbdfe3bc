"""The agenda pack: the agenda, then each child's cover sheet, submission form and documents,
merged into one PDF with bookmarks, built by the worker.

A document that cannot go in (no converter, a password, a damaged file, a conversion that
fails or takes too long) becomes a page saying which document and why: one bad file never
fails the pack. Files are read through Django's storage, never assumed to be on this disk.
"""

import contextlib
import io
import logging
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from PIL import Image

from .. import pdfs
from ..models import (
    AgendaPack,
    Booking,
    BookingStatus,
    Meeting,
    PackStatus,
    SubmissionDocument,
)
from ..models.packs import pack_inputs_changed_at
from ..selectors import submission_checklist

if TYPE_CHECKING:
    import pikepdf

logger = logging.getLogger(__name__)

# LibreOffice gets this long for one document; a file that hangs it gets a placeholder.
CONVERSION_TIMEOUT_SECONDS = 120
CONVERTED_BY_LIBREOFFICE = {
    "docx": "Word (DOCX)",
    "doc": "Word 97–2003 (DOC)",
    "odt": "OpenDocument text (ODT)",
    "xlsx": "Excel (XLSX)",
}
IMAGES = {"png", "jpg"}


# What a pack is made of (reads) ------------------------------------------------------------


def pack_bookings(meeting: Meeting) -> list[Booking]:
    """The children booked into the meeting, in running order: by slot time (untimed places
    last), the section's place on the agenda, the slot's number, then when booked."""
    return list(
        meeting.bookings.filter(status=BookingStatus.BOOKED)
        .select_related("child", "slot", "section", "request_type")
        .order_by(
            F("slot__starts_at").asc(nulls_last=True),
            "section__order",
            F("slot__number").asc(nulls_last=True),
            "pk",
        )
    )


def pack_documents(booking: Booking) -> list[SubmissionDocument]:
    """The current version of each uploaded document, in the order of the checklist, then
    any the panel did not ask for, oldest first."""
    listed = [item.document for item in submission_checklist(booking) if item.document]
    seen = {document.pk for document in listed}
    others = (
        booking.documents.filter(replaced_at__isnull=True)
        .exclude(pk__in=seen)
        .select_related("requirement")
        .order_by("uploaded_at", "pk")
    )
    return listed + list(others)


def pack_is_out_of_date(pack: AgendaPack) -> bool:
    """True when anything the pack is made from changed after it was built."""
    return pack.is_out_of_date


def latest_pack(meeting: Meeting) -> AgendaPack | None:
    return meeting.packs.order_by("-requested_at", "-pk").first()


def latest_ready_pack(meeting: Meeting) -> AgendaPack | None:
    return (
        meeting.packs.filter(status=PackStatus.READY)
        .exclude(file="")
        .order_by("-requested_at", "-pk")
        .first()
    )


# Asking for a pack -------------------------------------------------------------------------


@transaction.atomic
def pack_request(*, meeting: Meeting, by) -> AgendaPack:
    """Queue a new pack for the meeting; the worker starts it once this commits. A pack
    already queued or being built is returned instead, so a second click starts nothing."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError("This meeting is cancelled, so it has no agenda pack.")
    working = meeting.packs.filter(status__in=[PackStatus.QUEUED, PackStatus.BUILDING]).first()
    if working is not None:
        return working
    pack = AgendaPack.objects.create(meeting=meeting, requested_by=by)
    transaction.on_commit(lambda: _enqueue(pack.pk))
    return pack


def _enqueue(pack_id: int) -> None:
    from ..tasks import build_agenda_pack  # the tasks module imports this one

    try:
        build_agenda_pack.apply_async(args=[pack_id], retry=False)
    except Exception as error:  # noqa: BLE001 - said on the page, not a server error
        logger.warning("Broker unavailable: agenda pack %s not started", pack_id)
        AgendaPack.objects.filter(pk=pack_id, status=PackStatus.QUEUED).update(
            status=PackStatus.FAILED,
            error=f"The background worker could not be reached ({type(error).__name__}). "
            "Try again in a few minutes.",
            finished_at=timezone.now(),
        )


# Building it -------------------------------------------------------------------------------


class Unusable(Exception):
    """A document that cannot go into the pack; the message says why, in plain words."""


@dataclass
class Part:
    """One child's entry in the outline, with its documents nested under it."""

    title: str
    page: int
    children: list[tuple[str, int]]


def pack_build(pack_id: int) -> AgendaPack | None:
    """Build the pack, saving progress as each document goes in. Returns None when the pack
    is already finished (a task delivered twice)."""
    with transaction.atomic():
        pack = (
            AgendaPack.objects.select_for_update()
            .select_related("meeting__panel")
            .filter(pk=pack_id)
            .first()
        )
        # BUILDING too: with acks_late, a worker lost mid-build hands the task on.
        if pack is None or pack.status not in (PackStatus.QUEUED, PackStatus.BUILDING):
            return None
        pack.status = PackStatus.BUILDING
        pack.started_at = timezone.now()
        # Read before any input is, so a change made during the build shows as a later one.
        pack.built_from = pack_inputs_changed_at(pack.meeting)
        pack.documents_done = 0
        pack.save(update_fields=["status", "started_at", "built_from", "documents_done"])
    try:
        with tempfile.TemporaryDirectory(prefix="agenda-pack-") as folder:
            merged = _assemble(pack, Path(folder))
            with merged.open("rb") as file:
                pack.file.save("pack.pdf", File(file), save=False)
    except Exception as error:
        logger.exception("Agenda pack %s could not be built", pack.pk)
        pack.status = PackStatus.FAILED
        pack.error = f"{type(error).__name__}: {error}"[:2000]
        pack.finished_at = timezone.now()
        pack.save(update_fields=["status", "error", "finished_at"])
        return pack
    pack.status = PackStatus.READY
    pack.error = ""
    pack.finished_at = timezone.now()
    pack.save(update_fields=["status", "error", "finished_at", "file", "documents_done"])
    _remove_older_files(pack)
    return pack


def _remove_older_files(pack: AgendaPack) -> None:
    """Earlier packs' files go once a newer one is ready: each holds every child's papers.
    Their rows stay, with the record of who downloaded them."""
    older = AgendaPack.objects.filter(meeting=pack.meeting_id, pk__lt=pack.pk).exclude(file="")
    for old in older:
        old.file.delete(save=False)
        old.save(update_fields=["file"])


def _assemble(pack: AgendaPack, folder: Path) -> Path:
    meeting = pack.meeting
    plan = [(booking, pack_documents(booking)) for booking in pack_bookings(meeting)]
    pack.documents_total = 1 + sum(2 + len(documents) for _, documents in plan)
    pack.save(update_fields=["documents_total"])

    import pikepdf  # loaded by the worker when it builds a pack, not by every web process

    merged = pikepdf.Pdf.new()
    # Each source stays open until the merged file is written: pikepdf copies its pages'
    # content from the source then, not when the pages are added.
    sources: list[pikepdf.Pdf] = []

    def add(source: "pikepdf.Pdf") -> int:
        first_page = len(merged.pages)
        sources.append(source)
        merged.pages.extend(source.pages)
        pack.documents_done += 1
        pack.save(update_fields=["documents_done"])
        return first_page

    outline = [Part("Agenda", add(_open_bytes(pdfs.agenda_pdf(meeting))), [])]
    for booking, documents in plan:
        cover = add(_open_bytes(pdfs.cover_sheet_pdf(booking)))
        child = Part(_child_title(booking), cover, [("Cover sheet", cover)])
        child.children.append(("Submission form", add(_open_bytes(pdfs.submission_pdf(booking)))))
        for document in documents:
            title = _document_title(document)
            why = None
            try:
                source = _document_pdf(document, folder / f"document-{document.pk}")
            except Unusable as unusable:
                why = str(unusable)
            except Exception:  # noqa: BLE001 - whatever a file does, the pack goes on
                logger.exception("Pack %s: document %s could not be read", pack.pk, document.pk)
                why = "it could not be read"
            if why is not None:
                source = _open_bytes(_placeholder_pdf(booking, document, why))
                title = f"{title} (not included)"
            child.children.append((title, add(source)))
        outline.append(child)

    with merged.open_outline() as bookmarks:
        for part in outline:
            item = pikepdf.OutlineItem(part.title, part.page)
            item.children.extend(pikepdf.OutlineItem(title, page) for title, page in part.children)
            bookmarks.root.append(item)
    merged.docinfo["/Title"] = f"Agenda pack: {meeting}"
    path = folder / "pack.pdf"
    # At least the newest version among its sources, whose features the pages may use.
    merged.save(path, min_version=max(source.pdf_version for source in sources))
    for source in sources:
        source.close()
    return path


def _open_bytes(data: bytes) -> "pikepdf.Pdf":
    import pikepdf

    return pikepdf.open(io.BytesIO(data))


def _child_title(booking: Booking) -> str:
    name = f"{booking.child.full_name} ({booking.child.case_number})"
    if booking.slot_id and booking.slot.starts_at:
        return f"{booking.slot.starts_at:%H:%M} {name}"
    return name


def _document_title(document: SubmissionDocument) -> str:
    if document.requirement_id:
        return document.requirement.name
    return f"Other document: {document.original_name}"


# One uploaded document as a PDF ------------------------------------------------------------


def _document_pdf(document: SubmissionDocument, folder: Path) -> "pikepdf.Pdf":
    """The document as an open PDF, or Unusable saying why it cannot be."""
    folder.mkdir()
    source = folder / f"document.{document.extension}"
    try:
        with document.file.open("rb") as stored, source.open("wb") as local:
            shutil.copyfileobj(stored, local, 1024 * 1024)
    except FileNotFoundError:
        raise Unusable("the file is missing from storage") from None
    if document.extension == "pdf":
        return _open_pdf(source)
    if document.extension in CONVERTED_BY_LIBREOFFICE:
        return _open_pdf(_convert_with_libreoffice(document.extension, source, folder))
    if document.extension in IMAGES:
        return _open_pdf(_image_page(source, folder))
    raise Unusable(f"the pack cannot include .{document.extension} files")


def _open_pdf(path: Path) -> "pikepdf.Pdf":
    import pikepdf

    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise Unusable("it is protected by a password, so it cannot be opened") from None
    except pikepdf.PdfError:
        raise Unusable("the file is damaged and cannot be read as a PDF") from None
    try:
        if not pdf.pages:
            raise Unusable("the PDF has no pages")
        # qpdf copies damaged streams as they are; decoding each page's content finds them
        # here, where the document can still be left out.
        for page in pdf.pages:
            contents = page.obj.get("/Contents")
            streams = contents if isinstance(contents, pikepdf.Array) else [contents]
            for stream in streams:
                if isinstance(stream, pikepdf.Stream):
                    stream.read_bytes()
    except Unusable:
        pdf.close()
        raise
    except (pikepdf.PdfError, pikepdf.DataDecodingError, ValueError, RuntimeError):
        pdf.close()
        raise Unusable("the file is damaged: some of its pages cannot be read") from None
    return pdf


def _convert_with_libreoffice(extension: str, source: Path, folder: Path) -> Path:
    soffice = settings.LIBREOFFICE_PATH
    kind = CONVERTED_BY_LIBREOFFICE[extension]
    if not soffice or not Path(soffice).is_file():
        raise Unusable(f"the server has no converter for {kind} files (LibreOffice)")
    out = folder / "converted"
    # A profile of its own for every run: two conversions never share (or lock) one.
    profile = folder / "libreoffice-profile"
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        str(source),
    ]
    # Its own session, so a timeout ends soffice.bin as well as the script that starts it.
    process = subprocess.Popen(  # noqa: S603 - the configured LibreOffice, our own paths
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "HOME": str(folder)},
    )
    try:
        output, _ = process.communicate(timeout=CONVERSION_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise Unusable(
            f"turning it into a PDF took longer than {CONVERSION_TIMEOUT_SECONDS} seconds"
        ) from None
    except BaseException:
        _kill_group(process)
        raise
    converted = out / f"{source.stem}.pdf"
    if process.returncode != 0 or not converted.is_file():
        logger.warning(
            "LibreOffice could not convert a %s (exit %s): %s",
            extension,
            process.returncode,
            output.decode(errors="replace")[-500:],
        )
        raise Unusable("LibreOffice could not turn it into a PDF; the file may be damaged")
    return converted


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _image_page(source: Path, folder: Path) -> Path:
    """The image fitted to an A4 page, at its own resolution."""
    try:
        with Image.open(source) as image:
            image.verify()  # a damaged or oversized image is refused here, not half-drawn
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Unusable("the image is damaged and cannot be read") from None
    from weasyprint import HTML

    html = (
        "<style>@page { size: A4; margin: 15mm }"
        " body { margin: 0; text-align: center }"
        " img { max-width: 180mm; max-height: 267mm; image-orientation: from-image }</style>"
        f'<img src="{source.name}" alt="">'
    )
    path = folder / "image.pdf"
    HTML(string=html, base_url=str(folder) + "/").write_pdf(path)
    return path


# The pack's own page, in the look of the other PDFs (pdf/base.html): the council, the
# protective marking and the page number on it.
PLACEHOLDER = """{% extends "pdf/base.html" %}
{% block title %}Not included: {{ title }}{% endblock %}
{% block content %}
<p class="caption">{{ child.full_name }} ({{ child.case_number }})</p>
<h1>This document is not included in the pack</h1>
<p class="notice notice--warning">{{ title }}</p>
<table class="facts">
  <tr><th scope="row">File</th><td>{{ document.original_name }}</td></tr>
  <tr><th scope="row">Uploaded</th><td>{{ document.uploaded_at|date:"j F Y" }}</td></tr>
  <tr><th scope="row">Why it is not included</th><td>{{ why }}.</td></tr>
</table>
<p>Open the document from the child's booking page: {{ link }}</p>
{% endblock %}
"""


def _placeholder_pdf(booking: Booking, document: SubmissionDocument, why: str) -> bytes:
    """A page standing in for a document that cannot be included, saying which and why."""
    from weasyprint import HTML

    html = (
        engines["django"]
        .from_string(PLACEHOLDER)
        .render(
            {
                "council_name": settings.COUNCIL_NAME,
                "council_name_css": mark_safe(pdfs.css_string(settings.COUNCIL_NAME)),  # noqa: S308
                "child": booking.child,
                "document": document,
                "title": _document_title(document),
                "why": why[:1].upper() + why[1:],
                "link": settings.SITE_URL + reverse("bookings:detail", args=[booking.pk]),
            }
        )
    )
    return HTML(string=html).write_pdf()
