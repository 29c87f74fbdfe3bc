"""The periodic scan's notices: booking reminders, submission reminders and overdue
notices, the chair's reminder to agree the agenda, and asking the chair for the month's
theme."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format

from permanence.models import Notification
from permanence.outbox import Notice, notify_all
from permanence.workdays import Calendar, calendar

from ..models import (
    BOOKING_ROW,
    Booking,
    BookingStatus,
    Meeting,
    MeetingStatus,
)
from ..selectors import ThemeRequest, checklists, nothing_to_send, theme_request
from .common import (
    AGENDA_REMINDER,
    BOOKING_NOTICE,
    BOOKING_REMINDER,
    SUBMISSION_OVERDUE,
    SUBMISSION_REMINDER,
    THEME_REQUEST,
    booking_about,
    booking_context,
    booking_subject,
    child_label,
    meeting_about,
    people,
    subject_line,
)

# The periodic scan ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _MeetingDays:
    """One meeting's notice days, worked out once per scan."""

    notice: date  # the booking reminder
    submission_due: date
    submission_reminder: date
    submission_overdue: date
    agree_by: date
    agenda_reminder: date
    theme: ThemeRequest | None  # when the chair is asked for the theme, if they are

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
            theme=theme_request(meeting, working_days),
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

    due: list[Notice] = []
    for meeting in meetings:
        due += _agenda_reminders(meeting, days[meeting.pk], today)
        due += _theme_requests(meeting, days[meeting.pk], today)
    with_bookings_due = [
        meeting
        for meeting in meetings
        if meeting.children and _booking_notices_due(meeting, days[meeting.pk], today)
    ]
    if with_bookings_due:
        due += _booking_notices(with_bookings_due, days, today)
    notify_all(due)


def _agenda_reminders(meeting: Meeting, days: _MeetingDays, today: date) -> list[Notice]:
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
    subject = subject_line(
        f"Agree the agenda by {date_format(days.agree_by)}: "
        f"{panel.name}, {date_format(meeting.date)}"
    )
    return [
        Notice(
            kind=AGENDA_REMINDER,
            about=meeting_about(meeting),
            recipient=person,
            due_on=days.agenda_reminder,
            subject=subject,
            template="emails/agenda_reminder",
            context=context,
        )
        for person in people(panel.chair, panel.deputy_chair)
    ]


def _theme_requests(meeting: Meeting, days: _MeetingDays, today: date) -> list[Notice]:
    """The chair and deputy, once, from the day the panel asks for the month's theme until
    the meeting, while it has none (Lancashire's agenda item 5: "Business Support will
    request details of the theme in advance from the HoS"). A day the scan missed still
    asks, the next time it runs."""
    theme = days.theme
    if theme is None or meeting.theme or not (theme.asked_on <= today < meeting.date):
        return []
    panel = meeting.panel
    subject = subject_line(
        f"Give the theme by {date_format(theme.due)}: {panel.name}, {date_format(meeting.date)}"
    )
    context = {"meeting": meeting, "panel": panel, "due": theme.due}
    return [
        Notice(
            kind=THEME_REQUEST,
            about=meeting_about(meeting),
            recipient=person,
            due_on=theme.asked_on,
            subject=subject,
            template="emails/theme_request",
            context=context,
        )
        for person in people(panel.chair, panel.deputy_chair)
    ]


def _booking_notices_due(meeting: Meeting, days: _MeetingDays, today: date) -> bool:
    return (
        days.notice <= today < meeting.date
        or days.submission_reminder <= today <= days.submission_due
        or days.submission_overdue <= today < meeting.date
    )


def _booking_notices(meetings: list[Meeting], days: dict, today: date) -> list[Notice]:
    """Booking reminders, submission reminders and overdue notices for these meetings'
    bookings, read in four queries whatever their number. A verbal update has nothing to
    send, so only its booking reminder goes."""
    by_pk = {meeting.pk: meeting for meeting in meetings}
    bookings = list(
        Booking.objects.filter(meeting__in=list(by_pk), status=BookingStatus.BOOKED)
        .select_related(*BOOKING_ROW, "slot")
        .order_by("pk")
    )
    checklists(bookings)
    told_late = _told_on_or_after_notice_day(bookings, by_pk, days, today)

    due = []
    for booking in bookings:
        if booking.is_tracking:
            continue  # told once that the child will be tracked; nothing to remind them of
        meeting = by_pk[booking.meeting_id]
        booking.meeting = meeting  # the panel is already read
        day = days[meeting.pk]
        documents = [item.requirement for item in booking.checklist if item.requirement]
        context = booking_context(
            booking, meeting=meeting, documents=documents, due=day.submission_due, today=today
        )
        about = booking_about(booking)

        if day.notice <= today < meeting.date:
            subject = booking_subject(booking, meeting, reminder=True)
            for person in people(booking.social_worker, booking.team_manager):
                if (about, person.pk) in told_late:
                    continue  # booked late: the booking notice itself was the reminder
                due.append(
                    Notice(
                        kind=BOOKING_REMINDER,
                        about=about,
                        recipient=person,
                        due_on=day.notice,
                        subject=subject,
                        template="emails/booking_notice",
                        context={**context, "reminder": True},
                    )
                )

        submission = getattr(booking, "submission", None)
        if submission and submission.submitted_at or nothing_to_send(booking.checklist):
            continue
        missing = [item.name for item in booking.checklist if item.missing]
        if day.submission_reminder <= today <= day.submission_due:
            due += [
                Notice(
                    kind=SUBMISSION_REMINDER,
                    about=about,
                    recipient=person,
                    due_on=day.submission_reminder,
                    subject=subject_line(
                        f"Submission due by {date_format(day.submission_due)}: "
                        f"{child_label(booking)}"
                    ),
                    template="emails/submission_reminder",
                    context={**context, "missing": missing},
                )
                for person in people(booking.social_worker)
            ]
        if day.submission_overdue <= today < meeting.date:
            due += [
                Notice(
                    kind=SUBMISSION_OVERDUE,
                    about=about,
                    recipient=person,
                    due_on=day.submission_overdue,
                    subject=subject_line(
                        f"Submission overdue: {child_label(booking)}, "
                        f"panel on {date_format(meeting.date)}"
                    ),
                    template="emails/submission_overdue",
                    context={**context, "missing": missing},
                )
                for person in people(booking.social_worker, booking.team_manager)
            ]
    return due


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
