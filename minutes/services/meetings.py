"""Attendance and the minutes: saving, ratifying (which locks decisions), distributing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agendas.models import BookingStatus, Meeting

from .. import notices
from ..models import AttendanceStatus, MeetingAttendance, Minutes
from ..permissions import can_ratify


def minutes_locked(meeting: Meeting) -> Minutes:
    minutes, _ = Minutes.objects.select_for_update().get_or_create(meeting=meeting)
    return minutes


def check_not_ratified(meeting: Meeting) -> None:
    if minutes_locked(meeting).is_ratified:
        raise ValidationError(
            "The chair has ratified these minutes, so their decisions are locked. "
            "Amend a decision with a reason instead."
        )


@transaction.atomic
def attendance_record(*, meeting: Meeting, rows: list[dict]) -> list[MeetingAttendance]:
    """Record each seat's attendance: rows of membership, status and any representative."""
    check_not_ratified(meeting)
    saved = []
    for row in rows:
        membership = row["membership"]
        if membership.panel_id != meeting.panel_id:
            raise ValidationError("Record attendance for this panel's seats only.")
        status = row["status"]
        name = row.get("representative_name", "").strip()
        if status == AttendanceStatus.REPRESENTED and not name:
            raise ValidationError(
                {
                    "representative_name": f"Give the name of the representative for "
                    f"{membership.role_on_panel}."
                }
            )
        attendance, _ = MeetingAttendance.objects.update_or_create(
            meeting=meeting,
            role_on_panel=membership.role_on_panel,
            defaults={
                "membership": membership,
                "name": str(membership.user) if membership.user else "",
                "person": membership.user,
                "status": status,
                "representative_name": name if status == AttendanceStatus.REPRESENTED else "",
                "representative_role": row.get("representative_role", "").strip()
                if status == AttendanceStatus.REPRESENTED
                else "",
            },
        )
        saved.append(attendance)
    return saved


@transaction.atomic
def minutes_save(*, meeting: Meeting, notes: str) -> Minutes:
    minutes = minutes_locked(meeting)
    if minutes.is_ratified:
        raise ValidationError("The chair has ratified these minutes: they can no longer change.")
    minutes.notes = notes.strip()
    minutes.save(update_fields=["notes", "updated_at"])
    return minutes


@transaction.atomic
def minutes_ratify(*, meeting: Meeting, chair) -> Minutes:
    """The chair ratifies the minutes, locking the meeting's decisions: or the deputy who
    acted as chair, or either joint chair (`permissions.can_ratify`)."""
    minutes = minutes_locked(meeting)
    if not can_ratify(chair, meeting):
        if chair.pk is not None and chair.pk == meeting.panel.deputy_chair_id:
            raise ValidationError(
                "The deputy chair ratifies the minutes of a meeting they chaired: record the "
                "chair's apologies in the attendance first."
            )
        raise ValidationError("Only the panel's chair or deputy chair can ratify its minutes.")
    if minutes.is_ratified:
        raise ValidationError("These minutes are already ratified.")
    undecided = meeting.bookings.filter(status=BookingStatus.BOOKED, decision__isnull=True)
    if undecided.exists():
        names = ", ".join(booking.child.full_name for booking in undecided.select_related("child"))
        raise ValidationError(f"Record panel's decision for every child first: {names}.")
    minutes.ratified_at = timezone.now()
    minutes.ratified_by = chair
    minutes.save(update_fields=["ratified_at", "ratified_by", "updated_at"])
    # With the ratification: the minutes to the panel, each decision to the child's workers.
    notices.minutes_ratified(meeting=meeting, minutes=minutes)
    return minutes


@transaction.atomic
def minutes_mark_distributed(*, meeting: Meeting, by) -> Minutes:
    minutes = minutes_locked(meeting)
    if not minutes.is_ratified:
        raise ValidationError("The chair has not ratified these minutes yet.")
    minutes.distributed_at = timezone.now()
    minutes.distributed_by = by
    minutes.save(update_fields=["distributed_at", "distributed_by", "updated_at"])
    return minutes
