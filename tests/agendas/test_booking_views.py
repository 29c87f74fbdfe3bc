"""The booking, waiting-list and agenda pages: who may do what, and what they see."""

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agendas import selectors, services
from agendas.models import Booking, BookingStatus
from permanence.roles import Role
from tests.factories import ChildFactory, TeamFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_an_administrator_books_a_child_into_a_free_slot_from_the_meeting_page(
    client, administrator, meetings, ada, lancashire
):
    meeting = meetings[0]
    slot = meeting.slots.get(starts_at=time(10, 30))
    client.force_login(administrator)
    page = client.get(reverse("agendas:meeting", args=["lancashire", meeting.pk])).content.decode()
    book_url = reverse("agendas:booking-add", args=["lancashire", meeting.pk])
    assert f"{book_url}?slot={slot.pk}" in page

    response = client.post(
        book_url,
        {
            "child": "100234",
            "request_type": lancashire.request_types.get(name="Ratification").pk,
            "slot": slot.pk,
            "reason": "Ratify the placement as permanent",
        },
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.child, booking.slot, booking.section.name) == (
        ada,
        slot,
        "Ratification of placement as permanent",
    )
    assert booking.social_worker == ada.social_worker
    agenda = client.get(reverse("agendas:meeting", args=["lancashire", meeting.pk]))
    assert "Ada Lovelace" in agenda.content.decode()


def test_an_unknown_case_number_is_refused_on_the_field_and_nothing_is_booked(
    client, administrator, meetings, lancashire
):
    client.force_login(administrator)
    response = client.post(
        reverse("agendas:booking-add", args=["lancashire", meetings[0].pk]),
        {
            "child": "999999",
            "request_type": lancashire.request_types.first().pk,
            "reason": "A reason",
        },
    )
    assert response.status_code == 200
    assert "No child on the tracker has case number 999999." in response.content.decode()
    assert not Booking.objects.exists()


def test_booking_a_taken_slot_shows_the_service_message(client, administrator, booking, lancashire):
    other = ChildFactory(panel=lancashire)
    client.force_login(administrator)
    response = client.post(
        reverse("agendas:booking-add", args=["lancashire", booking.meeting.pk]),
        {
            "child": other.case_number,
            "request_type": booking.request_type.pk,
            "slot": booking.slot.pk,
            "reason": "A reason",
        },
    )
    # The taken slot is no longer offered, so the form refuses the choice itself.
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Booking.objects.count() == 1


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.CHAIR])
def test_only_administrators_book(client, make_user, meetings, role):
    client.force_login(make_user(role))
    url = reverse("agendas:booking-add", args=["lancashire", meetings[0].pk])
    assert client.get(url).status_code == 403


def test_the_social_worker_sees_their_own_booking_and_not_the_agenda(
    client, social_worker, booking
):
    client.force_login(social_worker)
    assert client.get(reverse("bookings:detail", args=[booking.pk])).status_code == 200
    listed = client.get(reverse("bookings:list")).content.decode()
    assert "Ada Lovelace" in listed
    meeting = booking.meeting
    # Issue 11: told in plain words that they don't sit on the panel (403), not a bare 404.
    assert client.get(reverse("agendas:agenda", args=["lancashire", meeting.pk])).status_code == 403


def test_a_social_worker_of_another_team_cannot_open_the_booking(client, make_user, booking):
    stranger = make_user(Role.SOCIAL_WORKER, team=TeamFactory(name="Another team"))
    client.force_login(stranger)
    for name in ("detail", "move", "cancel", "change"):
        assert client.get(reverse(f"bookings:{name}", args=[booking.pk])).status_code == 404
    assert "Ada Lovelace" not in client.get(reverse("bookings:list")).content.decode()


def test_moving_offers_the_next_available_panel_first(client, administrator, booking, meetings):
    client.force_login(administrator)
    response = client.get(reverse("bookings:move", args=[booking.pk]))
    page = response.content.decode()
    # The meeting the child is already booked into is not the next panel for them.
    assert "Next available panel: <strong>Wednesday 10 February 2027</strong>" in page
    form = response.context["form"]
    assert form.initial["place"].startswith(f"{meetings[1].pk}:")

    later = meetings[1].slots.get(starts_at=time(11, 10))
    response = client.post(
        reverse("bookings:move", args=[booking.pk]), {"place": f"{meetings[1].pk}:{later.pk}"}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.meeting, booking.slot) == (meetings[1], later)


def test_moving_to_the_waiting_list_and_booking_from_it(client, administrator, booking, meetings):
    client.force_login(administrator)
    client.post(reverse("bookings:move", args=[booking.pk]), {"place": "waiting"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.WAITING
    waiting = client.get(reverse("agendas:waiting-list", args=["lancashire"])).content.decode()
    assert "Ada Lovelace" in waiting
    slot = meetings[2].slots.get(starts_at=time(9, 30))
    client.post(
        reverse("bookings:move", args=[booking.pk]), {"place": f"{meetings[2].pk}:{slot.pk}"}
    )
    booking.refresh_from_db()
    assert (booking.status, booking.meeting, booking.slot) == (
        BookingStatus.BOOKED,
        meetings[2],
        slot,
    )


def test_cancelling_a_booking_needs_a_reason_and_frees_the_slot(client, administrator, booking):
    client.force_login(administrator)
    url = reverse("bookings:cancel", args=[booking.pk])
    assert "Say why the booking is cancelled." in client.post(url, {"reason": ""}).content.decode()
    client.post(url, {"reason": "The child returned home"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.slot is None


def test_adding_to_the_waiting_list(client, administrator, ada, lancashire):
    client.force_login(administrator)
    response = client.post(
        reverse("agendas:waiting-list", args=["lancashire"]),
        {
            "child": "100234",
            "request_type": lancashire.request_types.first().pk,
            "reason": "No room in January",
        },
    )
    assert response.status_code == 302
    assert Booking.objects.get().status == BookingStatus.WAITING
    again = client.post(
        reverse("agendas:waiting-list", args=["lancashire"]),
        {"child": "100234", "request_type": lancashire.request_types.first().pk, "reason": "x"},
    )
    assert "already on the waiting list" in again.content.decode()


def test_booking_from_the_childs_page_takes_the_next_available_panel(
    client, administrator, ada, meetings, lancashire
):
    client.force_login(administrator)
    assert (
        reverse("bookings:new", args=[ada.pk])
        in client.get(reverse("tracker:child", args=[ada.pk])).content.decode()
    )
    request_type = lancashire.request_types.get(name="New to care")
    url = reverse("bookings:new", args=[ada.pk]) + f"?request_type={request_type.pk}"
    response = client.get(url)
    first_free = meetings[0].slots.get(starts_at=time(9, 30))
    assert response.context["form"].initial["place"] == f"{meetings[0].pk}:{first_free.pk}"
    response = client.post(url, {"place": f"{meetings[0].pk}:{first_free.pk}", "reason": "New"})
    booking = Booking.objects.get()
    assert response.url == reverse("bookings:detail", args=[booking.pk])
    assert (booking.meeting, booking.section.name) == (meetings[0], "New Children Looked After")


def test_the_chair_agrees_the_agenda_and_a_change_afterwards_shows(
    client, make_user, administrator, booking, lancashire
):
    chair = make_user(Role.CHAIR)
    lancashire.chair = chair
    lancashire.save()
    meeting = booking.meeting
    agenda_url = reverse("agendas:agenda", args=["lancashire", meeting.pk])

    client.force_login(administrator)
    client.post(reverse("agendas:agenda-agree", args=["lancashire", meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.agenda_agreed_at is None  # an administrator cannot agree it

    client.force_login(chair)
    page = client.get(agenda_url).content.decode()
    assert "Ada Lovelace" in page and "Agree the agenda" in page
    client.post(reverse("agendas:agenda-agree", args=["lancashire", meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.agenda_agreed_by == chair
    assert "Changed since agreement" not in client.get(agenda_url).content.decode()

    with time_machine.travel(datetime(2026, 12, 1, 15, 0, tzinfo=UTC), tick=False):
        services.booking_update(booking=booking, reason="A different reason")
    assert "Changed since agreement" in client.get(agenda_url).content.decode()

    client.force_login(administrator)
    client.post(reverse("agendas:agenda-circulated", args=["lancashire", meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.agenda_circulated_at is None  # refused until the chair agrees again


def test_cancelling_a_meeting_moves_its_bookings_to_the_meeting_chosen(
    client, administrator, booking, meetings
):
    client.force_login(administrator)
    response = client.post(
        reverse("agendas:meeting-cancel", args=["lancashire", meetings[0].pk]),
        {"reason": "The chair is at court", "move_bookings_to": meetings[1].pk},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.meeting == meetings[1]
    follow = client.get(response.url).content.decode()
    assert "1 booking moved to the meeting you chose." in follow


def test_the_bookings_page_and_the_meeting_page_cost_the_same_for_three_children_or_ten(
    client, administrator, meetings, lancashire
):
    request_type = lancashire.request_types.get(name="New to care")
    meeting = meetings[0]
    client.force_login(administrator)

    def book(count):
        for _ in range(count):
            services.booking_create(
                meeting=meeting,
                child=ChildFactory(panel=lancashire),
                request_type=request_type,
                reason="New to care",
                booked_by=administrator,
            )

    def queries_for(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    pages = [
        reverse("bookings:list"),
        reverse("agendas:meeting", args=["lancashire", meeting.pk]),
        reverse("agendas:agenda", args=["lancashire", meeting.pk]),
    ]
    book(3)
    with_three = [queries_for(url) for url in pages]
    book(7)
    assert [queries_for(url) for url in pages] == with_three


def test_the_meeting_page_marks_deadlines_done_and_shows_each_submission(
    client, make_user, administrator, booking, lancashire
):
    meeting = booking.meeting
    lancashire.chair = make_user(Role.CHAIR)
    lancashire.save()
    done = {d["field"]: d["done"] for d in selectors.meeting_deadlines(meeting)}
    assert not any(done.values())

    meeting = services.agenda_agree(meeting=meeting, chair=lancashire.chair)
    Booking.objects.filter(pk=booking.pk).update(
        social_worker_notified_at=datetime(2026, 12, 1, 9, tzinfo=UTC),
        team_manager_notified_at=datetime(2026, 12, 1, 9, tzinfo=UTC),
    )
    done = {d["field"]: d["done"] for d in selectors.meeting_deadlines(meeting)}
    assert done["agenda_agree_days"] and done["booking_notice_days"]
    assert not done["submission_due_days"] and not done["agenda_circulate_days"]

    client.force_login(administrator)
    page = client.get(reverse("agendas:meeting", args=["lancashire", meeting.pk])).content.decode()
    assert "Submission due" in page
    with time_machine.travel(date(2027, 1, 7), tick=False):  # due Wednesday 6 January 2027
        client.force_login(administrator)  # a sign-in lasts hours, not weeks
        page = client.get(reverse("agendas:meeting", args=["lancashire", meeting.pk]))
    assert "Late</strong>" in page.content.decode()


def test_a_social_worker_named_to_present_sees_the_booking(client, make_user, booking, team):
    presenter = make_user(Role.SOCIAL_WORKER, team=TeamFactory(name="Fostering"))
    services.booking_update(booking=booking, social_worker=presenter)
    client.force_login(presenter)
    assert client.get(reverse("bookings:detail", args=[booking.pk])).status_code == 200


def test_bookings_cannot_be_moved_to_a_cancelled_meeting(booking, meetings):
    services.meeting_cancel(meeting=meetings[1], reason="Room unavailable")
    meetings[1].refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.meeting_cancel(
            meeting=meetings[0], reason="Chair at court", move_bookings_to=meetings[1]
        )
    assert refused.value.message_dict == {
        "move_bookings_to": ["Choose a meeting that is still to come and not cancelled."]
    }
    booking.refresh_from_db()
    assert booking.meeting == meetings[0]


def test_moving_a_meeting_after_agreement_needs_the_agenda_agreed_again(
    make_user, booking, lancashire
):
    lancashire.chair = make_user(Role.CHAIR)
    lancashire.save()
    meeting = services.agenda_agree(meeting=booking.meeting, chair=lancashire.chair)
    with time_machine.travel(datetime(2026, 12, 1, 15, 0, tzinfo=UTC), tick=False):
        services.meeting_update(meeting=meeting, venue="County Hall")
        meeting.refresh_from_db()
        assert not meeting.changed_since_agreement  # the venue is not on the agenda's terms
        services.meeting_update(meeting=meeting, date=date(2027, 1, 14))
    meeting.refresh_from_db()
    assert meeting.changed_since_agreement
