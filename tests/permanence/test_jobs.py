"""The background job machinery (permanence/jobs): states that only move forward, progress
seen while the job runs, failures said plainly, and jobs whose worker died."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from permanence.jobs import services
from permanence.jobs.models import Job, JobFile, JobState
from permanence.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    return UserFactory(roles=[Role.ADMINISTRATOR])


def start(by, django_capture_on_commit_callbacks, **params):
    with django_capture_on_commit_callbacks(execute=True):
        return services.job_start(
            kind="tests.count", by=by, params=params, files=[("a.csv", b"CHILD\n1\n")]
        )


def test_a_job_runs_once_its_request_commits_and_keeps_its_result(
    administrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        job = services.job_start(kind="tests.count", by=administrator, params={"to": 4})
        assert Job.objects.get(pk=job.pk).state == JobState.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert (job.done, job.total, job.step) == (4, 4, "Counting")
    assert job.result == {"counted": 4, "files": []}
    assert job.started_at <= job.finished_at


def test_a_finished_job_is_not_run_again_when_its_task_comes_twice(
    administrator, django_capture_on_commit_callbacks
):
    job = start(administrator, django_capture_on_commit_callbacks)
    assert services.job_run(job.pk) is None
    assert Job.objects.get(pk=job.pk).state == JobState.SUCCEEDED


@pytest.mark.parametrize(
    ("here", "to", "moves"),
    [
        (JobState.QUEUED, JobState.RUNNING, True),
        (JobState.QUEUED, JobState.SUCCEEDED, False),
        (JobState.RUNNING, JobState.QUEUED, False),
        (JobState.RUNNING, JobState.RUNNING, True),  # a task redelivered after a lost worker
        (JobState.SUCCEEDED, JobState.RUNNING, False),
        (JobState.FAILED, JobState.SUCCEEDED, False),
        (JobState.SUCCEEDED, JobState.FAILED, False),
    ],
)
def test_a_jobs_state_only_moves_forward(administrator, here, to, moves):
    finished = timezone.now() if here in (JobState.SUCCEEDED, JobState.FAILED) else None
    job = Job.objects.create(kind="tests.count", state=here, finished_at=finished)
    ending = {"finished_at": timezone.now()} if to in (JobState.SUCCEEDED, JobState.FAILED) else {}
    assert services._advance(job.pk, to, **ending) is moves
    assert Job.objects.get(pk=job.pk).state == (to if moves else here)


def test_the_database_refuses_a_finished_job_without_its_finishing_time():
    with pytest.raises(IntegrityError):
        Job.objects.create(kind="tests.count", state=JobState.SUCCEEDED)


def test_refusals_are_kept_as_the_persons_messages(
    administrator, django_capture_on_commit_callbacks
):
    job = start(administrator, django_capture_on_commit_callbacks, fail="refused")
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error.splitlines() == [
        "Line 2: the date 31/02/2026 is not a date",
        "Line 5: no CHILD",
    ]
    assert job.result == {"errors": job.error.splitlines()}


def test_a_fault_is_logged_and_said_without_its_details(
    administrator, django_capture_on_commit_callbacks, caplog
):
    job = start(administrator, django_capture_on_commit_callbacks, fail="fault")
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "ZeroDivisionError" in job.error and "a bug" not in job.error
    assert str(job.public_id)[:8] in job.error
    assert "failed" in caplog.text


def test_progress_is_seen_from_outside_the_jobs_own_transaction(administrator):
    job = Job.objects.create(kind="tests.count", state=JobState.RUNNING, requested_by=administrator)
    progress = services.Progress(job)
    progress(0, 10, "Reading episodes")
    progress(7, 10, "Reading episodes")  # too soon after the last: kept, not yet saved
    seen = services.job_progress(Job.objects.get(pk=job.pk))
    assert (seen.done, seen.total, seen.progress_label) == (0, 10, "Reading episodes: 0 of 10")
    progress(10, 10, "Reading episodes")  # the end is always saved
    seen = services.job_progress(Job.objects.get(pk=job.pk))
    assert seen.progress_label == "Reading episodes: 10 of 10"
    cache.delete(services.progress_key(job.pk))


def test_a_job_whose_worker_is_unreachable_fails_at_once_with_the_reason(
    administrator, django_capture_on_commit_callbacks, monkeypatch
):
    from permanence import tasks

    def down(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr(tasks.run_job, "apply_async", down)
    job = start(administrator, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "could not be reached (ConnectionRefusedError)" in job.error


def test_jobs_whose_worker_died_are_failed_by_the_scan(settings):
    now = timezone.now()
    limit = settings.CELERY_TASK_TIME_LIMIT // 60 + 1
    running = [
        Job.objects.create(
            kind="tests.count", state=JobState.RUNNING, started_at=now - timedelta(minutes=m)
        )
        for m in (limit - 1, limit + 1)
    ]
    queued = [Job.objects.create(kind="tests.count") for _ in range(2)]
    Job.objects.filter(pk=queued[1].pk).update(requested_at=now - timedelta(minutes=61))
    assert services.jobs_stalled_fail(now=now) == 2
    states = dict(Job.objects.values_list("pk", "state"))
    assert states[running[0].pk] == JobState.RUNNING
    assert states[running[1].pk] == JobState.FAILED
    assert states[queued[0].pk] == JobState.QUEUED
    assert states[queued[1].pk] == JobState.FAILED
    assert "stopped part-way" in Job.objects.get(pk=running[1].pk).error


def test_uploaded_files_go_a_day_after_their_job_and_its_follow_up_finish(
    administrator, django_capture_on_commit_callbacks, tmp_path, settings
):
    settings.STORAGES = {
        **settings.STORAGES,
        "submissions": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    dry_run = start(administrator, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        real = services.job_start(kind="tests.count", by=administrator, source=dry_run)
    real.refresh_from_db()
    assert real.result["files"] == ["CHILD\n1\n"]  # the follow-up reads its dry run's file
    stored = JobFile.objects.get(job=dry_run).file.name

    a_day_later = timezone.now() + timedelta(hours=settings.JOB_FILES_KEEP_HOURS)
    Job.objects.filter(pk=real.pk).update(finished_at=a_day_later)  # the follow-up ran late
    assert services.job_files_purge(now=a_day_later + timedelta(minutes=1)) == 0
    assert services.job_files_purge(now=a_day_later + timedelta(hours=25)) == 1
    assert not JobFile.objects.exists()
    assert not (tmp_path / stored).exists()


def test_the_page_shows_progress_then_the_result_and_only_to_whom_it_may(
    client, administrator, django_capture_on_commit_callbacks
):
    job = Job.objects.create(kind="tests.count", state=JobState.RUNNING, requested_by=administrator)
    services.Progress(job)(2, 5, "Counting")
    client.force_login(administrator)
    page = client.get(reverse("job", args=[job.public_id]))
    assert page.status_code == 200
    assert b"Counting: 2 of 5" in page.content and b'max="5" value="2"' in page.content
    status = client.get(reverse("job-status", args=[job.public_id])).json()
    assert status == {
        "state": "running",
        "state_label": "Running",
        "working": True,
        "done": 2,
        "total": 5,
        "label": "Counting: 2 of 5",
    }

    done = start(administrator, django_capture_on_commit_callbacks, to=3)
    page = client.get(reverse("job", args=[done.public_id]))
    assert b"Counted to 3." in page.content and b"<progress" not in page.content

    for someone in (UserFactory(roles=[Role.SENIOR_MANAGER]), UserFactory(roles=[Role.CHAIR])):
        client.force_login(someone)
        assert client.get(reverse("job", args=[done.public_id])).status_code == 403
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))
    assert client.get(reverse("job", args=[done.public_id])).status_code == 200
