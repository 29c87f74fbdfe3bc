"""The tracker's background jobs (permanence/jobs): importing a spreadsheet, and
recomputing every child's derived dates after a closure day or a panel's limits change."""

from dataclasses import asdict

from django.core.exceptions import ValidationError

from permanence.jobs.kinds import Refused, job_kind

from . import selectors, services
from .importer import children_import
from .importer.referrals import is_referrals_file, referrals_import

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
    progress(0, 0, "Waiting for an earlier recompute to finish")
    changed = services.children_recompute(progress=progress)
    return {"changed": changed}
