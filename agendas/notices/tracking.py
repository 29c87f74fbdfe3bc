"""Notices about tracking reviews: the social worker and team manager are told once that
their children will be tracked and need not attend, and invited when the chair asks."""

from collections import defaultdict

from django.utils.formats import date_format

from permanence.outbox import next_change, notify

from ..calendar import booking_invitation
from ..models import Booking, Meeting
from .common import booking_about, child_label, people, subject_line

TRACKING_NOTICE = "tracking_notice"
ATTENDANCE_INVITATION = "attendance_invitation"


def queue_tracking_notices(meeting: Meeting, bookings: list[Booking]) -> int:
    """One email a person for the children just added to a meeting's tracking list.

    Call with the meeting locked, inside the transaction that adds them: each rebuild
    that adds children is its own numbered notice, so it is told once and never twice.
    """
    children_of = defaultdict(list)
    for booking in bookings:
        for person in people(booking.social_worker, booking.team_manager):
            children_of[person].append(booking)
    if not children_of:
        return 0
    about = next_change(kind=TRACKING_NOTICE, about=f"tracking:{meeting.pk}")
    when = date_format(meeting.date)
    for person, theirs in children_of.items():
        subject = (
            f"Tracked at panel on {when}: {child_label(theirs[0])}"
            if len(theirs) == 1
            else f"{len(theirs)} of your children are tracked at panel on {when}"
        )
        notify(
            kind=TRACKING_NOTICE,
            about=about,
            recipient=person,
            subject=subject_line(subject),
            template="emails/tracking_notice",
            context={"meeting": meeting, "panel": meeting.panel, "bookings": theirs},
            due_on=meeting.date,
        )
    return len(children_of)


def queue_attendance_invitation(booking: Booking) -> None:
    """The chair asks the social worker to attend for a tracked child."""
    meeting = booking.meeting
    notify(
        kind=ATTENDANCE_INVITATION,
        about=booking_about(booking),
        recipient=booking.social_worker,
        subject=subject_line(
            f"Please attend panel on {date_format(meeting.date)} for {child_label(booking)}"
        ),
        template="emails/attendance_invitation",
        context={"meeting": meeting, "panel": meeting.panel, "booking": booking},
        due_on=meeting.date,
        # Asked to attend, the tracked child's slot is now in their calendar.
        attachments=[booking_invitation(booking, recipient=booking.social_worker)]
        if booking.social_worker
        else [],
    )
