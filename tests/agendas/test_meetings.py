from datetime import date, time
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from agendas import services
from agendas.models import Meeting, MeetingStatus, Panel
from tests.factories import ClosureDayFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lancashire():
    call_command("load_panel_presets", "lancashire", stdout=StringIO())
    return Panel.objects.get(slug="lancashire")


def test_lancashire_meets_on_the_second_wednesday_for_three_months(lancashire):
    result = services.meetings_schedule(
        panel=lancashire, start=date(2027, 1, 1), end=date(2027, 3, 31)
    )
    assert [m.date for m in result.created] == [
        date(2027, 1, 13),
        date(2027, 2, 10),
        date(2027, 3, 10),
    ]
    first = result.created[0]
    assert (first.starts_at, first.ends_at) == (lancashire.start_time, lancashire.end_time)
    assert first.status == MeetingStatus.SCHEDULED


def test_scheduling_again_creates_nothing_twice(lancashire):
    services.meetings_schedule(panel=lancashire, start=date(2027, 1, 1), end=date(2027, 2, 28))
    again = services.meetings_schedule(
        panel=lancashire, start=date(2027, 1, 1), end=date(2027, 3, 31)
    )
    assert [m.date for m in again.created] == [date(2027, 3, 10)]
    assert again.already_scheduled == [date(2027, 1, 13), date(2027, 2, 10)]
    assert Meeting.objects.count() == 3


def test_bank_holidays_and_closure_days_are_flagged_to_move_not_created():
    weekly = Panel.objects.create(
        name="Weekly Monday panel", slug="weekly", cadence="weekly", weekday=0, week_of_month=None
    )
    ClosureDayFactory(date=date(2027, 4, 12), description="Staff training day")
    result = services.meetings_schedule(panel=weekly, start=date(2027, 3, 22), end=date(2027, 5, 3))
    assert result.to_move == [
        (date(2027, 3, 29), "Easter Monday"),
        (date(2027, 4, 12), "Staff training day"),
        (date(2027, 5, 3), "May Day"),
    ]
    assert [m.date for m in result.created] == [
        date(2027, 3, 22),
        date(2027, 4, 5),
        date(2027, 4, 19),
        date(2027, 4, 26),
    ]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2027, 3, 1), date(2027, 2, 1), "The last date must be on or after the first date."),
        (date(2027, 1, 1), date(2028, 6, 1), "Schedule at most a year of meetings at a time."),
    ],
)
def test_a_range_that_makes_no_sense_is_refused(lancashire, start, end, message):
    with pytest.raises(ValidationError) as refused:
        services.meetings_schedule(panel=lancashire, start=start, end=end)
    assert refused.value.messages == [message]
    assert not Meeting.objects.exists()


def test_the_database_holds_one_meeting_a_day_per_panel_and_a_reason_to_cancel(lancashire):
    fields = {"panel": lancashire, "date": date(2027, 1, 13), "starts_at": time(9, 30)}
    Meeting.objects.create(**fields, ends_at=time(16, 20))
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(**fields, ends_at=time(16, 20))
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(**{**fields, "date": date(2027, 2, 10)}, ends_at=time(9, 0))
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            **{**fields, "date": date(2027, 3, 10)}, ends_at=time(16, 20), status="cancelled"
        )


def test_schedule_meetings_command(lancashire):
    out = StringIO()
    call_command(
        "schedule_meetings", "lancashire", "--from", "2027-01-01", "--to", "2027-03-31", stdout=out
    )
    assert out.getvalue().splitlines() == [
        "Scheduled Wednesday 13 January 2027",
        "Scheduled Wednesday 10 February 2027",
        "Scheduled Wednesday 10 March 2027",
        "Lancashire Permanence Panel: 3 meetings scheduled, 0 already scheduled, 0 to move.",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere", "--from", "2027-01-01", "--to", "2027-02-01"], "No panel called “nowhere”"),
        (["lancashire", "--from", "01/01/2027", "--to", "2027-02-01"], "is not a date"),
    ],
)
def test_schedule_meetings_command_explains_mistakes(lancashire, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("schedule_meetings", *args, stdout=StringIO())
