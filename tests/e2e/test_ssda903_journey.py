"""An administrator dry-runs, then imports, the shared SSDA903 return in XML, watching each
job's progress: the page follows the job by itself and shows the report when it finishes.
axe-core checks every page.

The job is held in the queue while the page is first drawn (as a busy worker would hold
it), then run here as the worker runs it, so the page is seen waiting and then following
the job to its end."""

from unittest import mock

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from permanence.jobs import services as jobs
from permanence.jobs.models import Job, JobState
from permanence.roles import Role
from tests.factories import UserFactory
from tracker.models import Child

from ..tracker.ssda903.test_shared_return import SHARED
from .keyboard import sign_in_by_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_the_queued_job() -> Job:
    job = Job.objects.get(state=JobState.QUEUED)
    jobs.job_run(job.pk)
    return job


def test_administrator_checks_then_imports_the_xml_return(page, assert_accessible):
    admin = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@council.example")
    sign_in_by_keyboard(page, admin.email)

    page.goto(reverse("tracker:list"))
    page.get_by_role("button", name="Import the SSDA903 return").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import the SSDA903 return")
    assert_accessible(page)

    with mock.patch.object(jobs, "_enqueue"):
        page.get_by_label("Upload the SSDA903 return").set_input_files(SHARED / "fake_903.xml")
        page.get_by_role("button", name="Check the return").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "SSDA903 import: a check, nothing is saved"
        )
        expect(page.locator("[data-job-label]")).to_have_text("Waiting to start")
    assert_accessible(page)
    run_the_queued_job()
    summary = page.locator("[data-ssda903-summary]")
    expect(summary).to_contain_text("Dry run: would import 161 of the return's 253 children")
    expect(page.get_by_text("Finished", exact=True)).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("Children the import cannot take")
    assert_accessible(page)
    assert not Child.objects.exists()

    with mock.patch.object(jobs, "_enqueue"):
        page.get_by_role("button", name="Import the return").click()
        expect(page.locator("[data-job-label]")).to_have_text("Waiting to start")
    run_the_queued_job()
    expect(summary).to_contain_text("Imported 161 of the return's 253 children: 161 created")
    expect(page.get_by_role("button", name="Import the return")).to_have_count(0)
    assert_accessible(page)
    assert Child.objects.count() == 161

    page.get_by_role("link", name="Back").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import the SSDA903 return")
    expect(page.get_by_role("link", name="Import on")).to_be_visible()
    assert_accessible(page)
