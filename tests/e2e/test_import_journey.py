"""An administrator imports a spreadsheet, in the background: a file with a bad row is
refused on its job's page with the line and the reason, the corrected file is checked and
then imported from the check, the page follows a job the worker has not finished, and every
state passes axe-core."""

from unittest import mock

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from permanence.jobs.services import job_run, job_start
from permanence.roles import Role
from tests.factories import UserFactory
from tracker.models import Child

from .keyboard import sign_in_by_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "case_number,first_name,last_name,date_of_birth,proceedings_issued,final_order_date"


def test_administrator_fixes_a_bad_row_and_imports_the_file(page, assert_accessible, tmp_path):
    admin = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@council.example")
    bad = tmp_path / "tracker.csv"
    bad.write_text(
        f"{HEADER}\nCN0001,Ada,Test,2019-04-01,,\nCN0002,Bea,Test,2020-01-01,2026-03-02,2026-03-01\n",
        encoding="utf-8",
    )
    good = tmp_path / "tracker-fixed.csv"
    good.write_text(
        f"{HEADER}\nCN0001,Ada,Test,2019-04-01,,\nCN0002,Bea,Test,2020-01-01,2026-03-02,2026-09-01\n",
        encoding="utf-8",
    )
    sign_in_by_keyboard(page, admin.email)

    page.goto(reverse("tracker:import"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import children from a spreadsheet")
    assert_accessible(page)

    page.get_by_label("Upload a CSV file").set_input_files(bad)
    page.get_by_role("button", name="Import children").click()
    # The file is checked in the background; its job's page shows the result.
    expect(page.get_by_role("heading", level=1)).to_have_text("Import children from a spreadsheet")
    expect(page.locator("[data-job-progress] .govuk-tag")).to_have_text("Could not finish")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The file has 1 problem, listed below. Nothing has been saved"
    )
    problem = page.get_by_role("table").get_by_role("row").nth(1)
    expect(problem.get_by_role("cell")).to_have_text(
        [
            "3",
            "CN0002",
            "final_order_date",
            "The final order cannot be before proceedings were issued (2 March 2026)",
        ]
    )
    assert_accessible(page)
    assert not Child.objects.exists()

    # The corrected file: checked first, then imported from the check without uploading it
    # again.
    page.get_by_role("link", name="Upload the corrected file").click()
    page.get_by_label("Upload a CSV file").set_input_files(good)
    page.get_by_label("Check the file without saving").check()
    page.get_by_role("button", name="Import children").click()
    expect(page.get_by_role("heading", name="tracker-fixed.csv has no problems")).to_be_visible()
    expect(page.locator("[data-import-summary]")).to_have_text(
        "Dry run: would import 2 children: 2 created, 0 updated, 0 unchanged."
    )
    assert_accessible(page)
    assert not Child.objects.exists()

    page.get_by_role("button", name="Import this file").click()
    expect(page.get_by_role("heading", name="tracker-fixed.csv is imported")).to_be_visible()
    expect(page.locator("[data-import-summary]")).to_have_text(
        "Imported 2 children: 2 created, 0 updated, 0 unchanged."
    )
    expect(page.get_by_role("table")).to_have_count(0)
    assert_accessible(page)
    assert sorted(Child.objects.values_list("case_number", flat=True)) == ["CN0001", "CN0002"]


def test_the_job_page_follows_an_import_the_worker_has_not_finished(
    page, assert_accessible, tmp_path
):
    """The worker is busy: the page says it is waiting, and shows the result by itself
    once the job has run, with no refresh."""
    admin = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@council.example")
    with mock.patch("permanence.jobs.services._enqueue"):  # the worker has not taken it yet
        job = job_start(
            kind="tracker.import_children",
            by=admin,
            params={"dry_run": False},
            files=[("later.csv", f"{HEADER}\nCN0003,Cy,Test,2018-05-01,,\n".encode())],
        )
    sign_in_by_keyboard(page, admin.email)

    page.goto(reverse("job", args=[job.public_id]))
    expect(page.locator("[data-job-state]")).to_have_text("Waiting to start")
    expect(page.locator("[data-job-refresh-hint]")).to_contain_text("This page follows it.")
    assert_accessible(page)

    job_run(job.pk)  # the worker gets to it
    expect(page.get_by_role("heading", name="later.csv is imported")).to_be_visible()
    assert_accessible(page)
    assert Child.objects.get().case_number == "CN0003"
