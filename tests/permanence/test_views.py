from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from permanence.models import ClosureDay
from permanence.roles import Role
from tests.factories import DEFAULT_PASSWORD, ClosureDayFactory

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_in_any_case_and_see_role_aware_home(client, make_user):
    make_user(Role.SOCIAL_WORKER, email="sam.worker@council.example", first_name="Sam")
    response = client.post(
        reverse("login"),
        {"username": "Sam.Worker@Council.example", "password": DEFAULT_PASSWORD},
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Hello Sam" in page
    assert "You are signed in as: Social worker" in page
    assert "OFFICIAL-SENSITIVE" in page
    assert "Closure days" not in page  # administrators only


def test_wrong_password_is_refused_with_an_error_summary(client, make_user):
    make_user(Role.CHAIR, email="chair@council.example")
    response = client.post(
        reverse("login"), {"username": "chair@council.example", "password": "wrong"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "_auth_user_id" not in client.session


def test_the_header_shows_the_council_not_gov_uk(client, make_user, settings):
    settings.COUNCIL_NAME = "Somerset Council"
    client.force_login(make_user(Role.ADMINISTRATOR))
    page = client.get(reverse("home")).content.decode()
    assert "Somerset Council" in page
    assert "GOV.UK" not in page
    assert "govuk-header__logotype" not in page  # no crown
    assert '<a class="govuk-service-navigation__link" href="/closure-days/"' in page


def test_password_reset_sends_a_link_without_revealing_whether_the_account_exists(
    client, make_user, django_capture_on_commit_callbacks
):
    make_user(Role.CHAIR, email="chair@council.example")
    for email in ("chair@council.example", "nobody@council.example"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("password_reset"), {"email": email})
        assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["chair@council.example"]
    assert "/password-reset/" in mail.outbox[0].body


def test_administrator_adds_and_removes_a_closure_day(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("closure-days"),
        {"date_0": "29", "date_1": "12", "date_2": "2026", "description": "Christmas closure"},
    )
    assert response.status_code == 302
    day = ClosureDay.objects.get()
    assert (day.date, day.description) == (date(2026, 12, 29), "Christmas closure")
    page = client.get(reverse("closure-days")).content.decode()
    assert "Tuesday 29 December 2026" in page
    assert 'aria-sort="ascending"' in page  # the date column, sorted

    client.post(reverse("closure-day-delete", args=[day.pk]))
    assert not ClosureDay.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("25/12/2026", "already a bank holiday (Christmas Day)"),
        ("26/12/2026", "is a weekend day already"),
        ("30/02/2026", "Date the council is closed must be a real date"),
        ("/12/2026", "Date the council is closed must include a day"),
        ("29/12/26", "Date the council is closed must include a 4-digit year"),
        ("//", "Enter the date the council is closed"),
    ],
)
def test_closure_day_that_is_not_needed_is_refused_with_a_reason(
    client, administrator, value, message
):
    client.force_login(administrator)
    day, month, year = value.split("/")
    response = client.post(
        reverse("closure-days"),
        {"date_0": day, "date_1": month, "date_2": year, "description": "Closed"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ClosureDay.objects.exists()


def test_a_closure_day_cannot_be_added_twice(client, administrator):
    ClosureDayFactory(date=date(2026, 12, 29))
    client.force_login(administrator)
    response = client.post(
        reverse("closure-days"),
        {"date_0": "29", "date_1": "12", "date_2": "2026", "description": "x"},
    )
    assert "already a closure day" in response.content.decode()
    assert ClosureDay.objects.count() == 1


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.CHAIR, Role.SENIOR_MANAGER])
def test_only_administrators_manage_closure_days(client, make_user, role):
    client.force_login(make_user(role))
    day = ClosureDayFactory(date=date(2026, 12, 29))
    assert client.get(reverse("closure-days")).status_code == 403
    assert client.post(reverse("closure-day-delete", args=[day.pk])).status_code == 403
    assert ClosureDay.objects.count() == 1


def test_health_reports_the_database(client):
    response = client.get(reverse("health"))
    assert response.json()["database"] == "ok"


def test_tables_paginate_with_the_govuk_component_and_sort_both_ways(client, administrator):
    first = date(2027, 2, 1)
    for offset in range(30):
        ClosureDayFactory(date=first + timedelta(days=offset))
    client.force_login(administrator)

    page = client.get(reverse("closure-days")).content.decode()
    assert 'aria-label="Pages of results"' in page
    assert 'aria-label="Page 2"' in page
    assert 'rel="next"' in page
    assert "Monday 1 February 2027" in page
    assert "Tuesday 2 March 2027" not in page  # the 30th, on page 2

    page = client.get(reverse("closure-days"), {"page": 2}).content.decode()
    assert "Tuesday 2 March 2027" in page
    assert 'aria-current="page">2<' in page

    page = client.get(reverse("closure-days"), {"sort": "-date"}).content.decode()
    assert 'aria-sort="descending"' in page
    assert page.index("Tuesday 2 March 2027") < page.index("Monday 1 March 2027")
