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
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from .. import packing, pdfs
from ..models import AgendaPack, Booking, Meeting, PackDownload, PackStatus, SubmissionDocument
from ..packing import Part, Unusable, open_bytes
from ..selectors import bookings_in_running_order, pack_documents, pack_inputs_changed_at

if TYPE_CHECKING:
    import pikepdf

logger = logging.getLogger(__name__)


# Asking for a pack -------------------------------------------------------------------------


@transaction.atomic
def pack_request(*, meeting: Meeting, by) -> AgendaPack:
    """Queue a new pack for the meeting; the worker starts it once this commits. A pack
    already queued or being built is returned instead, so a second click starts nothing."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError("This meeting is cancelled, so it has no agenda pack.")
    _fail_stalled(meeting.packs.all(), now=timezone.now())
    working = meeting.packs.filter(status__in=[PackStatus.QUEUED, PackStatus.BUILDING]).first()
    if working is not None:
        return working
    pack = AgendaPack.objects.create(meeting=meeting, requested_by=by)
    transaction.on_commit(lambda: _enqueue(pack.pk))
    return pack


def pack_download_record(*, pack: AgendaPack, by) -> PackDownload:
    """Note who took a copy of the pack: it holds every child's papers."""
    return PackDownload.objects.create(pack=pack, user=by)


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
        if isinstance(error, SoftTimeLimitExceeded):
            pack.error = TOOK_TOO_LONG.format(minutes=settings.CELERY_TASK_SOFT_TIME_LIMIT // 60)
        else:
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


TOOK_TOO_LONG = (
    "Building the pack took longer than {minutes} minutes, so it was stopped. A very large "
    "document may be the cause: replace it with a PDF, then build the pack again."
)


# Packs whose build died ----------------------------------------------------------------------

STOPPED = (
    "The build stopped part-way: it had not finished {minutes} minutes after it started, "
    "so the background worker was interrupted. Build the pack again."
)
NEVER_STARTED = (
    "The background worker did not start building it within {minutes} minutes. "
    "Build the pack again."
)


@transaction.atomic
def packs_stalled_fail() -> int:
    """Mark failed, with the reason, every pack still "being built" after the task's hard
    time limit (its worker was killed; Redis would hand the task on only an hour later) or
    still waiting to start after PACK_QUEUED_LIMIT_MINUTES, so the meeting page offers to
    build it again. Run by the periodic scan; a pack's task delivered again after this
    finds it failed and builds nothing. Returns how many were marked."""
    return _fail_stalled(AgendaPack.objects.all(), now=timezone.now())


def _fail_stalled(packs: QuerySet[AgendaPack], *, now: datetime) -> int:
    building_limit = settings.CELERY_TASK_TIME_LIMIT
    queued_limit = settings.PACK_QUEUED_LIMIT_MINUTES
    building = Q(status=PackStatus.BUILDING, started_at__lt=now - timedelta(seconds=building_limit))
    queued = Q(status=PackStatus.QUEUED, requested_at__lt=now - timedelta(minutes=queued_limit))
    failed = 0
    for reason, stalled in (
        (STOPPED.format(minutes=building_limit // 60), building),
        (NEVER_STARTED.format(minutes=queued_limit), queued),
    ):
        pks = list(packs.select_for_update().filter(stalled).values_list("pk", flat=True))
        failed += AgendaPack.objects.filter(stalled, pk__in=pks).update(
            status=PackStatus.FAILED, error=reason, finished_at=now
        )
    if failed:
        logger.warning("Marked %s agenda pack(s) failed: their build died or never started", failed)
    return failed


def _remove_older_files(pack: AgendaPack) -> None:
    """Earlier packs' files go once a newer one is ready: each holds every child's papers.
    Their rows stay, with the record of who downloaded them."""
    older = AgendaPack.objects.filter(meeting=pack.meeting_id, pk__lt=pack.pk).exclude(file="")
    for old in older:
        old.file.delete(save=False)
        old.save(update_fields=["file"])


def _assemble(pack: AgendaPack, folder: Path) -> Path:
    meeting = pack.meeting
    plan = [(booking, pack_documents(booking)) for booking in bookings_in_running_order(meeting)]
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
