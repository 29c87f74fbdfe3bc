"""Every write to a meeting's bookings: booking, moving, cancelling, the waiting list.

Each write locks the meeting row first (`SELECT ... FOR UPDATE`), so two administrators
booking into the same meeting take turns and the second sees what the first did. The
database's unique constraints are the backstop should a write ever skip the lock.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from .. import notices
from ..models import (
    AgendaSection,
    Booking,
    BookingStatus,
    Meeting,
    MeetingStatus,
    Panel,
    RequestType,
    Slot,
)
from ..selectors import new_to_care_place, new_to_care_request, next_available, slots_for
from .calendar import booking_sequence_advance
from .contributions import contributions_request


def locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("panel").get(pk=meeting.pk)


def agenda_changed(*meetings: Meeting | None) -> None:
    now = timezone.now()
    pks = [meeting.pk for meeting in meetings if meeting]
    Meeting.objects.filter(pk__in=pks).update(agenda_changed_at=now)


def check_open_for_booking(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(f"The meeting on {date_format(meeting.date)} is cancelled.")
    if meeting.has_been_held(timezone.localdate()):
        raise ValidationError(
            f"The meeting on {date_format(meeting.date)} has already been held. "
            "Choose a later meeting."
        )


def _place(
    *, meeting: Meeting, section: AgendaSection, slot: Slot | None, booking: Booking | None
) -> Slot | None:
    """The slot the booking takes in the section, checking the section has room.

    Call with the meeting locked. `booking` is the one being moved, which does not count
    against the room it already holds.
    """
    if section.panel_id != meeting.panel_id:
        raise ValidationError({"section": "Choose a section of this meeting's panel."})
    if section.capacity == 0:
        raise ValidationError({"section": f"Children are not booked into “{section.name}”."})
    holding = meeting.bookings.holding_places(but=booking)
    if holding.leave_no_room_in(section):
        raise ValidationError(
            {
                "section": f"“{section.name}” is full: it takes {section.capacity} "
                f"{'child' if section.capacity == 1 else 'children'}."
            }
        )
    candidates = slots_for(meeting=meeting, section=section)
    if slot is not None:
        if slot.meeting_id != meeting.pk or not candidates.filter(pk=slot.pk).exists():
            raise ValidationError({"slot": f"Choose a slot in “{section.name}” at this meeting."})
        if holding.filter(slot=slot).exists():
            raise ValidationError(
                {"slot": f"Another child is already booked into the {slot} slot. Choose another."}
            )
        return slot
    if not candidates.exists():
        return None  # a section that lists children without times or a limit
    free = candidates.exclude(pk__in=holding.slots_held()).order_by("starts_at", "number").first()
    if free is None:
        raise ValidationError({"section": f"Every slot in “{section.name}” is taken."})
    return free


def _check_child_free(meeting: Meeting, child, booking: Booking | None = None) -> None:
    if meeting.bookings.holding_places(but=booking).filter(child=child).exists():
        raise ValidationError({"child": f"{child.full_name} is already booked into this meeting."})


def _check_request_type(panel: Panel, request_type: RequestType) -> None:
    if request_type.panel_id != panel.pk:
        raise ValidationError({"request_type": "Choose one of this panel's request types."})


def _save(booking: Booking) -> Booking:
    try:
        with transaction.atomic():
            booking.full_clean(validate_constraints=False)
            booking.save()
    except IntegrityError as error:
        # Only reached if a write skipped the meeting lock: say what the database refused.
        raise ValidationError(
            "Someone else changed this meeting's agenda at the same moment. "
            "Look at the agenda again and choose another slot."
        ) from error
    contributions_request(booking=booking)  # each member seat asked, due by this meeting
    return booking


@transaction.atomic
def booking_create(
    *,
    meeting: Meeting,
    child,
    request_type: RequestType,
    reason: str,
    booked_by,
    section: AgendaSection | None = None,
    slot: Slot | None = None,
    social_worker=None,
    team_manager=None,
    notes: str = "",
) -> Booking:
    """Book a child into a meeting, in the given slot or the section's first free one.

    The social worker and team manager default to the child's. A child waiting on the
    panel's waiting list is booked from it, keeping anything already submitted.
    """
    meeting = locked(meeting)
    panel = meeting.panel
    check_open_for_booking(meeting)
    _check_request_type(panel, request_type)
    _check_child_free(meeting, child)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the child is coming to panel."})
    section = section or (slot.section if slot else None) or request_type.default_section
    if section is None:
        raise ValidationError({"section": "Choose the agenda section."})
    slot = _place(meeting=meeting, section=section, slot=slot, booking=None)

    # Ordered by pk alone: Booking's default ordering joins nullable relations, and
    # PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    booking = (_waiting(panel, child).select_for_update().order_by("pk").first()) or Booking(
        panel=panel, child=child, booked_by=booked_by
    )
    booking.status = BookingStatus.BOOKED
    booking.meeting, booking.section, booking.slot = meeting, section, slot
    # A child from the waiting list was told of an earlier meeting, not of this one.
    booking.social_worker_notified_at = booking.team_manager_notified_at = None
    booking.request_type = request_type
    booking.reason = reason.strip()
    booking.social_worker = social_worker or child.social_worker
    booking.team_manager = team_manager or child.team_manager
    booking.notes = notes
    rebooked = booking.pk is not None
    _save(booking)
    if rebooked:
        booking_sequence_advance(booking=booking)  # in calendars before, at another time
    agenda_changed(meeting)
    notices.queue_booking_notice(booking)
    return booking


BOOKING_DETAILS = frozenset({"request_type", "reason", "social_worker", "team_manager", "notes"})


@transaction.atomic
def booking_update(*, booking: Booking, **fields) -> Booking:
    """Change what a booking says; its place on the agenda stays."""
    unknown = set(fields) - BOOKING_DETAILS
    if unknown:
        raise TypeError(f"Cannot set {', '.join(sorted(unknown))} on a booking")
    if booking.meeting:
        locked(booking.meeting)
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError("This booking is cancelled.")
    if "request_type" in fields:
        _check_request_type(booking.panel, fields["request_type"])
    presenters = (booking.social_worker_id, booking.team_manager_id)
    for name, value in fields.items():
        setattr(booking, name, value)
    if not booking.reason.strip():
        raise ValidationError({"reason": "Say why the child is coming to panel."})
    _save(booking)
    agenda_changed(booking.meeting)
    if booking.is_booked and presenters != (booking.social_worker_id, booking.team_manager_id):
        notices.queue_booking_notice(booking)  # the new presenter is told; nobody twice
    return booking


def lock_in_order(*meetings: Meeting) -> dict[int, Meeting]:
    """Lock several meetings in primary-key order, so two moves never wait on each other."""
    pks = sorted({meeting.pk for meeting in meetings if meeting})
    locked = Meeting.objects.select_for_update().select_related("panel").filter(pk__in=pks)
    return {meeting.pk: meeting for meeting in locked.order_by("pk")}


@transaction.atomic
def booking_move(
    *,
    booking: Booking,
    meeting: Meeting,
    section: AgendaSection | None = None,
    slot: Slot | None = None,
) -> Booking:
    """Move a booking (or a child waiting on the list) to a slot or section of a meeting."""
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError("This booking is cancelled: book the child again instead.")
    if meeting.panel_id != booking.panel_id:
        raise ValidationError({"meeting": "Choose a meeting of the same panel."})
    locked = lock_in_order(meeting, booking.meeting)
    target, source = locked[meeting.pk], booking.meeting
    check_open_for_booking(target)
    _check_child_free(target, booking.child, booking)
    section = section or (slot.section if slot else None) or booking.section
    section = section or booking.request_type.default_section
    if section is None:
        raise ValidationError({"section": "Choose the agenda section."})
    booking.slot = _place(meeting=target, section=section, slot=slot, booking=booking)
    if source is None or source.pk != target.pk:
        # Told of another meeting, or of none: the booking email for this one tells them.
        booking.social_worker_notified_at = booking.team_manager_notified_at = None
    booking.meeting, booking.section = target, section
    booking.status = BookingStatus.BOOKED
    _save(booking)
    booking_sequence_advance(booking=booking)
    agenda_changed(source, target)
    if source is None or source.pk != target.pk:
        notices.queue_booking_notice(booking)  # a new meeting: tell them its day and time
    return booking


def _waiting(panel: Panel, child) -> QuerySet[Booking]:
    """The child's entry on the panel's waiting list, if any (at most one, by constraint)."""
    return panel.bookings.waiting().filter(child=child)


def _take_off_the_agenda(booking: Booking, note: str) -> None:
    """Put a booking on the panel's waiting list, noting why; the caller saves it."""
    booking.status = BookingStatus.WAITING
    booking.meeting = booking.slot = None
    if note:
        booking.notes = f"{booking.notes}\n{note}".strip()


@transaction.atomic
def booking_return_to_waiting_list(*, booking: Booking, note: str = "") -> Booking:
    """Take a booking off its meeting's agenda and put the child on the panel's waiting list."""
    if booking.status != BookingStatus.BOOKED:
        raise ValidationError("Only a booked child can be returned to the waiting list.")
    meeting = locked(booking.meeting)
    if _waiting(booking.panel, booking.child).exists():
        raise ValidationError("This child is already on the panel's waiting list.")
    _take_off_the_agenda(booking, note)
    _save(booking)
    booking_sequence_advance(booking=booking)
    agenda_changed(meeting)
    return booking


@transaction.atomic
def booking_add_to_waiting_list(
    *,
    panel: Panel,
    child,
    request_type: RequestType,
    reason: str,
    booked_by,
    section: AgendaSection | None = None,
    notes: str = "",
) -> Booking:
    _check_request_type(panel, request_type)
    if section is not None and section.panel_id != panel.pk:
        raise ValidationError({"section": "Choose a section of this panel."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the child is coming to panel."})
    if _waiting(panel, child).exists():
        raise ValidationError({"child": f"{child.full_name} is already on the waiting list."})
    return _save(
        Booking(
            panel=panel,
            child=child,
            request_type=request_type,
            section=section or request_type.default_section,
            reason=reason.strip(),
            social_worker=child.social_worker,
            team_manager=child.team_manager,
            notes=notes,
            status=BookingStatus.WAITING,
            booked_by=booked_by,
        )
    )


@transaction.atomic
def booking_cancel(*, booking: Booking, reason: str) -> Booking:
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError("This booking is already cancelled.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the booking is cancelled."})
    if booking.meeting:
        locked(booking.meeting)
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_reason = reason.strip()
    # The slot is freed; the meeting stays on the booking as a record of where it was.
    booking.slot = None
    _save(booking)
    booking_sequence_advance(booking=booking)
    agenda_changed(booking.meeting)
    return booking


@dataclass(frozen=True)
class RehousedBookings:
    moved: list[Booking]
    waiting: list[Booking]


def bookings_rehouse(*, meeting: Meeting, to: Meeting | None) -> RehousedBookings:
    """Move a cancelled meeting's bookings to another meeting where there is room, and
    put the rest on the panel's waiting list. Call inside the cancelling transaction."""
    moved, waiting = [], []
    for booking in meeting.bookings.filter(status=BookingStatus.BOOKED).select_related(
        "section", "child", "request_type"
    ):
        if to is not None:
            try:
                with transaction.atomic():
                    moved.append(booking_move(booking=booking, meeting=to, section=booking.section))
                continue
            except ValidationError:
                booking.refresh_from_db()
        note = f"Meeting on {date_format(meeting.date)} cancelled."
        already_waiting = _waiting(booking.panel, booking.child).exists()
        _take_off_the_agenda(booking, note)
        if already_waiting:
            # Already waiting from an earlier booking: keep one entry, and this one's record.
            booking.status = BookingStatus.CANCELLED
            booking.cancelled_reason = note
        _save(booking)
        booking_sequence_advance(booking=booking)
        waiting.append(booking)
    return RehousedBookings(moved, waiting)


@transaction.atomic
def booking_forward(
    *,
    panel: Panel,
    child,
    on_or_after,
    reason: str,
    booked_by,
    purpose: str,
    fallback: Booking | None = None,
    request_type: RequestType | None = None,
) -> Booking:
    """Book a child into the first meeting on or after a date with room, for a purpose
    (a re-presentation, a retrospective ratification), or onto the waiting list.

    Without a `request_type`, the request type is the panel's one for that purpose, or
    the fallback booking's own. With one (a deferred request keeps what it asks), the
    child is still listed where the panel hears that purpose (Lancashire's agenda item 1),
    when the request type is the fallback's and the panel has such a place.
    """
    for_purpose = panel.request_types.filter(purpose=purpose).select_related("default_section")
    for_purpose = for_purpose.first()
    if request_type is not None:
        _check_request_type(panel, request_type)
        kept = fallback is not None and request_type.pk == fallback.request_type_id
        section = (for_purpose.default_section if kept and for_purpose else None) or (
            request_type.default_section
        )
    else:
        request_type = for_purpose or (fallback.request_type if fallback else None)
        section = request_type.default_section if request_type else None
    if request_type is None:
        raise ValidationError(
            f"{panel.name} has no request type for this. Give one the purpose in its set-up."
        )
    section = section or (fallback.section if fallback else None)
    place = (
        next_available(panel=panel, section=section, child=child, today=on_or_after)
        if section
        else None
    )
    if place is None:
        waiting = _waiting(panel, child).first()
        if waiting:
            return waiting
        return booking_add_to_waiting_list(
            panel=panel,
            child=child,
            request_type=request_type,
            section=section,
            reason=reason,
            booked_by=booked_by,
            notes=f"No meeting on or after {date_format(on_or_after)} had room.",
        )
    meeting, slot = place
    return booking_create(
        meeting=meeting,
        child=child,
        request_type=request_type,
        section=section,
        slot=slot,
        reason=reason,
        booked_by=booked_by,
    )


NEW_TO_CARE_REASON = (
    "New to care: for panel's agreement to the plan for permanence before the second "
    "looked-after review"
)


@transaction.atomic
def booking_new_to_care(*, child, booked_by, today) -> Booking:
    """One click from the new children looked after list (Lancashire's agenda item 2,
    "presented to Panel shortly prior to their second CLA Review"): book the child as "New
    to care" at the first meeting with room before their second review is due, or else
    the next available panel."""
    request_type = new_to_care_request(child.panel)
    section = request_type.default_section if request_type else None
    if section is None:
        panel = child.panel.name if child.panel else "The child's panel"
        raise ValidationError(f"{panel} has no agenda section for new children looked after.")
    place = new_to_care_place(child=child, section=section, today=today)
    if place is None:
        raise ValidationError(
            f"No meeting of the {child.panel.name} still to come has room in "
            f"“{section.name}”. Book {child.full_name} from their page, or put them on the "
            "waiting list."
        )
    meeting, slot = place
    return booking_create(
        meeting=meeting,
        child=child,
        request_type=request_type,
        reason=NEW_TO_CARE_REASON,
        booked_by=booked_by,
        section=section,
        slot=slot,
    )
