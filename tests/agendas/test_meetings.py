from datetime import date, time
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from agendas import services
from agendas.models import Meeting, MeetingStatus, Panel
from permanence.roles import Role
from tests.factories import ClosureDayFactory

pytestmark = pytest.mark.django_db


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
        (date(2027, 3, 29), "a bank holiday (Easter Monday)"),
        (date(2027, 4, 12), "a closure day (Staff training day)"),
        (date(2027, 5, 3), "a bank holiday (May Day)"),
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


def test_administrator_schedules_in_the_browser_and_sees_the_dates_to_move(client, administrator):
    weekly = Panel.objects.create(
        name="Weekly Monday panel", slug="weekly", cadence="weekly", weekday=0, week_of_month=None
    )
    client.force_login(administrator)
    response = client.post(
        reverse("agendas:schedule", args=[weekly.slug]),
        {
            "start_0": "22",
            "start_1": "3",
            "start_2": "2027",
            "end_0": "5",
            "end_1": "4",
            "end_2": "2027",
        },
    )
    page = response.content.decode()
    assert "2 meetings scheduled" in page
    assert "Monday 29 March 2027: a bank holiday (Easter Monday)" in page
    assert list(Meeting.objects.values_list("date", flat=True)) == [
        date(2027, 3, 22),
        date(2027, 4, 5),
    ]


def test_a_backwards_range_in_the_browser_is_refused_and_nothing_is_created(
    client, administrator, lancashire
):
    client.force_login(administrator)
    response = client.post(
        reverse("agendas:schedule", args=["lancashire"]),
        {
            "start_0": "1",
            "start_1": "3",
            "start_2": "2027",
            "end_0": "1",
            "end_1": "2",
            "end_2": "2027",
        },
    )
    assert "The last date must be on or after the first date." in response.content.decode()
    assert not Meeting.objects.exists()


def test_only_administrators_schedule_meetings(client, make_user, lancashire):
    client.force_login(make_user(Role.CHAIR))
    assert client.get(reverse("agendas:schedule", args=["lancashire"])).status_code == 403


def test_the_meeting_page_shows_its_deadlines_on_working_days(client, make_user):
    call_command("load_panel_presets", "somerset", stdout=StringIO())
    somerset = Panel.objects.get(slug="somerset")
    meeting = Meeting.objects.create(
        panel=somerset, date=date(2026, 12, 31), starts_at=time(9, 30), ends_at=time(12, 30)
    )
    member = make_user(Role.PANEL_MEMBER)
    somerset.memberships.filter(pk=somerset.memberships.first().pk).update(user=member)
    client.force_login(member)
    page = client.get(reverse("agendas:meeting", args=["somerset", meeting.pk])).content.decode()
    # Somerset: booking email 7 working days before, documents 10 (two weeks), agenda 5.
    assert "Friday 18 December 2026" in page  # -7: 25 and 28 December are bank holidays
    assert "Tuesday 15 December 2026" in page  # -10
    assert "Tuesday 22 December 2026" in page  # -5, DESIGN's worked example
    assert "Friday 8 January 2027" in page  # +5 for the notes (1 January is a bank holiday)


def test_a_meeting_is_found_only_under_its_own_panel(client, make_user, lancashire):
    meeting = services.meetings_schedule(
        panel=lancashire, start=date(2027, 1, 1), end=date(2027, 1, 31)
    ).created[0]
    client.force_login(make_user(Role.ADMINISTRATOR))
    assert (
        client.get(reverse("agendas:meeting", args=["lancashire", meeting.pk])).status_code == 200
    )
    call_command("load_panel_presets", "torbay", stdout=StringIO())
    assert client.get(reverse("agendas:meeting", args=["torbay", meeting.pk])).status_code == 404


@pytest.fixture
def january_meeting(lancashire):
    return services.meetings_schedule(
        panel=lancashire, start=date(2027, 1, 1), end=date(2027, 1, 31)
    ).created[0]


def meeting_form(day: date, **fields):
    return {
        "date_0": day.day,
        "date_1": day.month,
        "date_2": day.year,
        "starts_at": "10:00",
        "ends_at": "16:20",
        "venue": "County Hall, Preston",
        "online_link": "",
        "theme": "",
        **fields,
    }


def test_administrator_moves_and_re_places_a_meeting(client, administrator, january_meeting):
    client.force_login(administrator)
    url = reverse("agendas:meeting-change", args=["lancashire", january_meeting.pk])
    response = client.post(url, meeting_form(date(2027, 1, 14), theme="Sibling assessments"))
    assert response.status_code == 302
    january_meeting.refresh_from_db()
    assert january_meeting.date == date(2027, 1, 14)
    assert (january_meeting.starts_at, january_meeting.venue) == (time(10), "County Hall, Preston")
    assert january_meeting.theme == "Sibling assessments"


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2027, 3, 29), "Monday 29 March 2027 is a bank holiday (Easter Monday)."),
        (date(2027, 1, 16), "Saturday 16 January 2027 is a weekend day."),
    ],
)
def test_a_meeting_cannot_move_to_a_day_the_council_is_closed(
    client, administrator, january_meeting, day, message
):
    client.force_login(administrator)
    url = reverse("agendas:meeting-change", args=["lancashire", january_meeting.pk])
    page = client.post(url, meeting_form(day)).content.decode()
    assert message in page
    january_meeting.refresh_from_db()
    assert january_meeting.date == date(2027, 1, 13)


def test_cancelling_needs_a_reason_and_a_cancelled_meeting_cannot_be_changed(
    client, administrator, january_meeting
):
    client.force_login(administrator)
    url = reverse("agendas:meeting-cancel", args=["lancashire", january_meeting.pk])
    # Issue 11: the message names the field, for the error summary.
    refused = client.post(url, {"reason": ""}).content.decode()
    assert "Answer “Why is the meeting cancelled?”" in refused
    client.post(url, {"reason": "The chair is at court"})
    january_meeting.refresh_from_db()
    assert january_meeting.status == MeetingStatus.CANCELLED
    assert january_meeting.cancelled_reason == "The chair is at court"
    with pytest.raises(ValidationError, match="This meeting is cancelled"):
        services.meeting_update(meeting=january_meeting, venue="Elsewhere")
    # The day is free again for a new meeting.
    again = services.meetings_schedule(
        panel=january_meeting.panel, start=date(2027, 1, 1), end=date(2027, 1, 31)
    )
    assert [m.date for m in again.created] == [date(2027, 1, 13)]


@pytest.mark.parametrize("role", [Role.CHAIR, Role.SOCIAL_WORKER])
def test_only_administrators_change_or_cancel_meetings(client, make_user, january_meeting, role):
    client.force_login(make_user(role))
    for name in ("agendas:meeting-change", "agendas:meeting-cancel"):
        assert client.get(reverse(name, args=["lancashire", january_meeting.pk])).status_code == 403


def test_a_panel_member_cannot_open_the_meetings_of_a_panel_they_do_not_sit_on(
    client, make_user, lancashire
):
    meeting = services.meetings_schedule(
        panel=lancashire, start=date(2027, 1, 1), end=date(2027, 1, 31)
    ).created[0]
    client.force_login(make_user(Role.PANEL_MEMBER))
    # Issue 11: refused in plain words (403), not a bare 404; an unknown meeting stays a 404.
    response = client.get(reverse("agendas:meeting", args=["lancashire", meeting.pk]))
    assert response.status_code == 403
    assert (
        "You don&#x27;t sit on the Lancashire Permanence Panel, so you can&#x27;t open its "
        "meetings." in response.content.decode()
    )
    assert client.get(reverse("agendas:agenda", args=["lancashire", meeting.pk])).status_code == 403
    assert client.get(reverse("agendas:agenda", args=["torbay", meeting.pk])).status_code == 404
    assert (
        client.get(reverse("agendas:meeting", args=["lancashire", meeting.pk + 1])).status_code
        == 404
    )
