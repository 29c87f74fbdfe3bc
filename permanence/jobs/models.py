import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q


class JobState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Could not finish"


# The only moves a job's state makes. Running → running is a task delivered again after its
# worker was lost (acks_late): it starts over, it does not go back.
FORWARD = {
    JobState.QUEUED: (JobState.RUNNING, JobState.FAILED),
    JobState.RUNNING: (JobState.RUNNING, JobState.SUCCEEDED, JobState.FAILED),
    JobState.SUCCEEDED: (),
    JobState.FAILED: (),
}
FINISHED = (JobState.SUCCEEDED, JobState.FAILED)


class Job(models.Model):
    """One piece of background work. `public_id` is what goes in URLs."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=60)
    state = models.CharField(max_length=9, choices=JobState.choices, default=JobState.QUEUED)
    # What the kind needs besides its files, e.g. {"dry_run": true}.
    params = models.JSONField(default=dict, blank=True)
    # A job that works on another's files: the import that follows its dry run.
    source = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        get_latest_by = ["requested_at", "pk"]
        indexes = [models.Index(fields=["state", "requested_at"], name="job_state_requested")]
        constraints = [
            models.CheckConstraint(name="job_state_known", condition=Q(state__in=JobState.values)),
            models.CheckConstraint(
                name="job_finished_when_finished",
                condition=Q(state__in=FINISHED, finished_at__isnull=False)
                | (~Q(state__in=FINISHED) & Q(finished_at__isnull=True)),
            ),
            models.CheckConstraint(
                name="job_done_within_total", condition=Q(total=0) | Q(done__lte=models.F("total"))
            ),
        ]

    def __str__(self):
        return f"{self.kind} job {self.public_id} ({self.get_state_display().lower()})"

    @property
    def is_working(self) -> bool:
        return self.state not in FINISHED

    @property
    def progress_label(self) -> str:
        if self.state == JobState.QUEUED:
            return "Waiting to start"
        if self.total:
            counted = f"{self.done:,} of {self.total:,}"
            return f"{self.step}: {counted}" if self.step else counted
        return self.step or self.get_state_display()


def job_storage():
    # The protected storage that holds submissions: never a URL, never under MEDIA_ROOT, and
    # shared with the worker (S3 in production) because the worker reads what was uploaded.
    return storages["submissions"]


def job_file_path(job_file: "JobFile", filename: str) -> str:
    return f"jobs/{uuid.uuid4().hex}"


class JobFile(models.Model):
    """A file uploaded for a job, kept until the job and any follow-up have finished."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    file = models.FileField(storage=job_storage, upload_to=job_file_path, max_length=300)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name
