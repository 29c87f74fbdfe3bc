"""The minutes app's emails: the minutes reminder and overdue notice on their working days,
what ratification tells the panel and each child's workers, and the daily action digest."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agendas import services as agendas_services
from agendas.models import Meeting, MeetingStatus, Panel
from minutes import notices, services
from minutes.models import Minutes, PanelAction
from permanence.models import ClosureDay, Notification
from permanence.roles import Role
from permanence.tasks import scan
from permanence.workdays import calendar
from tests.days import BOOKED_ON, LONDON
from tests.factories import ChildFactory, PanelFactory, approved_carers_for

pytestmark = pytest.mark.django_db


# A Thursday panel before Christmas 2026, minutes ratified within 5 working days:
# Fri 18, Mon 21, Tue 22, Wed 23, Thu 24 December. The reminder goes two working days
# before, on Tuesday 22 December. Christmas Day (Friday 25) and Boxing Day's substitute
# (Monday 28) are bank holidays, so the overdue notice waits for Tuesday 29 December.
CHRISTMAS_PANEL = date(2026, 12, 17)
REMINDER_DAY = date(2026, 12, 22)
RATIFY_BY = date(2026, 12, 24)
BOXING_DAY_SUBSTITUTE = date(2026, 12, 28)
OVERDUE_DAY = date(2026, 12, 29)
# Twenty working days after the 24th (New Year's Day a bank holiday): Tuesday 26 January.
LAST_OVERDUE_DAY = date(2027, 1, 26)


def at_eight(day: date) -> datetime:
    return datetime.combine(day, time(8), tzinfo=LONDON)


@pytest.fixture
def scan_on(django_capture_on_commit_callbacks):
    """Run the periodic scan as beat would on the morning of the day."""

    def run(day: date) -> None:
        with (
            time_machine.travel(at_eight(day), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            scan.apply()

    return run


def emails(start: str) -> list:
    return [email for email in mail.outbox if email.subject.startswith(start)]


# The minutes reminder and the overdue notice ---------------------------------------------


@pytest.fixture
def admin(make_user):
    return make_user(
        Role.ADMINISTRATOR, first_name="Abe", last_name="Admin", email="abe@council.example"
    )


@pytest.fixture
def panel(chair):
    return PanelFactory(slug="somerset", name="Somerset Permanence Panel", chair=chair)


@pytest.fixture
def christmas_meeting(panel):
    return Meeting.objects.create(
        panel=panel, date=CHRISTMAS_PANEL, starts_at=time(9, 30), ends_at=time(12, 30)
    )


def test_the_ratify_by_date_crosses_nothing_but_the_overdue_day_crosses_christmas(
    christmas_meeting,
):
    working_days = calendar()
    assert notices.ratify_by(christmas_meeting, working_days) == RATIFY_BY
    assert working_days.add_working_days(RATIFY_BY, -2) == REMINDER_DAY
    assert working_days.add_working_days(RATIFY_BY, 1) == OVERDUE_DAY
    assert working_days.add_working_days(RATIFY_BY, notices.OVERDUE_FOR) == LAST_OVERDUE_DAY


@pytest.mark.parametrize(
    ("day", "reminders", "overdue"),
    [
        (date(2026, 12, 21), 0, 0),  # the day before the reminder's day
        (REMINDER_DAY, 2, 0),  # the administrator and the chair
        (RATIFY_BY, 2, 0),  # a scan that missed the 22nd catches up by the ratify-by date
        (date(2026, 12, 25), 0, 0),  # Christmas: not overdue yet
        (BOXING_DAY_SUBSTITUTE, 0, 0),  # the bank holiday: not overdue yet
        (OVERDUE_DAY, 0, 2),
        (LAST_OVERDUE_DAY, 0, 2),  # the twentieth working day: still sent if never sent
        (date(2027, 1, 27), 0, 0),  # beyond it: a meeting long past does not wake up
    ],
)
def test_each_minutes_notice_on_its_working_day(
    scan_on, christmas_meeting, admin, chair, day, reminders, overdue
):
    scan_on(day)
    assert len(emails("Minutes to ratify")) == reminders
    assert len(emails("Overdue: the minutes")) == overdue


def test_the_reminder_goes_once_to_the_administrator_and_the_chair(
    scan_on, christmas_meeting, admin, chair
):
    scan_on(REMINDER_DAY)
    scan_on(REMINDER_DAY)  # beat fires every quarter of an hour
    scan_on(date(2026, 12, 23))  # the day after
    scan_on(RATIFY_BY)
    sent = emails("Minutes to ratify")
    assert sorted(email.to[0] for email in sent) == ["abe@council.example", "cara@council.example"]
    email = next(email for email in sent if email.to == ["cara@council.example"])
    assert email.subject == (
        "Minutes to ratify by Thursday 24 December 2026: "
        "Somerset Permanence Panel, Thursday 17 December 2026"
    )
    link = settings.SITE_URL + reverse("minutes:minutes", args=["somerset", christmas_meeting.pk])
    assert link in email.body and link in email.alternatives[0][0]
    assert "Dear Cara," in email.body and "As chair" in email.body
    assert Notification.objects.get(kind="minutes_reminder", recipient=chair).due_on == REMINDER_DAY
    assert emails("Overdue") == []


def test_the_overdue_notice_goes_once_after_the_christmas_bank_holidays(
    scan_on, christmas_meeting, admin, chair
):
    for day in (RATIFY_BY, BOXING_DAY_SUBSTITUTE, OVERDUE_DAY, OVERDUE_DAY, date(2026, 12, 30)):
        scan_on(day)
    overdue = emails("Overdue: the minutes")
    assert len(overdue) == 2
    assert overdue[0].subject == (
        "Overdue: the minutes of Somerset Permanence Panel, Thursday 17 December 2026 "
        "(due Thursday 24 December 2026)"
    )
    assert set(
        Notification.objects.filter(kind="minutes_overdue").values_list("due_on", flat=True)
    ) == {OVERDUE_DAY}


def test_a_closure_day_moves_the_overdue_notice(scan_on, christmas_meeting, admin, chair):
    ClosureDay.objects.create(date=OVERDUE_DAY, description="Christmas closure")
    scan_on(OVERDUE_DAY)
    assert emails("Overdue") == []
    scan_on(date(2026, 12, 30))
    assert len(emails("Overdue")) == 2


def test_ratified_minutes_and_cancelled_meetings_send_nothing(
    scan_on, christmas_meeting, panel, admin, chair
):
    Minutes.objects.create(meeting=christmas_meeting, ratified_at=timezone.now(), ratified_by=chair)
    Meeting.objects.create(
        panel=panel,
        date=date(2026, 12, 16),
        starts_at=time(9, 30),
        ends_at=time(12, 30),
        status=MeetingStatus.CANCELLED,
        cancelled_reason="No children booked",
    )
    scan_on(REMINDER_DAY)
    scan_on(OVERDUE_DAY)
    assert emails("Minutes to ratify") == [] and emails("Overdue") == []


def test_draft_minutes_not_yet_ratified_still_remind(scan_on, christmas_meeting, admin, chair):
    Minutes.objects.create(meeting=christmas_meeting, notes="Draft")
    scan_on(REMINDER_DAY)
    assert len(emails("Minutes to ratify")) == 2


def test_the_scan_reads_in_a_fixed_number_of_queries(admin, chair, panel):
    def queries_for(meetings: int) -> int:
        Meeting.objects.all().delete()
        Notification.objects.all().delete()
        Meeting.objects.bulk_create(
            Meeting(
                panel=panel,
                date=date(2026, 12, 17 - n),
                starts_at=time(9, 30),
                ends_at=time(12, 30),
            )
            for n in range(meetings)
        )
        with time_machine.travel(at_eight(REMINDER_DAY), tick=False):
            notices.scan(today=REMINDER_DAY)  # writes the emails
            with CaptureQueriesContext(connection) as queries:
                assert notices.scan(today=REMINDER_DAY) == 0  # nothing new: nothing rendered
        return len(queries)

    assert queries_for(1) == queries_for(10)


# Ratification ----------------------------------------------------------------------------

# Somerset meets fortnightly on Thursdays: 14 and 28 January 2027.
MEETING = date(2027, 1, 14)
AGREE = "Ratify the request, with timescales for the action plan"
DEFER = "Defer until further information is provided"


@pytest.fixture
def people(make_user):
    def person(first, last, role):
        return make_user(
            role, first_name=first, last_name=last, email=f"{first.lower()}@council.example"
        )

    return {
        "chair": person("Cara", "Chair", Role.CHAIR),
        "deputy": person("Dee", "Deputy", Role.CHAIR),
        "member": person("Mo", "Member", Role.PANEL_MEMBER),
        "sam": person("Sam", "Worker", Role.SOCIAL_WORKER),
        "tess": person("Tess", "Manager", Role.TEAM_MANAGER),
        "sid": person("Sid", "Worker", Role.SOCIAL_WORKER),
        "tom": person("Tom", "Manager", Role.TEAM_MANAGER),
        "admin": person("Abe", "Admin", Role.ADMINISTRATOR),
    }


def booked_meeting(slug, people, request, *, on: date):
    """Two children booked into the panel's meeting on the date, with decisions made."""
    with time_machine.travel(at_eight(BOOKED_ON), tick=False) as traveller:
        panel = PanelFactory(preset=slug, chair=people["chair"], deputy_chair=people["deputy"])
        seats = list(panel.memberships.all())
        # The chair also sits in a seat: one email, not two. Another seat is vacant.
        seats[0].user, seats[1].user = people["chair"], people["member"]
        seats[0].save()
        seats[1].save()
        agendas_services.meetings_schedule(
            panel=panel, start=date(2027, 1, 1), end=date(2027, 3, 31)
        )
        meeting = panel.meetings.get(date=on)
        ada = ChildFactory(
            first_name="Ada", last_name="Lovelace", case_number="100234", panel=panel
        )
        grace = ChildFactory(first_name="Grace", last_name="Hopper", case_number="100235")
        for child in (ada, grace):
            approved_carers_for(child)  # Somerset matches only carers approved for permanence
        request_type = panel.request_types.get(name=request)
        bookings = [
            agendas_services.booking_create(
                meeting=meeting,
                child=child,
                request_type=request_type,
                reason="Permanence plan",
                booked_by=people["admin"],
                social_worker=people[sw],
                team_manager=people[tm],
            )
            for child, sw, tm in ((ada, "sam", "tess"), (grace, "sid", "tom"))
        ]
        traveller.move_to(at_eight(on))
        agreed = services.decision_record(
            booking=bookings[0],
            outcome=panel.outcomes.get(name=AGREE),
            rationale="The carers are approved and the child is settled.",
            recorded_by=people["chair"],
            timescales="Matching report within 6 weeks",
        )
        services.action_add(
            decision=agreed,
            description="Send the matching report to the IRO",
            owner=people["sam"],
            due_date=date(2027, 2, 25),
        )
        services.decision_record(
            booking=bookings[1],
            outcome=panel.outcomes.get(name=DEFER),
            rationale="Panel needs the updated assessment.",
            recorded_by=people["chair"],
            further_information="The updated parenting assessment",
            by_date=date(2027, 2, 1),
        )
    return meeting, agreed


def ratify(meeting, chair, capture):
    with (
        time_machine.travel(at_eight(date(2027, 1, 18)), tick=False),
        capture(execute=True),
    ):
        services.minutes_ratify(meeting=meeting, chair=chair)


def test_ratification_sends_the_minutes_to_the_panel_and_each_decision_to_its_workers(
    people, django_capture_on_commit_callbacks
):
    meeting, agreed = booked_meeting("somerset", people, "Matching", on=MEETING)
    ratify(meeting, people["chair"], django_capture_on_commit_callbacks)

    minutes = emails("Minutes ratified")
    assert sorted(email.to[0] for email in minutes) == [
        "cara@council.example",
        "dee@council.example",
        "mo@council.example",
    ]
    assert (
        minutes[0].subject
        == "Minutes ratified: Somerset Permanence Panel, Thursday 14 January 2027"
    )
    link = settings.SITE_URL + reverse("minutes:minutes", args=["somerset", meeting.pk])
    assert link in minutes[0].body
    assert "AL (case number 100234)" in minutes[0].body and "Lovelace" not in minutes[0].body

    decisions = {email.to[0]: email for email in emails("Panel decision")}
    assert sorted(decisions) == [
        "sam@council.example",
        "sid@council.example",
        "tess@council.example",
        "tom@council.example",
    ]
    for address in ("sam@council.example", "tess@council.example"):
        email = decisions[address]
        assert email.subject == "Panel decision for AL (100234), Thursday 14 January 2027"
        assert "Lovelace" not in email.subject and "Ada" not in email.subject
        assert AGREE in email.body
        assert "The carers are approved and the child is settled." in email.body
        assert "Send the matching report to the IRO (Sam Worker, by Thursday 25 February 2027)" in (
            email.body
        )
        assert "Forward booking: None" in email.body
        assert settings.SITE_URL + reverse("minutes:case-note", args=[agreed.pk]) in email.body
        assert "100235" not in email.body  # only their own child's decision
        assert "tracker" not in email.body  # Somerset does not circulate the tracker
    for address in ("sid@council.example", "tom@council.example"):
        email = decisions[address]
        assert email.subject == "Panel decision for GH (100235), Thursday 14 January 2027"
        assert "Hopper" not in email.subject
        assert DEFER in email.body and "The updated parenting assessment" in email.body
        assert "Forward booking: Booked for panel on Thursday 11 February 2027" in email.body
        assert "100234" not in email.body
    html = decisions["sam@council.example"].alternatives[0][0]
    assert "OFFICIAL-SENSITIVE" in html and "Read the case note" in html


def test_nothing_is_sent_when_the_ratification_is_refused(
    people, django_capture_on_commit_callbacks
):
    meeting, _ = booked_meeting("somerset", people, "Matching", on=MEETING)
    with pytest.raises(Exception, match="Only the panel's chair"):
        ratify(meeting, people["member"], django_capture_on_commit_callbacks)
    assert emails("Minutes ratified") == [] and emails("Panel decision") == []


def test_torbay_circulates_the_tracker_filtered_to_the_childs_panel(
    people, django_capture_on_commit_callbacks
):
    # Torbay meets fortnightly on Thursdays: 7 and 21 January 2027.
    meeting, _ = booked_meeting("torbay", people, "Long term matching", on=date(2027, 1, 7))
    ratify(meeting, people["chair"], django_capture_on_commit_callbacks)
    decisions = {email.to[0]: email for email in emails("Panel decision")}
    torbay = Panel.objects.get(slug="torbay")
    tracker = f"{settings.SITE_URL}{reverse('tracker:list')}?panel={torbay.pk}"
    assert "The updated tracker is circulated to you too" in decisions["sam@council.example"].body
    assert tracker in decisions["sam@council.example"].body
    assert tracker in decisions["tom@council.example"].alternatives[0][0]
    minutes_tracker = reverse("minutes:minutes-tracker", args=["torbay", meeting.pk])
    assert f"{settings.SITE_URL}{minutes_tracker}?format=xlsx" in (
        decisions["sam@council.example"].body
    )


# The action digest -----------------------------------------------------------------------

# Friday 15 January 2027: two working days ahead is Tuesday 19 January.
FRIDAY = date(2027, 1, 15)


@pytest.fixture
def owner(make_user):
    return make_user(
        Role.SOCIAL_WORKER, first_name="Sam", last_name="Worker", email="sam@council.example"
    )


@pytest.fixture
def actions(owner, make_user):
    child = ChildFactory(first_name="Ada", last_name="Lovelace", case_number="100234")

    def action(description, due, **fields):
        return PanelAction.objects.create(
            child=child,
            description=description,
            owner=fields.pop("owner", owner),
            due_date=due,
            **fields,
        )

    return [
        action("Overdue: the life story book", date(2027, 1, 13)),
        action("Today: the matching report", FRIDAY),
        action("Tuesday: the support plan", date(2027, 1, 19)),
        action("Wednesday: too far off", date(2027, 1, 20)),
        action(
            "Done: the referral",
            date(2027, 1, 14),
            completed_at=timezone.now(),
            completion_note="Sent",
        ),
        action(
            "Someone else's", FRIDAY, owner=make_user(Role.SOCIAL_WORKER, email="kim@x.example")
        ),
    ]


def test_one_digest_lists_every_action_due_in_two_working_days_and_overdue(scan_on, actions):
    scan_on(FRIDAY)
    scan_on(FRIDAY)
    digests = [
        email for email in emails("Your panel actions") if email.to == ["sam@council.example"]
    ]
    assert len(digests) == 1
    email = digests[0]
    assert email.subject == "Your panel actions: 2 due by Tuesday 19 January 2027 and 1 overdue"
    assert (
        "AL (case number 100234): Overdue: the life story book. "
        "Due Wednesday 13 January 2027: overdue" in email.body
    )
    assert "Today: the matching report" in email.body
    assert "Tuesday: the support plan" in email.body
    assert "too far off" not in email.body and "referral" not in email.body
    assert "Someone else's" not in email.body
    assert settings.SITE_URL + reverse("minutes:my-actions") in email.body
    notification = Notification.objects.get(kind="action_digest", recipient=actions[0].owner)
    assert (notification.about, notification.due_on) == (f"user:{actions[0].owner.pk}", FRIDAY)
    assert len(emails("Your panel actions")) == 2  # the other owner has their own


def test_the_digest_in_html_escapes_what_was_typed_and_keeps_its_lines(scan_on, actions):
    actions[1].description = "Ask <b>both</b> carers\nand the IRO"
    actions[1].save()
    scan_on(FRIDAY)
    html = next(
        body
        for email in emails("Your panel actions")
        if email.to == ["sam@council.example"]
        for body, kind in email.alternatives
        if kind == "text/html"
    )
    assert (
        "<li>AL (case number 100234): Overdue: the life story book. "
        "Due Wednesday 13 January 2027: <strong>overdue</strong></li>" in html
    )
    assert (
        "<li>AL (case number 100234): Ask &lt;b&gt;both&lt;/b&gt; carers<br>and the IRO. "
        "Due Friday 15 January 2027</li>" in html
    )


def test_no_digest_at_the_weekend_or_on_a_bank_holiday(scan_on, actions):
    scan_on(date(2027, 1, 16))
    scan_on(date(2027, 1, 17))
    assert emails("Your panel actions") == []
    PanelAction.objects.update(due_date=date(2026, 12, 24))
    scan_on(BOXING_DAY_SUBSTITUTE)
    assert emails("Your panel actions") == []


def test_the_digest_comes_again_the_next_working_day(scan_on, actions):
    scan_on(FRIDAY)
    scan_on(date(2027, 1, 18))  # Monday: now Wednesday's action is due within two days too
    sams = [email for email in mail.outbox if email.to == ["sam@council.example"]]
    assert len(sams) == 2
    assert "too far off" in sams[1].body


def test_completed_actions_send_no_digest(scan_on, owner):
    child = ChildFactory()
    PanelAction.objects.create(
        child=child,
        description="Done",
        owner=owner,
        due_date=FRIDAY,
        completed_at=timezone.now(),
        completion_note="Done",
    )
    scan_on(FRIDAY)
    assert emails("Your panel actions") == []


def test_the_first_scan_writes_the_digests_in_a_fixed_number_of_queries(make_user):
    """However many people have actions, the day's first scan reads them, finds which
    digests are new and writes them in the same few queries (the sending is the worker's,
    after the commit)."""
    child = ChildFactory()

    def first_scan_with(people: int) -> int:
        Notification.objects.all().delete()
        for _ in range(people - PanelAction.objects.values("owner").distinct().count()):
            owner = make_user(Role.SOCIAL_WORKER)
            for due in (date(2027, 1, 13), FRIDAY):
                PanelAction.objects.create(
                    child=child, description="Update the plan", owner=owner, due_date=due
                )
        with CaptureQueriesContext(connection) as queries:
            assert notices.scan(today=FRIDAY) == people
        return len(queries)

    assert first_scan_with(2) == first_scan_with(20)


def test_the_repeat_scan_leaves_the_actions_of_those_told_today_unread(scan_on, actions):
    scan_on(FRIDAY)
    with CaptureQueriesContext(connection) as queries:
        assert notices.scan(today=FRIDAY) == 0
    read = [
        query["sql"] for query in queries if '"minutes_panelaction"."description"' in query["sql"]
    ]
    assert read == []
    # One of them completes everything: the next working day's digest goes to the other.
    PanelAction.objects.filter(owner=actions[0].owner).update(
        completed_at=timezone.now(), completion_note="Done"
    )
    scan_on(date(2027, 1, 18))
    assert [email.to for email in emails("Your panel actions")[2:]] == [["kim@x.example"]]


# Senior approval (Knowsley's Assistant Executive Director) -------------------------------

RECOMMEND = "Recommendation to the Assistant Executive Director"
KNOWSLEY_MEETING = date(2027, 1, 5)  # a Tuesday


@pytest.fixture
def seniors(make_user):
    def senior(first, **fields):
        return make_user(
            Role.SENIOR_MANAGER,
            first_name=first,
            last_name="Director",
            email=f"{first.lower()}@council.example",
            **fields,
        )

    return [senior("Aed"), senior("Sue"), senior("Gone", is_active=False)]


@pytest.fixture
def knowsley_booking(people):
    with time_machine.travel(at_eight(BOOKED_ON), tick=False):
        panel = PanelFactory(
            preset="knowsley", chair=people["chair"], deputy_chair=people["deputy"]
        )
        agendas_services.meetings_schedule(
            panel=panel, start=date(2027, 1, 1), end=date(2027, 1, 31)
        )
        return agendas_services.booking_create(
            meeting=panel.meetings.get(date=KNOWSLEY_MEETING),
            child=ChildFactory(
                first_name="Ada", last_name="Lovelace", case_number="100234", panel=panel
            ),
            request_type=panel.request_types.get(name="Long term fostering match"),
            reason="Long term match",
            booked_by=people["admin"],
            social_worker=people["sam"],
            team_manager=people["tess"],
        )


@pytest.fixture
def recommend(people, django_capture_on_commit_callbacks):
    def recommend(booking, outcome=RECOMMEND, rationale="The carers can offer permanence."):
        with (
            time_machine.travel(at_eight(KNOWSLEY_MEETING), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return services.decision_record(
                booking=booking,
                outcome=booking.panel.outcomes.get(name=outcome),
                rationale=rationale,
                recorded_by=people["chair"],
            )

    return recommend


@pytest.fixture
def answer(seniors, django_capture_on_commit_callbacks):
    def answer(decision, *, approved, comment=""):
        with (
            time_machine.travel(at_eight(date(2027, 1, 6)), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return services.decision_approve(
                decision=decision, by=seniors[0], approved=approved, comment=comment
            )

    return answer


def test_a_recommendation_waiting_emails_each_active_senior_manager_once(
    knowsley_booking, recommend, seniors
):
    mail.outbox.clear()
    decision = recommend(knowsley_booking)
    recommend(knowsley_booking, rationale="Corrected before ratification: still waiting.")
    waiting = emails("Waiting for a decision")
    to = sorted(email.to[0] for email in waiting)
    assert to == ["aed@council.example", "sue@council.example"]
    assert waiting[0].subject == (
        "Waiting for a decision by Assistant Executive Director: AL (100234), "
        "Knowsley Multi-Agency Permanency Panel, Tuesday 5 January 2027"
    )
    body = waiting[0].body
    assert settings.SITE_URL + reverse("minutes:approve", args=[decision.pk]) in body
    assert "The carers can offer permanence." in body and "Lovelace" not in body
    assert len(mail.outbox) == 2  # nobody else, and nobody twice


def test_a_recommendation_that_waits_again_is_emailed_again(knowsley_booking, recommend, seniors):
    recommend(knowsley_booking)
    recommend(knowsley_booking, outcome="Refuse")
    assert len(emails("Waiting for a decision")) == 2
    recommend(knowsley_booking)  # a recommendation again: it waits again
    assert len(emails("Waiting for a decision")) == 4


def test_an_agreed_decision_that_needs_no_senior_decision_emails_no_one(
    knowsley_booking, recommend
):
    mail.outbox.clear()
    recommend(knowsley_booking, outcome="Refuse")
    assert emails("Waiting for a decision") == []


def test_the_approval_goes_to_the_social_worker_team_manager_and_administrators(
    knowsley_booking, recommend, answer, people, make_user
):
    make_user(Role.ADMINISTRATOR, first_name="Ann", email="ann@council.example")
    decision = recommend(knowsley_booking)
    mail.outbox.clear()
    answer(decision, approved=True, comment="Agreed: a good match.")
    approved = emails("Recommendation approved")
    assert sorted(email.to[0] for email in approved) == [
        "abe@council.example",
        "ann@council.example",
        "sam@council.example",
        "tess@council.example",
    ]
    assert approved[0].subject == (
        "Recommendation approved: AL (100234), panel on Tuesday 5 January 2027"
    )
    body = approved[0].body
    assert "Aed Director has approved" in body and "Agreed: a good match." in body
    assert settings.SITE_URL + reverse("minutes:case-note", args=[decision.pk]) in body
    assert len(mail.outbox) == 4


def test_a_declined_recommendation_says_why_once(knowsley_booking, recommend, answer):
    decision = recommend(knowsley_booking)
    mail.outbox.clear()
    answer(decision, approved=False, comment="The carers' review is out of date.")
    with pytest.raises(ValidationError, match="not waiting"):
        answer(decision, approved=False, comment="Again")
    declined = emails("Recommendation declined")
    assert sorted(email.to[0] for email in declined) == [
        "abe@council.example",
        "sam@council.example",
        "tess@council.example",
    ]
    assert len(mail.outbox) == 3
    assert "has declined" in declined[0].body
    assert "The carers' review is out of date." in declined[0].body
    assert Notification.objects.filter(kind="approval_decided").count() == 3
