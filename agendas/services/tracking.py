"""Tracking lists: many children added to a meeting's tracking section in one write, and
the chair's request that a tracked child's social worker attends."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from ..models import AgendaSection, Booking, BookingStatus, Meeting, RequestPurpose
from ..notices.tracking import queue_attendance_invitation, queue_tracking_notices
from .bookings import agenda_changed, check_open_for_booking, locked


@dataclass(frozen=True)
class TrackingListResult:
    added: list[Booking]
    already: int


@transaction.atomic
def tracking_list_add(
    *, meeting: Meeting, section: AgendaSection, children, booked_by
) -> TrackingListResult:
    """Add children to a meeting's tracking section, in the order given, in one write.

    A child already on the meeting's agenda is left where they are, so building the list
    again from the same filter adds only who is new. Nothing is asked of the social worker;
    they and the team manager are told once that the child will be tracked.
    """
    meeting = locked(meeting)
    check_open_for_booking(meeting)
    if section.panel_id != meeting.panel_id or not section.tracking:
        raise ValidationError("Choose one of this panel's tracking sections.")
    request_type = meeting.panel.request_types.filter(purpose=RequestPurpose.TRACKING).first()
    if request_type is None:
        raise ValidationError(
            f"{meeting.panel.name} has no tracking review request type. "
            "Save the tracking section again in the panel's set-up to add it."
        )
    children = list(children)
    if any(child.panel_id != meeting.panel_id for child in children):
        raise ValidationError("Only children this panel tracks can go on its tracking list.")
    on_agenda = set(
        meeting.bookings.holding_places().filter(child__in=children).values_list("child", flat=True)
    )
    new = [child for child in dict.fromkeys(children) if child.pk not in on_agenda]
    if section.capacity is not None:
        held = meeting.bookings.holding_places().filter(section=section).count()
        room = max(section.capacity - held, 0)
        if len(new) > room:
            raise ValidationError(
                f"“{section.name}” takes {section.capacity} children and has room for "
                f"{room} more on {date_format(meeting.date)}. Untick {len(new) - room} "
                "children, or add them to a later meeting."
            )
    now = timezone.now()
    added = Booking.objects.bulk_create(
        [
            Booking(
                panel=meeting.panel,
                meeting=meeting,
                section=section,
                child=child,
                request_type=request_type,
                reason=f"Tracking review: {section.name}",
                social_worker=child.social_worker,
                team_manager=child.team_manager,
                status=BookingStatus.BOOKED,
                booked_by=booked_by,
                # Told by the tracking notice below, so the booking scan sends nothing more.
                social_worker_notified_at=now if child.social_worker_id else None,
                team_manager_notified_at=now if child.team_manager_id else None,
            )
            for child in new
        ]
    )
    if added:
        for booking in added:
            booking.meeting, booking.section = meeting, section
        agenda_changed(meeting)
        queue_tracking_notices(meeting, added)
    return TrackingListResult(added=added, already=len(children) - len(new))


@transaction.atomic
def attendance_request(*, booking: Booking, by) -> Booking:
    """The chair asks a tracked child's social worker to attend: an invitation, once."""
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("meeting__panel", "child", "section", "social_worker", "request_type")
        .get(pk=booking.pk)
    )
    if booking.status != BookingStatus.BOOKED or not booking.is_tracking:
        raise ValidationError("Only a child booked for a tracking review is asked to attend.")
    if booking.social_worker is None:
        raise ValidationError(
            f"{booking.child.full_name} has no social worker on the tracker to invite."
        )
    if booking.attendance_requested_at:
        raise ValidationError(
            f"{booking.social_worker} was asked to attend on "
            f"{date_format(timezone.localtime(booking.attendance_requested_at).date())}."
        )
    booking.attendance_requested_at, booking.attendance_requested_by = timezone.now(), by
    booking.save(update_fields=["attendance_requested_at", "attendance_requested_by"])
    queue_attendance_invitation(booking)
    return booking
