"""The tasks of people named on bookings, actions and panel seats, and of senior
managers."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.formats import date_format

from agendas.models import Meeting, MeetingStatus, PackDownload
from agendas.selectors import submission_due_date
from permanence.jobs.models import JobState

from ..models import EmergencyDecision
from ..selectors import (
    actions_due,
    agendas_to_agree,
    awaiting_approval,
    minutes_to_ratify,
    submissions_to_send,
    themes_to_give,
)
from .lines import Task, after, child_words, latest_pack, meeting_words

# Everyone named on a booking, and actions -------------------------------------------------


def submissions_and_actions(user, *, today, working_days) -> list[Task]:
    tasks = [
        Task(
            kind="submission",
            action="Send the submission",
            url=reverse("bookings:submission", args=[booking.pk]),
            about=child_words(booking.child),
            hint=f"{booking.request_type}. {meeting_words(booking.meeting)}",
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
                about=child_words(action.child),
                hint=action.description
                + (f" ({meeting_words(meeting)})" if meeting is not None else ""),
                due=action.due_date,
            )
        )
    return tasks


# Chair and deputy ------------------------------------------------------------------------


def chairing(user, *, today, working_days) -> list[Task]:
    tasks = [
        Task(
            kind="agenda",
            action="Agree the agenda again" if meeting.again else "Agree the agenda",
            url=reverse("agendas:agenda", args=[meeting.panel.slug, meeting.pk]),
            about=meeting_words(meeting),
            hint="Changed since you agreed it" if meeting.again else "",
            due=meeting.due,
        )
        for meeting in agendas_to_agree(user, today=today, working_days=working_days)
    ]
    tasks += [
        Task(
            kind="theme",
            action="Give the theme for the month",
            url=reverse("agendas:meeting-theme", args=[meeting.panel.slug, meeting.pk]),
            about=meeting_words(meeting),
            hint="Due by the day the agenda is agreed, so that the agenda names it. "
            f"Asked for on {date_format(meeting.theme_request.asked_on)}",
            due=meeting.theme_request.due,
        )
        for meeting in themes_to_give(user, today=today, working_days=working_days)
    ]
    tasks += [
        Task(
            kind="ratify",
            action="Ratify the minutes",
            url=reverse("minutes:minutes", args=[meeting.panel.slug, meeting.pk]),
            about=meeting_words(meeting),
            due=meeting.due,
        )
        for meeting in minutes_to_ratify(user, today=today, working_days=working_days)
    ]
    return tasks


# Panel members (and the chair) ----------------------------------------------------------


def packs_to_read(user, *, today) -> list[Task]:
    """The ready pack of each meeting still to come of a panel the person sits on, that
    they have not downloaded."""
    meetings = (
        Meeting.objects.filter(
            Q(panel__chair=user) | Q(panel__deputy_chair=user) | Q(panel__memberships__user=user),
            status=MeetingStatus.SCHEDULED,
            date__gte=today,
        )
        .distinct()
        .annotate(pack_id=latest_pack("pk"), pack_state=latest_pack("job__state"))
        .filter(pack_state=JobState.SUCCEEDED)
        .exclude(Exists(PackDownload.objects.filter(pack=OuterRef("pack_id"), user=user)))
        .select_related("panel")
        .order_by("date", "pk")
    )
    return [
        Task(
            kind="read",
            action="Read the agenda pack",
            url=reverse("agendas:meeting", args=[meeting.panel.slug, meeting.pk]) + "#agenda-pack",
            about=meeting_words(meeting),
            due=meeting.date,
        )
        for meeting in meetings
    ]


# Senior managers (and administrators) ----------------------------------------------------


def approvals_waiting(user, *, working_days) -> list[Task]:
    """Recommendations waiting for a senior decision, due when the decision must be on the
    child's file."""
    decisions = awaiting_approval(user).order_by("booking__meeting__date", "pk")
    return [
        Task(
            kind="approve",
            action="Approve or decline the recommendation",
            url=reverse("minutes:approve", args=[decision.pk]),
            about=child_words(decision.booking.child),
            hint=f"{decision.outcome}. {meeting_words(decision.booking.meeting)}",
            due=after(
                decision.booking.meeting,
                decision.booking.meeting.panel.decision_recorded_days,
                working_days,
            ),
        )
        for decision in decisions
    ]


def emergency_decisions(user, *, everyone: bool, working_days) -> list[Task]:
    """Emergency decisions not yet ratified at a meeting (Somerset: "brought to the next
    panel retrospectively with all the required information"), due when the papers for
    that meeting are. With no meeting to go to, it is overdue from the day it was made."""
    emergencies = EmergencyDecision.objects.exclude(
        ratification_booking__decision__isnull=False
    ).select_related("child", "panel", "ratification_booking__meeting__panel")
    if not everyone:
        emergencies = emergencies.filter(decided_by=user)
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
                about=child_words(emergency.child),
                hint=(
                    f"Made on {date_format(emergency.decided_on)} by the "
                    f"{emergency.decided_by_role}. "
                    + (
                        meeting_words(meeting)
                        if meeting
                        else f"Not yet booked onto a meeting of the {emergency.panel.name}"
                    )
                ),
                due=(
                    submission_due_date(meeting, working_days) if meeting else emergency.decided_on
                ),
            )
        )
    return tasks
