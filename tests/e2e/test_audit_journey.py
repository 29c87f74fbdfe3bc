"""An administrator opens a child's record, then finds their own look in the audit by the
child's case number, downloads it as CSV, and checks how long the record is kept. Every
page passes axe-core, and the search is done by keyboard."""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from permanence.roles import Role
from tests.factories import UserFactory
from tracker import services as tracker_services

from .keyboard import activate, sign_in_by_keyboard, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_finds_their_own_look_at_a_child_in_the_audit(page, assert_accessible):
    admin = UserFactory(
        roles=[Role.ADMINISTRATOR], email="abe@council.example", first_name="Abe", last_name="Admin"
    )
    child = tracker_services.child_create(
        case_number="CN4455",
        first_name="Ada",
        last_name="Lovelace",
        date_of_birth=date(2015, 3, 14),
        looked_after_since=date(2025, 1, 6),
    )
    sign_in_by_keyboard(page, admin.email)

    page.goto(reverse("tracker:child", args=[child.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lovelace")
    expect(page.locator("#disposal-date")).to_contain_text("14 March 2090")
    expect(page.get_by_role("heading", name="Who has looked at this record")).to_be_visible()
    assert_accessible(page)

    # The audit, searched for the child by keyboard.
    page.goto(reverse("audit:search"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit")
    assert_accessible(page)
    type_into(page, "#id_case_number", "CN4455")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"case_number=CN4455"))
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Abe Admin")
    expect(rows.first).to_contain_text("Viewed")
    expect(rows.first).to_contain_text("Child AL (CN4455)")
    expect(page.get_by_role("table")).not_to_contain_text("Lovelace")
    assert_accessible(page)

    with page.expect_download() as download:
        activate(page, "a[href^='/audit/download.csv']")
    assert re.fullmatch(r"audit-\d{4}-\d{2}-\d{2}\.csv", download.value.suggested_filename)
    with open(download.value.path(), encoding="utf-8-sig") as file:
        found = list(csv.reader(io.StringIO(file.read())))
    assert found[0][:3] == ["at", "user", "action"]
    assert [(row[1], row[2], row[6]) for row in found[1:]] == [
        ("abe@council.example", "viewed", "CN4455")
    ]

    # Back on the child's page, the short list now shows the look, with its link.
    page.goto(reverse("tracker:child", args=[child.pk]))
    looked = page.get_by_role("region", name="Who has looked at this record")
    expect(looked).to_contain_text("Abe Admin, viewed: Child AL (CN4455)")
    activate(page, "a[href='/audit/?case_number=CN4455']")
    expect(page).to_have_url(re.compile(r"/audit/\?case_number=CN4455$"))
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(2)

    page.goto(reverse("tracker:legal-hold", args=[child.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Legal hold")
    assert_accessible(page)
    page.goto(reverse("tracker:retention"))
    expect(page.get_by_text("No record is past its disposal date.")).to_be_visible()
    assert_accessible(page)
