from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from permanence.roles import Role
from permanence.workdays import calendar

from ..models import (
    DocumentRequirement,
    ExpectedContribution,
    Meeting,
    MeetingStatus,
    Panel,
    PanelMembership,
    RequestType,
    working_days_in_words,
)


def panel_list() -> QuerySet[Panel]:
    return Panel.objects.select_related("chair", "deputy_chair")


def panels_with_set_up() -> QuerySet[Panel]:
    """Panels with everything their page shows, in a fixed number of queries."""
    return Panel.objects.select_related("chair", "deputy_chair").prefetch_related(
        "sections",
        "breaks",
        "outcomes",
        Prefetch("memberships", queryset=PanelMembership.objects.select_related("user")),
        Prefetch(
            "request_types",
            queryset=RequestType.objects.select_related("default_section").prefetch_related(
                "document_requirements"
            ),
        ),
        Prefetch(
            "document_requirements",
            queryset=DocumentRequirement.objects.filter(request_type__isnull=True),
            to_attr="documents_for_every_request",
        ),
        Prefetch(
            "expected_contributions",
            queryset=ExpectedContribution.objects.select_related("seat"),
        ),
    )


def panel_deadlines(*, panel: Panel, meeting_date: date | None) -> list[dict]:
    """Each lead time in words, with its date for the given meeting (none without one)."""
    working_days = calendar() if meeting_date else None
    return [
        {
            "field": field,
            "label": label,
            "in_words": working_days_in_words(days),
            "date": working_days.add_working_days(meeting_date, days) if working_days else None,
        }
        for field, label, days in panel.lead_times()
    ]


def chair_candidates(*, panel: Panel) -> QuerySet:
    """Active people holding the Chair role, and whoever chairs the panel now."""
    current = [pk for pk in (panel.chair_id, panel.deputy_chair_id) if pk]
    return (
        get_user_model()
        .objects.filter(Q(is_active=True, groups__name=Role.CHAIR) | Q(pk__in=current))
        .distinct()
    )


def panels_with_seats() -> QuerySet[Panel]:
    return Panel.objects.select_related("chair", "deputy_chair").prefetch_related(
        Prefetch("memberships", queryset=PanelMembership.objects.select_related("user"))
    )


def seats_held(*, person) -> list[str]:
    """The person's places on panels, in sentences: shown on their page and before they are
    deactivated."""
    lines = []
    for panel in Panel.objects.filter(chair=person).order_by("name"):
        lines.append(f"{'Joint chair' if panel.deputy_is_joint_chair else 'Chair'} of the {panel}")
    for panel in Panel.objects.filter(deputy_chair=person).order_by("name"):
        lines.append(f"{panel.deputy_title} of the {panel}")
    for seat in person.panel_memberships.select_related("panel").order_by("panel__name"):
        lines.append(f"{seat.role_on_panel} on the {seat.panel}")
    return lines


def people() -> QuerySet:
    """Everyone who can be given a seat on a panel."""
    return get_user_model().objects.filter(is_active=True)


def upcoming_meetings(*, panel: Panel, today: date) -> QuerySet[Meeting]:
    return panel.meetings.filter(status=MeetingStatus.SCHEDULED, date__gte=today)


def upcoming_meetings_of(panel: Panel, *, today: date, count: int = 6) -> QuerySet[Meeting]:
    return panel.meetings.filter(status=MeetingStatus.SCHEDULED, date__gte=today).order_by("date")[
        :count
    ]
