"""Long work done in the background with its progress shown: imports, the agenda pack,
recomputing every child's dates. One general model (`Job`), whose state only moves forward,
driven by one Celery task, after tamato's bulk-processing status model.

An app declares a kind of job in its `jobs.py` with `@job_kind(...)`; `job_start()` queues
one; the worker calls the kind's function with the job and a `Progress`; the page at
`/jobs/<id>/` shows the progress and then the kind's result template.
"""
