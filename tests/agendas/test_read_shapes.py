"""Each read shape the agendas pages repeat is named once, as a queryset method, and costs
the same queries however many rows it reads (as djangoproject.com's `for_dashboard()`)."""

from datetime import date

import pytest

from agendas import selectors, services
from agendas.models import Booking, Meeting
from agendas.models.packs import inputs_changed_at
from tests.factories import ChildFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def knowsley():
    return services.panel_preset_load(slug="knowsley").panel


@pytest.fixture
def meeting(knowsley):
    return services.meetings_schedule(
        panel=knowsley, start=date(2027, 1, 1), end=date(2027, 1, 31)
    ).created[0]


def part(panel, number: int):
    """Knowsley's part 1 lists children without times; parts 2 and 3 take four each."""
    return panel.sections.get(order=number)


def book(meeting, case_number: str, administrator, *, section):
    child = ChildFactory(
        case_number=case_number, last_name=case_number, social_worker=UserFactory()
    )
    return services.booking_create(
        meeting=meeting,
        child=child,
        request_type=meeting.panel.request_types.order_by("pk").first(),
        reason="To agree the plan for permanence",
        booked_by=administrator,
        section=section,
    )


def add_to_waiting_list(panel, case_number: str, administrator):
    return services.booking_add_to_waiting_list(
        panel=panel,
        child=ChildFactory(case_number=case_number, social_worker=UserFactory()),
        request_type=panel.request_types.order_by("pk").first(),
        reason="No room at the next panel",
        booked_by=administrator,
    )


def test_a_meetings_running_order_is_one_query_however_many_children(
    meeting, administrator, django_assert_num_queries
):
    panel = meeting.panel
    book(meeting, "RO-3", administrator, section=part(panel, 3))
    book(meeting, "RO-1", administrator, section=part(panel, 1))
    book(meeting, "RO-2A", administrator, section=part(panel, 2))
    book(meeting, "RO-2B", administrator, section=part(panel, 2))
    services.booking_cancel(
        booking=book(meeting, "RO-X", administrator, section=part(panel, 2)), reason="Moved"
    )

    with django_assert_num_queries(1):
        rows = [
            (
                booking.child.case_number,
                booking.request_type.name,
                booking.section.name,
                booking.slot.starts_at if booking.slot else None,
                booking.social_worker.email,
                booking.team_manager,
                getattr(booking, "submission", None),
            )
            for booking in meeting.bookings.on_the_agenda()
        ]

    assert [row[0] for row in rows] == ["RO-1", "RO-2A", "RO-2B", "RO-3"]
    assert [row[0] for row in rows] == [
        booking.child.case_number
        for booking in Booking.objects.filter(meeting=meeting, status="booked").in_running_order()
    ]


def test_a_sections_room_is_one_query(meeting, administrator, django_assert_num_queries):
    matching = part(meeting.panel, 2)
    booked = [book(meeting, f"ROOM-{n}", administrator, section=matching) for n in range(4)]

    with django_assert_num_queries(1):
        assert meeting.bookings.holding_places().leave_no_room_in(matching)
    # A booking being moved does not count against the room it already holds.
    with django_assert_num_queries(1):
        assert not meeting.bookings.holding_places(but=booked[0]).leave_no_room_in(matching)
    # A section that takes as many as the time allows is never full, and is not counted.
    adoption = part(meeting.panel, 1)
    with django_assert_num_queries(0):
        assert not meeting.bookings.holding_places().leave_no_room_in(adoption)


def test_the_free_slots_are_one_query_however_many_are_taken(
    meeting, administrator, django_assert_num_queries
):
    scrutiny = part(meeting.panel, 3)
    slots = meeting.slots.filter(section=scrutiny).count()
    book(meeting, "FREE-1", administrator, section=part(meeting.panel, 1))  # no slot
    book(meeting, "FREE-2", administrator, section=scrutiny)

    with django_assert_num_queries(1):
        free = list(
            meeting.slots.filter(section=scrutiny).exclude(
                pk__in=meeting.bookings.holding_places().slots_held()
            )
        )

    # The booking without a slot takes none: a NULL in NOT IN would have hidden them all.
    assert len(free) == slots - 1


def test_the_waiting_list_is_one_query_first_come_first_served(
    knowsley, administrator, django_assert_num_queries
):
    for case_number in ("WAIT-1", "WAIT-2", "WAIT-3"):
        add_to_waiting_list(knowsley, case_number, administrator)

    # What the waiting list's page shows of each child waiting.
    with django_assert_num_queries(1):
        rows = [
            (
                booking.child.case_number,
                booking.child.full_name,
                str(booking.request_type),
                booking.notes,
                booking.updated_at,
            )
            for booking in selectors.waiting_list(knowsley)
        ]

    assert [row[0] for row in rows] == ["WAIT-1", "WAIT-2", "WAIT-3"]
    assert list(Booking.objects.waiting()) == list(knowsley.bookings.waiting())


def test_what_each_meetings_pack_is_made_from_is_one_query(
    knowsley, meeting, administrator, django_assert_num_queries
):
    services.meetings_schedule(panel=knowsley, start=date(2027, 2, 1), end=date(2027, 4, 30))
    book(meeting, "PACK-1", administrator, section=part(knowsley, 2))

    with django_assert_num_queries(1):
        changed = {
            scheduled.pk: inputs_changed_at(scheduled)
            for scheduled in Meeting.objects.with_pack_inputs()
        }

    assert len(changed) == 4
    assert changed[meeting.pk] == Meeting.objects.get(pk=meeting.pk).agenda_changed_at
