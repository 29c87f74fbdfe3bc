"""Referrals (North Somerset 3.2-3.3): sent by team managers, social workers and Business
Intelligence; the administrators told once and given 3 working days; accepted onto the
tracker (then the next available panel) or declined."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minutes.my_tasks import tasks_of
from permanence import services as permanence_services
from permanence.models import Notification
from permanence.roles import Role
from permanence.workdays import Calendar, calendar
from tests.days import LONDON
from tests.factories import ChildFactory, MeetingFactory, PanelFactory, TeamFactory
from tracker import services
from tracker.models import Child, Referral, ReferralStatus
from tracker.selectors import with_deadlines

pytestmark = pytest.mark.django_db

# Looked after on Friday 11 December 2026; the referral is sent on Monday 14th, due by
# Thursday 17th.
HAPPENED, SENT, DUE = date(2026, 12, 11), date(2026, 12, 14), date(2026, 12, 17)


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=LONDON), tick=False)


@pytest.fixture
def north_somerset():
    return PanelFactory(preset="north-somerset")


@pytest.fixture
def send(team_manager):
    def send(by=None, on=SENT, **fields):
        details = {
            "kind": "looked_after",
            "happened_on": HAPPENED,
            "case_number": "NS2001",
            "first_name": "Nia",
            "last_name": "Newton",
            "date_of_birth": date(2019, 3, 27),
        } | fields
        with at(on):
            return services.referral_send(sent_by=by or team_manager, **details)

    return send


# Sending ----------------------------------------------------------------------------------


def test_a_team_manager_refers_a_new_child_for_their_team(send, team_manager):
    referral = send()
    assert referral.status == ReferralStatus.OPEN
    assert referral.team == team_manager.team
    assert referral.child is None
    assert referral.sent_on == SENT


def test_a_child_the_sender_can_see_is_linked_but_another_teams_is_not(
    send, social_worker, make_user
):
    own = ChildFactory(case_number="NS3000", social_worker=social_worker)
    assert send(by=social_worker, case_number="ns3000").child == own
    other = make_user(Role.SOCIAL_WORKER, team=TeamFactory(name="West"))
    referral = send(by=other, case_number="NS3000")
    assert referral.child is None, "the referral must not reveal another team's child"


def test_business_intelligence_sends_but_an_administrator_or_chair_does_not(
    send, make_user, administrator, chair
):
    assert send(by=make_user(Role.BUSINESS_INTELLIGENCE)).pk
    for person in (administrator, chair):
        with pytest.raises(ValidationError, match="Only team managers"):
            send(by=person)


def test_a_change_in_the_legal_process_names_the_new_legal_status(send):
    with pytest.raises(ValidationError) as refused:
        send(kind="legal_change")
    assert refused.value.message_dict == {"legal_status": ["Choose the child's new legal status"]}
    assert send(kind="legal_change", legal_status="C2").legal_status == "C2"


def test_every_administrator_is_emailed_once_with_initials_and_case_number_only(
    send, make_user, django_capture_on_commit_callbacks
):
    first, second = make_user(Role.ADMINISTRATOR), make_user(Role.ADMINISTRATOR)
    make_user(Role.ADMINISTRATOR, is_active=False)
    referral = send()
    emails = Notification.objects.filter(kind="referral_sent")
    assert {email.recipient for email in emails} == {first, second}
    assert {email.subject for email in emails} == {"Referral: NN (NS2001), became looked after"}
    assert "Nia" not in emails[0].body_text and "Newton" not in emails[0].body_text
    assert "Thursday 17 December 2026" in emails[0].body_text
    assert services.referral_notify(referral=referral) == 2  # the same rows, not new ones
    assert emails.count() == 2


# The deadline -----------------------------------------------------------------------------


def referral_tasks(admin, day: date):
    fresh = type(admin).objects.get(pk=admin.pk)  # roles are read once, as per request
    lines = tasks_of(fresh, today=day, working_days=calendar()).lines
    return [task for task in lines if task.kind == "referral"]


def referral_lines(admin, day: date):
    return [(task.about, task.due) for task in referral_tasks(admin, day)]


def test_my_tasks_shows_each_open_referral_due_3_working_days_after_sending(send, administrator):
    send()
    assert referral_lines(administrator, SENT) == [("Nia Newton, case number NS2001", DUE)]


@pytest.mark.parametrize(
    ("day", "tag"),
    [
        (date(2026, 12, 16), "Open"),  # the day before
        (DUE, "Due today"),
        (date(2026, 12, 18), "Overdue"),  # the day after
    ],
)
def test_the_queue_tags_the_deadline_the_day_before_of_and_after(
    send, client, administrator, day, tag
):
    send()
    with at(day):
        client.force_login(administrator)  # a sign-in lasts 8 hours: sign in that day
        page = client.get(reverse("referrals:list")).content.decode()
    assert f">{tag}</strong> by Thursday 17 December 2026" in page


def test_across_christmas_the_bank_holidays_do_not_count(send, administrator):
    # Sent Wednesday 23 December: 24th, then 29th and 30th (25th and the 28th substitute
    # for Boxing Day are bank holidays).
    send(on=date(2026, 12, 23), happened_on=date(2026, 12, 22))
    assert referral_lines(administrator, date(2026, 12, 23)) == [
        ("Nia Newton, case number NS2001", date(2026, 12, 30))
    ]


def test_a_closure_day_moves_the_deadline(send, administrator):
    send()
    permanence_services.closure_day_create(date=date(2026, 12, 16), description="Closure")
    assert referral_lines(administrator, SENT)[0][1] == date(2026, 12, 18)


@pytest.mark.parametrize(
    ("sent", "late"),
    [(date(2026, 12, 16), 0), (date(2026, 12, 17), 1)],  # 3 working days after; then 4
)
def test_sent_late_when_more_than_3_working_days_after_it_happened(send, administrator, sent, late):
    referral = send(on=sent)
    [task] = referral_tasks(administrator, sent)
    assert task.hint.endswith(", 1 working day late") is bool(late)
    assert with_deadlines([referral], Calendar())[0].days_late == late


# Accepting and declining ------------------------------------------------------------------


def test_accepting_adds_the_child_with_the_referral_in_their_history(
    send, administrator, north_somerset, team_manager
):
    referral = send()
    with at(date(2026, 12, 15)):
        child = services.referral_accept(referral=referral, by=administrator, panel=north_somerset)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.child == child
    assert (child.case_number, child.looked_after_since, child.panel) == (
        "NS2001",
        HAPPENED,
        north_somerset,
    )
    assert child.team_manager == team_manager and child.social_worker is None
    assert child.team == team_manager.team
    record = child.history.get()
    assert record.history_change_reason == (
        f"Referral {referral.pk}: became looked after on Friday 11 December 2026"
    )
    assert record.history_user == administrator


def test_accepting_updates_the_child_with_the_case_number(send, administrator, north_somerset):
    child = ChildFactory(case_number="NS2001", panel=north_somerset)
    child = services.child_update(child=child, pre_proceedings_start=date(2026, 11, 2))
    referral = send(case_number="ns2001", kind="legal_change", legal_status="C1")
    services.referral_accept(referral=referral, by=administrator)
    child.refresh_from_db()
    assert child.legal_status == "C1"
    assert child.history.first().history_change_reason.startswith(f"Referral {referral.pk}:")
    assert Child.objects.count() == 1


def test_accepting_refuses_a_looked_after_date_that_differs_from_the_record(send, administrator):
    services.child_create(
        case_number="NS2001", first_name="Nia", last_name="Newton", looked_after_since=HAPPENED
    )
    referral = send(happened_on=date(2026, 12, 10))
    with pytest.raises(ValidationError, match="already recorded as Friday 11 December 2026"):
        services.referral_accept(referral=referral, by=administrator)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OPEN


def test_a_referral_is_decided_once_and_declined_with_a_reason(send, administrator):
    referral = send()
    with pytest.raises(ValidationError):
        services.referral_decline(referral=referral, by=administrator, reason="  ")
    services.referral_decline(referral=referral, by=administrator, reason="A duplicate")
    with pytest.raises(ValidationError, match="already declined"):
        services.referral_accept(referral=referral, by=administrator)
    referral.refresh_from_db()
    assert (referral.status, referral.declined_reason) == (ReferralStatus.DECLINED, "A duplicate")


def test_only_an_administrator_decides(send, team_manager):
    with pytest.raises(ValidationError, match="Only panel administrators"):
        services.referral_accept(referral=send(), by=team_manager)


# Pages ------------------------------------------------------------------------------------


def test_the_form_sends_and_shows_the_referral_to_its_sender(client, team_manager):
    with at(SENT):
        client.force_login(team_manager)
        response = client.post(
            reverse("referrals:new"),
            {
                "case_number": "NS2001",
                "first_name": "Nia",
                "last_name": "Newton",
                "kind": "looked_after",
                "happened_on_0": "11",
                "happened_on_1": "12",
                "happened_on_2": "2026",
                "legal_status": "V2",
            },
        )
    referral = Referral.objects.get()
    assert response.url == reverse("referrals:detail", args=[referral.pk])
    mine = client.get(reverse("referrals:mine")).content.decode()
    assert "Nia Newton" in mine and "Waiting" not in mine


def test_the_form_starts_with_a_childs_details_from_their_page(client, social_worker, ada):
    client.force_login(social_worker)
    page = client.get(reverse("referrals:new") + f"?child={ada.pk}").content.decode()
    assert 'value="100234"' in page and 'value="Lovelace"' in page


def test_the_queue_lists_open_referrals_first_oldest_first(send, client, administrator):
    oldest = send(on=date(2026, 12, 7), case_number="A1")
    newest = send(on=date(2026, 12, 9), case_number="B2")
    decided = send(on=date(2026, 12, 1), case_number="C3")
    services.referral_decline(referral=decided, by=administrator, reason="Sent in error")
    with at(SENT):
        client.force_login(administrator)
        page = client.get(reverse("referrals:list")).content.decode()
    positions = [page.index(f"Case number {n}") for n in ("A1", "B2", "C3")]
    assert positions == sorted(positions)
    assert "2 open referrals" in page
    assert oldest.pk < newest.pk


def test_my_referrals_lists_only_the_senders_own(send, client, team_manager, make_user):
    send(case_number="MINE1")
    other = make_user(Role.SOCIAL_WORKER)
    send(by=other, case_number="THEIRS")
    client.force_login(team_manager)
    page = client.get(reverse("referrals:mine")).content.decode()
    assert "MINE1" in page and "THEIRS" not in page


def test_accepting_offers_the_next_available_panel(send, client, administrator, north_somerset):
    with at(date(2026, 12, 1)):
        first = MeetingFactory(panel=north_somerset, date=date(2027, 1, 19))
        later = MeetingFactory(panel=north_somerset, date=date(2027, 2, 16))
    referral = send()
    with at(date(2026, 12, 15)):
        client.force_login(administrator)
        response = client.post(
            reverse("referrals:accept", args=[referral.pk]), {"panel": north_somerset.pk}
        )
        child = Child.objects.get(case_number="NS2001")
        assert response.url == reverse("bookings:new", args=[child.pk])
        request_type = north_somerset.request_types.get(name="New to PLO or care")
        page = client.get(f"{response.url}?request_type={request_type.pk}").content.decode()
    assert f'value="{first.pk}:" selected' in page
    assert f'value="{later.pk}:">' in page


@pytest.mark.parametrize("url", ["referrals:list", "referrals:mine"])
def test_the_referral_lists_read_a_page_at_a_time_in_constant_queries(
    send, client, administrator, team_manager, url
):
    def queries(page=1):
        with at(SENT):
            client.force_login(administrator if url == "referrals:list" else team_manager)
        with at(SENT), CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(url) + f"?page={page}")
        assert response.status_code == 200
        return len(captured), response.content.decode()

    for n in range(3):
        send(case_number=f"R{n}")
    three, page = queries()
    assert page.count("Case number R") == 3 and "Pages of referrals" not in page
    for n in range(3, 60):
        send(case_number=f"R{n}")
    sixty, page = queries()
    assert three == sixty
    assert page.count("Case number R") == 50 and "Pages of referrals" in page
    _, last = queries(page=2)
    assert last.count("Case number R") == 10


def test_the_queue_counts_every_open_referral_not_just_the_page(
    send, client, administrator, monkeypatch
):
    monkeypatch.setattr("tracker.views.referrals.PER_PAGE", 2)
    for n in range(3):
        send(case_number=f"R{n}")
    services.referral_decline(
        referral=send(case_number="GONE"), by=administrator, reason="Sent in error"
    )
    with at(SENT):
        client.force_login(administrator)
        first = client.get(reverse("referrals:list")).content.decode()
        last = client.get(reverse("referrals:list") + "?page=2").content.decode()
    assert "3 open referrals" in first and "3 open referrals" in last
    # Open first, oldest first, across pages: the declined one comes last.
    assert "R0" in first and "R1" in first and "GONE" not in first
    assert "R2" in last and "GONE" in last
