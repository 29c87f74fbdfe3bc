"""Two administrators booking into one meeting at the same moment take turns.

In the manner of Django's own tests/select_for_update: each thread has its own database
connection, and closes it when done. PostgreSQL only: SQLite has no row locks to wait on.
"""

import threading
import time
from datetime import datetime
from datetime import time as clock

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from agendas.models import Booking, BookingStatus
from tests.days import LONDON
from tests.factories import BookingFactory, ChildFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=LONDON), tick=True):
        yield


@pytest.fixture
def book_represented(meeting, administrator):
    """Book a child, re-presented, into a slot of Lancashire's January panel."""

    def book_represented(child, slot):
        return BookingFactory(
            meeting=meeting,
            child=child,
            slot=slot,
            request="Represented",
            booked_by=administrator,
        )

    return book_represented


def at_once(*calls) -> list:
    """Run each call in its own thread, all released together; what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test looks at
            outcomes[index] = error
        finally:
            # This thread has its own connection: close it without waiting for the GC.
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a booking never finished"
    return outcomes


def split(outcomes) -> tuple[list[Booking], list[Exception]]:
    return (
        [o for o in outcomes if isinstance(o, Booking)],
        [o for o in outcomes if not isinstance(o, Booking)],
    )


def test_two_children_booked_into_one_slot_at_once_one_is_refused(book_represented, meeting):
    slot = meeting.slots.get(starts_at=clock(9, 30))
    first, second = ChildFactory(), ChildFactory()

    booked, refused = split(
        at_once(lambda: book_represented(first, slot), lambda: book_represented(second, slot))
    )

    assert len(booked) == 1
    assert len(refused) == 1
    assert isinstance(refused[0], ValidationError), refused[0]
    # Refused after waiting for the lock and seeing the other booking, not by the database.
    assert refused[0].messages == [
        "Another child is already booked into the 09:30 to 09:50 slot. Choose another."
    ]
    in_slot = Booking.objects.filter(slot=slot, status=BookingStatus.BOOKED)
    assert [b.child for b in in_slot] == [booked[0].child]


def test_one_child_booked_into_two_slots_of_a_meeting_at_once_is_booked_once(
    book_represented, meeting
):
    early, late = meeting.slots.get(starts_at=clock(9, 30)), meeting.slots.get(starts_at=clock(14))
    child = ChildFactory(first_name="Ada", last_name="Lovelace")

    booked, refused = split(
        at_once(lambda: book_represented(child, early), lambda: book_represented(child, late))
    )

    assert len(booked) == 1
    assert len(refused) == 1
    assert isinstance(refused[0], ValidationError), refused[0]
    assert refused[0].messages == ["Ada Lovelace is already booked into this meeting."]
    assert Booking.objects.filter(meeting=meeting, child=child).count() == 1


def waiting_on_a_lock() -> list[str]:
    """What each session on the test database waiting for a lock is running, read afresh."""
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps its first look at pg_stat_activity.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT query FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return [row[0] for row in cursor.fetchall()]


def test_a_booking_waits_while_another_holds_the_meeting(book_represented, meeting):
    """Different children in different slots never clash in the database: only the lock
    on the meeting makes the second booking wait for the first."""
    early, late = meeting.slots.get(starts_at=clock(9, 30)), meeting.slots.get(starts_at=clock(14))
    first_child, second_child = ChildFactory(), ChildFactory()
    outcome = []

    def second():
        try:
            outcome.append(book_represented(second_child, late))
        except Exception as error:  # noqa: BLE001
            outcome.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=second)
    with transaction.atomic():
        book_represented(first_child, early)  # holds the meeting until this block ends
        thread.start()
        for _ in range(100):
            if waiting_on_a_lock():
                break
            time.sleep(0.05)
        # Waiting at its first step, reading the meeting FOR UPDATE (a plain read never
        # waits), before it checks anything; not at the end, on the write that marks the
        # agenda changed, which would let two bookings check the agenda at the same time.
        [waiting] = waiting_on_a_lock()
        assert waiting.startswith('SELECT "agendas_meeting"')
        assert thread.is_alive()
        assert outcome == []
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert isinstance(outcome[0], Booking), outcome
    assert outcome[0].slot == late
    assert Booking.objects.filter(meeting=meeting, status=BookingStatus.BOOKED).count() == 2
