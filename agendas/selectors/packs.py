"""The agenda pack: what it is made of, the latest build, and whether it is out of date."""

from permanence.jobs.models import JobState
from permanence.jobs.services import job_progress

from ..models import AgendaPack, Meeting, SubmissionDocument
from ..models.packs import inputs_changed_at
from .checklists import submission_checklist


def pack_documents(booking) -> list[SubmissionDocument]:
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


def pack_inputs_changed_at(meeting: Meeting):
    """The latest change to anything the meeting's pack is made from, None if nothing."""
    return inputs_changed_at(Meeting.objects.with_pack_inputs().get(pk=meeting.pk))


def pack_is_out_of_date(pack: AgendaPack) -> bool:
    """True when anything the pack is made from changed after it was built."""
    return pack.is_out_of_date


def latest_pack(meeting: Meeting) -> AgendaPack | None:
    """The meeting's latest pack, with its job's progress as it stands while it builds."""
    pack = meeting.packs.select_related("job__requested_by").order_by("-pk").first()
    if pack is not None:
        job_progress(pack.job)
    return pack


def latest_ready_pack(meeting: Meeting) -> AgendaPack | None:
    return (
        meeting.packs.select_related("job")
        .filter(job__state=JobState.SUCCEEDED)
        .exclude(file="")
        .order_by("-pk")
        .first()
    )
