"""The tracker's background jobs (permanence/jobs): the SSDA903 import, a dry run first and
then, from the dry run's files, the import itself."""

from django.core.exceptions import ValidationError
from django.db import transaction

from permanence.jobs.kinds import job_kind
from permanence.jobs.models import Job, JobState
from permanence.jobs.services import job_start

from .importer.ssda903 import ssda903_import, ssda903_read
from .permissions import can_manage_children

SSDA903 = "tracker.import_ssda903"


@job_kind(
    SSDA903,
    label="SSDA903 import",
    result_template="tracker/jobs/ssda903_result.html",
    back_url="tracker:ssda903",
)
def import_ssda903(job: Job, progress) -> dict:
    """Read the job's files (the dry run's, for the import that follows it) and take them
    into the tracker, or only report what would change."""
    files = []
    for job_file in (job.source or job).files.order_by("pk"):
        with job_file.file.open("rb") as handle:
            files.append((job_file.name, handle.read()))
    dry_run = job.params.get("dry_run", True)
    progress(0, 0, "Reading the return")
    ret = ssda903_read(files)
    step = "Checking children" if dry_run else "Importing children"
    report = ssda903_import(
        ret=ret,
        dry_run=dry_run,
        by=job.requested_by,
        progress=lambda done, total: progress(done, total, step),
    )
    return report.as_result()


@transaction.atomic
def ssda903_dry_run_start(*, files: list[tuple[str, bytes]], by) -> Job:
    """Check a return in the background: what would change, child by child."""
    if not can_manage_children(by):
        raise ValidationError("Only panel administrators import the SSDA903 return.")
    return job_start(kind=SSDA903, by=by, params={"dry_run": True}, files=files)


@transaction.atomic
def ssda903_import_start(*, dry_run: Job, by) -> Job:
    """Import the return a finished dry run checked, from the same files."""
    if not can_manage_children(by):
        raise ValidationError("Only panel administrators import the SSDA903 return.")
    dry_run = Job.objects.select_for_update().get(pk=dry_run.pk)
    if dry_run.kind != SSDA903 or not dry_run.params.get("dry_run"):
        raise ValidationError("Only a checked SSDA903 return can be imported.")
    if dry_run.state != JobState.SUCCEEDED:
        raise ValidationError("The return has not been checked yet: wait for the check.")
    if dry_run.follow_ups.exclude(state=JobState.FAILED).exists():
        raise ValidationError("This return has already been imported: check it again first.")
    if not dry_run.files.exists():
        raise ValidationError(
            "The checked files have been deleted (they are kept for a day): upload the return "
            "again."
        )
    return job_start(kind=SSDA903, by=by, params={"dry_run": False}, source=dry_run)
