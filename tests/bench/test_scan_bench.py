"""The periodic scan at a region's size: 50,000 children, 500 meetings, 10,000 bookings.

`make bench` (BENCH=full) times `permanence.tasks.scan` (emails to locmem, Celery eager,
so each email's sending is timed too) as the first scan of a working day, after the scan
of the working day before, which writes and sends the day's notices; as the repeat scan
every quarter of an hour after it, which finds them all written; and once as the catch-up
scan of a service that never sent anything, when every notice in its window goes at once.
The region is shaped as the issue measured it: some 4,800 social workers and team
managers, about 160,000 open panel actions (most of them overdue, so the daily digests
list them) and two years of digests already in the outbox. It checks the repeat scan reads
in the same number of queries with a tenth of the data, prints a table, writes
var/bench/scan.json and holds the target. `make test` runs the same journey on a small
council as a check that it works.
"""

import os
import statistics
import time as clock
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection

from agendas.models import AgendaSection, Booking, Meeting, Panel, RequestType, Submission
from minutes.models import Minutes, PanelAction
from permanence.models import Notification, User
from permanence.roles import Role
from permanence.tasks import scan
from permanence.workdays import calendar
from tests.bench.report import report_and_hold
from tests.days import LONDON
from tests.factories import UserFactory
from tracker.models import Child

FULL = os.environ.get("BENCH") == "full"
# Fifty fortnightly panels, each with 10 meetings (6 held, 4 to come), 1,000 children,
# 20 bookings a meeting, its own 80 social workers and 16 team managers, and three open
# actions a child besides one for each child heard, at full size; five panels are the
# tenth the query count is compared with. `make test` runs two smaller panels.
PANELS = 50 if FULL else 2
TENTH = PANELS // 10 or 1
MEETINGS_PER_PANEL = 10
HELD_PER_PANEL = 6
CHILDREN_PER_PANEL = 1_000 if FULL else 100
BOOKINGS_PER_MEETING = 20 if FULL else 5
SOCIAL_WORKERS_PER_PANEL = 80 if FULL else 10
TEAM_MANAGERS_PER_PANEL = 16 if FULL else 2
OPEN_ACTIONS_PER_CHILD = 3 if FULL else 1
# Working days of digests already in the outbox for each social worker and team manager:
# two years' worth at full size, some 2.4 million emails.
HISTORY_DAYS = 500 if FULL else 5
ROUNDS = 3 if FULL else 1
# The first scan of Wednesday 13 January 2027, at 7 o'clock, after the scans of the five
# weeks before it. The council's data was entered in the autumn.
TODAY = date(2027, 1, 13)
AT = datetime(2027, 1, 13, 7, 0, tzinfo=LONDON)
BUILT_ON = date(2026, 10, 1)
TARGETS = {"first_scan_seconds": 5.0, "repeat_scan_seconds": 1.0}

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def officers(role: Role, count: int, prefix: str) -> list[User]:
    """People in bulk, with their role: a region has thousands."""
    people = User.objects.bulk_create(
        User(email=f"{prefix}{i}@council.example", first_name=f"Officer{i}", last_name=prefix)
        for i in range(count)
    )
    group = Group.objects.get_or_create(name=str(role))[0]
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=person.pk, group_id=group.pk) for person in people
    )
    return people


class Council:
    """The region's people: administrators shared by every panel; each panel its own chair,
    social workers and team managers."""

    def __init__(self):
        self.administrators = [UserFactory(roles=[Role.ADMINISTRATOR]) for _ in range(2)]
        self.panels = 0

    def add_panels(self, count: int) -> None:
        """Each panel with its meetings, children, bookings, submissions, minutes, actions."""
        working_days = calendar()
        for _ in range(count):
            self._add_panel(self.panels, working_days)
            self.panels += 1

    def _add_panel(self, n: int, working_days) -> None:
        chair = UserFactory(roles=[Role.CHAIR])
        panel = Panel.objects.create(name=f"Bench panel {n}", slug=f"bench-{n}", chair=chair)
        section = AgendaSection.objects.create(panel=panel, order=1, name="Children")
        request_type = RequestType.objects.create(panel=panel, name="Review")
        # Fortnightly, each panel's next meeting 1 to 10 working days away, so on any day
        # the panels are at every stage: booking notices, submissions due, agendas to
        # agree, minutes to ratify. A date on a bank holiday moves to the next working day.
        next_meeting = working_days.add_working_days(TODAY, 1 + n % 10)
        dates = [
            next_meeting + timedelta(weeks=2 * (k - HELD_PER_PANEL))
            for k in range(MEETINGS_PER_PANEL)
        ]
        meetings = Meeting.objects.bulk_create(
            Meeting(
                panel=panel,
                date=d if working_days.is_working_day(d) else working_days.add_working_days(d, 1),
                starts_at="09:30",
                ends_at="12:30",
            )
            for d in dates
        )
        # Every held meeting's minutes ratified but the last two.
        Minutes.objects.bulk_create(
            Minutes(meeting=meeting, ratified_at=AT - timedelta(days=30))
            for meeting in meetings[: HELD_PER_PANEL - 2]
        )
        children = Child.objects.bulk_create(
            (
                Child(
                    case_number=f"P{n:02d}{i:05d}",
                    first_name=f"Child{i}",
                    last_name=f"Bench{i % 97}",
                    panel=panel,
                )
                for i in range(CHILDREN_PER_PANEL)
            ),
            batch_size=2000,
        )
        social_workers = officers(Role.SOCIAL_WORKER, SOCIAL_WORKERS_PER_PANEL, f"sw{n}-")
        team_managers = officers(Role.TEAM_MANAGER, TEAM_MANAGERS_PER_PANEL, f"tm{n}-")
        bookings = Booking.objects.bulk_create(
            Booking(
                panel=panel,
                meeting=meeting,
                section=section,
                request_type=request_type,
                child=children[m * BOOKINGS_PER_MEETING + b],
                reason="Review of the plan",
                social_worker=social_workers[b % len(social_workers)],
                team_manager=team_managers[b % len(team_managers)],
            )
            for m, meeting in enumerate(meetings)
            for b in range(BOOKINGS_PER_MEETING)
        )
        Submission.objects.bulk_create(
            Submission(booking=booking, submitted_at=AT) for booking in bookings[::2]
        )
        held = [booking for booking in bookings if booking.meeting.date < TODAY]
        # An action for each child heard, due 4 to 10 weeks after its panel.
        PanelAction.objects.bulk_create(
            (
                PanelAction(
                    child=booking.child,
                    description="Update the care plan",
                    owner=booking.social_worker,
                    due_date=booking.meeting.date + timedelta(weeks=4 + i % 7),
                )
                for i, booking in enumerate(held)
            ),
            batch_size=2000,
        )
        # And the actions still open from the two years before: most are overdue, some due
        # in the next fortnight; each owned by one of the panel's social workers or team
        # managers.
        owners = social_workers + team_managers
        PanelAction.objects.bulk_create(
            (
                PanelAction(
                    child=child,
                    description="Confirm the plan with the carers",
                    owner=owners[(i * OPEN_ACTIONS_PER_CHILD + k) % len(owners)],
                    due_date=TODAY + timedelta(days=14 - (i * 7 + k * 131) % 700),
                )
                for i, child in enumerate(children)
                for k in range(OPEN_ACTIONS_PER_CHILD)
            ),
            batch_size=5000,
        )
        _digests_sent_before(owners, working_days.add_working_days(BUILT_ON, -1))


def _digests_sent_before(owners: list[User], last_day: date) -> None:
    """Each person's daily digests of the two years up to `last_day`, sent: the bulk of the
    outbox at a region's size. Written in SQL, as there are millions."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO permanence_notification
                (key, kind, about, recipient_id, "to", subject, body_text, body_html, due_on,
                 status, attempts, last_error, created_at, sent_at, attachments)
            SELECT 'action_digest:user:' || u.id || ':' || d::date, 'action_digest',
                   'user:' || u.id, u.id, u.email, 'Your panel actions: 3 overdue',
                   'Your open actions from panel that are due or overdue.', '', d::date,
                   'sent', 1, '', d + interval '7 hours', d + interval '7 hours', '[]'
            FROM permanence_user u
            CROSS JOIN generate_series(%s::date - %s, %s::date, interval '1 day') AS d
            WHERE u.id = ANY(%s) AND extract(isodow FROM d) < 6
            """,
            [last_day, HISTORY_DAYS * 7 // 5, last_day, [owner.pk for owner in owners]],
        )


class QueryCount:
    """Counts every query, however many: the debug query log keeps only the last 9,000."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def at_seven(day: date) -> datetime:
    return datetime.combine(day, time(7), tzinfo=LONDON)


def run_scan(day: date) -> tuple[float, int]:
    """The scan as beat runs it at 7 o'clock on the day: seconds taken, queries made."""
    queries = QueryCount()
    with time_machine.travel(at_seven(day), tick=True), connection.execute_wrapper(queries):
        start = clock.perf_counter()
        scan.apply().get()
        seconds = clock.perf_counter() - start
    return seconds, queries.count


def the_day_before() -> None:
    """The scan of the working day before: what it sent is not sent again today. One scan
    is as good as the weeks of them before it: each notice is keyed on the day it falls
    due and sent by the first scan in its window, and a window open yesterday and today
    was open for yesterday's scan too."""
    run_scan(calendar().add_working_days(TODAY, -1))


def forget_today() -> None:
    """Back to 7 o'clock this morning: today's emails unwritten, earlier days' kept."""
    morning = at_seven(TODAY)
    Notification.objects.filter(created_at__gte=morning).delete()
    Booking.objects.filter(social_worker_notified_at__gte=morning).update(
        social_worker_notified_at=None
    )
    Booking.objects.filter(team_manager_notified_at__gte=morning).update(
        team_manager_notified_at=None
    )
    mail.outbox = []


def forget_everything() -> None:
    """As on the day the service starts: nothing ever sent, so every notice in its window
    goes at once."""
    Notification.objects.all().delete()
    Booking.objects.update(social_worker_notified_at=None, team_manager_notified_at=None)
    mail.outbox = []


def first_and_repeat() -> dict:
    first_seconds, first_queries = run_scan(TODAY)
    emails = len(mail.outbox)
    repeat_seconds, repeat_queries = run_scan(TODAY)
    assert len(mail.outbox) == emails, "the repeat scan sent an email again"
    return {
        "first_seconds": first_seconds,
        "first_queries": first_queries,
        "emails": emails,
        "repeat_seconds": repeat_seconds,
        "repeat_queries": repeat_queries,
    }


def test_the_scan_at_scale(benchmark):
    council = Council()
    with time_machine.travel(at_seven(BUILT_ON), tick=True):
        council.add_panels(TENTH)
    the_day_before()
    forget_today()
    tenth = first_and_repeat()

    with time_machine.travel(at_seven(BUILT_ON), tick=True):
        council.add_panels(PANELS - TENTH)
    the_day_before()
    forget_today()
    full = first_and_repeat()
    assert Meeting.objects.count() == PANELS * MEETINGS_PER_PANEL
    assert Booking.objects.count() == PANELS * MEETINGS_PER_PANEL * BOOKINGS_PER_MEETING
    assert Child.objects.count() == PANELS * CHILDREN_PER_PANEL
    # The scan reads in a fixed number of queries: once the day's emails are written, ten
    # times the data costs not one query more. (The first scan adds the write and the send
    # of each email.)
    assert full["repeat_queries"] == tenth["repeat_queries"]
    assert full["emails"] and tenth["emails"]

    benchmark.pedantic(lambda: run_scan(TODAY), setup=forget_today, rounds=ROUNDS)
    daily = []
    for _ in range(ROUNDS):
        forget_today()
        daily.append(first_and_repeat())
    forget_everything()
    catch_up = first_and_repeat()

    results = {
        "children": Child.objects.count(),
        "meetings": Meeting.objects.count(),
        "bookings": Booking.objects.count(),
        "open_actions": PanelAction.objects.filter(completed_at__isnull=True).count(),
        "first_scan_emails": full["emails"],
        "first_scan_seconds": round(statistics.median(r["first_seconds"] for r in daily), 3),
        "first_scan_queries": full["first_queries"],
        "repeat_scan_seconds": round(statistics.median(r["repeat_seconds"] for r in daily), 3),
        "repeat_scan_queries": full["repeat_queries"],
        "tenth_first_scan_emails": tenth["emails"],
        "tenth_first_scan_queries": tenth["first_queries"],
        "tenth_repeat_scan_queries": tenth["repeat_queries"],
        "catch_up_scan_emails": catch_up["emails"],
        "catch_up_scan_seconds": round(catch_up["first_seconds"], 3),
    }
    if not FULL:
        return
    report_and_hold("scan", results, TARGETS)
