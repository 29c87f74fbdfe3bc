"""An administrator and a chair each open My tasks and follow a line to where the work is
done, by keyboard alone; axe-core finds nothing on either page."""

import re
from datetime import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agendas.models import Meeting
from minutes.my_tasks import lines
from permanence.roles import Role
from permanence.workdays import calendar
from tests.factories import PanelFactory, UserFactory

from .keyboard import sign_in_by_keyboard, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meetings():
    chair = UserFactory(roles=[Role.CHAIR], email="chair@council.example", first_name="Cara")
    panel = PanelFactory(slug="torbay", name="Torbay Permanency Panel", chair=chair)
    working_days = calendar()
    today = timezone.localdate()

    def meeting(days_ahead, **fields):
        return Meeting.objects.create(
            panel=panel,
            date=working_days.add_working_days(today, days_ahead),
            starts_at=time(9, 30),
            ends_at=time(12, 30),
            **fields,
        )

    return {
        "chair": chair,
        "to_agree": meeting(8),
        "to_circulate": meeting(12, agenda_agreed_at=timezone.now(), agenda_agreed_by=chair),
    }


def follow_the_line(page, assert_accessible, name: str) -> None:
    page.goto("/tasks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My tasks")
    assert_accessible(page)
    link = page.get_by_role("link", name=re.compile(f"^{name}"))
    expect(link).to_have_count(1)
    link.evaluate("element => element.setAttribute('data-task-line', '')")
    tab_to(page, "[data-task-line]", 40)
    page.keyboard.press("Enter")


def test_the_administrator_follows_a_task_to_circulate_the_agenda(
    page, assert_accessible, meetings
):
    admin = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@council.example")
    sign_in_by_keyboard(page, admin.email)
    follow_the_line(page, assert_accessible, "Circulate the agenda")
    expect(page).to_have_url(
        re.compile(f"/panels/torbay/meetings/{meetings['to_circulate'].pk}/agenda/$")
    )
    expect(page.get_by_role("button", name=re.compile("circulated", re.I))).to_be_visible()
    assert_accessible(page)


def test_the_chair_follows_a_task_to_agree_the_agenda(page, assert_accessible, meetings):
    sign_in_by_keyboard(page, meetings["chair"].email)
    follow_the_line(page, assert_accessible, "Agree the agenda")
    expect(page).to_have_url(
        re.compile(f"/panels/torbay/meetings/{meetings['to_agree'].pk}/agenda/$")
    )
    expect(page.get_by_role("button", name=re.compile("Agree", re.I))).to_be_visible()
    assert_accessible(page)


def test_the_administrator_is_told_where_the_rest_of_a_long_kind_are(
    page, assert_accessible, meetings, monkeypatch
):
    monkeypatch.setattr(lines, "SHOWN_PER_KIND", 1)
    panel = meetings["chair"].panels_chaired.get()
    for days_ago in (3, 4):
        Meeting.objects.create(
            panel=panel,
            date=calendar().add_working_days(timezone.localdate(), -days_ago),
            starts_at=time(9, 30),
            ends_at=time(12, 30),
        )
    admin = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@council.example")
    sign_in_by_keyboard(page, admin.email)
    page.goto("/tasks/")
    expect(page.locator("#more-tasks")).to_contain_text(
        "Minutes to draft: showing the 1 soonest of 2."
    )
    expect(page.get_by_role("link", name=re.compile("^Draft the minutes"))).to_have_count(1)
    assert_accessible(page)
    tab_to(page, "#more-tasks a", 40)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/panels/$"))
