"""Every read the minutes pages need, scoped to what the user may see."""

from django.db.models import F, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from agendas.models import Booking, BookingStatus, Meeting
from agendas.selectors import visible_bookings, visible_meetings
from permanence.roles import Role

from .models import ApprovalStatus, Decision, Minutes, PanelAction


def may_record(user, meeting: Meeting) -> bool:
    """The panel's chair or deputy, or an administrator, records what panel decided."""
    panel = meeting.panel
    return user.has_any_role(Role.ADMINISTRATOR) or user.pk in (
        panel.chair_id,
        panel.deputy_chair_id,
    )


def may_ratify(user, meeting: Meeting) -> bool:
    return user.is_active and user.pk in (meeting.panel.chair_id, meeting.panel.deputy_chair_id)


def meeting_for(user, *, slug: str, pk: int) -> Meeting:
    """A meeting whose agenda the user may read; 404 otherwise."""
    return get_object_or_404(visible_meetings(user), panel__slug=slug, pk=pk)


def running_order(meeting: Meeting) -> QuerySet[Booking]:
    """The meeting's bookings in the order panel hears them, with their decisions."""
    return (
        meeting.bookings.filter(status=BookingStatus.BOOKED)
        .select_related(
            "child",
            "section",
            "slot",
            "request_type",
            "social_worker",
            "team_manager",
            "submission",
            "decision__outcome",
        )
        .order_by("slot__starts_at", "section__order", "slot__number", "pk")
    )


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
        .order_by("booking__slot__starts_at", "booking__section__order", "booking__pk")
    )
