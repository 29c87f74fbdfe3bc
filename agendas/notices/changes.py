"""Notices a change causes: a child booked or moved, an agenda circulated; and
recording who was told."""

from django.utils import timezone
from django.utils.formats import date_format

from permanence.outbox import notify
from permanence.workdays import calendar

from ..models import Booking, Meeting, PanelMembership
from ..selectors import agenda, documents_required, submission_due_date
from .common import (
    AGENDA_CIRCULATED,
    BOOKING_NOTICE,
    BOOKING_TOLD,
    booking_about,
    booking_context,
    booking_subject,
    child_label,
    meeting_about,
    people,
    subject_line,
)

# The booking notice ------------------------------------------------------------------------


def queue_booking_notice(booking: Booking) -> None:
    """Tell the social worker and team manager that the child is booked into a meeting.

    Call inside the transaction that books or moves the child. Keyed on the meeting's date,
    so a move to another meeting tells them again.
    """
    meeting = booking.meeting
    today = timezone.localdate()
    context = booking_context(
        booking,
        meeting=meeting,
        documents=list(documents_required(booking)),
        due=submission_due_date(meeting, calendar()),
        today=today,
    )
    context["reminder"] = False
    for person in people(booking.social_worker, booking.team_manager):
        notify(
            kind=BOOKING_NOTICE,
            about=booking_about(booking),
            recipient=person,
            subject=booking_subject(booking, meeting, reminder=False),
            template="emails/booking_notice",
            context=context,
            due_on=meeting.date,
        )


# The agenda circulated ---------------------------------------------------------------------


def queue_agenda_circulated(meeting: Meeting) -> None:
    """Send the agenda to the panel and to the people presenting each child.

    Call inside the transaction that marks it circulated. Members, the chair and deputy
    see every child on the agenda; a social worker or team manager sees only their own.
    Someone who is both gets the full agenda and their own children's links.
    """
    panel = meeting.panel
    the_agenda = agenda(meeting)
    parts = [
        {
            "section": part["section"],
            "bookings": [row["booking"] for row in part["rows"] if row["booking"]],
        }
        for part in the_agenda.sections
    ]
    parts = [part for part in parts if part["bookings"]]

    members = [
        membership.user
        for membership in PanelMembership.objects.filter(panel=panel, user__isnull=False)
        .select_related("user")
        .order_by("order", "pk")
    ]
    recipients: dict[int, dict] = {}
    for person in people(panel.chair, panel.deputy_chair, *members):
        recipients[person.pk] = {"person": person, "member": True, "own": []}
    for booking in the_agenda.bookings:
        for person in people(booking.social_worker, booking.team_manager):
            entry = recipients.setdefault(person.pk, {"person": person, "member": False, "own": []})
            entry["own"].append(booking)

    when = date_format(meeting.date)
    for entry in recipients.values():
        own = entry["own"]
        if entry["member"] or not own:
            subject = f"Panel agenda: {panel.name}, {when}"
        else:
            subject = (
                f"Panel agenda for {', '.join(child_label(b) for b in own)}: {panel.name}, {when}"
            )
        notify(
            kind=AGENDA_CIRCULATED,
            # Each circulation is its own notice: an agenda changed, agreed again and
            # circulated again goes out again.
            about=f"{meeting_about(meeting)}@{meeting.agenda_circulated_at:%Y%m%d%H%M%S}",
            recipient=entry["person"],
            subject=subject_line(subject),
            template="emails/agenda_circulated",
            context={
                "meeting": meeting,
                "panel": panel,
                "member": entry["member"],
                "parts": parts if entry["member"] else [],
                "own": own,
            },
            due_on=meeting.date,
        )


# Recording who was told ---------------------------------------------------------------------


def record_booking_told(sender, notification, **kwargs) -> None:
    """The `notification_sent` receiver: the first booking email to the social worker or
    team manager sets the booking's "told" time for them."""
    if notification.kind not in BOOKING_TOLD or notification.recipient_id is None:
        return
    prefix, _, pk = notification.about.partition(":")
    if prefix != "booking" or not pk.isdigit():
        return
    bookings = Booking.objects.filter(pk=int(pk))
    bookings.filter(
        social_worker_id=notification.recipient_id, social_worker_notified_at__isnull=True
    ).update(social_worker_notified_at=notification.sent_at)
    bookings.filter(
        team_manager_id=notification.recipient_id, team_manager_notified_at__isnull=True
    ).update(team_manager_notified_at=notification.sent_at)
