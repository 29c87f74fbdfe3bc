"""The administrator's tasks: the panel's whole cycle, from the waiting list to the
child's file."""

from django.db.models import (
    Case,
    CharField,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from agendas.models import (
    Booking,
    BookingStatus,
    Meeting,
    MeetingStatus,
    Panel,
)
from agendas.models.packs import changed_since_built, inputs_changed_at
from agendas.selectors import submission_due_date
from permanence.jobs.models import JobState
from permanence.workdays import ONE_DAY
from tracker.models import Referral
from tracker.rules import referral_due, referral_working_days_late

from ..models import ApprovalStatus, Decision, Minutes
from .lines import Shown, Task, after, child_words, latest_pack, meeting_words, soonest


def waiting(*, today, working_days) -> Shown:
    """A child on a waiting list should be booked by the notice day of the panel's next
    meeting, so the social worker gets the usual notice."""
    next_meeting = Meeting.objects.filter(
        panel=OuterRef("panel"), status=MeetingStatus.SCHEDULED, date__gte=today
    ).order_by("date")
    bookings = soonest(
        Booking.objects.waiting().annotate(
            next_meeting=Subquery(next_meeting.values("date")[:1]),
            # With no meeting to book, it is overdue from the day the child was put on the list.
            by_when=Coalesce("next_meeting", TruncDate("created_at")),
        ),
        by=F("by_when").asc(),
        related=("child", "panel", "request_type"),
    )
    tasks, totals = [], {}
    for booking in bookings:
        totals["waiting"] = booking.total
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
                about=child_words(booking.child),
                hint=f"{booking.request_type}. On the {booking.panel.name}'s waiting list",
                due=due,
            )
        )
    return Shown(tasks, totals=totals)


def _first_meeting_day_not_late(lead_days: int, *, today, working_days):
    """The first meeting day whose submissions, due `lead_days` working days before it, are
    not yet late today."""
    day = today
    while working_days.add_working_days(day, lead_days) < today:
        day += ONE_DAY
    return day


def submissions_to_chase(*, today, working_days) -> Shown:
    """Submissions past their deadline for meetings still to come and not yet decided."""
    # Only the late ones are read: a submission not late yet is on its social worker's list,
    # and reading every booking to come to find the late ones grew with the installation.
    late = Q(pk__in=[])
    for lead_days in set(Panel.objects.values_list("submission_due_days", flat=True)):
        late |= Q(
            meeting__panel__submission_due_days=lead_days,
            meeting__date__lt=_first_meeting_day_not_late(
                lead_days, today=today, working_days=working_days
            ),
        )
    bookings = soonest(
        Booking.objects.filter(
            late,
            status=BookingStatus.BOOKED,
            meeting__status=MeetingStatus.SCHEDULED,
            meeting__date__gte=today,
            decision__isnull=True,
        )
        .filter(Q(submission__isnull=True) | Q(submission__submitted_at__isnull=True))
        .with_something_to_send(),
        by=F("meeting__date").asc(),
        related=("child", "request_type", "meeting__panel", "social_worker"),
    )
    tasks, totals = [], {}
    for booking in bookings:
        totals["chase"] = booking.total
        due = submission_due_date(booking.meeting, working_days)
        who = f"Social worker: {booking.social_worker}. " if booking.social_worker else ""
        tasks.append(
            Task(
                kind="chase",
                action="Chase the submission",
                url=reverse("bookings:submission", args=[booking.pk]),
                about=child_words(booking.child),
                hint=f"{who}{meeting_words(booking.meeting)}",
                due=due,
            )
        )
    return Shown(tasks, totals=totals)


def upcoming_meetings(*, today, working_days) -> list[Task]:
    """Agendas agreed but not circulated, and packs to build or rebuild once circulated."""
    meetings = (
        Meeting.objects.filter(
            status=MeetingStatus.SCHEDULED, date__gte=today, agenda_agreed_at__isnull=False
        )
        .with_pack_inputs()
        .annotate(pack_state=latest_pack("job__state"), pack_built_from=latest_pack("built_from"))
        .select_related("panel")
        .order_by("date", "pk")
    )
    tasks = []
    for meeting in meetings:
        due = after(meeting, meeting.panel.agenda_circulate_days, working_days)
        words = meeting_words(meeting)
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
    if meeting.pack_state is None:
        return "Build the agenda pack"
    if meeting.pack_state == JobState.FAILED:
        return "Build the agenda pack again"
    if meeting.pack_state != JobState.SUCCEEDED:
        return ""
    if changed_since_built(built_from=meeting.pack_built_from, changed=inputs_changed_at(meeting)):
        return "Build the agenda pack again"
    return ""


def minutes(*, today, working_days) -> Shown:
    """Held meetings whose minutes are not drafted yet, or ratified but not distributed."""
    meetings = soonest(
        Meeting.objects.filter(status=MeetingStatus.SCHEDULED, date__lt=today)
        .filter(Q(minutes__isnull=True) | Q(minutes__ratified_at__isnull=False))
        .filter(minutes__distributed_at__isnull=True)
        .annotate(
            ratified=Exists(
                Minutes.objects.filter(meeting=OuterRef("pk"), ratified_at__isnull=False)
            )
        ),
        by=F("date").asc(),
        kind=F("ratified"),
        related=("panel",),
    )
    tasks, totals = [], {}
    for meeting in meetings:
        url = reverse("minutes:minutes", args=[meeting.panel.slug, meeting.pk])
        if meeting.ratified:
            action, kind, days = "Distribute the minutes", "distribute", "minutes_distribute_days"
        else:
            action, kind, days = "Draft the minutes", "draft", "minutes_ratify_days"
        totals[kind] = meeting.total
        due = after(meeting, getattr(meeting.panel, days), working_days)
        tasks.append(Task(kind=kind, action=action, url=url, about=meeting_words(meeting), due=due))
    return Shown(tasks, totals=totals)


def decisions_to_file(*, working_days) -> Shown:
    """Decisions not yet recorded on the child's file. One a senior officer must decide
    waits for them; once they have, it is listed as an approval returned, due from the
    day the answer came back."""
    not_needed = Q(approval_status=ApprovalStatus.NOT_NEEDED)
    decisions = soonest(
        Decision.objects.filter(recorded_on_file_at__isnull=True)
        .exclude(approval_status=ApprovalStatus.AWAITING)
        .annotate(
            task_kind=Case(
                When(not_needed, then=Value("on_file")),
                default=Value("returned"),
                output_field=CharField(),
            ),
            # Each is due a number of working days after this day.
            by_when=Case(
                When(not_needed, then=F("booking__meeting__date")),
                default=TruncDate("approval_decided_at"),
                output_field=DateField(),
            ),
        ),
        by=F("by_when").asc(),
        kind=F("task_kind"),
        related=("booking__child", "booking__meeting__panel", "outcome", "approval_by"),
    )
    tasks, totals = [], {}
    for decision in decisions:
        totals[decision.task_kind] = decision.total
        meeting = decision.booking.meeting
        days = meeting.panel.decision_recorded_days
        url = reverse("minutes:case-note", args=[decision.pk])
        about = child_words(decision.booking.child)
        if decision.approval_status == ApprovalStatus.NOT_NEEDED:
            tasks.append(
                Task(
                    kind="on_file",
                    action="Record the decision on the child's file",
                    url=url,
                    about=about,
                    hint=f"{decision.outcome}. {meeting_words(meeting)}",
                    due=after(meeting, days, working_days),
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
                    f"{date_format(answered)}. {meeting_words(meeting)}"
                    + ("" if approved else ". Book the child back to panel if it is needed.")
                ),
                due=working_days.add_working_days(answered, days),
            )
        )
    return Shown(tasks, totals=totals)


def referrals(*, working_days) -> Shown:
    """Open referrals (North Somerset 3.2-3.3): check the child is on the tracker within 3
    working days of being told, counted from the day the referral was sent."""
    tasks, totals = [], {}
    open_referrals = soonest(Referral.objects.open(), by=F("sent_at").asc(), related=("sent_by",))
    for referral in open_referrals:
        totals["referral"] = referral.total
        late = referral_working_days_late(referral.happened_on, referral.sent_on, working_days)
        tasks.append(
            Task(
                kind="referral",
                action="Check the referred child onto the tracker",
                url=reverse("referrals:detail", args=[referral.pk]),
                about=f"{referral.full_name}, case number {referral.case_number}",
                hint=(
                    f"{referral.get_kind_display()} on {date_format(referral.happened_on)}. "
                    f"Sent by {referral.sent_by} on {date_format(referral.sent_on)}"
                    + (f", {late} working day{'s' if late != 1 else ''} late" if late else "")
                ),
                due=referral_due(referral.sent_on, working_days),
            )
        )
    return Shown(tasks, totals=totals)
