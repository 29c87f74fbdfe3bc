"""Slots, bookings and the waiting list: the services and the selectors that read them.

"Today" is fixed at Tuesday 1 December 2026, so the 2027 meetings are still to come.
"""

from datetime import date, datetime, time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from agendas import selectors, services
from agendas.forms import MeetingForm
from agendas.models import Booking, BookingStatus, Meeting, MeetingStatus, PanelMembership, Slot
from permanence.roles import Role
from tests.days import LONDON
from tests.factories import ChildFactory, PanelFactory, TeamFactory

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)

LANCASHIRE_SLOTS = [
    "09:30", "09:50", "10:10", "10:30", "10:50", "11:10", "11:30", "11:50", "12:10", "12:30",
    "13:00", "13:20", "13:40", "14:00", "14:20", "14:40", "15:00", "15:20", "15:40", "16:00",
]  # fmt: skip

# The request type each panel's bookings use unless a test says otherwise.
USUAL_REQUEST = {"lancashire": "Represented", "knowsley": "Staying Put"}


@pytest.fixture(autouse=True)
def today():
    # Ticking, so each write gets a later timestamp than the one before.
    with time_machine.travel(TODAY, tick=True):
        yield


def on(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=LONDON))


@pytest.fixture
def knowsley():
    return PanelFactory(preset="knowsley")


def schedule(panel) -> list[Meeting]:
    """January to March 2027."""
    return services.meetings_schedule(
        panel=panel, start=date(2027, 1, 1), end=date(2027, 3, 31)
    ).created


@pytest.fixture
def lancashire_meetings(lancashire):
    return schedule(lancashire)  # 13 January, 10 February, 10 March


@pytest.fixture
def knowsley_meetings(knowsley):
    return schedule(knowsley)  # 5 January, 2 February, 2 March


def part(panel, n: int):
    return panel.sections.get(order=n)


def request(panel, name: str | None = None):
    return panel.request_types.get(name=name or USUAL_REQUEST[panel.slug])


@pytest.fixture
def book(administrator):
    def book(meeting, child=None, **fields):
        fields.setdefault("request_type", request(meeting.panel))
        fields.setdefault("reason", "To agree the plan for permanence")
        return services.booking_create(
            meeting=meeting, child=child or ChildFactory(), booked_by=administrator, **fields
        )

    return book


@pytest.fixture
def add_to_waiting_list(administrator):
    def add(panel, child=None, **fields):
        fields.setdefault("request_type", request(panel))
        fields.setdefault("reason", "To agree the plan for permanence")
        return services.booking_add_to_waiting_list(
            panel=panel, child=child or ChildFactory(), booked_by=administrator, **fields
        )

    return add


def hhmm(slots) -> list[str]:
    return [f"{slot.starts_at:%H:%M}" for slot in slots]


def booked_in(meeting) -> list[Booking]:
    return list(meeting.bookings.filter(status=BookingStatus.BOOKED))


# Scheduling lays out the slots ------------------------------------------------------------


def test_each_lancashire_meeting_gets_twenty_shared_20_minute_slots_clear_of_lunch(
    lancashire_meetings,
):
    assert len(lancashire_meetings) == 3
    for meeting in lancashire_meetings:
        slots = list(meeting.slots.order_by("starts_at"))
        assert hhmm(slots) == LANCASHIRE_SLOTS
        assert [slot.number for slot in slots] == list(range(1, 21))
        assert all(slot.section_id is None for slot in slots)  # any section may use them
        for slot in slots:
            minutes = (slot.ends_at.hour * 60 + slot.ends_at.minute) - (
                slot.starts_at.hour * 60 + slot.starts_at.minute
            )
            assert minutes == 20
            assert slot.ends_at <= time(12, 50) or slot.starts_at >= time(13, 0)  # lunch
    assert Slot.objects.count() == 60


def test_knowsley_meetings_get_four_timed_slots_in_parts_2_and_3_only(knowsley, knowsley_meetings):
    meeting = knowsley_meetings[0]
    assert meeting.date == date(2027, 1, 5)
    assert hhmm(meeting.slots.filter(section=part(knowsley, 2))) == [
        "10:15",
        "10:30",
        "10:45",
        "11:00",
    ]
    assert hhmm(meeting.slots.filter(section=part(knowsley, 3))) == [
        "11:15",
        "11:30",
        "11:45",
        "12:00",
    ]
    assert not meeting.slots.filter(section__in=[part(knowsley, 1), part(knowsley, 4)]).exists()
    assert not meeting.slots.filter(section=None).exists()
    assert meeting.slots.count() == 8


# booking_create ---------------------------------------------------------------------------


def test_the_social_worker_and_team_manager_come_from_the_child(
    book, make_user, lancashire_meetings
):
    social_worker, team_manager = make_user(Role.SOCIAL_WORKER), make_user(Role.TEAM_MANAGER)
    child = ChildFactory(social_worker=social_worker, team_manager=team_manager)
    booking = book(lancashire_meetings[0], child)
    booking.refresh_from_db()
    assert (booking.social_worker, booking.team_manager) == (social_worker, team_manager)
    assert booking.status == BookingStatus.BOOKED

    covering = make_user(Role.SOCIAL_WORKER)
    other = book(lancashire_meetings[1], child, social_worker=covering)
    assert (other.social_worker, other.team_manager) == (covering, team_manager)


def test_the_first_free_slot_is_taken_when_none_is_chosen(book, lancashire, lancashire_meetings):
    meeting = lancashire_meetings[0]
    chosen = meeting.slots.get(starts_at=time(9, 50))
    in_chosen = book(meeting, slot=chosen)
    first, second = book(meeting), book(meeting)
    assert in_chosen.slot == chosen
    assert (f"{first.slot.starts_at:%H:%M}", f"{second.slot.starts_at:%H:%M}") == ("09:30", "10:10")
    # The section comes from the request type, even in a shared slot.
    assert first.section.name == "Case re-presented back to permanence panel"


def test_one_child_per_slot(book, lancashire_meetings):
    meeting = lancashire_meetings[0]
    slot = meeting.slots.get(starts_at=time(9, 30))
    book(meeting, slot=slot)
    with pytest.raises(ValidationError) as refused:
        book(meeting, slot=slot)
    assert refused.value.message_dict == {
        "slot": ["Another child is already booked into the 09:30 to 09:50 slot. Choose another."]
    }
    assert len(booked_in(meeting)) == 1


def test_a_child_is_booked_once_per_meeting(book, lancashire_meetings):
    meeting = lancashire_meetings[0]
    child = ChildFactory(first_name="Ada", last_name="Lovelace")
    book(meeting, child)
    with pytest.raises(ValidationError) as refused:
        book(meeting, child, slot=meeting.slots.get(starts_at=time(14, 0)))
    assert refused.value.message_dict == {
        "child": ["Ada Lovelace is already booked into this meeting."]
    }
    # Another meeting is fine.
    assert book(lancashire_meetings[1], child).meeting == lancashire_meetings[1]


def test_knowsley_part_2_takes_four_children_and_refuses_a_fifth(book, knowsley, knowsley_meetings):
    meeting = knowsley_meetings[0]
    bookings = [book(meeting) for _ in range(4)]
    assert hhmm(b.slot for b in bookings) == ["10:15", "10:30", "10:45", "11:00"]
    with pytest.raises(ValidationError) as refused:
        book(meeting)
    assert refused.value.message_dict == {
        "section": ["“Part 2: Matching and approval” is full: it takes 4 children."]
    }
    assert len(booked_in(meeting)) == 4
    # Part 3 has its own four.
    scrutiny = book(meeting, request_type=request(knowsley, "Placement scrutiny"))
    assert (scrutiny.section, f"{scrutiny.slot.starts_at:%H:%M}") == (part(knowsley, 3), "11:15")


def test_knowsley_part_4_takes_no_children_and_part_1_lists_them_without_times(
    book, knowsley, knowsley_meetings
):
    meeting = knowsley_meetings[0]
    with pytest.raises(ValidationError) as refused:
        book(meeting, section=part(knowsley, 4))
    assert refused.value.message_dict == {
        "section": ["Children are not booked into “Part 4: Agree next agenda”."]
    }
    listed = book(meeting, section=part(knowsley, 1))
    assert (listed.section, listed.slot) == (part(knowsley, 1), None)
    assert booked_in(meeting) == [listed]


def test_a_cancelled_meeting_takes_no_bookings(book, lancashire_meetings):
    meeting = lancashire_meetings[0]
    services.meeting_cancel(meeting=meeting, reason="The chair is at court")
    with pytest.raises(
        ValidationError, match="The meeting on Wednesday 13 January 2027 is cancelled."
    ):
        book(meeting)
    assert not Booking.objects.exists()


def test_a_meeting_is_bookable_up_to_and_on_its_day_but_not_once_held(book, lancashire_meetings):
    meeting = lancashire_meetings[0]  # Wednesday 13 January 2027
    with on(date(2027, 1, 12)):
        book(meeting)
    with on(date(2027, 1, 13), hour=15):
        book(meeting)
    with on(date(2027, 1, 14)), pytest.raises(ValidationError) as refused:
        book(meeting)
    assert refused.value.messages == [
        "The meeting on Wednesday 13 January 2027 has already been held. Choose a later meeting."
    ]
    assert len(booked_in(meeting)) == 2


def test_another_panels_request_type_is_refused(book, knowsley, lancashire_meetings):
    with pytest.raises(ValidationError) as refused:
        book(lancashire_meetings[0], request_type=request(knowsley))
    assert refused.value.message_dict == {
        "request_type": ["Choose one of this panel's request types."]
    }
    assert not Booking.objects.exists()


def test_a_booking_needs_a_reason(book, lancashire_meetings):
    with pytest.raises(ValidationError) as refused:
        book(lancashire_meetings[0], reason="  ")
    assert refused.value.message_dict == {"reason": ["Say why the child is coming to panel."]}


def test_a_child_on_the_waiting_list_is_booked_from_it(
    book, add_to_waiting_list, lancashire, lancashire_meetings
):
    child = ChildFactory()
    waiting = add_to_waiting_list(lancashire, child, notes="Needs an interpreter")
    assert list(selectors.waiting_list(lancashire)) == [waiting]

    booking = book(lancashire_meetings[0], child)
    assert booking.pk == waiting.pk
    waiting.refresh_from_db()
    assert (waiting.status, waiting.meeting, waiting.slot) == (
        BookingStatus.BOOKED,
        lancashire_meetings[0],
        lancashire_meetings[0].slots.get(starts_at=time(9, 30)),
    )
    assert Booking.objects.filter(child=child).count() == 1
    assert not selectors.waiting_list(lancashire).exists()


# What the database refuses on its own -----------------------------------------------------


@pytest.fixture
def row(lancashire, lancashire_meetings):
    """Fields for a Booking.objects.create that skips the services."""
    meeting = lancashire_meetings[0]
    represented = request(lancashire)
    return {
        "panel": lancashire,
        "meeting": meeting,
        "section": represented.default_section,
        "request_type": represented,
        "reason": "To agree the plan",
        "status": BookingStatus.BOOKED,
    }


def test_the_database_holds_one_booked_child_per_slot(row, lancashire_meetings):
    slot = lancashire_meetings[0].slots.first()
    Booking.objects.create(**row, slot=slot, child=ChildFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(**row, slot=slot, child=ChildFactory())
    # A cancelled booking does not hold the slot.
    Booking.objects.filter(slot=slot).update(status=BookingStatus.CANCELLED, cancelled_reason="x")
    Booking.objects.create(**row, slot=slot, child=ChildFactory())


def test_the_database_holds_a_child_once_per_meeting(row, lancashire_meetings):
    first, second = lancashire_meetings[0].slots.all()[:2]
    child = ChildFactory()
    Booking.objects.create(**row, slot=first, child=child)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(**row, slot=second, child=child)


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"meeting": None}, id="booked-without-a-meeting"),
        pytest.param({"section": None}, id="booked-without-a-section"),
        pytest.param({"status": BookingStatus.WAITING}, id="waiting-with-a-meeting"),
        pytest.param({"status": BookingStatus.CANCELLED}, id="cancelled-without-a-reason"),
    ],
)
def test_the_database_checks_what_each_status_needs(row, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(**{**row, **fields}, child=ChildFactory())
    assert not Booking.objects.exists()


# Moving, cancelling and the waiting list -------------------------------------------------


def test_a_booking_moves_within_its_meeting_and_frees_its_slot(book, lancashire_meetings):
    meeting = lancashire_meetings[0]
    booking = book(meeting)
    old, new = booking.slot, meeting.slots.get(starts_at=time(14, 0))
    services.booking_move(booking=booking, meeting=meeting, slot=new)
    booking.refresh_from_db()
    assert (booking.meeting, booking.slot) == (meeting, new)
    assert old in selectors.free_slots(meeting)
    assert new not in selectors.free_slots(meeting)
    assert book(meeting).slot == old


def test_a_booking_moves_to_another_meeting(book, lancashire_meetings):
    january, february = lancashire_meetings[:2]
    booking = book(january)
    old = booking.slot
    services.booking_move(booking=booking, meeting=february)
    booking.refresh_from_db()
    assert (booking.meeting, f"{booking.slot.starts_at:%H:%M}") == (february, "09:30")
    assert booking.slot.meeting == february
    assert booked_in(january) == []
    assert old in selectors.free_slots(january)
    january.refresh_from_db()
    february.refresh_from_db()
    assert january.agenda_changed_at and february.agenda_changed_at


def test_a_booking_is_not_moved_into_a_full_section(book, knowsley_meetings):
    january, february = knowsley_meetings[:2]
    for _ in range(4):
        book(february)
    booking = book(january)
    with pytest.raises(ValidationError, match="is full: it takes 4 children"):
        services.booking_move(booking=booking, meeting=february)
    booking.refresh_from_db()
    assert booking.meeting == january
    assert len(booked_in(february)) == 4


def test_a_booking_is_not_moved_into_a_taken_slot(book, lancashire_meetings):
    meeting = lancashire_meetings[0]
    first, second = book(meeting), book(meeting)
    with pytest.raises(ValidationError, match="Another child is already booked"):
        services.booking_move(booking=second, meeting=meeting, slot=first.slot)
    second.refresh_from_db()
    assert f"{second.slot.starts_at:%H:%M}" == "09:50"


def test_cancelling_a_booking_frees_its_slot_and_keeps_the_record(book, lancashire_meetings):
    meeting = lancashire_meetings[0]
    booking = book(meeting)
    slot = booking.slot
    with pytest.raises(ValidationError):
        services.booking_cancel(booking=booking, reason=" ")
    services.booking_cancel(booking=booking, reason="Plan agreed at the review")
    booking.refresh_from_db()
    assert (booking.status, booking.meeting, booking.slot) == (
        BookingStatus.CANCELLED,
        meeting,
        None,
    )
    assert booking.cancelled_reason == "Plan agreed at the review"
    assert book(meeting).slot == slot
    # The same child may be booked into the meeting again.
    assert book(meeting, booking.child).status == BookingStatus.BOOKED


def test_a_booking_returns_to_the_waiting_list(book, lancashire, lancashire_meetings):
    meeting = lancashire_meetings[0]
    booking = book(meeting)
    slot = booking.slot
    services.booking_return_to_waiting_list(booking=booking, note="Reports not ready")
    booking.refresh_from_db()
    assert (booking.status, booking.meeting, booking.slot) == (BookingStatus.WAITING, None, None)
    assert booking.notes.endswith("Reports not ready")
    assert list(selectors.waiting_list(lancashire)) == [booking]
    assert slot in selectors.free_slots(meeting)
    with pytest.raises(ValidationError):
        services.booking_return_to_waiting_list(booking=booking)


def test_a_child_is_on_the_waiting_list_once(add_to_waiting_list, lancashire, knowsley):
    child = ChildFactory(first_name="Ada", last_name="Lovelace")
    add_to_waiting_list(lancashire, child)
    with pytest.raises(ValidationError) as refused:
        add_to_waiting_list(lancashire, child)
    assert refused.value.message_dict == {"child": ["Ada Lovelace is already on the waiting list."]}
    assert selectors.waiting_list(lancashire).count() == 1
    add_to_waiting_list(knowsley, child)  # another panel's list is another list


def test_a_child_waits_for_a_section_of_the_same_panel(add_to_waiting_list, lancashire, knowsley):
    with pytest.raises(ValidationError) as refused:
        add_to_waiting_list(lancashire, section=part(knowsley, 2))
    assert refused.value.message_dict == {"section": ["Choose a section of this panel."]}
    assert not Booking.objects.exists()


def test_a_child_on_the_waiting_list_is_moved_onto_an_agenda(
    add_to_waiting_list, knowsley, knowsley_meetings
):
    waiting = add_to_waiting_list(knowsley)
    services.booking_move(booking=waiting, meeting=knowsley_meetings[1])
    waiting.refresh_from_db()
    assert (waiting.status, waiting.meeting, waiting.section) == (
        BookingStatus.BOOKED,
        knowsley_meetings[1],
        part(knowsley, 2),
    )
    assert f"{waiting.slot.starts_at:%H:%M}" == "10:15"


# Cancelling a meeting loses no booking ----------------------------------------------------


def test_cancelling_a_meeting_moves_bookings_where_there_is_room_and_the_rest_wait(
    book, knowsley, knowsley_meetings
):
    january, february = knowsley_meetings[:2]
    january_bookings = [book(january) for _ in range(4)]
    already_in_february = [book(february) for _ in range(2)]

    rehoused = services.meeting_cancel(
        meeting=january, reason="The chair is at court", move_bookings_to=february
    )

    assert len(rehoused.moved) + len(rehoused.waiting) == 4
    assert [b.pk for b in rehoused.moved] == [b.pk for b in january_bookings[:2]]
    assert [b.pk for b in rehoused.waiting] == [b.pk for b in january_bookings[2:]]
    assert {b.pk for b in booked_in(february)} == {
        b.pk for b in already_in_february + january_bookings[:2]
    }
    assert {b.pk for b in selectors.waiting_list(knowsley)} == {b.pk for b in january_bookings[2:]}
    assert booked_in(january) == []
    assert Booking.objects.count() == 6  # none lost
    january.refresh_from_db()
    assert (january.status, january.cancelled_reason) == (
        MeetingStatus.CANCELLED,
        "The chair is at court",
    )


def test_cancelling_a_meeting_without_a_target_puts_every_booking_on_the_waiting_list(
    book, add_to_waiting_list, lancashire, lancashire_meetings
):
    meeting = lancashire_meetings[0]
    bookings = [book(meeting) for _ in range(3)]
    # This child is booked and already waiting for a later slot too: they keep one entry.
    add_to_waiting_list(lancashire, bookings[0].child)

    rehoused = services.meeting_cancel(meeting=meeting, reason="Snow")

    assert rehoused.moved == []
    assert {b.pk for b in rehoused.waiting} == {b.pk for b in bookings}
    waiting = selectors.waiting_list(lancashire)
    assert {b.child for b in waiting} == {b.child for b in bookings}
    assert waiting.count() == 3
    assert booked_in(meeting) == []
    note = "Meeting on Wednesday 13 January 2027 cancelled."
    for booking in bookings[1:]:
        booking.refresh_from_db()
        assert booking.notes == note
    bookings[0].refresh_from_db()
    assert (bookings[0].status, bookings[0].cancelled_reason) == (BookingStatus.CANCELLED, note)


def test_cancelling_a_meeting_needs_a_reason_and_refuses_another_panels_meeting(
    book, lancashire_meetings, knowsley_meetings
):
    meeting = lancashire_meetings[0]
    book(meeting)
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=meeting, reason=" ")
    with pytest.raises(ValidationError, match="Choose a meeting of the same panel."):
        services.meeting_cancel(
            meeting=meeting, reason="Snow", move_bookings_to=knowsley_meetings[0]
        )
    assert len(booked_in(meeting)) == 1
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


# Re-timing a meeting moves its slots ------------------------------------------------------


def test_slots_move_with_a_re_timed_meeting(book, lancashire_meetings):
    meeting = lancashire_meetings[0]
    booking = book(meeting, slot=meeting.slots.get(starts_at=time(9, 50)))
    services.meeting_update(meeting=meeting, starts_at=time(10, 0), ends_at=time(16, 50))
    slots = list(meeting.slots.order_by("starts_at"))
    assert len(slots) == 20
    assert (f"{slots[0].starts_at:%H:%M}", f"{slots[-1].ends_at:%H:%M}") == ("10:00", "16:50")
    booking.refresh_from_db()
    assert f"{booking.slot.starts_at:%H:%M}" == "10:20"  # the child keeps their place


def test_shortening_the_day_drops_the_free_slots_that_no_longer_fit(lancashire_meetings):
    meeting = lancashire_meetings[0]
    services.meeting_update(meeting=meeting, ends_at=time(12, 50))
    assert hhmm(meeting.slots.order_by("starts_at")) == LANCASHIRE_SLOTS[:10]
    meeting.refresh_from_db()
    assert meeting.ends_at == time(12, 50)


def test_the_day_is_not_shortened_past_a_booked_slot(book, lancashire_meetings):
    meeting = lancashire_meetings[0]
    book(meeting, slot=meeting.slots.get(starts_at=time(13, 0)))
    with pytest.raises(ValidationError) as refused:
        services.meeting_update(meeting=meeting, ends_at=time(12, 50))
    assert refused.value.message_dict == {
        "ends_at": [
            "A child is booked into the slot that would end at 13:20. "
            "Move that booking first, or end the meeting later."
        ]
    }
    assert meeting.slots.count() == 20
    meeting.refresh_from_db()
    assert meeting.ends_at == time(16, 20)


def test_starting_later_refuses_when_a_booked_slot_would_run_past_the_end(
    book, lancashire_meetings
):
    meeting = lancashire_meetings[0]
    book(meeting, slot=meeting.slots.get(starts_at=time(16, 0)))
    with pytest.raises(ValidationError, match="would end at 16:50"):
        services.meeting_update(meeting=meeting, starts_at=time(10, 0))
    assert hhmm(meeting.slots.order_by("starts_at")) == LANCASHIRE_SLOTS


def test_slots_move_when_the_meeting_form_re_times_the_meeting(book, lancashire_meetings):
    """The administrator's page binds MeetingForm to the meeting, which copies the new
    times onto it before the service runs: the slots must still move."""
    meeting = lancashire_meetings[0]
    booking = book(meeting)
    form = MeetingForm(
        data={
            "date_0": "13",
            "date_1": "1",
            "date_2": "2027",
            "starts_at": "10:00",
            "ends_at": "16:50",
            "venue": "County Hall, Preston",
            "online_link": "",
            "theme": "",
        },
        instance=meeting,
    )
    assert form.is_valid(), form.errors
    services.meeting_update(meeting=meeting, **form.cleaned_data)
    assert hhmm(meeting.slots.order_by("starts_at")[:2]) == ["10:00", "10:20"]
    booking.refresh_from_db()
    assert f"{booking.slot.starts_at:%H:%M}" == "10:00"


def test_a_meeting_moved_to_the_evening_drops_the_slots_that_would_run_past_midnight(
    lancashire_meetings,
):
    meeting = lancashire_meetings[0]
    services.meeting_update(meeting=meeting, starts_at=time(18, 0), ends_at=time(23, 30))
    slots = list(meeting.slots.order_by("starts_at"))
    assert len(slots) == 16
    assert (f"{slots[0].starts_at:%H:%M}", f"{slots[-1].ends_at:%H:%M}") == ("18:00", "23:30")


def test_changing_a_meeting_from_an_old_copy_keeps_its_agreed_agenda(
    book, chaired, lancashire_meetings
):
    meeting = lancashire_meetings[0]  # loaded before the agreement below
    book(meeting)
    services.agenda_agree(meeting=Meeting.objects.get(pk=meeting.pk), chair=chaired.chair)
    services.meeting_update(meeting=meeting, venue="County Hall, Preston")
    meeting.refresh_from_db()
    assert meeting.venue == "County Hall, Preston"
    assert meeting.agenda_agreed_by == chaired.chair
    assert meeting.agenda_changed_at is not None


# next_available ---------------------------------------------------------------------------


def next_available(panel, section, child=None):
    return selectors.next_available(
        panel=panel, section=section, child=child, today=timezone.localdate()
    )


def test_next_available_is_the_earliest_meeting_with_room(book, knowsley, knowsley_meetings):
    january, february, _ = knowsley_meetings
    matching = part(knowsley, 2)
    meeting, slot = next_available(knowsley, matching)
    assert (meeting, f"{slot.starts_at:%H:%M}") == (january, "10:15")

    book(january)
    assert f"{next_available(knowsley, matching)[1].starts_at:%H:%M}" == "10:30"
    for _ in range(3):
        book(january)
    meeting, slot = next_available(knowsley, matching)
    assert (meeting, f"{slot.starts_at:%H:%M}") == (february, "10:15")


def test_next_available_skips_cancelled_meetings_and_meetings_already_held(
    knowsley, knowsley_meetings
):
    january, february, march = knowsley_meetings
    matching = part(knowsley, 2)
    with on(date(2027, 1, 5)):
        assert next_available(knowsley, matching)[0] == january  # still today
    with on(date(2027, 1, 6)):
        assert next_available(knowsley, matching)[0] == february
    services.meeting_cancel(meeting=february, reason="Snow")
    with on(date(2027, 1, 6)):
        assert next_available(knowsley, matching)[0] == march


def test_next_available_skips_a_meeting_the_child_is_already_booked_into(
    book, knowsley, knowsley_meetings
):
    january, february, _ = knowsley_meetings
    matching = part(knowsley, 2)
    child = ChildFactory()
    book(january, child)
    assert next_available(knowsley, matching, child)[0] == february
    assert next_available(knowsley, matching, ChildFactory())[0] == january


def test_next_available_offers_again_a_meeting_whose_booking_for_the_child_was_cancelled(
    book, knowsley, knowsley_meetings
):
    january = knowsley_meetings[0]
    child = ChildFactory()
    services.booking_cancel(booking=book(january, child), reason="Wrong month")
    book(january)  # another child still booked into the meeting
    assert next_available(knowsley, part(knowsley, 2), child)[0] == january


def test_next_available_is_none_for_a_section_that_takes_no_children(knowsley, knowsley_meetings):
    assert next_available(knowsley, part(knowsley, 4)) is None


def test_next_available_lists_a_child_without_a_time_in_a_section_without_slots(
    knowsley, knowsley_meetings
):
    assert next_available(knowsley, part(knowsley, 1)) == (knowsley_meetings[0], None)


def test_next_available_uses_the_shared_slots(book, lancashire, lancashire_meetings):
    book(lancashire_meetings[0])
    section = request(lancashire, "Ratification").default_section
    meeting, slot = next_available(lancashire, section)
    assert (meeting, f"{slot.starts_at:%H:%M}", slot.section) == (
        lancashire_meetings[0],
        "09:50",
        None,
    )


# The agenda and its rows ------------------------------------------------------------------


def test_the_agenda_shows_each_booking_under_its_section(book, knowsley, knowsley_meetings):
    meeting = knowsley_meetings[0]
    matching = book(meeting)
    tracking = book(meeting, section=part(knowsley, 1))
    rows = selectors.slot_rows(meeting)
    assert len(rows) == 8
    assert [row["booking"] for row in rows[:2]] == [matching, None]
    by_section = {
        item["section"].order: item["rows"] for item in selectors.agenda(meeting).sections
    }
    assert [row["booking"] for row in by_section[1]] == [tracking]
    assert [row["booking"] for row in by_section[2]] == [matching, None, None, None]
    assert len(by_section[3]) == 4
    assert by_section[4] == []


# Agreeing and circulating the agenda ------------------------------------------------------


@pytest.fixture
def chaired(lancashire, make_user):
    lancashire.chair = make_user(Role.CHAIR)
    lancashire.deputy_chair = make_user(Role.CHAIR)
    lancashire.save()
    return lancashire


def test_only_the_panels_chair_or_deputy_agrees_its_agenda(chaired, make_user, lancashire_meetings):
    meeting = lancashire_meetings[0]
    for someone in (make_user(Role.CHAIR), make_user(Role.ADMINISTRATOR)):
        with pytest.raises(ValidationError, match="Only the panel's chair or deputy chair"):
            services.agenda_agree(meeting=meeting, chair=someone)
    meeting.refresh_from_db()
    assert meeting.agenda_agreed_at is None

    services.agenda_agree(meeting=meeting, chair=chaired.deputy_chair)
    services.agenda_agree(meeting=lancashire_meetings[1], chair=chaired.chair)
    meeting.refresh_from_db()
    assert meeting.agenda_agreed_by == chaired.deputy_chair
    assert meeting.agenda_agreed_at is not None


def test_a_booking_change_after_agreement_shows_and_stops_circulation(
    book, chaired, administrator, lancashire_meetings
):
    meeting = lancashire_meetings[0]
    booking = book(meeting)
    with pytest.raises(ValidationError, match="The chair has not agreed this agenda yet."):
        services.agenda_mark_circulated(meeting=meeting, by=administrator)

    services.agenda_agree(meeting=meeting, chair=chaired.chair)
    meeting.refresh_from_db()
    assert not meeting.changed_since_agreement

    services.booking_update(booking=booking, notes="Interpreter needed")
    meeting.refresh_from_db()
    assert meeting.changed_since_agreement
    with pytest.raises(ValidationError, match="The agenda has changed since the chair agreed it."):
        services.agenda_mark_circulated(meeting=meeting, by=administrator)
    meeting.refresh_from_db()
    assert meeting.agenda_circulated_at is None

    services.agenda_agree(meeting=meeting, chair=chaired.chair)
    services.agenda_mark_circulated(meeting=meeting, by=administrator)
    meeting.refresh_from_db()
    assert not meeting.changed_since_agreement
    assert meeting.agenda_circulated_by == administrator


@pytest.mark.parametrize("change", ["create", "move", "cancel", "wait"])
def test_every_booking_change_marks_the_agenda_changed(book, chaired, lancashire_meetings, change):
    meeting = lancashire_meetings[0]
    booking = book(meeting)
    services.agenda_agree(meeting=meeting, chair=chaired.chair)
    if change == "create":
        book(meeting)
    elif change == "move":
        services.booking_move(booking=booking, meeting=lancashire_meetings[1])
    elif change == "cancel":
        services.booking_cancel(booking=booking, reason="Plan agreed")
    else:
        services.booking_return_to_waiting_list(booking=booking)
    meeting.refresh_from_db()
    assert meeting.changed_since_agreement


# Who sees what ----------------------------------------------------------------------------


def test_a_social_worker_sees_their_own_childrens_bookings_not_another_teams(
    book, make_user, lancashire_meetings
):
    own_team, other_team = TeamFactory(), TeamFactory()
    social_worker = make_user(Role.SOCIAL_WORKER, team=own_team)
    colleague = make_user(Role.SOCIAL_WORKER, team=other_team)
    mine = book(lancashire_meetings[0], ChildFactory(social_worker=social_worker, team=own_team))
    theirs = book(lancashire_meetings[0], ChildFactory(social_worker=colleague, team=other_team))
    assert list(selectors.visible_bookings(social_worker)) == [mine]
    assert list(selectors.visible_bookings(colleague)) == [theirs]
    assert not selectors.visible_meetings(social_worker).exists()

    manager = make_user(Role.TEAM_MANAGER, team=own_team)
    assert list(selectors.visible_bookings(manager)) == [mine]


def test_a_panel_member_sees_the_meetings_of_the_panels_they_sit_on(
    make_user, lancashire, knowsley, lancashire_meetings, knowsley_meetings
):
    member = make_user(Role.PANEL_MEMBER)
    PanelMembership.objects.filter(panel=lancashire, order=1).update(user=member)
    assert set(selectors.visible_meetings(member)) == set(lancashire_meetings)

    chair = make_user(Role.CHAIR)
    knowsley.chair = chair
    knowsley.save()
    assert set(selectors.visible_meetings(chair)) == set(knowsley_meetings)
    assert not selectors.visible_meetings(make_user(Role.PANEL_MEMBER)).exists()


def test_an_administrator_sees_every_meeting_and_booking(
    book, administrator, lancashire_meetings, knowsley_meetings
):
    bookings = [book(lancashire_meetings[0]), book(knowsley_meetings[0])]
    assert selectors.visible_meetings(administrator).count() == 6
    assert set(selectors.visible_bookings(administrator)) == set(bookings)
