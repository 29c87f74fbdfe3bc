"""Notices a change causes: a child booked or moved, an agenda agreed at the meeting
before or circulated, a meeting changed or cancelled; and recording who was told."""

from django.utils import timezone
from django.utils.formats import date_format

from permanence.outbox import next_change, notify
from permanence.workdays import calendar

from ..calendar import CANCEL, booking_invitation, meeting_invitation
from ..models import BOOKING_ROW, Booking, Meeting, Panel, PanelMembership
from ..selectors import (
    agenda,
    checklists,
    documents_required,
    in_calendars,
    submission_due_date,
)
from .common import (
    AGENDA_CIRCULATED,
    BOOKING_CONFIRMED,
    BOOKING_NOTICE,
    BOOKING_TOLD,
    MEETING_CANCELLED,
    MEETING_CHANGED,
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
            attachments=_booking_invitations([booking], person),
        )


# The agenda agreed at the meeting before ------------------------------------------------


def queue_bookings_confirmed(meeting: Meeting) -> None:
    """Confirm to each booked child's social worker and team manager that the agenda their
    child is on is agreed (Knowsley: "Team Managers and Social workers will be aware of the
    agenda as it is agreed at the previous meeting").

    Call inside the transaction that agrees it. One email a person for each booking, keyed
    on the booking and the meeting's date: agreeing again after a change tells only the
    children booked since, and a booking moved to another meeting is confirmed there anew.
    The bookings and their documents are read in a fixed number of queries.
    """
    bookings = list(meeting.bookings.on_the_agenda())
    checklists(bookings)
    today = timezone.localdate()
    due = submission_due_date(meeting, calendar())
    when = date_format(meeting.date)
    for booking in bookings:
        booking.meeting = meeting  # its panel and who agreed it are read already
        context = booking_context(
            booking,
            meeting=meeting,
            documents=[item.requirement for item in booking.checklist if item.requirement],
            due=due,
            today=today,
        )
        subject = subject_line(
            f"Agenda agreed: {child_label(booking)} is on the agenda for {meeting.panel.name}, "
            f"{when}"
        )
        for person in people(booking.social_worker, booking.team_manager):
            notify(
                kind=BOOKING_CONFIRMED,
                about=booking_about(booking),
                recipient=person,
                subject=subject,
                template="emails/booking_confirmed",
                context=context,
                due_on=meeting.date,
                attachments=_booking_invitations([booking], person),
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

    when = date_format(meeting.date)
    for entry in _panel_and_presenters(panel, the_agenda.bookings):
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
            attachments=_invitations(meeting, entry),
        )


def _booking_invitations(bookings, person, **options) -> list:
    """Each booking's slot, for the calendar of the person presenting it: a tracking review
    nobody is asked to attend is not in calendars (`in_calendars`)."""
    return [
        booking_invitation(booking, recipient=person, **options)
        for booking in bookings
        if in_calendars(booking)
    ]


def _invitations(meeting: Meeting, entry: dict) -> list:
    """What goes in the calendar of one person `_panel_and_presenters` names: the meeting
    for the chair, deputy and members, and the slots of the children they present."""
    person = entry["person"]
    return [
        *([meeting_invitation(meeting, recipient=person)] if entry["member"] else []),
        *_booking_invitations(entry["own"], person, meeting=meeting),
    ]


def _panel_and_presenters(panel: Panel, bookings) -> list[dict]:
    """Each person to tell about a meeting, once: the chair, deputy and members ("member"),
    and each booking's social worker and team manager with the bookings they present
    ("own"). Someone who is both is a member with their own children."""
    members = [
        membership.user
        for membership in PanelMembership.objects.filter(panel=panel, user__isnull=False)
        .select_related("user")
        .order_by("order", "pk")
    ]
    recipients: dict[int, dict] = {}
    for person in people(panel.chair, panel.deputy_chair, *members):
        recipients[person.pk] = {"person": person, "member": True, "own": []}
    for booking in bookings:
        for person in people(booking.social_worker, booking.team_manager):
            entry = recipients.setdefault(person.pk, {"person": person, "member": False, "own": []})
            entry["own"].append(booking)
    return list(recipients.values())


# A meeting moved, re-timed, re-placed or cancelled ------------------------------------------

# What a meeting's people are told about when it changes.
MEETING_DETAILS = ("date", "starts_at", "ends_at", "venue", "online_link")


def queue_meeting_changed(meeting: Meeting, *, previous: dict) -> None:
    """Tell everyone the meeting concerns its new details: the chair, deputy and members,
    and each booked child's social worker and team manager, one email each.

    Call inside the transaction that changes the meeting, with `previous` the details it
    had before. Nothing changed, nothing is sent: the same change saved twice tells
    nobody twice. Each change is its own notice (numbered in turn), so a meeting
    moved twice tells them twice, each time with the details of that move.
    """
    changed = [name for name in MEETING_DETAILS if previous[name] != getattr(meeting, name)]
    if not changed:
        return
    panel = meeting.panel
    bookings = list(meeting.bookings.on_the_agenda())
    what = _what_changed(changed)
    subject = subject_line(
        f"Panel {what}: {panel.name}, now {date_format(meeting.date)} at {meeting.starts_at:%H:%M}"
    )
    about = next_change(kind=MEETING_CHANGED, about=meeting_about(meeting))
    for entry in _panel_and_presenters(panel, bookings):
        notify(
            kind=MEETING_CHANGED,
            about=about,
            recipient=entry["person"],
            subject=subject,
            template="emails/meeting_changed",
            context={
                "meeting": meeting,
                "panel": panel,
                "previous": previous,
                "changed": changed,
                "member": entry["member"],
                "own": entry["own"],
            },
            due_on=meeting.date,
            attachments=_invitations(meeting, entry),
        )


def _what_changed(changed: list[str]) -> str:
    if "date" in changed:
        return "meeting moved"
    if {"starts_at", "ends_at"} & set(changed):
        return "meeting re-timed"
    return "meeting place changed"


def queue_meeting_cancelled(meeting: Meeting, *, bookings: list[Booking]) -> None:
    """Tell everyone the meeting concerned that it is cancelled, and each social worker and
    team manager where their child's booking went (another meeting, or the waiting list).

    Call inside the cancelling transaction, after the bookings are rehoused. A meeting is
    cancelled once, so this is one notice per person.
    """
    panel = meeting.panel
    bookings = list(
        Booking.objects.filter(pk__in=[booking.pk for booking in bookings])
        .select_related(*BOOKING_ROW, "slot", "meeting__panel")
        .order_by("pk")
    )
    subject = subject_line(f"Panel meeting cancelled: {panel.name}, {date_format(meeting.date)}")
    for entry in _panel_and_presenters(panel, bookings):
        person, own = entry["person"], entry["own"]
        # The meeting is cancelled in calendars; a child moved to another meeting is at the
        # new time (the same event, moved); one put on the waiting list is cancelled.
        cancelled = [meeting_invitation(meeting, recipient=person, method=CANCEL)]
        attachments = [
            *(cancelled if entry["member"] else []),
            *_booking_invitations([b for b in own if b.meeting_id], person),
            *_booking_invitations(
                [b for b in own if not b.meeting_id], person, meeting=meeting, method=CANCEL
            ),
        ]
        notify(
            kind=MEETING_CANCELLED,
            about=f"{meeting_about(meeting)}@cancelled",
            recipient=entry["person"],
            subject=subject,
            template="emails/meeting_cancelled",
            context={
                "meeting": meeting,
                "panel": panel,
                "member": entry["member"],
                "own": entry["own"],
                "moved": [booking for booking in bookings if booking.meeting_id],
                "waiting": [booking for booking in bookings if not booking.meeting_id],
            },
            due_on=meeting.date,
            attachments=attachments,
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
