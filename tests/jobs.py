"""A kind of job for the tests of the job machinery itself (permanence/jobs): it counts to
`params["to"]`, reporting progress, and fails as `params["fail"]` says."""

from django.core.exceptions import ValidationError

from permanence.jobs.kinds import job_kind


@job_kind("tests.count", label="Count for the tests", result_template="tests/count_result.html")
def count(job, progress):
    to = job.params.get("to", 3)
    for n in range(1, to + 1):
        progress(n, to, "Counting")
    if job.params.get("fail") == "refused":
        raise ValidationError(["Line 2: the date 31/02/2026 is not a date", "Line 5: no CHILD"])
    if job.params.get("fail") == "fault":
        raise ZeroDivisionError("a bug")
    files = job.source.files.all() if job.source else job.files.all()
    return {"counted": to, "files": [f.file.read().decode() for f in files]}
