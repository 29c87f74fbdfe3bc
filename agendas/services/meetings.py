"""Every write to a panel's meetings: scheduling, moving, re-timing and cancelling."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from permanence.models import ClosureDay
from permanence.validators import validate_service_date
from permanence.workdays import bank_holiday_name, calendar

from .. import notices
from ..models import Meeting, MeetingStatus, Panel
from .bookings import RehousedBookings, bookings_rehouse, lock_in_order
from .calendar import meeting_sequence_advance
from .panels import set_fields
from .slots import meeting_slots_create, slots_follow_meeting_times


@dataclass(frozen=True)
class ScheduleResult:
    created: list[Meeting]
    already_scheduled: list[date]
    # Cadence dates that are not working days, with the reason, for the administrator to move.
    to_move: list[tuple[date, str]]


@transaction.atomic
def meetings_schedule(*, panel: Panel, start: date, end: date) -> ScheduleResult:
    """Create the panel's meetings from its cadence for the dates from `start` to `end`.

    A date on a bank holiday or a closure day is not created: it is returned for the
    administrator to move. Dates that already have a meeting are left as they are.
    """
    out_of_range = {}
    for name, day in (("start", start), ("end", end)):
        try:
            validate_service_date(day)
        except ValidationError as error:
            out_of_range[name] = error.messages
    if out_of_range:
        raise ValidationError(out_of_range)
    if end < start:
        raise ValidationError("The last date must be on or after the first date.")
    if (end - start).days > 366:
        raise ValidationError("Schedule at most a year of meetings at a time.")
    Panel.objects.select_for_update().filter(pk=panel.pk).get()
    working_days = calendar()
    booked = set(
        panel.meetings.filter(status=MeetingStatus.SCHEDULED, date__range=(start, end)).values_list(
            "date", flat=True
        )
    )
    created, already, to_move = [], [], []
    for day in panel.meeting_dates_between(start, end):
        if day in booked:
            already.append(day)
        elif not working_days.is_working_day(day):
            to_move.append((day, _why_not_working(day)))
        else:
            meeting = Meeting.objects.create(
                panel=panel,
                date=day,
                starts_at=panel.start_time,
                ends_at=panel.end_time,
                venue=panel.venue,
                online_link=panel.online_link,
            )
            meeting_slots_create(meeting=meeting)
            created.append(meeting)
    return ScheduleResult(created, already, to_move)


MEETING_SETTINGS = frozenset({"date", "starts_at", "ends_at", "venue", "online_link", "theme"})
AGENDA_TIMES = ("date", "starts_at", "ends_at")


@transaction.atomic
def meeting_update(*, meeting: Meeting, **fields) -> Meeting:
    """Move, re-time or re-place a meeting; it must stay on a working day. Its people are
    told the new details."""
    # The stored row, locked like every agenda write: a ModelForm bound to `meeting` has
    # already copied the new times onto it, so its own starts_at is not the old start.
    stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if stored.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting is cancelled: schedule a new one instead.")
    set_fields(meeting, fields, MEETING_SETTINGS)
    if "date" in fields and not calendar().is_working_day(meeting.date):
        raise ValidationError(
            {
                "date": f"{date_format(meeting.date)} is {_why_not_working(meeting.date)}. "
                "Choose a working day."
            }
        )
    meeting.full_clean()
    slots_follow_meeting_times(meeting=meeting, previous_start=stored.starts_at)
    changed = sorted(fields)
    if any(getattr(stored, name) != getattr(meeting, name) for name in AGENDA_TIMES):
        # The agreed agenda named a day and times: after a move it needs agreeing again.
        meeting.agenda_changed_at = timezone.now()
        changed.append("agenda_changed_at")
    # Only what changed: a stale instance must not undo an agreement or a cancellation.
    meeting.save(update_fields=changed)
    if stored.date != meeting.date:
        # They were told of the old day: the booking email on the new notice day tells them,
        # and sets these again, so the meeting page says when that went.
        meeting.bookings.update(social_worker_notified_at=None, team_manager_notified_at=None)
    if any(getattr(stored, name) != getattr(meeting, name) for name in notices.MEETING_DETAILS):
        meeting_sequence_advance(meeting=meeting)  # calendars take the new time and place
    notices.queue_meeting_changed(
        meeting, previous={name: getattr(stored, name) for name in notices.MEETING_DETAILS}
    )
    return meeting


def _why_not_working(day: date) -> str:
    if day.weekday() >= 5:
        return "a weekend day"
    holiday = bank_holiday_name(day)
    if holiday:
        return f"a bank holiday ({holiday})"
    closure = ClosureDay.objects.filter(date=day).first()
    return f"a closure day ({closure.description})" if closure else "not a working day"


@transaction.atomic
def meeting_cancel(
    *, meeting: Meeting, reason: str, move_bookings_to: Meeting | None = None
) -> RehousedBookings:
    """Cancel a meeting. Its bookings move to `move_bookings_to` where there is room in
    their section, and the rest go to the panel's waiting list: none is lost. Its people are
    told, and each presenter where their child's booking went."""
    # Both meetings locked together in key order, as booking_move locks them: locking this
    # one first could deadlock with a booking moving the other way.
    meeting = lock_in_order(meeting, move_bookings_to)[meeting.pk]
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting is already cancelled.")
    if not reason.strip():
        raise ValidationError({"cancelled_reason": "Say why the meeting is cancelled."})
    if move_bookings_to and move_bookings_to.panel_id != meeting.panel_id:
        raise ValidationError({"move_bookings_to": "Choose a meeting of the same panel."})
    if move_bookings_to and move_bookings_to.pk == meeting.pk:
        raise ValidationError({"move_bookings_to": "Choose a different meeting."})
    if move_bookings_to and (
        move_bookings_to.status == MeetingStatus.CANCELLED
        or move_bookings_to.has_been_held(timezone.localdate())
    ):
        raise ValidationError(
            {"move_bookings_to": "Choose a meeting that is still to come and not cancelled."}
        )
    rehoused = bookings_rehouse(meeting=meeting, to=move_bookings_to)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = reason.strip()
    meeting.save(update_fields=["status", "cancelled_reason"])
    meeting_sequence_advance(meeting=meeting)  # stays in calendars, marked cancelled
    notices.queue_meeting_cancelled(meeting, bookings=[*rehoused.moved, *rehoused.waiting])
    return rehoused
