"""An administrator imports a spreadsheet: a file with a bad row is refused with the line
and the reason, the corrected file is imported, and every state passes axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

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

    page.get_by_label("Upload a CSV file").set_input_files(good)
    page.get_by_role("button", name="Import children").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Imported 2 children: 2 created, 0 updated, 0 unchanged."
    )
    expect(page.get_by_role("table")).to_have_count(0)
    assert_accessible(page)
    assert sorted(Child.objects.values_list("case_number", flat=True)) == ["CN0001", "CN0002"]
