"""My tasks: the chair is asked for the month's theme (Lancashire's agenda item 5) from the
day the panel asks for it, 15 working days before the panel, and it is due by the day the
agenda is agreed, so the agenda the chair agrees names it.

Lancashire's panel on Wednesday 13 January 2027: asked on Friday 18 December 2026, due
Wednesday 6 January 2027 (tests/agendas/test_theme_request.py counts them by hand).
"""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agendas import services
from minutes.my_tasks import tasks_of
from permanence.roles import Role
from permanence.workdays import calendar

pytestmark = pytest.mark.django_db

ASKED_ON = date(2026, 12, 18)


def theme_tasks(user, today: date) -> list:
    with time_machine.travel(today, tick=False):
        tasks = tasks_of(user, today=today, working_days=calendar())
    return [task for task in tasks.lines if task.kind == "theme"]


def test_the_chair_is_asked_from_the_day_the_panel_asks(chair, meetings):
    january = meetings[0]
    assert theme_tasks(chair, date(2026, 12, 17)) == []  # the day before
    for day in (ASKED_ON, date(2026, 12, 21)):  # the day, and the working day after
        [task] = theme_tasks(chair, day)
        assert task.action == "Give the theme for the month"
        assert task.url == reverse("agendas:meeting-theme", args=["lancashire", january.pk])
        assert task.about == "Lancashire Permanence Panel, Wednesday 13 January 2027"
        assert task.due == date(2027, 1, 6)
        assert "Asked for on Friday 18 December 2026" in task.hint


def test_february_is_listed_from_its_own_day(chair, meetings):
    # 15 working days before Wednesday 10 February 2027 is Wednesday 20 January; the agenda
    # is agreed by Wednesday 3 February.
    january, february = meetings[0], meetings[1]
    services.meeting_update(meeting=january, theme="Life story work")
    assert theme_tasks(chair, date(2027, 1, 19)) == []
    [task] = theme_tasks(chair, date(2027, 1, 20))
    assert (task.url, task.due) == (
        reverse("agendas:meeting-theme", args=["lancashire", february.pk]),
        date(2027, 2, 3),
    )


def test_the_line_goes_when_the_theme_is_given_or_the_meeting_is_held(chair, meetings):
    january = meetings[0]
    assert theme_tasks(chair, date(2027, 1, 13))  # the day of the panel, still none
    assert theme_tasks(chair, date(2027, 1, 14)) == []  # held
    services.meeting_update(meeting=january, theme="Life story work")
    assert theme_tasks(chair, ASKED_ON) == []


def test_the_deputy_is_asked_and_a_member_and_administrator_are_not(
    lancashire, meetings, make_user, administrator
):
    deputy, member = make_user(Role.CHAIR), make_user(Role.PANEL_MEMBER)
    services.panel_update(panel=lancashire, deputy_chair=deputy)
    services.panel_membership_create(panel=lancashire, role_on_panel="Health", user=member)
    assert len(theme_tasks(deputy, ASKED_ON)) == 1
    assert theme_tasks(member, ASKED_ON) == []
    assert theme_tasks(administrator, ASKED_ON) == []


def test_a_panel_that_asks_for_no_theme_lists_none(chair, lancashire, meetings):
    services.panel_update(panel=lancashire, theme_request_days=None)
    assert theme_tasks(chair, ASKED_ON) == []


def test_the_page_shows_it_with_its_link(client, chair, meetings):
    with time_machine.travel(ASKED_ON, tick=False):
        client.force_login(chair)
        page = client.get(reverse("minutes:my-tasks")).content.decode()
    assert "Themes to give" in page
    url = reverse("agendas:meeting-theme", args=["lancashire", meetings[0].pk])
    assert f'<a class="govuk-link" href="{url}">Give the theme for the month' in page
    assert "Wednesday 6 January 2027" in page


def test_the_themes_cost_one_query_however_many(chair, lancashire, meetings):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            theme_tasks(chair, date(2027, 1, 20))
        return len(ctx)

    # On 20 January 2027 February's theme is asked for (the first call reads the roles).
    assert len(theme_tasks(chair, date(2027, 1, 20))) == 1
    one = queries()
    # Asked 40 working days before, March's is asked for by then too.
    services.panel_update(panel=lancashire, theme_request_days=-40)
    assert len(theme_tasks(chair, date(2027, 1, 20))) == 2
    assert queries() == one
