"""The audit (issue 14): append-only, sign-ins and changes recorded, searched by
administrators, and shown on a child's page. tests/test_audit_coverage.py proves every
child-data page writes its entry."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from permanence import tasks
from permanence.audit.services import audit_entry_record
from permanence.models import AppendOnly, AuditAction, AuditEntry
from permanence.roles import Role
from tests.factories import DEFAULT_PASSWORD, DecisionFactory

pytestmark = pytest.mark.django_db


def entries(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("pk"))


def downloaded_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# Append-only ------------------------------------------------------------------------


def test_an_entry_is_never_changed_or_removed_through_the_models(administrator):
    entry = audit_entry_record(action=AuditAction.VIEWED, user=administrator, label="Child AL")
    entry.label = "Something else"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(label="Something else")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).label == "Child AL"


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE permanence_auditentry SET label = 'rewritten'",
        "DELETE FROM permanence_auditentry",
        # What the test database may do between tests, a connection of the service may not.
        "SET CONSTRAINTS ALL IMMEDIATE; SET LOCAL permanence.audit_truncate = ''; "
        "TRUNCATE permanence_auditentry",
    ],
)
def test_postgresql_itself_refuses_to_change_or_remove_an_entry(administrator, statement):
    audit_entry_record(action=AuditAction.VIEWED, user=administrator, label="Child AL")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        for part in statement.split("; "):
            cursor.execute(part)
    assert AuditEntry.objects.filter(label="Child AL").count() == 1


@pytest.mark.postgres
def test_postgresql_still_takes_new_entries(administrator):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO permanence_auditentry (username, at, action, object_type, object_id,"
            " label, case_number, path) VALUES ('a@b', now(), 'viewed', '', '', 'x', '', '')"
        )
    assert AuditEntry.objects.filter(label="x").exists()


# Signing in and out ---------------------------------------------------------------------


def test_signing_in_out_and_failing_are_recorded_without_the_password(client, make_user):
    person = make_user(Role.SOCIAL_WORKER, email="sam@council.example")
    login = reverse("login")
    client.post(login, {"username": "sam@council.example", "password": "Not-the-password-1"})
    client.post(login, {"username": "nobody@council.example", "password": "Guess-number-2"})
    client.post(login, {"username": "sam@council.example", "password": DEFAULT_PASSWORD})
    client.post(reverse("logout"))
    recorded = [
        (entry.action, entry.user, entry.username)
        for entry in entries(action__in=["sign-in-failed", "signed-in", "signed-out"])
    ]
    assert recorded == [
        (AuditAction.SIGN_IN_FAILED, None, "sam@council.example"),
        (AuditAction.SIGN_IN_FAILED, None, "nobody@council.example"),
        (AuditAction.SIGNED_IN, person, "sam@council.example"),
        (AuditAction.SIGNED_OUT, person, "sam@council.example"),
    ]
    assert all(entry.ip_address == "127.0.0.1" for entry in entries())
    assert all(entry.path == login for entry in entries()[:3])
    stored = " ".join(
        " ".join(str(value) for value in row)
        for row in AuditEntry.objects.values_list("username", "label", "path")
    )
    assert "Not-the-password-1" not in stored and "Guess-number-2" not in stored


def test_a_very_long_typed_address_is_cut_not_refused(rf):
    authenticate(rf.post("/sign-in/"), username="x" * 5000, password="whatever")
    (entry,) = entries(action=AuditAction.SIGN_IN_FAILED)
    assert len(entry.username) == 254


# Changes to decisions and the minutes -------------------------------------------------


def test_recording_a_decision_is_recorded_against_the_child(booking, chair):
    with time_machine.travel(booking.meeting.date, tick=False):
        decision = DecisionFactory(booking=booking, recorded_by=chair)
    # Recording the first decision also starts the meeting's minutes.
    (entry,) = entries(action=AuditAction.CHANGED, object_type="minutes.decision")
    assert (entry.user, entry.object_type, entry.object_id, entry.case_number) == (
        chair,
        "minutes.decision",
        str(decision.pk),
        "100234",
    )
    assert entry.label == f"Decision {decision.pk} for AL (100234)"


def test_saving_the_minutes_notes_is_recorded_with_who_saved_them(
    administrator_client, administrator, booking, chair
):
    meeting = booking.meeting
    with time_machine.travel(meeting.date, tick=False):
        DecisionFactory(booking=booking, recorded_by=chair)
    url = reverse("minutes:minutes", args=[meeting.panel.slug, meeting.pk])
    with time_machine.travel(meeting.date, tick=False):
        administrator_client.force_login(administrator)
        before = AuditEntry.objects.count()
        response = administrator_client.post(url, {"notes": "Any other business: none."})
    assert response.status_code == 302
    (entry,) = AuditEntry.objects.order_by("pk")[before:]
    assert (entry.user, entry.object_type, entry.case_number, entry.path) == (
        administrator,
        "minutes.minutes",
        "",
        url,
    )


# The audit page -------------------------------------------------------------------------


@pytest.fixture
def history(administrator, make_user):
    """Three looks at two children by two people, on three days."""
    sam = make_user(Role.SOCIAL_WORKER, first_name="Sid", email="sid@council.example")
    rows = [
        (datetime(2026, 11, 2, 9), sam, "100234"),
        (datetime(2026, 11, 3, 9), administrator, "100234"),
        (datetime(2026, 11, 4, 9), sam, "200345"),
    ]
    for when, who, case_number in rows:
        with time_machine.travel(timezone.make_aware(when), tick=False):
            audit_entry_record(
                action=AuditAction.VIEWED,
                user=who,
                label=f"Child XX ({case_number})",
                case_number=case_number,
            )
    return sam


def found(client, **query) -> list[tuple]:
    response = client.get(reverse("audit:search"), query)
    assert response.status_code == 200
    return [
        (entry.user.first_name, entry.case_number)
        for entry in response.context["page"].object_list
        if entry.action == AuditAction.VIEWED and entry.case_number
    ]


def test_administrators_search_by_person_child_and_dates(administrator_client, history):
    sam, admin = history.first_name, AuditEntry.objects.get(at__day=3).user.first_name
    # From emptied: the whole audit, rather than the recent days the page opens on.
    assert found(administrator_client, since="") == [
        (sam, "200345"),
        (admin, "100234"),
        (sam, "100234"),
    ]
    assert found(administrator_client, user=history.pk) == [(sam, "200345"), (sam, "100234")]
    # A name typed finds the entries of everyone whose name or email holds every word.
    assert found(administrator_client, since="", who="sid") == [(sam, "200345"), (sam, "100234")]
    assert found(administrator_client, since="", who="SID council") == [
        (sam, "200345"),
        (sam, "100234"),
    ]
    assert found(administrator_client, since="", who="sid nobody") == []
    assert found(administrator_client, case_number=" 100234 ") == [
        (admin, "100234"),
        (sam, "100234"),
    ]
    # Both ends of the range are included.
    assert found(administrator_client, since="2026-11-03", until="2026-11-03") == [
        (admin, "100234")
    ]
    assert found(administrator_client, since="2026-11-03") == [(sam, "200345"), (admin, "100234")]


def test_an_impossible_date_is_a_message_on_the_field(administrator_client, history):
    response = administrator_client.get(reverse("audit:search"), {"since": "2026-02-31"})
    assert response.status_code == 200
    assert "From must be a real date" in response.content.decode()
    assert list(response.context["page"].object_list) == []


def test_the_audit_is_paged_by_the_database(administrator_client, administrator):
    for n in range(120):
        audit_entry_record(action=AuditAction.VIEWED, user=administrator, case_number=f"C{n}")
    search = {"action": AuditAction.VIEWED}
    first = administrator_client.get(reverse("audit:search"), search)
    assert "120 entries, newest first" in first.content.decode()
    second = administrator_client.get(
        reverse("audit:search"), {**search, "older": first.context["page"].older}
    )
    third = administrator_client.get(
        reverse("audit:search"), {**search, "older": second.context["page"].older}
    )
    shown = [
        entry.case_number
        for response in (first, second, third)
        for entry in response.context["page"].object_list
    ]
    assert shown == [f"C{n}" for n in reversed(range(120))]
    assert third.context["page"].older == ""
    assert f"action=viewed&amp;newer={third.context['page'].newer}" in third.content.decode()


def test_the_page_costs_the_same_queries_at_any_size(administrator_client, administrator):
    def queries(**search) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = administrator_client.get(reverse("audit:search"), search)
        assert response.status_code == 200 and response.context["page"].object_list
        return len(captured)

    def record(count):
        for _ in range(count):
            audit_entry_record(action=AuditAction.VIEWED, user=administrator, case_number="C1")
            audit_entry_record(action=AuditAction.REFUSED, user=administrator)

    record(2)
    searches = (
        {},
        {"case_number": "C1"},
        {"action": "refused"},
        {"user": administrator.pk},
        {"who": administrator.email},
    )
    small = [queries(**search) for search in searches]
    record(80)
    assert [queries(**search) for search in searches] == small


def test_the_page_does_not_list_every_account(administrator_client, make_user):
    """A region has thousands of accounts: the Who box takes a name, not a list of them."""
    people = [make_user(Role.SOCIAL_WORKER, email=f"worker{n}@council.example") for n in range(5)]
    page = administrator_client.get(reverse("audit:search")).content.decode()
    assert 'name="who"' in page
    assert not any(person.email in page for person in people)
    linked = administrator_client.get(reverse("audit:search"), {"user": people[0].pk})
    assert "Only what" in linked.content.decode()
    assert f'name="user" value="{people[0].pk}"' in linked.content.decode()


def test_the_page_opens_on_the_last_30_days_and_says_so(administrator_client, administrator):
    now = timezone.now()
    for days in (31, 30):
        with time_machine.travel(now - timedelta(days=days), tick=False):
            audit_entry_record(
                action=AuditAction.VIEWED, user=administrator, case_number=f"C{days}"
            )
    response = administrator_client.get(reverse("audit:search"))
    page = response.content.decode()
    assert "Showing the last 30 days." in page
    since = (timezone.localdate() - timedelta(days=30)).isoformat()
    assert f'value="{since}"' in page  # the From the search was made with
    shown = [entry.case_number for entry in response.context["page"].object_list]
    assert shown[-1] == "C30" and "C31" not in shown
    # Its download is the same search.
    assert f'href="{reverse("audit:download")}?since={since}"' in page
    everything = found_entries(administrator_client, since="")
    assert "C31" in [entry.case_number for entry in everything]


def found_entries(client, **query):
    return client.get(reverse("audit:search"), query).context["page"].object_list


def test_the_days_are_the_councils_from_midnight_to_midnight(administrator_client, administrator):
    """In summer time the council's midnight is 23:00 the evening before in UTC."""
    for when in ("2026-07-01 23:00", "2026-07-02 22:59:59", "2026-07-02 23:00"):
        at = datetime.fromisoformat(when).replace(tzinfo=UTC)
        with time_machine.travel(at, tick=False):
            audit_entry_record(action=AuditAction.VIEWED, user=administrator, label=when)
    response = administrator_client.get(
        reverse("audit:search"), {"since": "2026-07-02", "until": "2026-07-02"}
    )
    labels = [entry.label for entry in response.context["page"].object_list]
    assert labels == ["2026-07-02 22:59:59", "2026-07-01 23:00"]


def test_the_download_holds_what_the_search_found_with_formulas_neutralised(
    administrator_client, administrator, history
):
    audit_entry_record(
        action=AuditAction.SIGN_IN_FAILED, username='=HYPERLINK("http://evil")', label=""
    )
    response = administrator_client.get(reverse("audit:download"), {"case_number": "100234"})
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    rows = downloaded_csv(response)
    assert rows[0][:3] == ["at", "user", "action"]
    assert [(row[1], row[6]) for row in rows[1:]] == [
        (administrator.email, "100234"),
        ("sid@council.example", "100234"),
    ]
    everything = downloaded_csv(administrator_client.get(reverse("audit:download")))
    assert [row[1] for row in everything if "evil" in row[1]] == ['\'=HYPERLINK("http://evil")']
    # Downloading the audit is itself recorded.
    assert entries(action=AuditAction.EXPORTED, path=reverse("audit:download"))


def test_no_one_else_reads_the_audit(client, make_user):
    for role in (Role.CHAIR, Role.SENIOR_MANAGER, Role.TEAM_MANAGER, Role.SOCIAL_WORKER):
        client.force_login(make_user(role))
        assert client.get(reverse("audit:search")).status_code == 403
        assert client.get(reverse("audit:download")).status_code == 403


# On the child's page -------------------------------------------------------------------


def test_administrators_see_who_has_looked_at_the_record(
    administrator_client, administrator, ada, social_worker
):
    others = Client()
    others.force_login(social_worker)
    child_page = reverse("tracker:child", args=[ada.pk])
    others.get(child_page)
    administrator_client.get(child_page)
    page = administrator_client.get(child_page).content.decode()
    section = page[page.index("Who has looked at this record") :]
    assert f"{administrator}, viewed: Child AL (100234)" in section
    assert f"{social_worker}, viewed: Child AL (100234)" in section
    assert f"{reverse('audit:search')}?case_number=100234" in section

    assert "Who has looked at this record" not in others.get(child_page).content.decode()


# Sessions -------------------------------------------------------------------------------


def test_expired_sessions_are_cleared_every_night(settings, client, administrator):
    schedule = settings.CELERY_BEAT_SCHEDULE["clear-sessions"]
    assert schedule["task"] == "permanence.tasks.clear_sessions"
    client.force_login(administrator)
    Session.objects.create(
        session_key="expired",
        session_data="",
        expire_date=timezone.make_aware(datetime(2020, 1, 1)),
    )
    tasks.clear_sessions.delay()
    # The signed-in session stays.
    assert list(Session.objects.values_list("session_key", flat=True)) == [
        client.session.session_key
    ]


def test_the_admin_shows_the_audit_to_read_only(client, administrator, make_user):
    superuser = make_user(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    entry = AuditEntry.objects.latest("pk")
    change = reverse("admin:permanence_auditentry_change", args=[entry.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="label"' not in page.content.decode()
    assert client.post(change, {"label": "rewritten"}).status_code == 403
    assert client.get(reverse("admin:permanence_auditentry_add")).status_code == 403
    delete = reverse("admin:permanence_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).label == entry.label


def test_a_range_that_ends_before_it_starts_is_refused_on_the_field(administrator_client):
    response = administrator_client.get(
        reverse("audit:search"), {"since": "2026-11-05", "until": "2026-11-04"}
    )
    assert "To must be the same as or after From" in response.content.decode()


@pytest.mark.parametrize(
    ("peer", "forwarded", "recorded"),
    [
        # No proxy trusted: the peer, whatever a client writes in the header.
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),
        # Through the council's proxy: the address it was given, not one the client wrote.
        ("10.0.0.5", "198.51.100.1, 192.0.2.44", "192.0.2.44"),
        ("10.0.0.5", "192.0.2.44, 10.0.0.6", "192.0.2.44"),
        ("10.0.0.5", "not-an-address", "10.0.0.5"),
        ("10.0.0.5", "", "10.0.0.5"),
    ],
)
def test_the_address_is_the_clients_behind_a_trusted_proxy(
    rf, settings, administrator, peer, forwarded, recorded
):
    settings.TRUSTED_PROXY_IPS = ["10.0.0.5", "10.0.0.6"]
    request = rf.get("/children/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    entry = audit_entry_record(action=AuditAction.VIEWED, user=administrator, request=request)
    assert entry.ip_address == recorded
