"""An as-of date the tracker cannot read is an error on the field, never counts for today."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from permanence.roles import Role
from tracker import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, make_user):
    with time_machine.travel(datetime(2026, 11, 27, 12, tzinfo=ZoneInfo("Europe/London"))):
        services.child_create(
            case_number="CN00001",
            first_name="Ada",
            last_name="Lovelace",
            proceedings_issued=date(2026, 1, 5),
        )
        client.force_login(make_user(Role.SENIOR_MANAGER))
        yield client


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("31/02/2026", "Flags as of must be a real date, for example 2026-11-27"),
        ("abc", "Flags as of must be a real date, for example 2026-11-27"),
        ("1999-12-31", "Enter a date on or after 1 January 2000"),
    ],
)
def test_an_invalid_as_of_date_shows_the_error_and_no_counts(manager_client, as_of, message):
    response = manager_client.get(reverse("tracker:list"), {"as_of": as_of})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="govuk-error-summary"') == 1
    assert f'<a href="#id_as_of">{message}</a>' in page
    assert "<title>Error: Tracker" in page
    assert "Drift and delay as of" not in page
    assert "govuk-tag--grey" not in page and "govuk-tag--red" not in page
    assert "Ada Lovelace" not in page
    assert "children match" not in page


def test_an_invalid_as_of_date_downloads_nothing(manager_client):
    response = manager_client.get(reverse("tracker:list"), {"as_of": "abc", "export": "csv"})
    assert response["Content-Type"].startswith("text/html")


def test_a_valid_as_of_date_counts_as_of_that_date(manager_client):
    # The 26 weeks from 5 January 2026 end on 5 July: flagged from the 6th.
    page = manager_client.get(reverse("tracker:list"), {"as_of": "2026-07-06"}).content.decode()
    assert "govuk-error-summary" not in page
    assert "Drift and delay as of Monday 6 July 2026" in page
    assert "Ada Lovelace" in page
