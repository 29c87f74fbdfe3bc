"""The agenda pack: one PDF of the agenda and every child's papers, for panel members."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property

from .bookings import submission_storage
from .meetings import PACK_INPUTS, Meeting


class PackStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    BUILDING = "building", "Being built"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be built"


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
    """One build of a meeting's pack. A new build is a new row; the latest one counts."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="packs")
    status = models.CharField(max_length=8, choices=PackStatus.choices, default=PackStatus.QUEUED)
    documents_done = models.PositiveIntegerField(default=0)
    documents_total = models.PositiveIntegerField(default=0)
    file = models.FileField(
        storage=submission_storage, upload_to=pack_path, max_length=300, blank=True
    )
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The latest change to anything the pack is made from, read as the build started: a
    # later change makes the pack out of date.
    built_from = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        get_latest_by = ["requested_at", "pk"]

    def __str__(self):
        return f"Agenda pack for {self.meeting} ({self.get_status_display().lower()})"

    @property
    def is_working(self) -> bool:
        return self.status in (PackStatus.QUEUED, PackStatus.BUILDING)

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
