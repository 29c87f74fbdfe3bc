import logging
import time
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .kinds import kind_of
from .models import FINISHED, FORWARD, Job, JobFile, JobState

logger = logging.getLogger(__name__)

WORKER_UNREACHABLE = (
    "The background worker could not be reached ({name}), so this did not start. Nothing "
    "was changed. Try again in a few minutes."
)
TOOK_TOO_LONG = "This took longer than {minutes} minutes, so it was stopped. Nothing was changed."
FAULT = (
    "Something went wrong ({name}), so this stopped. Nothing was changed. Try again; if it "
    "happens again, tell the service desk the job's reference {reference}."
)
STOPPED = (
    "This stopped part-way: it had not finished {minutes} minutes after it started, so the "
    "background worker was interrupted. Try again."
)
NEVER_STARTED = "The background worker did not start this within {minutes} minutes. Try again."


def job_start(
    *, kind: str, by, params: dict | None = None, files=(), source: Job | None = None
) -> Job:
    """Queue a job of the kind, with its uploaded files as (name, bytes) pairs; it starts
    once the caller's transaction commits."""
    kind_of(kind)  # an unknown kind is a programming error, found here rather than later
    with transaction.atomic():
        job = Job.objects.create(kind=kind, params=params or {}, requested_by=by, source=source)
        for name, content in files:
            job_file = JobFile(job=job, name=name[:255])
            job_file.file.save(name, ContentFile(content), save=True)
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from ..tasks import run_job  # the tasks module imports this one

    try:
        run_job.apply_async(args=[job_id], retry=False)
    except Exception as error:  # noqa: BLE001 - said on the job's page, not a server error
        logger.warning("Broker unavailable: job %s not started", job_id)
        _advance(
            job_id,
            JobState.FAILED,
            error=WORKER_UNREACHABLE.format(name=type(error).__name__),
            finished_at=timezone.now(),
        )


def _advance(job_id: int, to: JobState, **fields) -> bool:
    """Move the job to `to` if that is forward from where it is now; one UPDATE, so two
    workers (or a worker and the stalled-job scan) cannot both move it."""
    moves_here = [state for state, nexts in FORWARD.items() if to in nexts]
    return bool(Job.objects.filter(pk=job_id, state__in=moves_here).update(state=to, **fields))


def progress_key(job_id: int) -> str:
    return f"job-progress:{job_id}"


class Progress:
    """Called by a job as it goes: `progress(done, total, "Checking rows")`.

    Progress goes to the cache, not the job's row: an all-or-nothing import runs in one
    transaction, and a row written inside it would not be seen until the end."""

    EVERY_SECONDS = 0.25

    def __init__(self, job: Job):
        self.job = job
        self._saved_at = 0.0

    def __call__(self, done: int, total: int, step: str = "") -> None:
        self.job.total = max(total, 0)
        self.job.done = min(max(done, 0), self.job.total) if self.job.total else max(done, 0)
        self.job.step = step[:200] if step else self.job.step
        now = time.monotonic()
        if now - self._saved_at >= self.EVERY_SECONDS or done >= total:
            cache.set(
                progress_key(self.job.pk),
                {"done": self.job.done, "total": self.job.total, "step": self.job.step},
                timeout=24 * 3600,
            )
            self._saved_at = now


def job_progress(job: Job) -> Job:
    """The job with its latest progress from the cache, while it runs."""
    if job.state == JobState.RUNNING:
        latest = cache.get(progress_key(job.pk))
        if latest:
            job.done, job.total, job.step = latest["done"], latest["total"], latest["step"]
    return job


def job_run(job_id: int) -> Job | None:
    """Run the job (the worker's task). Returns None when it has already finished, for a
    task delivered twice."""
    if not _advance(
        job_id, JobState.RUNNING, started_at=timezone.now(), done=0, total=0, step="", error=""
    ):
        return None
    job = Job.objects.select_related("requested_by", "source").get(pk=job_id)
    progress = Progress(job)
    try:
        result = kind_of(job.kind).run(job, progress)
    except ValidationError as error:
        ending = {"state": JobState.FAILED, "error": "\n".join(error.messages)}
        ending["result"] = getattr(error, "result", None) or {"errors": error.messages}
    except SoftTimeLimitExceeded:
        minutes = settings.CELERY_TASK_SOFT_TIME_LIMIT // 60
        ending = {"state": JobState.FAILED, "error": TOOK_TOO_LONG.format(minutes=minutes)}
    except Exception as error:
        logger.exception("Job %s (%s) failed", job.public_id, job.kind)
        reference = str(job.public_id)[:8]
        ending = {
            "state": JobState.FAILED,
            "error": FAULT.format(name=type(error).__name__, reference=reference),
        }
    else:
        ending = {"state": JobState.SUCCEEDED, "result": result or {}}
    state = ending.pop("state")
    _advance(
        job_id,
        state,
        done=job.done,
        total=job.total,
        step=job.step,
        finished_at=timezone.now(),
        **ending,
    )
    cache.delete(progress_key(job_id))
    job.refresh_from_db()
    return job


@transaction.atomic
def jobs_stalled_fail(*, now: datetime | None = None) -> int:
    """Fail, with the reason, every job whose worker died: still running after the task's
    hard time limit, or never started within the hour. Run by the periodic scan."""
    now = now or timezone.now()
    running_limit = settings.CELERY_TASK_TIME_LIMIT // 60 + 1
    queued_limit = settings.JOB_NEVER_STARTED_MINUTES
    stopped = Job.objects.filter(
        state=JobState.RUNNING, started_at__lt=now - timedelta(minutes=running_limit)
    ).update(state=JobState.FAILED, error=STOPPED.format(minutes=running_limit), finished_at=now)
    never = Job.objects.filter(
        state=JobState.QUEUED, requested_at__lt=now - timedelta(minutes=queued_limit)
    ).update(
        state=JobState.FAILED, error=NEVER_STARTED.format(minutes=queued_limit), finished_at=now
    )
    return stopped + never


def job_files_purge(*, now: datetime | None = None) -> int:
    """Delete uploaded files once their job, and any job that follows on from it, finished
    more than `JOB_FILES_KEEP_HOURS` ago: they are children's records."""
    now = now or timezone.now()
    before = now - timedelta(hours=settings.JOB_FILES_KEEP_HOURS)
    still_needed = Q(job__follow_ups__finished_at__gte=before) | ~Q(
        job__follow_ups__state__in=FINISHED
    ) & Q(job__follow_ups__isnull=False)
    old = JobFile.objects.filter(job__finished_at__lt=before).exclude(still_needed).distinct()
    count = 0
    for job_file in old:
        job_file.file.delete(save=False)
        job_file.delete()
        count += 1
    return count
