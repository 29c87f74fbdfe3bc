"""Each person's calendar feed: what is in it, what never is, its secret link, and the
sequence numbers that make a moved or cancelled meeting update the event in a calendar.

Lancashire meets on Wednesday 13 January, 10 February and 10 March 2027 (the shared
`meetings`), from 09:30 London time, which in January is 09:30 UTC. Ada Lovelace
(100234) is booked into January's panel in one of its shared time slots.
"""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from icalendar import Calendar

from agendas import selectors, services
from agendas.calendar import booking_uid, meeting_uid
from agendas.models import Booking, CalendarFeed, Meeting, token_hash
from permanence.models import AuditAction, AuditEntry
from permanence.roles import Role
from permanence.signin.services import password_change, sessions_end_everywhere
from tests.days import BOOKED_ON, LONDON
from tests.factories import ChildFactory, MeetingFactory

pytestmark = pytest.mark.django_db

TODAY = datetime(2027, 1, 4, 9, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


def link_of(user) -> str:
    return f"/calendar/{services.calendar_feed_create(user=user)}.ics"


def events_at(path: str) -> dict:
    """The feed's events by UID, read as a calendar app reads it: without signing in."""
    response = Client().get(path)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def seat(panel, person):
    membership = panel.memberships.order_by("order").first()
    membership.user = person
    membership.save()
    return person


@pytest.fixture
def member(lancashire, make_user):
    return seat(lancashire, make_user(Role.PANEL_MEMBER, email="mo@council.example"))


@pytest.fixture
def knowsley_member(knowsley, knowsley_meetings, make_user):
    return seat(knowsley, make_user(Role.PANEL_MEMBER, email="olu@council.example"))


# What is in it ---------------------------------------------------------------------------


def test_a_member_has_their_panels_meetings_with_time_place_and_online_link(
    meetings, member, settings
):
    services.meeting_update(meeting=meetings[0], online_link="https://meet.example/panel")
    events = events_at(link_of(member))
    assert list(events) == [meeting_uid(meeting) for meeting in meetings]
    january = events[meeting_uid(meetings[0])]
    assert str(january["summary"]) == "Lancashire Permanence Panel"
    assert january.decoded("dtstart") == datetime.combine(
        date(2027, 1, 13), meetings[0].starts_at, tzinfo=LONDON
    )
    assert january.decoded("dtend") == datetime.combine(
        date(2027, 1, 13), meetings[0].ends_at, tzinfo=LONDON
    )
    assert str(january["location"]) == (meetings[0].venue or "Online")
    assert "Join online: https://meet.example/panel" in str(january["description"])
    assert str(january["url"]) == (
        f"{settings.SITE_URL}/panels/lancashire/meetings/{meetings[0].pk}/"
    )
    assert str(january["status"]) == "CONFIRMED"


def test_meetings_of_a_panel_the_person_does_not_sit_on_are_never_in_their_feed(
    meetings, member, knowsley_member, knowsley_meetings
):
    mine = events_at(link_of(member))
    theirs = events_at(link_of(knowsley_member))
    assert set(mine) == {meeting_uid(meeting) for meeting in meetings}
    assert set(theirs) == {meeting_uid(meeting) for meeting in knowsley_meetings}
    assert not set(mine) & set(theirs)


def test_administrators_have_every_panels_meetings_and_senior_managers_only_their_seats(
    meetings, knowsley_meetings, administrator, make_user
):
    every = {meeting_uid(meeting) for meeting in Meeting.objects.all()}
    assert set(events_at(link_of(administrator))) == every
    assert events_at(link_of(make_user(Role.SENIOR_MANAGER))) == {}


def test_a_social_worker_has_their_childs_slot_by_initials_and_case_number_only(
    booking, social_worker, settings
):
    events = events_at(link_of(social_worker))
    assert list(events) == [booking_uid(booking)]  # no seat: no meetings, only the booking
    event = events[booking_uid(booking)]
    assert str(event["summary"]) == "Panel for AL (100234): Lancashire Permanence Panel"
    assert event.decoded("dtstart") == datetime.combine(
        booking.meeting.date, booking.slot.starts_at, tzinfo=LONDON
    )
    assert event.decoded("dtend") == datetime.combine(
        booking.meeting.date, booking.slot.ends_at, tzinfo=LONDON
    )
    assert str(event["url"]) == f"{settings.SITE_URL}/bookings/{booking.pk}/"
    body = Client().get(link_of(social_worker)).content.decode()
    for private in ("Ada", "Lovelace", booking.reason, booking.request_type.name):
        assert private not in body


def test_the_team_manager_has_it_and_another_teams_social_worker_does_not(
    book, meetings, ada, team_manager, make_user
):
    booking = book(meetings[0], ada, team_manager=team_manager)
    assert list(events_at(link_of(team_manager))) == [booking_uid(booking)]
    stranger = make_user(Role.SOCIAL_WORKER, team=ChildFactory().team)
    assert events_at(link_of(stranger)) == {}


def test_a_tracked_child_is_in_the_calendar_only_once_the_chair_asks_them_to_attend(
    knowsley_meetings, knowsley, social_worker, chair
):
    child = ChildFactory(panel=knowsley, social_worker=social_worker, team=social_worker.team)
    section = knowsley.sections.get(tracking=True)
    with time_machine.travel(BOOKED_ON, tick=False):
        services.tracking_list_add(
            meeting=knowsley_meetings[0], section=section, children=[child], booked_by=chair
        )
    booking = Booking.objects.get(child=child)
    link = link_of(social_worker)
    assert events_at(link) == {}
    with time_machine.travel(BOOKED_ON, tick=False):
        services.attendance_request(booking=booking, by=chair)
    event = events_at(link)[booking_uid(booking)]
    # Knowsley's Part 1 lists its children without times: the event is the meeting's.
    meeting = knowsley_meetings[0]
    assert booking.slot is None
    assert (event.decoded("dtstart"), event.decoded("dtend")) == (
        datetime.combine(meeting.date, meeting.starts_at, tzinfo=LONDON),
        datetime.combine(meeting.date, meeting.ends_at, tzinfo=LONDON),
    )


def test_summer_times_are_written_in_utc(member, lancashire):
    with time_machine.travel(datetime(2027, 6, 1, 9, tzinfo=LONDON), tick=False):
        june = MeetingFactory(panel=lancashire, starts_at=time(10), ends_at=time(12))
        event = events_at(link_of(member))[meeting_uid(june)]
    assert event["dtstart"].to_ical() == f"{june.date:%Y%m%d}T090000Z".encode()


@pytest.mark.parametrize(("days_ago", "in_the_feed"), [(365, True), (366, True), (367, False)])
def test_the_feed_keeps_a_year_of_past_meetings(meetings, member, today, days_ago, in_the_feed):
    link = link_of(member)
    today.move_to(datetime.combine(meetings[0].date + timedelta(days=days_ago), time(9), LONDON))
    assert (meeting_uid(meetings[0]) in events_at(link)) is in_the_feed


def test_the_feed_costs_the_same_queries_whatever_it_holds(
    book, meetings, lancashire, social_worker, member, django_assert_num_queries
):
    seat(lancashire, social_worker)
    book(meetings[0], ChildFactory(panel=lancashire), social_worker=social_worker)
    link = link_of(social_worker)
    client = Client()
    # The link and its person, their roles, the meetings, the bookings, and the audit entry
    # (written in a savepoint of its own: three statements).
    with django_assert_num_queries(7):
        assert client.get(link).status_code == 200
    for meeting in meetings:
        book(meeting, ChildFactory(panel=lancashire), social_worker=social_worker)
    with django_assert_num_queries(7):
        assert len(events_at(link)) == 3 + 4


# Moving and cancelling ------------------------------------------------------------------------


def test_moving_a_meeting_moves_the_same_event_with_the_next_sequence(booking, member):
    meeting = booking.meeting
    link = link_of(member)
    before = events_at(link)[meeting_uid(meeting)]
    assert before["sequence"] == 0
    services.meeting_update(meeting=meeting, date=date(2027, 1, 14))
    after = events_at(link)[meeting_uid(meeting)]
    assert after["sequence"] == 1
    assert after.decoded("dtstart").date() == date(2027, 1, 14)
    services.meeting_update(meeting=meeting, theme="Siblings")  # not in the event: no change
    services.meeting_update(meeting=meeting, venue="Shire Hall")
    assert events_at(link)[meeting_uid(meeting)]["sequence"] == 2
    # The child's slot moved with the meeting: its event too.
    booking.refresh_from_db()
    assert booking.sequence == 2


def test_a_cancelled_meeting_stays_marked_cancelled(meetings, member, booking, social_worker):
    link = link_of(member)
    services.meeting_cancel(meeting=meetings[0], reason="Chair unwell")
    event = events_at(link)[meeting_uid(meetings[0])]
    assert str(event["status"]) == "CANCELLED"
    assert str(event["summary"]) == "Cancelled: Lancashire Permanence Panel"
    assert event["sequence"] == 1
    # Ada went to the waiting list: a booking with no meeting has no time, so it leaves.
    assert events_at(link_of(social_worker)) == {}


def test_a_booking_moved_or_cancelled_keeps_its_event(booking, meetings, social_worker):
    link = link_of(social_worker)
    services.booking_move(booking=booking, meeting=meetings[1])
    event = events_at(link)[booking_uid(booking)]
    assert (event["sequence"], event.decoded("dtstart").date()) == (1, meetings[1].date)
    services.booking_cancel(booking=booking, reason="Plan agreed at review")
    event = events_at(link)[booking_uid(booking)]
    assert (event["sequence"], str(event["status"])) == (2, "CANCELLED")


def test_a_save_from_an_instance_read_before_a_change_does_not_count_the_sequence_back(
    meeting,
):
    stale = Meeting.objects.get(pk=meeting.pk)
    services.meeting_update(meeting=meeting, venue="Shire Hall")
    stale.theme = "Siblings"
    stale.save()
    stale.refresh_from_db()
    assert (stale.sequence, stale.theme) == (1, "Siblings")


# The link ---------------------------------------------------------------------------------


def test_only_the_links_hash_is_stored_and_a_new_link_stops_the_old(member, meetings):
    token = services.calendar_feed_create(user=member)
    assert len(token) >= 43
    feed = CalendarFeed.objects.get(user=member)
    assert feed.token_hash == token_hash(token) and token not in feed.token_hash
    new = services.calendar_feed_create(user=member)
    assert Client().get(f"/calendar/{token}.ics").status_code == 410
    assert len(events_at(f"/calendar/{new}.ics")) == len(meetings)


def test_a_stopped_link_is_gone_and_a_made_up_one_is_not_there(member):
    link = link_of(member)
    services.calendar_feed_revoke(user=member)
    assert Client().get(link).status_code == 410
    assert Client().get("/calendar/not-a-token.ics").status_code == 404
    with pytest.raises(ValidationError, match="no calendar link to stop"):
        services.calendar_feed_revoke(user=member)


def test_a_deactivated_persons_feed_stops(member):
    link = link_of(member)
    member.is_active = False
    member.save()
    assert Client().get(link).status_code == 404
    with pytest.raises(ValidationError, match="deactivated"):
        services.calendar_feed_create(user=member)


@pytest.mark.parametrize(
    "sign_out",
    [
        lambda person: sessions_end_everywhere(user=person),
        lambda person: password_change(user=person, password="a-new-long-passphrase-2027"),
    ],
    ids=["sign out everywhere", "a new password"],
)
def test_the_link_stops_with_the_persons_sessions(member, client, sign_out):
    """Someone who may have had the password may have made a link: what ends the
    sessions stops it, and the page says why there is none."""
    link = link_of(member)
    sign_out(member)
    assert Client().get(link).status_code == 410
    client.force_login(member)
    page = client.get("/account/calendar/").content.decode()
    assert "stopped when you changed your password or signed out everywhere" in page
    assert Client().get(link_of(member)).status_code == 200


def test_each_read_is_audited_as_the_person_without_the_token_in_the_path(member):
    token = services.calendar_feed_create(user=member)
    Client().get(f"/calendar/{token}.ics", REMOTE_ADDR="203.0.113.7")
    entry = AuditEntry.objects.get(user=member)
    assert (entry.action, entry.ip_address, entry.label) == (
        AuditAction.DOWNLOADED,
        "203.0.113.7",
        "Calendar feed",
    )
    assert token not in entry.path
    assert selectors.calendar_feed_last_read(CalendarFeed.objects.get(user=member)) == entry
    services.calendar_feed_revoke(user=member)
    Client().get(f"/calendar/{token}.ics")
    assert AuditEntry.objects.filter(user=member).first().action == AuditAction.REFUSED


def test_the_feed_is_never_kept_by_a_cache_and_asks_to_be_read_hourly(member):
    response = Client().get(link_of(member))
    assert {"no-store", "private"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    body = response.content.decode()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body
    assert "X-PUBLISHED-TTL:PT1H\r\n" in body


# The page ---------------------------------------------------------------------------------


def test_the_page_shows_a_new_link_once_then_only_that_there_is_one(client, member, settings):
    client.force_login(member)
    page = client.get("/account/calendar/")
    assert "You have no calendar link." in page.content.decode()
    response = client.post("/account/calendar/new/", follow=True)
    body = response.content.decode()
    feed = CalendarFeed.objects.get(user=member)
    link = next(
        line.split('value="')[1].split('"')[0]
        for line in body.splitlines()
        if 'id="calendar-link"' in line
    )
    assert link.startswith(f"{settings.SITE_URL}/calendar/")
    assert token_hash(link.rsplit("/", 1)[1].removesuffix(".ics")) == feed.token_hash
    assert "The link is the key" in body
    again = client.get("/account/calendar/").content.decode()
    assert link not in again and "Made on Monday 4 January 2027" in again
    client.post("/account/calendar/stop/")
    assert "You have no calendar link." in client.get("/account/calendar/").content.decode()
    assert Client().get(link.removeprefix(settings.SITE_URL)).status_code == 410


def test_the_account_page_links_to_the_calendar(client, member):
    client.force_login(member)
    assert 'href="/account/calendar/"' in client.get("/account/").content.decode()
