"""The outbox page at any size: a page of emails read from an index, newest first, the same
few queries whether the outbox holds a handful of emails or millions; recent ones unless
asked for more; counts of only the emails that need someone."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from permanence import pages
from permanence.models import Notification, NotificationStatus
from permanence.roles import Role
from tests.days import LONDON

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def person(make_user):
    return make_user(Role.SOCIAL_WORKER, email="sam@council.example")


def write(person, count: int, *, ago=timedelta(minutes=1), status=NotificationStatus.SENT):
    """`count` emails, written `ago` before now, a second apart, newest last."""
    start = Notification.objects.count()
    written = Notification.objects.bulk_create(
        Notification(
            key=f"test:{start + n}",
            kind="test_notice",
            about=f"booking:{start + n}",
            recipient=person,
            to=person.email,
            subject=f"Email {start + n}",
            body_text="Hello",
            status=status,
            sent_at=timezone.now() if status == NotificationStatus.SENT else None,
        )
        for n in range(count)
    )
    # auto_now_add sets the time on create: set the times asked for afterwards.
    for n, notification in enumerate(written):
        notification.created_at = timezone.now() - ago + timedelta(seconds=n)
    Notification.objects.bulk_update(written, ["created_at"])
    return written


def subjects(response) -> list[str]:
    return [notification.subject for notification in response.context["page"].object_list]


def test_the_page_costs_the_same_queries_at_any_size(administrator_client, person):
    def queries(**params) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = administrator_client.get(reverse("outbox"), params)
        assert response.status_code == 200
        return len(captured)

    write(person, 3)
    write(person, 2, status=NotificationStatus.FAILED)
    small = [queries(), queries(status="failed"), queries(written="any")]
    write(person, 120)
    write(person, 60, status=NotificationStatus.FAILED)
    write(person, 30, status=NotificationStatus.PENDING, ago=timedelta(days=40))
    large = [queries(), queries(status="failed"), queries(written="any")]
    assert small == large


def test_older_and_newer_walk_every_email_once_in_order(administrator_client, person):
    written = write(person, 120)
    # Two emails written in the same instant are told apart by their ids.
    Notification.objects.filter(pk__in=[written[60].pk, written[61].pk]).update(
        created_at=written[60].created_at
    )
    newest_first = [n.subject for n in reversed(written)]
    newest_first[58:60] = [written[61].subject, written[60].subject]

    first = administrator_client.get(reverse("outbox"))
    assert subjects(first) == newest_first[:50]
    assert first.context["page"].newer == ""
    older = first.context["page"].older
    second = administrator_client.get(reverse("outbox"), {"older": older})
    assert subjects(second) == newest_first[50:100]
    third = administrator_client.get(reverse("outbox"), {"older": second.context["page"].older})
    assert subjects(third) == newest_first[100:]
    assert third.context["page"].older == ""
    back = administrator_client.get(reverse("outbox"), {"newer": third.context["page"].newer})
    assert subjects(back) == newest_first[50:100]
    home = administrator_client.get(reverse("outbox"), {"newer": back.context["page"].newer})
    assert subjects(home) == newest_first[:50]
    assert home.context["page"].newer == ""
    page = home.content.decode()
    assert f"older={home.context['page'].older}" in page and "newer=" not in page


@pytest.mark.parametrize("position", ["", "nonsense", "12-", "-12", "99999999999999999999999-1"])
def test_an_edited_position_starts_from_the_newest(administrator_client, person, position):
    write(person, 3)
    response = administrator_client.get(reverse("outbox"), {"older": position})
    assert subjects(response) == ["Email 2", "Email 1", "Email 0"]


def test_recent_emails_by_default_and_any_time_when_asked(administrator_client, person):
    write(person, 1, ago=timedelta(days=30, minutes=1))  # Email 0, just outside
    write(person, 1, ago=timedelta(days=29, hours=23))  # Email 1, just inside
    response = administrator_client.get(reverse("outbox"))
    assert subjects(response) == ["Email 1"]
    page = response.content.decode()
    assert "Emails written in the last 30 days, newest first" in page
    assert '<option value="30" selected>In the last 30 days</option>' in page

    assert subjects(administrator_client.get(reverse("outbox"), {"written": "any"})) == [
        "Email 1",
        "Email 0",
    ]
    assert subjects(administrator_client.get(reverse("outbox"), {"written": "7"})) == []
    assert "No emails written in the last 7 days." in (
        administrator_client.get(reverse("outbox"), {"written": "7"}).content.decode()
    )
    # Anything else is the default.
    assert subjects(administrator_client.get(reverse("outbox"), {"written": "90"})) == ["Email 1"]


def test_only_waiting_and_failed_emails_are_counted_within_the_window(administrator_client, person):
    write(person, 4)
    write(person, 2, status=NotificationStatus.FAILED)
    write(person, 1, status=NotificationStatus.FAILED, ago=timedelta(days=45))
    write(person, 3, status=NotificationStatus.PENDING)
    page = administrator_client.get(reverse("outbox")).content.decode()
    links = re.findall(r'href="\?written=30(?:&amp;status=\w+)?"[^>]*>([^<]+)</a>', page)
    assert links == ["All", "Waiting to send (3)", "Sent", "Failed (2)"]
    whole = administrator_client.get(reverse("outbox"), {"written": "any"}).content.decode()
    assert "Failed (3)" in whole

    failed = administrator_client.get(reverse("outbox"), {"status": "failed", "written": "any"})
    assert len(subjects(failed)) == 3
    assert "Emails written at any time: failed, newest first" in failed.content.decode()


def test_the_count_stops_one_past_its_limit(person):
    write(person, 5)
    assert pages.count_up_to(Notification.objects.all(), limit=3) == 4
    assert pages.count_up_to(Notification.objects.all(), limit=5) == 5


def test_a_count_past_the_limit_says_more_than(administrator_client, person, monkeypatch):
    monkeypatch.setattr(pages, "COUNTED_UP_TO", 2)
    write(person, 2, status=NotificationStatus.FAILED)
    write(person, 3, status=NotificationStatus.PENDING)
    page = administrator_client.get(reverse("outbox")).content.decode()
    assert "Waiting to send (more than 2)" in page and "Failed (2)" in page
