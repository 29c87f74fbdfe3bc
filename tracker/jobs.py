"""The tracker's background jobs (permanence/jobs): importing a spreadsheet, the SSDA903
import (a dry run first and then, from the dry run's files, the import itself), and
recomputing every child's derived dates after a closure day or a panel's limits change."""

from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.db import transaction

from permanence.jobs.kinds import Refused, job_kind
from permanence.jobs.models import Job, JobState
from permanence.jobs.services import job_start

from . import selectors, services
from .importer import children_import
from .importer.referrals import is_referrals_file, referrals_import
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


FILE_GONE = (
    "The file checked in the dry run is no longer kept (uploaded files are deleted a day "
    "after their check). Nothing was changed: upload it again."
)


def _uploaded(job):
    """The file the job reads: its own, or, for an import after a dry run, the dry run's."""
    upload = (job.source or job).files.first()
    if upload is None or not upload.file:
        raise ValidationError(FILE_GONE)
    try:
        with upload.file.open("rb") as file:
            return upload.name, file.read()
    except FileNotFoundError:
        raise ValidationError(FILE_GONE) from None


@job_kind(
    selectors.IMPORT_CHILDREN,
    label="Import children from a spreadsheet",
    result_template="tracker/jobs/import_result.html",
    back_url="tracker:import",
)
def import_children(job, progress) -> dict:
    """Check (`params["dry_run"]`) or import the uploaded CSV file: children, or referrals
    when its header names what_happened. All or nothing: a file with problems is refused
    with every problem, line by line."""
    progress(0, 0, "Reading the file")
    filename, data = _uploaded(job)
    dry_run = bool(job.params.get("dry_run"))
    if is_referrals_file(data):
        result = referrals_import(data=data, dry_run=dry_run, progress=progress)
        what = "referrals"
    else:
        result = children_import(
            data=data,
            changed_by=job.requested_by,
            dry_run=dry_run,
            create_teams=bool(job.params.get("create_teams")),
            progress=progress,
        )
        what = "children"
    if result.problems:
        count = len(result.problems)
        raise Refused(
            f"The file has {count} problem{'s' if count != 1 else ''}, listed below. "
            "Nothing has been saved: fix the file and upload it again",
            result={
                "what": what,
                "filename": filename,
                "problems": [asdict(problem) for problem in result.problems],
            },
        )
    return {"what": what, "filename": filename, "dry_run": dry_run, "summary": result.summary()}


@job_kind(
    selectors.RECOMPUTE_DATES,
    label="Recompute children's dates",
    result_template="tracker/jobs/recompute_result.html",
    back_url="tracker:list",
)
def recompute_dates(job, progress) -> dict:
    """Every child's derived dates and flags, from the working days and panel limits as
    they are when the job runs (so one job covers every change made before it started)."""
    progress(0, 0, "Waiting for any earlier recompute to finish")
    changed = services.children_recompute(progress=progress)
    return {"changed": changed}
