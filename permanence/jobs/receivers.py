from ..signals import scan_due
from .services import job_files_purge, jobs_stalled_fail


def _tidy_jobs(sender, today, **kwargs):
    jobs_stalled_fail()
    job_files_purge()


def connect() -> None:
    scan_due.connect(_tidy_jobs, dispatch_uid="permanence.tidy_jobs")
