"""Agreeing an agenda (on its own page, or at the meeting before) and marking it
circulated."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from .. import notices, selectors
from ..models import Meeting, MeetingStatus
from ..permissions import can_agree_agenda
from .bookings import locked


@transaction.atomic
def agenda_agree(*, meeting: Meeting, chair, at_meeting: Meeting | None = None) -> Meeting:
    """The chair agrees the agenda; `at_meeting` is the panel's meeting it was agreed at,
    when it was (`next_agenda_agree`)."""
    meeting = locked(meeting)
    if not can_agree_agenda(chair, meeting):
        raise ValidationError("Only the panel's chair or deputy chair can agree its agenda.")
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting is cancelled.")
    meeting.agenda_agreed_at = timezone.now()
    meeting.agenda_agreed_by = chair
    meeting.agenda_agreed_at_meeting = at_meeting
    meeting.save(update_fields=["agenda_agreed_at", "agenda_agreed_by", "agenda_agreed_at_meeting"])
    return meeting


@transaction.atomic
def next_agenda_agree(*, meeting: Meeting, chair) -> Meeting:
    """At the meeting, in the section that agrees the next agenda (Knowsley's Part 4), the
    chair agrees the agenda of the panel's next meeting, and each child booked into it is
    confirmed to their social worker and team manager. Returns the next meeting.

    Refused before the day of the meeting, when the panel agrees no agenda at its
    meetings, when there is no next meeting, and when its agenda is agreed already (one
    changed since it was agreed can be agreed again: only the children not yet confirmed
    are told)."""
    if not can_agree_agenda(chair, meeting):
        raise ValidationError("Only the panel's chair or deputy chair can agree its agenda.")
    section = meeting.panel.sections.filter(agrees_next_agenda=True).first()
    if section is None:
        raise ValidationError(
            f"The {meeting.panel.name} does not agree its next agenda at its meetings."
        )
    if meeting.is_cancelled:
        raise ValidationError("This meeting is cancelled.")
    if meeting.date > timezone.localdate():
        raise ValidationError(
            f"The panel meets on {date_format(meeting.date)}: agree the next agenda there, "
            f"in {section.name}."
        )
    following = selectors.next_meeting(meeting)
    if following is None:
        raise ValidationError(
            f"The {meeting.panel.name} has no meeting scheduled after "
            f"{date_format(meeting.date)}. Ask an administrator to schedule it, then agree "
            "its agenda."
        )
    following = locked(following)  # two presses of the button take turns
    if following.has_been_held(timezone.localdate()):
        raise ValidationError(
            f"The next meeting, on {date_format(following.date)}, has already been held."
        )
    if following.agenda_agreed_at and not following.changed_since_agreement:
        agreed = timezone.localtime(following.agenda_agreed_at)
        who = following.agenda_agreed_by or "a former chair"
        raise ValidationError(
            f"The agenda for {date_format(following.date)} is already agreed: {who} "
            f"agreed it on {date_format(agreed)} at {agreed:%H:%M}."
        )
    following = agenda_agree(meeting=following, chair=chair, at_meeting=meeting)
    notices.queue_bookings_confirmed(following)
    return following


@transaction.atomic
def agenda_mark_circulated(*, meeting: Meeting, by) -> Meeting:
    meeting = locked(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting is cancelled.")
    if not meeting.agenda_agreed_at:
        raise ValidationError("The chair has not agreed this agenda yet.")
    if meeting.changed_since_agreement:
        raise ValidationError(
            "The agenda has changed since the chair agreed it. Ask the chair to agree it again."
        )
    if meeting.agenda_circulated_at and not (
        meeting.agenda_changed_at and meeting.agenda_changed_at > meeting.agenda_circulated_at
    ):
        circulated = timezone.localtime(meeting.agenda_circulated_at)
        raise ValidationError(
            f"This agenda was circulated on {date_format(circulated)} and has not changed since."
        )
    meeting.agenda_circulated_at = timezone.now()
    meeting.agenda_circulated_by = by
    meeting.save(update_fields=["agenda_circulated_at", "agenda_circulated_by"])
    notices.queue_agenda_circulated(meeting)
    return meeting
