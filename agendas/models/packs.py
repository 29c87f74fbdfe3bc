"""The agenda pack: one PDF of the agenda and every child's papers, for panel members."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property

from permanence.jobs.models import Job, JobState

from .bookings import submission_storage
from .meetings import PACK_INPUTS, Meeting


class PackStatus(models.TextChoices):
    """The pack's words for its job's state (permanence.jobs), as its page and status say."""

    QUEUED = "queued", "Waiting to start"
    BUILDING = "building", "Being built"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be built"


STATUS_OF_JOB = {
    JobState.QUEUED: PackStatus.QUEUED,
    JobState.RUNNING: PackStatus.BUILDING,
    JobState.SUCCEEDED: PackStatus.READY,
    JobState.FAILED: PackStatus.FAILED,
}


def inputs_changed_at(meeting: Meeting):
    """The latest change to anything the meeting's pack is made from, None if nothing: the
    meeting comes from `Meeting.objects.with_pack_inputs()`."""
    times = (getattr(meeting, name) for name in PACK_INPUTS)
    return max((moment for moment in times if moment), default=None)


def changed_since_built(*, built_from, changed) -> bool:
    """A ready pack is out of date once anything it is made from changed after it was
    built."""
    return bool(changed and (built_from is None or changed > built_from))


def pack_path(pack: "AgendaPack", filename: str) -> str:
    # Beside the submissions it is made from: the same protected storage, never a URL.
    return f"packs/{pack.meeting_id}/{uuid.uuid4().hex}.pdf"


class AgendaPack(models.Model):
    """One build of a meeting's pack: what is the pack's own (the meeting, the file, what it
    was built from, who downloaded it). Its state, progress, failure and times are its
    background job's (permanence/jobs). A new build is a new row; the latest one counts."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="packs")
    job = models.OneToOneField(Job, on_delete=models.PROTECT, related_name="agenda_pack")
    file = models.FileField(
        storage=submission_storage, upload_to=pack_path, max_length=300, blank=True
    )
    # The latest change to anything the pack is made from, read as the build started: a
    # later change makes the pack out of date.
    built_from = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Rows are made in the order packs are asked for.
        ordering = ["-pk"]
        get_latest_by = "pk"

    def __str__(self):
        return f"Agenda pack for {self.meeting} ({self.get_status_display().lower()})"

    @property
    def status(self) -> PackStatus:
        return STATUS_OF_JOB[self.job.state]

    def get_status_display(self) -> str:
        return self.status.label

    # The job's, under the names the pack's page and status have always used.
    documents_done = property(lambda self: self.job.done)
    documents_total = property(lambda self: self.job.total)
    error = property(lambda self: self.job.error)
    requested_by = property(lambda self: self.job.requested_by)
    requested_at = property(lambda self: self.job.requested_at)
    started_at = property(lambda self: self.job.started_at)
    finished_at = property(lambda self: self.job.finished_at)
    is_working = property(lambda self: self.job.is_working)

    @property
    def is_ready(self) -> bool:
        return self.status == PackStatus.READY and bool(self.file)

    @property
    def progress_label(self) -> str:
        if not self.documents_total:
            return "Waiting to start"
        return f"{self.documents_done} of {self.documents_total} documents"

    @cached_property
    def is_out_of_date(self) -> bool:
        """A ready pack is out of date once anything it is made from changed after it was
        built."""
        if self.status != PackStatus.READY:
            return False
        meeting = Meeting.objects.with_pack_inputs().get(pk=self.meeting_id)
        return changed_since_built(built_from=self.built_from, changed=inputs_changed_at(meeting))


class PackDownload(models.Model):
    """Who took a copy of a pack, and when: it holds every child's papers."""

    pack = models.ForeignKey(AgendaPack, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    downloaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-downloaded_at"]

    def __str__(self):
        return f"{self.user} downloaded {self.pack} at {self.downloaded_at}"
