"""The agenda pack: the agenda, then each child's cover sheet, submission form and documents,
merged into one PDF with bookmarks, built by the worker.

A document that cannot go in (no converter, a password, a damaged file, a conversion that
fails or takes too long) becomes a page saying which document and why: one bad file never
fails the pack. Every page is stamped with the council, the protective marking and "Page x
of y" over the whole pack. The PDF work is in agendas/packing.py; this module reads the
database and records the build's progress.
"""

import logging
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from permanence.jobs.models import FINISHED
from permanence.jobs.services import job_start, jobs_stalled_fail

from .. import packing, pdfs
from ..models import AgendaPack, Booking, Meeting, PackDownload, SubmissionDocument
from ..packing import Part, Unusable, open_bytes
from ..selectors import bookings_in_running_order, pack_documents, pack_inputs_changed_at

if TYPE_CHECKING:
    import pikepdf

logger = logging.getLogger(__name__)


# Asking for a pack -------------------------------------------------------------------------

# The pack's kind of background job (agendas/jobs.py).
PACK_JOB = "agendas.pack"
STEP = "Documents"


@transaction.atomic
def pack_request(*, meeting: Meeting, by) -> AgendaPack:
    """Queue a new pack for the meeting; the worker starts it once this commits. A pack
    already queued or being built is returned instead, so a second click starts nothing.
    A build whose worker died is failed first, with the reason, so a new one starts."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError("This meeting is cancelled, so it has no agenda pack.")
    jobs_stalled_fail()
    working = (
        meeting.packs.select_related("job").exclude(job__state__in=FINISHED).order_by("pk").first()
    )
    if working is not None:
        return working
    job = job_start(kind=PACK_JOB, by=by)
    return AgendaPack.objects.create(meeting=meeting, job=job)


def pack_download_record(*, pack: AgendaPack, by) -> PackDownload:
    """Note who took a copy of the pack: it holds every child's papers."""
    return PackDownload.objects.create(pack=pack, user=by)


# Building it (the job's work: permanence/jobs runs it, moves its state, keeps its
# progress and says why it failed) ------------------------------------------------------------


def pack_build(job, progress) -> dict:
    """Build the job's pack, reporting each document as it goes in. A task delivered again
    after its worker was lost starts the build over."""
    pack = AgendaPack.objects.select_related("meeting__panel").get(job=job)
    # Read before any input is, so a change made during the build shows as a later one.
    pack.built_from = pack_inputs_changed_at(pack.meeting)
    pack.save(update_fields=["built_from"])
    try:
        with tempfile.TemporaryDirectory(prefix="agenda-pack-") as folder:
            merged = _assemble(pack, Path(folder), progress)
            with merged.open("rb") as file:
                pack.file.save("pack.pdf", File(file), save=False)
    except SoftTimeLimitExceeded:
        minutes = settings.CELERY_TASK_SOFT_TIME_LIMIT // 60
        raise ValidationError(TOOK_TOO_LONG.format(minutes=minutes)) from None
    pack.save(update_fields=["file"])
    _remove_older_files(pack)
    return {"documents": job.total}


TOOK_TOO_LONG = (
    "Building the pack took longer than {minutes} minutes, so it was stopped. A very large "
    "document may be the cause: replace it with a PDF, then build the pack again."
)


def _remove_older_files(pack: AgendaPack) -> None:
    """Earlier packs' files go once a newer one is ready: each holds every child's papers.
    Their rows stay, with the record of who downloaded them."""
    older = AgendaPack.objects.filter(meeting=pack.meeting_id, pk__lt=pack.pk).exclude(file="")
    for old in older:
        old.file.delete(save=False)
        old.save(update_fields=["file"])


def _assemble(pack: AgendaPack, folder: Path, progress) -> Path:
    meeting = pack.meeting
    plan = [(booking, pack_documents(booking)) for booking in bookings_in_running_order(meeting)]
    total = 1 + sum(2 + len(documents) for _, documents in plan)
    done = 0
    progress(done, total, STEP)

    import pikepdf  # loaded by the worker when it builds a pack, not by every web process

    merged = pikepdf.Pdf.new()
    # Each source stays open until the merged file is written: pikepdf copies its pages'
    # content from the source then, not when the pages are added.
    sources: list[pikepdf.Pdf] = []

    def add(source: "pikepdf.Pdf") -> int:
        nonlocal done
        first_page = len(merged.pages)
        sources.append(source)
        merged.pages.extend(source.pages)
        done += 1
        progress(done, total, STEP)
        return first_page

    # The pack's own parts without their header and footer: the stamp adds them to every page.
    outline = [Part("Agenda", add(open_bytes(pdfs.agenda_pdf(meeting, for_pack=True))), [])]
    for booking, documents in plan:
        cover = add(open_bytes(pdfs.cover_sheet_pdf(booking, for_pack=True)))
        child = Part(_child_title(booking), cover, [("Cover sheet", cover)])
        form = add(open_bytes(pdfs.submission_pdf(booking, for_pack=True)))
        child.children.append(("Submission form", form))
        for document in documents:
            title = _document_title(document)
            why = None
            try:
                source = packing.document_pdf(document, folder / f"document-{document.pk}")
            except Unusable as unusable:
                why = str(unusable)
            except SoftTimeLimitExceeded:
                raise  # the whole build is out of time, not this one document
            except Exception:  # noqa: BLE001 - whatever a file does, the pack goes on
                logger.exception("Pack %s: document %s could not be read", pack.pk, document.pk)
                why = "it could not be read"
            if why is not None:
                source = open_bytes(packing.placeholder_pdf(booking, document, title, why))
                title = f"{title} (not included)"
            child.children.append((title, add(source)))
        outline.append(child)

    path = folder / "pack.pdf"
    packing.save_pack(merged, outline, title=f"Agenda pack: {meeting}", sources=sources, path=path)
    return path


def _child_title(booking: Booking) -> str:
    name = f"{booking.child.full_name} ({booking.child.case_number})"
    if booking.slot_id and booking.slot.starts_at:
        return f"{booking.slot.starts_at:%H:%M} {name}"
    return name


def _document_title(document: SubmissionDocument) -> str:
    if document.requirement_id:
        return document.requirement.name
    return f"Other document: {document.original_name}"
