"""Emails about bookings and agendas.

Two kinds of caller. A change that causes a notice (a child booked or moved, an agenda
circulated) queues it inside its own transaction. The periodic scan (`scan_due`) queues
what falls due on a working day: a reminder of the booking on the panel's notice day, the
submission reminder and overdue notice, and the chair's reminder to agree the agenda.

Every notice goes through `permanence.outbox.notify`, whose key (kind, about, recipient,
due_on) makes a repeat a no-op, so a scan run twice, or a day the scan missed, sends each
email once. Subjects name a child only by initials and case number.

The scan reads in a fixed number of queries however many bookings there are: the
meetings still to come, then only the bookings of meetings with something due today, the
panels' document lists, and the notices already written. Only new notices are written.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format

from permanence.models import Notification
from permanence.outbox import notification_key, notify
from permanence.workdays import Calendar, calendar

from .models import (
    Booking,
    BookingStatus,
    DocumentRequirement,
    Meeting,
    MeetingStatus,
    PanelMembership,
    SubmissionDocument,
)
from .selectors import BOOKING_ROW, SUBMISSION_FORM, agenda, documents_required, submission_due_date

BOOKING_NOTICE = "booking_notice"
BOOKING_REMINDER = "booking_reminder"
SUBMISSION_REMINDER = "submission_reminder"
SUBMISSION_OVERDUE = "submission_overdue"
AGENDA_REMINDER = "agenda_reminder"
AGENDA_CIRCULATED = "agenda_circulated"
# The notices that tell the social worker and team manager about the booking.
BOOKING_TOLD = (BOOKING_NOTICE, BOOKING_REMINDER)

SUBJECT_MAX = 200  # Notification.subject


def booking_about(booking: Booking) -> str:
    return f"booking:{booking.pk}"


def meeting_about(meeting: Meeting) -> str:
    return f"meeting:{meeting.pk}"


def _child(booking: Booking) -> str:
    """The child as a subject may name them: initials and case number, never the name."""
    return f"{booking.child.initials} ({booking.child.case_number})"


def _subject(text: str) -> str:
    return text if len(text) <= SUBJECT_MAX else f"{text[: SUBJECT_MAX - 1]}…"


def _people(*people) -> list:
    """The people given, without the empty places and without anyone twice."""
    seen, found = set(), []
    for person in people:
        if person is not None and person.pk not in seen:
            seen.add(person.pk)
            found.append(person)
    return found


# The booking notice and its reminder ------------------------------------------------------


def _booking_context(
    booking: Booking, *, meeting: Meeting, documents: list, due: date, today: date
) -> dict:
    return {
        "booking": booking,
        "child": booking.child,
        "meeting": meeting,
        "panel": meeting.panel,
        "slot": booking.slot,
        "documents": documents,
        "due": due,
        "due_passed": due < today,
    }


def _booking_subject(booking: Booking, meeting: Meeting, *, reminder: bool) -> str:
    when = date_format(meeting.date)
    if reminder:
        return _subject(f"Reminder: {_child(booking)} is booked for panel on {when}")
    return _subject(f"Panel booking for {_child(booking)}: {meeting.panel.name}, {when}")


def queue_booking_notice(booking: Booking) -> None:
    """Tell the social worker and team manager that the child is booked into a meeting.

    Call inside the transaction that books or moves the child. Keyed on the meeting's date,
    so a move to another meeting tells them again.
    """
    meeting = booking.meeting
    today = timezone.localdate()
    context = _booking_context(
        booking,
        meeting=meeting,
        documents=list(documents_required(booking)),
        due=submission_due_date(meeting, calendar()),
        today=today,
    )
    context["reminder"] = False
    for person in _people(booking.social_worker, booking.team_manager):
        notify(
            kind=BOOKING_NOTICE,
            about=booking_about(booking),
            recipient=person,
            subject=_booking_subject(booking, meeting, reminder=False),
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
    for person in _people(panel.chair, panel.deputy_chair, *members):
        recipients[person.pk] = {"person": person, "member": True, "own": []}
    for booking in the_agenda.bookings:
        for person in _people(booking.social_worker, booking.team_manager):
            entry = recipients.setdefault(person.pk, {"person": person, "member": False, "own": []})
            entry["own"].append(booking)

    when = date_format(meeting.date)
    for entry in recipients.values():
        own = entry["own"]
        if entry["member"] or not own:
            subject = f"Panel agenda: {panel.name}, {when}"
        else:
            subject = f"Panel agenda for {', '.join(_child(b) for b in own)}: {panel.name}, {when}"
        notify(
            kind=AGENDA_CIRCULATED,
            # Each circulation is its own notice: an agenda changed, agreed again and
            # circulated again goes out again.
            about=f"{meeting_about(meeting)}@{meeting.agenda_circulated_at:%Y%m%d%H%M%S}",
            recipient=entry["person"],
            subject=_subject(subject),
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


# The periodic scan ---------------------------------------------------------------------------


@dataclass
class _Due:
    kind: str
    about: str
    recipient: object
    due_on: date
    subject: str
    template: str
    context: dict

    @property
    def key(self) -> str:
        return notification_key(
            kind=self.kind, about=self.about, recipient=self.recipient, due_on=self.due_on
        )


@dataclass(frozen=True)
class _MeetingDays:
    """One meeting's notice days, worked out once per scan."""

    notice: date  # the booking reminder
    submission_due: date
    submission_reminder: date
    submission_overdue: date
    agree_by: date
    agenda_reminder: date

    @classmethod
    def of(cls, meeting: Meeting, working_days: Calendar) -> "_MeetingDays":
        panel = meeting.panel
        due = working_days.add_working_days(meeting.date, panel.submission_due_days)
        agree_by = working_days.add_working_days(meeting.date, panel.agenda_agree_days)
        return cls(
            notice=working_days.add_working_days(meeting.date, panel.booking_notice_days),
            submission_due=due,
            submission_reminder=working_days.add_working_days(due, -2),
            submission_overdue=working_days.add_working_days(due, 1),
            agree_by=agree_by,
            agenda_reminder=working_days.add_working_days(agree_by, -1),
        )


def queue_due_notices(sender, today: date, **kwargs) -> None:
    """The `scan_due` receiver: queue every agendas notice that falls due on or by today."""
    working_days = calendar()
    meetings = list(
        Meeting.objects.filter(status=MeetingStatus.SCHEDULED, date__gte=today)
        .select_related("panel__chair", "panel__deputy_chair")
        .annotate(children=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)))
        .order_by("date", "pk")
    )
    days = {meeting.pk: _MeetingDays.of(meeting, working_days) for meeting in meetings}

    due: list[_Due] = []
    for meeting in meetings:
        due += _agenda_reminders(meeting, days[meeting.pk], today)
    with_bookings_due = [
        meeting
        for meeting in meetings
        if meeting.children and _booking_notices_due(meeting, days[meeting.pk], today)
    ]
    if with_bookings_due:
        due += _booking_notices(with_bookings_due, days, today)
    if not due:
        return
    written = set(
        Notification.objects.filter(key__in=[notice.key for notice in due]).values_list(
            "key", flat=True
        )
    )
    for notice in due:
        if notice.key in written:
            continue
        notify(
            kind=notice.kind,
            about=notice.about,
            recipient=notice.recipient,
            subject=notice.subject,
            template=notice.template,
            context=notice.context,
            due_on=notice.due_on,
        )


def _agenda_reminders(meeting: Meeting, days: _MeetingDays, today: date) -> list[_Due]:
    """The chair and deputy, the working day before the agenda is to be agreed."""
    if meeting.agenda_agreed_at or not (days.agenda_reminder <= today <= days.agree_by):
        return []
    panel = meeting.panel
    context = {
        "meeting": meeting,
        "panel": panel,
        "agree_by": days.agree_by,
        "children": meeting.children,
    }
    subject = _subject(
        f"Agree the agenda by {date_format(days.agree_by)}: "
        f"{panel.name}, {date_format(meeting.date)}"
    )
    return [
        _Due(
            AGENDA_REMINDER,
            meeting_about(meeting),
            person,
            days.agenda_reminder,
            subject,
            "emails/agenda_reminder",
            context,
        )
        for person in _people(panel.chair, panel.deputy_chair)
    ]


def _booking_notices_due(meeting: Meeting, days: _MeetingDays, today: date) -> bool:
    return (
        days.notice <= today < meeting.date
        or days.submission_reminder <= today <= days.submission_due
        or days.submission_overdue <= today < meeting.date
    )


def _booking_notices(meetings: list[Meeting], days: dict, today: date) -> list[_Due]:
    """Booking reminders, submission reminders and overdue notices for these meetings'
    bookings, read in four queries whatever their number."""
    by_pk = {meeting.pk: meeting for meeting in meetings}
    bookings = list(
        Booking.objects.filter(meeting__in=list(by_pk), status=BookingStatus.BOOKED)
        .select_related(*BOOKING_ROW, "slot")
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=SubmissionDocument.objects.filter(
                    replaced_at__isnull=True, requirement__isnull=False
                ),
                to_attr="current_documents",
            )
        )
        .order_by("pk")
    )
    requirements = defaultdict(list)
    panels = {meeting.panel_id for meeting in meetings}
    for requirement in DocumentRequirement.objects.filter(panel__in=panels):
        requirements[requirement.panel_id].append(requirement)
    told_late = _told_on_or_after_notice_day(bookings, by_pk, days, today)

    due = []
    for booking in bookings:
        meeting = by_pk[booking.meeting_id]
        booking.meeting = meeting  # the panel is already read
        day = days[meeting.pk]
        documents = _documents_required(booking, requirements[meeting.panel_id])
        context = _booking_context(
            booking, meeting=meeting, documents=documents, due=day.submission_due, today=today
        )
        about = booking_about(booking)

        if day.notice <= today < meeting.date:
            subject = _booking_subject(booking, meeting, reminder=True)
            for person in _people(booking.social_worker, booking.team_manager):
                if (about, person.pk) in told_late:
                    continue  # booked late: the booking notice itself was the reminder
                due.append(
                    _Due(
                        BOOKING_REMINDER,
                        about,
                        person,
                        day.notice,
                        subject,
                        "emails/booking_notice",
                        {**context, "reminder": True},
                    )
                )

        submission = getattr(booking, "submission", None)
        if submission and submission.submitted_at:
            continue
        missing = _missing(booking, submission, documents)
        if day.submission_reminder <= today <= day.submission_due:
            due += [
                _Due(
                    SUBMISSION_REMINDER,
                    about,
                    person,
                    day.submission_reminder,
                    _subject(
                        f"Submission due by {date_format(day.submission_due)}: {_child(booking)}"
                    ),
                    "emails/submission_reminder",
                    {**context, "missing": missing},
                )
                for person in _people(booking.social_worker)
            ]
        if day.submission_overdue <= today < meeting.date:
            due += [
                _Due(
                    SUBMISSION_OVERDUE,
                    about,
                    person,
                    day.submission_overdue,
                    _subject(
                        f"Submission overdue: {_child(booking)}, "
                        f"panel on {date_format(meeting.date)}"
                    ),
                    "emails/submission_overdue",
                    {**context, "missing": missing},
                )
                for person in _people(booking.social_worker, booking.team_manager)
            ]
    return due


def _documents_required(booking: Booking, panel_requirements: list) -> list:
    """`selectors.documents_required` from the panel's requirements already read: those
    for every request first, then the request type's own."""
    chosen = [
        requirement
        for requirement in panel_requirements
        if requirement.request_type_id in (None, booking.request_type_id)
    ]
    return sorted(
        chosen,
        key=lambda r: (r.request_type_id is not None, r.order, r.name),
    )


def _missing(booking: Booking, submission, documents: list) -> list[str]:
    """What `selectors.submission_checklist` would show as missing, without a query."""
    uploaded = {document.requirement_id for document in booking.current_documents}
    missing = [] if submission and submission.form_complete else [SUBMISSION_FORM]
    missing += [r.name for r in documents if r.required and r.pk not in uploaded]
    return missing


def _told_on_or_after_notice_day(bookings: list, meetings: dict, days: dict, today: date) -> set:
    """(about, person) for each booking notice written on or after its meeting's notice
    day: the child was booked late, and a reminder the same day would say it twice."""
    abouts = {
        booking_about(booking): booking
        for booking in bookings
        if days[booking.meeting_id].notice <= today
    }
    if not abouts:
        return set()
    told = set()
    for about, person, due_on, created_at in Notification.objects.filter(
        kind=BOOKING_NOTICE, about__in=list(abouts)
    ).values_list("about", "recipient_id", "due_on", "created_at"):
        booking = abouts[about]
        meeting = meetings[booking.meeting_id]
        if due_on == meeting.date and timezone.localdate(created_at) >= days[meeting.pk].notice:
            told.add((about, person))
    return told


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
