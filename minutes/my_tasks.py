"""My tasks: every piece of panel work a person must do, with its working-day due date and a
link to the page where it is done. A person with several roles or seats sees the union.

Each read below is one query however much there is, so the page costs the same for an
administrator with three tasks or three hundred.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from agendas.models import (
    AgendaPack,
    Booking,
    BookingStatus,
    Meeting,
    MeetingStatus,
    PackDownload,
    PackStatus,
    Submission,
    SubmissionDocument,
)
from agendas.selectors import submission_due_date
from permanence.roles import Role
from permanence.workdays import Calendar

from .models import ApprovalStatus, Decision, EmergencyDecision, Minutes
from .selectors import (
    actions_due,
    agendas_to_agree,
    awaiting_approval,
    minutes_to_ratify,
    submissions_to_send,
)


@dataclass(frozen=True)
class Task:
    """One line of the list: what to do (the link's words), about what, and by when."""

    kind: str
    action: str
    url: str
    about: str
    due: date
    hint: str = ""


# The kinds in the council's words, in the order the summary counts them.
KINDS = {
    "waiting": "Children waiting for a place",
    "chase": "Submissions to chase",
    "submission": "Submissions to send",
    "agenda": "Agendas to agree",
    "circulate": "Agendas to circulate",
    "pack": "Packs to build",
    "read": "Packs to read",
    "draft": "Minutes to draft",
    "ratify": "Minutes to ratify",
    "distribute": "Minutes to distribute",
    "on_file": "Decisions to record on the child's file",
    "returned": "Approvals returned",
    "approve": "Approvals waiting",
    "emergency": "Emergency decisions to bring back",
    "action": "Actions from panel",
}


@dataclass(frozen=True)
class Tasks:
    lines: list[Task]

    def __bool__(self) -> bool:
        return bool(self.lines)

    @property
    def has_actions(self) -> bool:
        return any(task.kind == "action" for task in self.lines)

    def counts(self) -> list[tuple[str, int]]:
        """(kind in words, how many) for each kind the person has, in KINDS order."""
        return [
            (words, n)
            for kind, words in KINDS.items()
            if (n := sum(task.kind == kind for task in self.lines))
        ]


def _meeting_words(meeting: Meeting) -> str:
    return f"{meeting.panel.name}, {date_format(meeting.date)}"


def _child_words(child) -> str:
    return f"{child.full_name}, case number {child.case_number}"


def _after(meeting: Meeting, days: int, working_days: Calendar) -> date:
    return working_days.add_working_days(meeting.date, days)


# Everyone named on a booking, and actions -------------------------------------------------


def _submissions_and_actions(user, *, today, working_days) -> list[Task]:
    tasks = [
        Task(
            kind="submission",
            action="Send the submission",
            url=reverse("bookings:submission", args=[booking.pk]),
            about=_child_words(booking.child),
            hint=f"{booking.request_type}. {_meeting_words(booking.meeting)}",
            due=booking.due,
        )
        for booking in submissions_to_send(user, today=today, working_days=working_days)
    ]
    for action in actions_due(user):
        meeting = action.decision.booking.meeting if action.decision else None
        tasks.append(
            Task(
                kind="action",
                action="Complete the action",
                url=reverse("minutes:action-complete", args=[action.pk]),
                about=_child_words(action.child),
                hint=action.description
                + (f" ({_meeting_words(meeting)})" if meeting is not None else ""),
                due=action.due_date,
            )
        )
    return tasks


# Chair and deputy ------------------------------------------------------------------------


def _chairing(user, *, today, working_days) -> list[Task]:
    tasks = [
        Task(
            kind="agenda",
            action="Agree the agenda again" if meeting.again else "Agree the agenda",
            url=reverse("agendas:agenda", args=[meeting.panel.slug, meeting.pk]),
            about=_meeting_words(meeting),
            hint="Changed since you agreed it" if meeting.again else "",
            due=meeting.due,
        )
        for meeting in agendas_to_agree(user, today=today, working_days=working_days)
    ]
    tasks += [
        Task(
            kind="ratify",
            action="Ratify the minutes",
            url=reverse("minutes:minutes", args=[meeting.panel.slug, meeting.pk]),
            about=_meeting_words(meeting),
            due=meeting.due,
        )
        for meeting in minutes_to_ratify(user, today=today, working_days=working_days)
    ]
    return tasks


# Panel members (and the chair) ----------------------------------------------------------


def _latest_pack(field: str) -> Subquery:
    return Subquery(
        AgendaPack.objects.filter(meeting=OuterRef("pk"))
        .order_by("-requested_at", "-pk")
        .values(field)[:1]
    )


def _packs_to_read(user, *, today) -> list[Task]:
    """The ready pack of each meeting still to come of a panel the person sits on, that
    they have not downloaded."""
    meetings = (
        Meeting.objects.filter(
            Q(panel__chair=user) | Q(panel__deputy_chair=user) | Q(panel__memberships__user=user),
            status=MeetingStatus.SCHEDULED,
            date__gte=today,
        )
        .distinct()
        .annotate(pack_id=_latest_pack("pk"), pack_status=_latest_pack("status"))
        .filter(pack_status=PackStatus.READY)
        .exclude(Exists(PackDownload.objects.filter(pack=OuterRef("pack_id"), user=user)))
        .select_related("panel")
        .order_by("date", "pk")
    )
    return [
        Task(
            kind="read",
            action="Read the agenda pack",
            url=reverse("agendas:meeting", args=[meeting.panel.slug, meeting.pk]) + "#agenda-pack",
            about=_meeting_words(meeting),
            due=meeting.date,
        )
        for meeting in meetings
    ]


# Administrators ---------------------------------------------------------------------------


def _waiting(*, today, working_days) -> list[Task]:
    """A child on a waiting list should be booked by the notice day of the panel's next
    meeting, so the social worker gets the usual notice."""
    next_meeting = Meeting.objects.filter(
        panel=OuterRef("panel"), status=MeetingStatus.SCHEDULED, date__gte=today
    ).order_by("date")
    bookings = (
        Booking.objects.filter(status=BookingStatus.WAITING)
        .annotate(next_meeting=Subquery(next_meeting.values("date")[:1]))
        .select_related("child", "panel", "request_type")
        .order_by("created_at", "pk")
    )
    tasks = []
    for booking in bookings:
        if booking.next_meeting:
            due = working_days.add_working_days(
                booking.next_meeting, booking.panel.booking_notice_days
            )
        else:
            due = timezone.localdate(booking.created_at)  # no meeting to book: overdue
        tasks.append(
            Task(
                kind="waiting",
                action="Find a place",
                url=reverse("agendas:waiting-list", args=[booking.panel.slug]),
                about=_child_words(booking.child),
                hint=f"{booking.request_type}. On the {booking.panel.name}'s waiting list",
                due=due,
            )
        )
    return tasks


def _submissions_to_chase(*, today, working_days) -> list[Task]:
    """Submissions past their deadline for meetings still to come and not yet decided."""
    bookings = (
        Booking.objects.filter(
            status=BookingStatus.BOOKED,
            meeting__status=MeetingStatus.SCHEDULED,
            meeting__date__gte=today,
            decision__isnull=True,
        )
        .filter(Q(submission__isnull=True) | Q(submission__submitted_at__isnull=True))
        .select_related("child", "request_type", "meeting__panel", "social_worker")
        .order_by("meeting__date", "pk")
    )
    tasks = []
    for booking in bookings:
        due = submission_due_date(booking.meeting, working_days)
        if due >= today:
            continue  # not late yet: the social worker has it on their own list
        who = f"Social worker: {booking.social_worker}. " if booking.social_worker else ""
        tasks.append(
            Task(
                kind="chase",
                action="Chase the submission",
                url=reverse("bookings:submission", args=[booking.pk]),
                about=_child_words(booking.child),
                hint=f"{who}{_meeting_words(booking.meeting)}",
                due=due,
            )
        )
    return tasks


def _latest(queryset, field: str) -> Subquery:
    return Subquery(queryset.order_by(F(field).desc(nulls_last=True)).values(field)[:1])


def _upcoming_meetings(*, today, working_days) -> list[Task]:
    """Agendas agreed but not circulated, and packs to build or rebuild once circulated."""
    booked_submissions = Submission.objects.filter(
        booking__meeting=OuterRef("pk"), booking__status=BookingStatus.BOOKED
    )
    booked_documents = SubmissionDocument.objects.filter(
        booking__meeting=OuterRef("pk"), booking__status=BookingStatus.BOOKED
    )
    meetings = (
        Meeting.objects.filter(
            status=MeetingStatus.SCHEDULED, date__gte=today, agenda_agreed_at__isnull=False
        )
        .annotate(
            pack_status=_latest_pack("status"),
            pack_built_from=_latest_pack("built_from"),
            # The pack's inputs, as AgendaPack.is_out_of_date reads them, for every meeting
            # in this one query.
            submission_updated=_latest(booked_submissions, "updated_at"),
            submission_sent=_latest(booked_submissions, "submitted_at"),
            document_uploaded=_latest(booked_documents, "uploaded_at"),
            document_replaced=_latest(booked_documents, "replaced_at"),
        )
        .select_related("panel")
        .order_by("date", "pk")
    )
    tasks = []
    for meeting in meetings:
        due = _after(meeting, meeting.panel.agenda_circulate_days, working_days)
        words = _meeting_words(meeting)
        if meeting.agenda_circulated_at is None:
            tasks.append(
                Task(
                    kind="circulate",
                    action="Circulate the agenda",
                    url=reverse("agendas:agenda", args=[meeting.panel.slug, meeting.pk]),
                    about=words,
                    due=due,
                )
            )
            continue
        action = _pack_to_build(meeting)
        if action:
            tasks.append(
                Task(
                    kind="pack",
                    action=action,
                    url=reverse("agendas:meeting", args=[meeting.panel.slug, meeting.pk])
                    + "#agenda-pack",
                    about=words,
                    due=due,
                )
            )
    return tasks


def _pack_to_build(meeting: Meeting) -> str:
    """What to do about the meeting's pack: nothing while one is being built or a ready one
    is up to date."""
    if meeting.pack_status is None:
        return "Build the agenda pack"
    if meeting.pack_status == PackStatus.FAILED:
        return "Build the agenda pack again"
    if meeting.pack_status != PackStatus.READY:
        return ""
    changes = (
        meeting.agenda_changed_at,
        meeting.submission_updated,
        meeting.submission_sent,
        meeting.document_uploaded,
        meeting.document_replaced,
    )
    changed = max((moment for moment in changes if moment), default=None)
    if changed and (meeting.pack_built_from is None or changed > meeting.pack_built_from):
        return "Build the agenda pack again"
    return ""


def _minutes(*, today, working_days) -> list[Task]:
    """Held meetings whose minutes are not drafted yet, or ratified but not distributed."""
    meetings = (
        Meeting.objects.filter(status=MeetingStatus.SCHEDULED, date__lt=today)
        .filter(Q(minutes__isnull=True) | Q(minutes__ratified_at__isnull=False))
        .filter(minutes__distributed_at__isnull=True)
        .annotate(
            ratified=Exists(
                Minutes.objects.filter(meeting=OuterRef("pk"), ratified_at__isnull=False)
            )
        )
        .select_related("panel")
        .order_by("date", "pk")
    )
    tasks = []
    for meeting in meetings:
        url = reverse("minutes:minutes", args=[meeting.panel.slug, meeting.pk])
        if meeting.ratified:
            action, kind, days = "Distribute the minutes", "distribute", "minutes_distribute_days"
        else:
            action, kind, days = "Draft the minutes", "draft", "minutes_ratify_days"
        due = _after(meeting, getattr(meeting.panel, days), working_days)
        tasks.append(
            Task(kind=kind, action=action, url=url, about=_meeting_words(meeting), due=due)
        )
    return tasks


def _decisions_to_file(*, working_days) -> list[Task]:
    """Decisions not yet recorded on the child's file. One a senior officer must decide
    waits for them; once they have, it is listed as an approval returned, due from the
    day the answer came back."""
    decisions = (
        Decision.objects.filter(recorded_on_file_at__isnull=True)
        .exclude(approval_status=ApprovalStatus.AWAITING)
        .select_related("booking__child", "booking__meeting__panel", "outcome", "approval_by")
        .order_by("booking__meeting__date", "pk")
    )
    tasks = []
    for decision in decisions:
        meeting = decision.booking.meeting
        days = meeting.panel.decision_recorded_days
        url = reverse("minutes:case-note", args=[decision.pk])
        about = _child_words(decision.booking.child)
        if decision.approval_status == ApprovalStatus.NOT_NEEDED:
            tasks.append(
                Task(
                    kind="on_file",
                    action="Record the decision on the child's file",
                    url=url,
                    about=about,
                    hint=f"{decision.outcome}. {_meeting_words(meeting)}",
                    due=_after(meeting, days, working_days),
                )
            )
            continue
        answered = timezone.localdate(decision.approval_decided_at)
        approved = decision.approval_status == ApprovalStatus.APPROVED
        tasks.append(
            Task(
                kind="returned",
                action=(
                    "Record the approval on the child's file"
                    if approved
                    else "Record the refusal on the child's file"
                ),
                url=url,
                about=about,
                hint=(
                    f"{decision.get_approval_status_display()} by {decision.approval_by} on "
                    f"{date_format(answered)}. {_meeting_words(meeting)}"
                    + ("" if approved else ". Book the child back to panel if it is needed.")
                ),
                due=working_days.add_working_days(answered, days),
            )
        )
    return tasks


# Senior managers (and administrators) ----------------------------------------------------


def _approvals_waiting(user, *, working_days) -> list[Task]:
    """Recommendations waiting for a senior decision, due when the decision must be on the
    child's file."""
    decisions = awaiting_approval(user).order_by("booking__meeting__date", "pk")
    return [
        Task(
            kind="approve",
            action="Approve or decline the recommendation",
            url=reverse("minutes:approve", args=[decision.pk]),
            about=_child_words(decision.booking.child),
            hint=f"{decision.outcome}. {_meeting_words(decision.booking.meeting)}",
            due=_after(
                decision.booking.meeting,
                decision.booking.meeting.panel.decision_recorded_days,
                working_days,
            ),
        )
        for decision in decisions
    ]


def _emergency_decisions(user, *, everyone: bool, working_days) -> list[Task]:
    """Emergency decisions not yet ratified at a meeting (Somerset: "brought to the next
    panel retrospectively with all the required information"), due when the papers for
    that meeting are. With no meeting to go to, it is overdue from the day it was made."""
    emergencies = EmergencyDecision.objects.exclude(
        ratification_booking__decision__isnull=False
    ).select_related("child", "panel", "ratification_booking__meeting__panel")
    if not everyone:
        emergencies = emergencies.filter(recorded_by=user)
    tasks = []
    for emergency in emergencies.order_by("decided_on", "pk"):
        booking = emergency.ratification_booking
        meeting = booking.meeting if booking and booking.is_booked else None
        tasks.append(
            Task(
                kind="emergency",
                action="Bring the emergency decision to panel",
                url=(
                    reverse("bookings:detail", args=[booking.pk])
                    if booking
                    else reverse("minutes:emergency-decisions")
                ),
                about=_child_words(emergency.child),
                hint=(
                    f"Made on {date_format(emergency.decided_on)} by the "
                    f"{emergency.decided_by_role}. "
                    + (
                        _meeting_words(meeting)
                        if meeting
                        else f"No meeting yet: on the {emergency.panel.name}'s waiting list"
                    )
                ),
                due=(
                    submission_due_date(meeting, working_days) if meeting else emergency.decided_on
                ),
            )
        )
    return tasks


def tasks_of(user, *, today: date, working_days: Calendar) -> Tasks:
    """Everything the person must do, overdue first, then by due date."""
    administrator = user.has_any_role(Role.ADMINISTRATOR)
    senior = user.has_any_role(Role.SENIOR_MANAGER)
    lines = _submissions_and_actions(user, today=today, working_days=working_days)
    lines += _chairing(user, today=today, working_days=working_days)
    lines += _packs_to_read(user, today=today)
    if administrator:
        lines += _waiting(today=today, working_days=working_days)
        lines += _submissions_to_chase(today=today, working_days=working_days)
        lines += _upcoming_meetings(today=today, working_days=working_days)
        lines += _minutes(today=today, working_days=working_days)
        lines += _decisions_to_file(working_days=working_days)
    if senior:
        lines += _approvals_waiting(user, working_days=working_days)
    if administrator or senior:
        lines += _emergency_decisions(user, everyone=administrator, working_days=working_days)
    kinds = list(KINDS)
    lines.sort(key=lambda task: (task.due, kinds.index(task.kind), task.about))
    return Tasks(lines=lines)
