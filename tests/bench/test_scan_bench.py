"""The periodic scan at a council's size: 10,000 children, 100 meetings, 2,000 bookings.

`make bench` (BENCH=full) times `permanence.tasks.scan` (emails to locmem, Celery eager,
so each email's sending is timed too) as the first scan of a working day, after the scans
of the weeks before, which writes and sends the day's notices; as the repeat scan every
quarter of an hour after it, which finds them all written; and once as the catch-up scan
of a service that never sent anything, when every notice in its window goes at once. It
checks the scan reads in the same number of queries with a tenth of the data, prints a
table, writes var/bench/scan.json and holds the target. `make test` runs the same journey
on a small council as a check that it works.
"""

import os
import statistics
import time as clock
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection

from agendas.models import AgendaSection, Booking, Meeting, Panel, RequestType, Submission
from minutes.models import Minutes, PanelAction
from permanence.models import Notification
from permanence.roles import Role
from permanence.tasks import scan
from permanence.workdays import calendar
from tests.bench.report import report_and_hold
from tests.days import LONDON
from tests.factories import UserFactory
from tracker.models import Child

FULL = os.environ.get("BENCH") == "full"
# Ten fortnightly panels, each with 10 meetings (6 held, 4 to come), 1,000 children and
# 20 bookings a meeting at full size; one panel is the tenth the query count is compared
# with. `make test` runs two smaller panels.
PANELS = 10 if FULL else 2
MEETINGS_PER_PANEL = 10
HELD_PER_PANEL = 6
CHILDREN_PER_PANEL = 1_000 if FULL else 100
BOOKINGS_PER_MEETING = 20 if FULL else 5
ROUNDS = 5 if FULL else 1
# The first scan of Wednesday 13 January 2027, at 7 o'clock, after the scans of the five
# weeks before it. The council's data was entered in the autumn.
TODAY = date(2027, 1, 13)
AT = datetime(2027, 1, 13, 7, 0, tzinfo=LONDON)
BUILT_ON = date(2026, 10, 1)
TARGETS = {"first_scan_seconds": 2.0}

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


class Council:
    """The people the panels share: administrators, social workers and team managers."""

    def __init__(self):
        self.administrators = [UserFactory(roles=[Role.ADMINISTRATOR]) for _ in range(2)]
        self.social_workers = [UserFactory(roles=[Role.SOCIAL_WORKER]) for _ in range(40)]
        self.team_managers = [UserFactory(roles=[Role.TEAM_MANAGER]) for _ in range(8)]
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
        bookings = Booking.objects.bulk_create(
            Booking(
                panel=panel,
                meeting=meeting,
                section=section,
                request_type=request_type,
                child=children[m * BOOKINGS_PER_MEETING + b],
                reason="Review of the plan",
                social_worker=self.social_workers[b % len(self.social_workers)],
                team_manager=self.team_managers[b % len(self.team_managers)],
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
            PanelAction(
                child=booking.child,
                description="Update the care plan",
                owner=booking.social_worker,
                due_date=booking.meeting.date + timedelta(weeks=4 + i % 7),
            )
            for i, booking in enumerate(held)
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


def the_weeks_before() -> None:
    """The scans of the working days before: what they sent is not sent again today."""
    working_days = calendar()
    day = TODAY - timedelta(weeks=5)
    while day < TODAY:
        if working_days.is_working_day(day):
            run_scan(day)
        day += timedelta(days=1)


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
        council.add_panels(1)
    the_weeks_before()
    forget_today()
    tenth = first_and_repeat()

    with time_machine.travel(at_seven(BUILT_ON), tick=True):
        council.add_panels(PANELS - 1)
    forget_everything()
    the_weeks_before()
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
