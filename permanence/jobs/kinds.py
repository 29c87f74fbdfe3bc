"""The kinds of job, each declared by its app in `<app>/jobs.py`:

    @job_kind("tracker.import_children", label="Import children",
              result_template="tracker/jobs/import_result.html")
    def import_children(job, progress) -> dict:
        ...              # read job.params and job.files (or job.source.files)
        progress(done, total, "Checking rows")
        return {...}     # kept as job.result for the result template

A `ValidationError` raised by the function fails the job with its messages, shown to the
person who asked (a `Refused` also keeps a result for the template, such as a table of the
file's problems); anything else fails it as a fault, logged."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.module_loading import autodiscover_modules


class Refused(ValidationError):
    """The job refused its input: `message` heads the page, `result` goes to the kind's
    result template (the problems, line by line)."""

    def __init__(self, message: str, *, result: dict):
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class JobKind:
    code: str
    label: str
    run: Callable
    result_template: str
    # Where "Back" on the job's page goes: a URL name taking no arguments.
    back_url: str = "home"


_KINDS: dict[str, JobKind] = {}


def job_kind(code: str, *, label: str, result_template: str, back_url: str = "home"):
    def register(run: Callable) -> Callable:
        if code in _KINDS and _KINDS[code].run is not run:
            raise ValueError(f"Two kinds of job are called {code}")
        _KINDS[code] = JobKind(code, label, run, result_template, back_url)
        return run

    return register


def kind_of(code: str) -> JobKind:
    return _KINDS[code]


def discover() -> None:
    """Import every app's `jobs.py`, so each kind is declared before a worker runs one."""
    autodiscover_modules("jobs")
