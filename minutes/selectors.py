"""Every read the minutes pages need, scoped to what the user may see."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from agendas.models import (
    TRACKING_EFFECTS,
    Booking,
    BookingStatus,
    Meeting,
    MeetingStatus,
    OutcomeEffect,
    RequestPurpose,
    running_order_by,
)
from agendas.selectors import (
    checklists,
    nothing_to_send,
    planning_checklists,
    submission_due_date,
    theme_request,
    visible_bookings,
    visible_meeting,
)
from permanence.roles import Role
from permanence.workdays import Calendar
from tracker.flags import raised, with_flags
from tracker.models import Child

from .models import (
    ApprovalStatus,
    AttendanceStatus,
    Decision,
    MeetingAttendance,
    Minutes,
    PanelAction,
)


def meeting_for(user, *, slug: str, pk: int) -> Meeting:
    """A meeting whose agenda the user may read; 404 or a refusal in plain words otherwise."""
    return visible_meeting(user, slug=slug, pk=pk)


def running_order(meeting: Meeting) -> QuerySet[Booking]:
    """The meeting's bookings in the order panel hears them, with their decisions."""
    return meeting.bookings.on_the_agenda().select_related("decision__outcome")


def running_order_rows(meeting: Meeting) -> list[dict]:
    """Each child of the running order with where their papers stand: the submission sent,
    a verbal update, how many items the checklist still misses, and panel's decision."""
    bookings = list(running_order(meeting))
    lists = checklists(bookings)
    rows = []
    for booking in bookings:
        submission = getattr(booking, "submission", None)
        checklist = lists[booking.pk]
        rows.append(
            {
                "booking": booking,
                "sent": bool(submission and submission.submitted_at),
                "verbal_update": nothing_to_send(checklist),
                "missing": sum(1 for item in checklist if item.missing),
                "decision": getattr(booking, "decision", None),
            }
        )
    return rows


def minutes_of(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting).select_related("ratified_by").first()


def visible_decisions(user) -> QuerySet[Decision]:
    return Decision.objects.filter(booking__in=visible_bookings(user)).select_related(
        "booking__child",
        "booking__meeting__panel",
        "booking__request_type",
        "outcome",
        "approval_by",
    )


def visible_decision(user, *, pk: int) -> Decision:
    return get_object_or_404(visible_decisions(user), pk=pk)


def action_history(decision: Decision) -> list:
    """Every version of the decision's actions, removed ones too, latest first; none when
    no amendment changed them, as the decision already lists the actions set at panel."""
    versions = list(
        PanelAction.history.filter(decision_id=decision.pk).select_related("history_user", "owner")
    )
    return versions if any(version.history_change_reason for version in versions) else []


def awaiting_approval(user) -> QuerySet[Decision]:
    """Recommendations waiting for a senior officer's decision."""
    if not user.has_any_role(Role.SENIOR_MANAGER):
        return Decision.objects.none()
    return visible_decisions(user).filter(approval_status=ApprovalStatus.AWAITING)


def actions_of(user) -> QuerySet[PanelAction]:
    """The actions panel gave this user: open ones first, soonest due first."""
    return (
        PanelAction.objects.filter(owner=user)
        .select_related("child", "decision__booking__meeting__panel")
        # Open (null) first on every database: PostgreSQL sorts nulls last by default.
        .order_by(F("completed_at").asc(nulls_first=True), "due_date", "pk")
    )


def decisions_with_actions(meeting: Meeting) -> QuerySet[Decision]:
    """The meeting's decisions with their actions, for the minutes."""
    return (
        Decision.objects.filter(booking__meeting=meeting, booking__status=BookingStatus.BOOKED)
        .select_related(
            "booking__child",
            "booking__section",
            "booking__slot",
            "booking__request_type",
            "booking__social_worker",
            "booking__team_manager",
            "outcome",
            "forward_booking__meeting",
        )
        .prefetch_related(Prefetch("actions", queryset=PanelAction.objects.select_related("owner")))
        .order_by(*running_order_by("booking__"))
    )


# My tasks: what the signed-in person must do, and by when -----------------------------

# Agendas to agree are listed from four weeks before their agree-by date, so a chair of a
# fortnightly panel sees the next few rather than the year's.
AGENDA_HORIZON = timedelta(days=28)


def submissions_to_send(user, *, today: date, working_days: Calendar) -> list[Booking]:
    """Bookings still to come where the person is the social worker or team manager and
    the submission is not sent, each with its `due` date."""
    bookings = list(
        Booking.objects.filter(
            Q(social_worker=user) | Q(team_manager=user),
            status=BookingStatus.BOOKED,
            meeting__status=MeetingStatus.SCHEDULED,
            meeting__date__gte=today,
            decision__isnull=True,  # decided today: nothing more to send
        )
        .filter(Q(submission__isnull=True) | Q(submission__submitted_at__isnull=True))
        .with_something_to_send()
        .select_related("child", "request_type", "meeting__panel")
        .order_by("meeting__date", "pk")
    )
    for booking in bookings:
        booking.due = submission_due_date(booking.meeting, working_days)
    return bookings


def agendas_to_agree(user, *, today: date, working_days: Calendar) -> list[Meeting]:
    """Meetings still to come of the panels the person chairs or deputises for, whose agenda
    is not agreed (or changed since), with the `due` agree-by date."""
    meetings = []
    for meeting in (
        Meeting.objects.filter(
            Q(panel__chair=user) | Q(panel__deputy_chair=user),
            status=MeetingStatus.SCHEDULED,
            date__gte=today,
        )
        .filter(Q(agenda_agreed_at__isnull=True) | Q(agenda_changed_at__gt=F("agenda_agreed_at")))
        .select_related("panel")
        .order_by("date", "pk")
    ):
        meeting.due = working_days.add_working_days(meeting.date, meeting.panel.agenda_agree_days)
        if meeting.due - today > AGENDA_HORIZON:
            continue
        meeting.again = meeting.agenda_agreed_at is not None
        meetings.append(meeting)
    return meetings


def themes_to_give(user, *, today: date, working_days: Calendar) -> list[Meeting]:
    """Meetings still to come of the panels the person chairs or deputises for, whose
    theme the panel has asked for (Lancashire's agenda item 5) and not yet had, each with
    its `theme_request`: listed from the day it is asked for, due as it says."""
    meetings = []
    for meeting in (
        Meeting.objects.filter(
            Q(panel__chair=user) | Q(panel__deputy_chair=user),
            status=MeetingStatus.SCHEDULED,
            date__gte=today,
            theme="",
            panel__has_thematic_item=True,
            panel__theme_request_days__isnull=False,
        )
        .select_related("panel")
        .order_by("date", "pk")
    ):
        meeting.theme_request = theme_request(meeting, working_days)
        if meeting.theme_request.asked_on <= today:
            meetings.append(meeting)
    return meetings


def chair_absences() -> QuerySet[MeetingAttendance]:
    """Attendance that records a panel's chair away from a meeting: their apologies, or a
    representative sent to the seat they hold on the panel."""
    return MeetingAttendance.objects.filter(membership__user=F("meeting__panel__chair")).exclude(
        status=AttendanceStatus.PRESENT
    )


def with_ratifiers(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """The meetings with what `ratifiers` reads, in the same query."""
    return meetings.select_related("panel__chair", "panel__deputy_chair").annotate(
        chair_absent=Exists(chair_absences().filter(meeting=OuterRef("pk")))
    )


def ratifiers(meeting: Meeting) -> list:
    """Who ratifies the meeting's minutes: the panel's chair, and the deputy chair when they
    acted as chair, or when the panel has joint chairs (North Somerset).

    Nothing records who chaired a meeting, so the deputy acted as chair when the attendance
    records the chair away (`chair_absences`). `meeting` comes from `with_ratifiers`."""
    panel = meeting.panel
    deputy_chaired = panel.deputy_is_joint_chair or meeting.chair_absent
    seats = [panel.chair, panel.deputy_chair if deputy_chaired else None]
    return [person for person in seats if person is not None]


def minutes_to_ratify(user, *, today: date, working_days: Calendar) -> list[Meeting]:
    """Held meetings whose minutes the person ratifies (`ratifiers`) and are not ratified,
    with the `due` ratify-by date."""
    meetings = [
        meeting
        for meeting in with_ratifiers(
            Meeting.objects.filter(
                Q(panel__chair=user) | Q(panel__deputy_chair=user),
                status=MeetingStatus.SCHEDULED,
                date__lt=today,
            )
        )
        .filter(minutes__ratified_at__isnull=True)  # no minutes yet, or not ratified
        .order_by("date", "pk")
        if user in ratifiers(meeting)
    ]
    for meeting in meetings:
        meeting.due = working_days.add_working_days(meeting.date, meeting.panel.minutes_ratify_days)
    return meetings


def actions_due(user) -> list[PanelAction]:
    return list(
        PanelAction.objects.filter(owner=user, completed_at__isnull=True)
        .select_related("child", "decision__booking__meeting__panel")
        .order_by("due_date", "pk")
    )


def _children_of(bookings: list[Booking], as_of: date, children: QuerySet) -> dict:
    """The bookings' children, by pk, with their flags as of the day: one query."""
    ids = [booking.child_id for booking in bookings]
    return {child.pk: child for child in with_flags(children.filter(pk__in=ids), as_of)}


def tracking_rows(meeting: Meeting, section, *, as_of: date) -> list[dict]:
    """Each child of a tracking section with what their row shows: the child with their
    flags and open actions, their planning answers, and the review recorded so far. The same
    few queries, however many."""
    bookings = list(
        meeting.bookings.on_the_agenda()
        .filter(section=section)
        .select_related("decision__outcome", "decision__forward_booking", "attendance_requested_by")
    )
    open_actions = Prefetch(
        "panel_actions",
        queryset=PanelAction.objects.filter(completed_at__isnull=True)
        .select_related("owner")
        .order_by("due_date", "pk"),
        to_attr="open_actions",
    )
    children = _children_of(bookings, as_of, Child.objects.prefetch_related(open_actions))
    # The panel's planning questions with each child's answers (Somerset 3.1): two queries.
    planning = planning_checklists(children.values(), meeting.panel)
    return [
        {
            "booking": booking,
            "child": children[booking.child_id],
            "flags": raised(children[booking.child_id]),
            "decision": getattr(booking, "decision", None),
            "planning": planning[booking.child_id],
        }
        for booking in bookings
    ]


def tracking_choices(meeting: Meeting, rows: list[dict]) -> dict:
    """What every row of the tracking page chooses from, read once for the page: the
    tracking outcomes, who may own an action, and the requests an escalation can become."""
    panel = meeting.panel
    people = {
        *(row["booking"].social_worker_id for row in rows),
        *(row["booking"].team_manager_id for row in rows),
        panel.chair_id,
        panel.deputy_chair_id,
    }
    owners = (
        get_user_model()
        .objects.filter(
            Q(pk__in=[pk for pk in people if pk]) | Q(panel_memberships__panel=panel),
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name")
    )
    return {
        "outcomes": list(panel.outcomes.filter(effect__in=TRACKING_EFFECTS)),
        "owners": list(owners),
        "requests": list(
            # A re-presentation first: what a tracked child usually comes back as.
            panel.request_types.exclude(purpose=RequestPurpose.TRACKING).order_by(
                Case(When(purpose=RequestPurpose.RE_PRESENTATION, then=Value(0)), default=Value(1)),
                "order",
                "name",
            )
        ),
    }


# Torbay: "minutes will be recorded via the Permanency Panel tracker". Each child discussed,
# their tracker row as it now stands, then what panel decided.
TRACKER_MINUTES_COLUMNS = (
    "case_number",
    "first_name",
    "last_name",
    "team",
    "social_worker",
    "team_manager",
    "legal_status",
    "placement_type",
    "primary_plan",
    "contingency_plan",
    "last_panel_date",
    "next_panel_due",
    "panel_review_frequency",
    "flags",
    "agenda_section",
    "request",
    "outcome",
    "note",
    "actions",
)


def tracker_minutes_rows(meeting: Meeting, user, *, as_of: date) -> list[list]:
    """The children discussed at the meeting whom this user may see, in running order, as
    rows of TRACKER_MINUTES_COLUMNS. Four queries, however many children."""
    bookings = list(
        visible_bookings(user)
        .filter(meeting=meeting, status=BookingStatus.BOOKED, decision__isnull=False)
        .exclude(decision__outcome__effect=OutcomeEffect.NOT_DISCUSSED)
        .select_related("decision__outcome")
        .prefetch_related(
            Prefetch("decision__actions", queryset=PanelAction.objects.select_related("owner"))
        )
        .in_running_order()
    )
    children = _children_of(
        bookings, as_of, Child.objects.select_related("team", "social_worker", "team_manager")
    )
    rows = []
    for booking in bookings:
        child, decision = children[booking.child_id], booking.decision
        rows.append(
            [
                child.case_number,
                child.first_name,
                child.last_name,
                child.team.name if child.team else None,
                str(child.social_worker) if child.social_worker else None,
                str(child.team_manager) if child.team_manager else None,
                child.legal_status,
                child.placement_type,
                child.get_primary_plan_display(),
                child.get_contingency_plan_display(),
                child.last_panel_date,
                child.next_panel_due,
                child.panel_review_frequency,
                ";".join(sorted(flag.code for flag in raised(child))),
                booking.section.name,
                booking.request_type.name,
                decision.outcome.name,
                decision.rationale,
                "; ".join(
                    f"{action.description} ({action.owner}, by {action.due_date.isoformat()})"
                    for action in decision.actions.all()
                ),
            ]
        )
    return rows
