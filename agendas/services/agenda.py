"""Agreeing an agenda and marking it circulated."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from .. import notices
from ..models import Meeting, MeetingStatus
from ..permissions import can_agree_agenda
from .bookings import locked


@transaction.atomic
def agenda_agree(*, meeting: Meeting, chair) -> Meeting:
    meeting = locked(meeting)
    if not can_agree_agenda(chair, meeting):
        raise ValidationError("Only the panel's chair or deputy chair can agree its agenda.")
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting is cancelled.")
    meeting.agenda_agreed_at = timezone.now()
    meeting.agenda_agreed_by = chair
    meeting.save(update_fields=["agenda_agreed_at", "agenda_agreed_by"])
    return meeting


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
