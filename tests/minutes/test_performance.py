"""Panel performance (minutes/performance.py and /dashboards/panels/): each panel's own
deadlines kept, worked through Lancashire's winter meetings, on the day before, of and after
each deadline; and the page's constant cost."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from agendas.models import MeetingStatus, OutcomeEffect, Submission
from minutes import performance
from minutes.models import Decision, Minutes
from permanence.roles import Role
from tests.days import FEBRUARY, LONDON, MARCH
from tests.factories import ChildFactory, DecisionFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

URL = reverse("minutes:panel_performance")
AS_OF = date(2027, 3, 31)


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def lancashire_figures(as_of: date = AS_OF):
    result = performance.panel_performance(as_of)
    return next(f for f in result.panels if f.panel.slug == "lancashire")


def hear(booking, chair, **fields) -> Decision:
    with time_machine.travel(at(booking.meeting.date), tick=False):
        return DecisionFactory(booking=booking, recorded_by=chair, **fields)


def test_meetings_held_are_those_not_cancelled_up_to_the_as_of_date(meetings):
    meetings[1].status, meetings[1].cancelled_reason = MeetingStatus.CANCELLED, "Snow"
    meetings[1].save()
    assert lancashire_figures(MARCH).meetings_held == 2  # 13 January and 10 March itself
    assert lancashire_figures(date(2027, 3, 9)).meetings_held == 1
    assert lancashire_figures(date(2026, 12, 31)).meetings_held == 0
    assert lancashire_figures(date(2026, 12, 31)).heard_per_meeting is None


def test_children_heard_per_meeting_count_the_decisions_recorded(meetings, book, chair):
    heard = book(meetings[0], ChildFactory(panel=meetings[0].panel))
    book(meetings[0], ChildFactory(panel=meetings[0].panel))  # booked, no decision
    hear(heard, chair)
    figures = lancashire_figures()
    assert (figures.meetings_held, figures.children_heard) == (3, 1)
    assert figures.heard_per_meeting == pytest.approx(1 / 3)
    months = dict(performance.panel_performance(AS_OF).heard_by_month)
    assert months[date(2027, 1, 1)] == 1
    assert months[date(2027, 2, 1)] == 0


@pytest.mark.parametrize(
    ("sent", "on_time"),
    [
        (at(date(2027, 1, 5), 17), 1),  # the day before the deadline
        (at(date(2027, 1, 6), 23, 59), 1),  # Wednesday 6 January: 5 working days before
        (at(date(2027, 1, 7), 0, 1), 0),  # the day after
        (None, 0),  # never: late once the deadline has passed
    ],
)
def test_a_submission_is_on_time_by_the_end_of_the_panels_deadline(meeting, book, sent, on_time):
    booking = book(meeting, ChildFactory(panel=meeting.panel))
    SubmissionFactory(booking=booking)
    Submission.objects.filter(booking=booking).update(submitted_at=sent)
    assert lancashire_figures().submissions == performance.Tally(due=1, on_time=on_time)


def test_a_submission_not_yet_due_is_not_counted(meetings, book):
    booking = book(meetings[2], ChildFactory(panel=meetings[2].panel))  # 10 March
    SubmissionFactory(booking=booking)
    # On 3 March the deadline (3 March) has not yet passed; on 4 March it has.
    assert lancashire_figures(date(2027, 3, 3)).submissions == performance.Tally(0, 0)
    assert lancashire_figures(date(2027, 3, 4)).submissions.due == 0  # meeting not held yet
    assert lancashire_figures(MARCH).submissions == performance.Tally(1, 0)


def test_agendas_agreed_and_circulated_on_time(meetings):
    january, february, march = meetings
    # January's deadline is Wednesday 6 January; February's Wednesday 3 February.
    january.agenda_agreed_at = at(date(2027, 1, 6), 18)
    january.agenda_circulated_at = at(date(2027, 1, 7), 9)
    february.agenda_agreed_at = at(date(2027, 2, 3), 9)
    february.agenda_circulated_at = at(date(2027, 2, 3), 16)
    for meeting in (january, february):
        meeting.save()
    figures = lancashire_figures()
    # March's agenda was never agreed nor circulated: late too.
    assert figures.agenda_agreed == performance.Tally(due=3, on_time=2)
    assert figures.agenda_circulated == performance.Tally(due=3, on_time=1)
    assert figures.agenda_agreed.share == pytest.approx(200 / 3)


def test_minutes_ratified_and_distributed_within_their_deadlines(meetings):
    january, february, _ = meetings
    # 5 working days after 13 January is Wednesday 20 January; after 10 February, the 17th.
    Minutes.objects.create(
        meeting=january,
        ratified_at=at(date(2027, 1, 20), 17),
        distributed_at=at(date(2027, 1, 21), 9),
    )
    Minutes.objects.create(meeting=february, ratified_at=at(date(2027, 2, 16)))
    # On 17 March, March's deadline (17 March) is still running: not counted.
    figures = lancashire_figures(date(2027, 3, 17))
    assert figures.minutes_ratified == performance.Tally(due=2, on_time=2)
    assert figures.minutes_distributed == performance.Tally(due=2, on_time=0)
    # The day after, March's minutes are late.
    assert lancashire_figures(date(2027, 3, 18)).minutes_ratified == performance.Tally(3, 2)


def test_minutes_ratified_after_the_as_of_date_were_not_yet_ratified_on_it(meetings):
    Minutes.objects.create(meeting=meetings[0], ratified_at=at(date(2027, 1, 19)))
    assert lancashire_figures(date(2027, 1, 18)).minutes_ratified == performance.Tally(0, 0)
    assert lancashire_figures(date(2027, 1, 19)).minutes_ratified == performance.Tally(1, 1)


def test_decisions_recorded_on_the_childs_file_within_the_deadline(meeting, book, chair):
    on_time = hear(book(meeting, ChildFactory(panel=meeting.panel)), chair)
    late = hear(book(meeting, ChildFactory(panel=meeting.panel)), chair)
    hear(book(meeting, ChildFactory(panel=meeting.panel)), chair)  # never recorded on file
    Decision.objects.filter(pk=on_time.pk).update(recorded_on_file_at=at(date(2027, 1, 20), 23))
    Decision.objects.filter(pk=late.pk).update(recorded_on_file_at=at(date(2027, 1, 21), 8))
    assert lancashire_figures().on_file == performance.Tally(due=3, on_time=1)
    # On 20 January the deadline is still running: the one recorded counts, on time.
    assert lancashire_figures(date(2027, 1, 20)).on_file == performance.Tally(1, 1)


def test_re_presentations_by_the_chairs_by_when(meetings, book, chair, lancashire):
    re_present = lancashire.outcomes.filter(effect=OutcomeEffect.RE_PRESENT).first()
    decisions = [
        hear(
            book(meetings[0], ChildFactory(panel=lancashire)),
            chair,
            outcome=re_present,
            rationale="Panel needs the updated viability assessment.",
            by_date=date(2027, 2, 1),
        )
        for _ in range(2)
    ]
    # Both are booked back into 10 February, the first meeting on or after 1 February.
    forwards = [decision.forward_booking for decision in decisions]
    assert [forward.meeting.date for forward in forwards] == [FEBRUARY, FEBRUARY]
    assert lancashire_figures(date(2027, 2, 9)).re_presentations == performance.Tally(0, 0)
    hear(forwards[0], chair)  # the other child was not heard on 10 February
    assert lancashire_figures().re_presentations == performance.Tally(due=2, on_time=1)


# The page ---------------------------------------------------------------------------


@pytest.fixture
def senior_manager(make_user):
    return make_user(Role.SENIOR_MANAGER)


def test_the_page_shows_each_panel_and_each_definition(client, senior_manager, meetings):
    client.force_login(senior_manager)
    page = client.get(URL, {"as_of": "2027-03-31"}).content.decode()
    assert "Lancashire Permanence Panel" in page
    assert "to Wednesday 31 March 2027" in page
    for _, name, definition in performance.TALLIES:
        assert name in page
        assert definition in page


@pytest.mark.parametrize("children", [1, 12])
def test_the_page_costs_the_same_queries_however_many_children(
    client, senior_manager, meetings, book, chair, django_assert_num_queries, children
):
    for _ in range(children):
        booking = book(meetings[0], ChildFactory(panel=meetings[0].panel))
        SubmissionFactory(booking=booking)
        hear(booking, chair)
    client.force_login(senior_manager)
    # Signing in (4); closure days, panels, meetings, bookings, re-presentations (5); the
    # audit entry and the session's idle clock, each in a savepoint (6).
    with django_assert_num_queries(15):
        assert client.get(URL, {"as_of": "2027-03-31"}).status_code == 200


def test_children_heard_are_charted_by_month_and_by_panel(
    client, senior_manager, meetings, book, chair
):
    hear(book(meetings[0], ChildFactory(panel=meetings[0].panel)), chair)
    client.force_login(senior_manager)
    page = client.get(URL, {"as_of": "2027-03-31"}).content.decode()
    assert "Line chart of children heard, month by month, April 2026 to March 2027." in page
    assert "Bar chart of children heard per meeting, by panel." in page
    download = client.get(URL, {"as_of": "2027-03-31", "csv": "heard-by-month"})
    rows = download.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "Month,Children heard"
    assert "January 2027,1" in rows
