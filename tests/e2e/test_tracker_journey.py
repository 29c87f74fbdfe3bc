"""A manager works the tracker by keyboard and mouse; a social worker sees only their own."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from permanence.roles import Role
from tests.factories import TeamFactory, UserFactory
from tracker import services

from .keyboard import sign_in_by_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def children():
    today = timezone.localdate()
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    worker = UserFactory(roles=[Role.SOCIAL_WORKER], team=north, email="sw@council.example")
    late = services.child_create(
        case_number="CN1001",
        first_name="Ruby",
        last_name="Ashdown",
        team=north,
        social_worker=worker,
        looked_after_since=today - timedelta(days=300),
        proceedings_issued=today - timedelta(days=200),
        legal_status="C1",
    )
    on_time = services.child_create(
        case_number="CN1002",
        first_name="Leo",
        last_name="Morvah",
        team=south,
        looked_after_since=today - timedelta(days=60),
        proceedings_issued=today - timedelta(days=60),
        legal_status="C1",
    )
    return {"worker": worker, "late": late, "on_time": on_time}


def test_manager_filters_by_proceedings_over_26_weeks_opens_the_child_and_downloads(
    page, assert_accessible, children
):
    manager = UserFactory(roles=[Role.SENIOR_MANAGER], email="head@council.example")
    sign_in_by_keyboard(page, manager.email)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Tracker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tracker")
    assert_accessible(page)

    page.locator("summary", has_text="Filter children").press("Enter")  # opens the filters
    page.get_by_label("Drift and delay").select_option("proceedings_over_26_weeks")
    page.get_by_role("button", name="Apply filters").press("Enter")
    table = page.locator("table")
    expect(table).to_contain_text("Ruby Ashdown")
    expect(table).not_to_contain_text("Leo Morvah")
    expect(page.get_by_text("1 child matches these filters")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    assert [row["case_number"] for row in rows] == ["CN1001"]
    assert rows[0]["flags"].split(";") == sorted(
        [
            "no_plan_by_second_review",
            "not_discussed_at_panel",
            "proceedings_over_26_weeks",
            "review_overdue",
        ]
    )

    page.get_by_role("link", name="Ruby Ashdown").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ruby Ashdown")
    deadline = children["late"].proceedings_deadline
    expect(page.get_by_text("with no final order")).to_contain_text(f"{deadline:%-d %B %Y}")
    assert_accessible(page)


def test_social_worker_sees_only_their_own_children_and_a_404_for_another(
    page, assert_accessible, children, live_server
):
    sign_in_by_keyboard(page, children["worker"].email)
    page.goto("/children/")
    expect(page.locator("table")).to_contain_text("Ruby Ashdown")
    expect(page.locator("table")).not_to_contain_text("Leo Morvah")
    assert_accessible(page)

    response = page.goto(f"/children/{children['on_time'].pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert "Leo" not in page.content()
    assert_accessible(page)


def test_tracker_flags_follow_the_as_of_date(page, children):
    manager = UserFactory(roles=[Role.CHAIR], email="chair@council.example")
    sign_in_by_keyboard(page, manager.email)
    earlier = children["late"].proceedings_deadline
    page.goto(f"/children/?flag=proceedings_over_26_weeks&as_of={earlier.isoformat()}")
    expect(page.locator("table")).to_contain_text("No children match these filters.")
    expect(
        page.get_by_role("heading", name=f"Drift and delay as of {earlier:%A %-d %B %Y}")
    ).to_be_visible()
    later = earlier + timedelta(days=1)
    page.goto(f"/children/?flag=proceedings_over_26_weeks&as_of={later.isoformat()}")
    expect(page.locator("table")).to_contain_text("Ruby Ashdown")


def test_manager_finds_a_social_worker_by_typing_their_name(page, assert_accessible, children):
    """Thousands of social workers at a council's size: their names are found as they are
    typed and picked by keyboard, and the link the page makes names the person by number,
    as the drop-down's did."""
    worker = children["worker"]
    worker.first_name, worker.last_name = "Nadia", "Penrose"
    worker.save()
    UserFactory(roles=[Role.SOCIAL_WORKER], first_name="Nadine", last_name="Quayle")
    manager = UserFactory(roles=[Role.SENIOR_MANAGER], email="head@council.example")
    sign_in_by_keyboard(page, manager.email)
    page.goto("/children/")
    page.locator("summary", has_text="Filter children").press("Enter")

    box = page.get_by_role("combobox", name="Social worker")
    box.press_sequentially("nad")
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.first).to_contain_text("Nadia Penrose")
    assert_accessible(page)
    box.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(box).to_have_value("Nadia Penrose")
    page.get_by_role("button", name="Apply filters").press("Enter")

    expect(page).to_have_url(re.compile(rf"social_worker={worker.pk}(&|$)"))
    table = page.locator("table")
    expect(table).to_contain_text("Ruby Ashdown")
    expect(table).not_to_contain_text("Leo Morvah")
    expect(page.get_by_role("combobox", name="Social worker")).to_have_value("Nadia Penrose")
    assert_accessible(page)
