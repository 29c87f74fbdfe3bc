"""Torbay: "a review of the relevance and value of the terms of reference is to be undertaken
annually". The administrator's My tasks shows the review from a month before it is due."""

from datetime import date

import pytest
from django.urls import reverse

from agendas import services as agendas_services
from agendas.models import Panel
from minutes.my_tasks import tasks_of
from minutes.my_tasks.terms_of_reference import reviews
from permanence.roles import Role
from permanence.workdays import Calendar
from tests.factories import PanelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def torbay():
    return PanelFactory(preset="torbay", terms_of_reference_reviewed_on=date(2026, 1, 15))


def shown(today) -> list[tuple[str, date]]:
    return [(task.about, task.due) for task in reviews(today=today)]


def test_the_torbay_preset_reviews_annually_and_reloading_it_keeps_the_last_review(torbay):
    assert torbay.terms_of_reference_review_months == 12
    agendas_services.panel_preset_load(slug="torbay")
    torbay.refresh_from_db()
    assert torbay.terms_of_reference_reviewed_on == date(2026, 1, 15)
    others = Panel.objects.exclude(slug="torbay")
    assert not others.filter(terms_of_reference_review_months__isnull=False).exists()


@pytest.mark.parametrize(
    ("today", "listed"),
    [
        (date(2026, 12, 14), False),  # the day before the month's notice
        (date(2026, 12, 15), True),  # a month before it is due
        (date(2027, 1, 15), True),  # due
        (date(2027, 1, 16), True),  # overdue
    ],
)
def test_the_review_shows_from_a_month_before_it_is_due(torbay, today, listed):
    assert shown(today) == ([(torbay.name, date(2027, 1, 15))] if listed else [])


def test_a_panel_never_reviewed_here_is_due_now(torbay):
    Panel.objects.filter(pk=torbay.pk).update(terms_of_reference_reviewed_on=None)
    (task,) = reviews(today=date(2026, 6, 1))
    assert task.due == date(2026, 6, 1)
    assert task.hint == "No review recorded; reviewed every 12 months"


def test_only_administrators_have_it(torbay, make_user):
    today = date(2027, 1, 16)
    for role, has in (
        (Role.ADMINISTRATOR, True),
        (Role.CHAIR, False),
        (Role.SENIOR_MANAGER, False),
    ):
        lines = tasks_of(make_user(role), today=today, working_days=Calendar()).lines
        assert any(task.kind == "terms" for task in lines) is has


def test_recording_the_review_on_the_panel_page_moves_it_a_year_on(client, make_user, torbay):
    client.force_login(make_user(Role.ADMINISTRATOR))
    url = reverse("agendas:panel-change", args=["torbay"])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="15/01/2026"' in page.content.decode()
    form = page.context["form"]
    data = {
        name: "" if value is None else value
        for name, value in ((name, form[name].value()) for name in form.fields)
    }
    data["terms_of_reference_reviewed_on"] = "20/01/2027"
    data = {name: value for name, value in data.items() if value is not False}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert shown(date(2027, 1, 21)) == []
    assert shown(date(2027, 12, 20)) == [(torbay.name, date(2028, 1, 20))]
