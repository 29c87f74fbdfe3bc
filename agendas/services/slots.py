"""A meeting's slots: laid out from the panel's timetable, and moved with the meeting."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError

from ..models import Booking, BookingMode, BookingStatus, Meeting, Slot


def meeting_slots_create(*, meeting: Meeting) -> list[Slot]:
    """Lay out a new meeting's slots from its panel's timetable, shifted to its start time."""
    panel = meeting.panel
    shift = _minutes(meeting.starts_at) - _minutes(panel.start_time)
    slots, numbers = [], {}
    for row in panel.timetable():
        if row.kind != "slot":
            continue
        key = row.section.pk if row.section else None
        numbers[key] = numbers.get(key, 0) + 1
        slots.append(
            Slot(
                meeting=meeting,
                section=row.section,
                number=numbers[key],
                starts_at=_shifted(row.starts_at, shift),
                ends_at=_shifted(row.ends_at, shift),
            )
        )
    # A section that lists children without times but takes only so many gets untimed places.
    for section in panel.sections.filter(booking=BookingMode.SECTION, capacity__gt=0):
        slots += [
            Slot(meeting=meeting, section=section, number=n) for n in range(1, section.capacity + 1)
        ]
    return Slot.objects.bulk_create(slots)


def slots_follow_meeting_times(*, meeting: Meeting, previous_start) -> None:
    """Move a re-timed meeting's slots with it; a booked slot must still fit in the day."""
    shift = _minutes(meeting.starts_at) - _minutes(previous_start)
    timed = list(meeting.slots.filter(starts_at__isnull=False).order_by("starts_at"))
    # In minutes, so a slot pushed past midnight overruns rather than wrapping to the morning.
    overrunning = [
        slot for slot in timed if _minutes(slot.ends_at) + shift > _minutes(meeting.ends_at)
    ]
    booked = Booking.objects.filter(slot__in=overrunning, status=BookingStatus.BOOKED)
    first = booked.select_related("slot").order_by("slot__starts_at").first()
    if first:
        raise ValidationError(
            {
                "ends_at": f"A child is booked into the slot that would end at "
                f"{_shifted(first.slot.ends_at, shift):%H:%M}. "
                "Move that booking first, or end the meeting later."
            }
        )
    # Free slots that no longer fit are dropped rather than left past the end of the day.
    Slot.objects.filter(pk__in=[slot.pk for slot in overrunning]).delete()
    kept = [slot for slot in timed if slot not in overrunning]
    for slot in kept:
        slot.starts_at = _shifted(slot.starts_at, shift)
        slot.ends_at = _shifted(slot.ends_at, shift)
    Slot.objects.bulk_update(kept, ["starts_at", "ends_at"])


def _minutes(t) -> int:
    return t.hour * 60 + t.minute


def _shifted(t, minutes: int):
    return (datetime.combine(datetime.min, t) + timedelta(minutes=minutes)).time()
