from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from permanence.roles import Role
from permanence.workdays import calendar

from .models import (
    DocumentRequirement,
    Meeting,
    MeetingStatus,
    Panel,
    PanelMembership,
    RequestType,
    working_days_in_words,
)


def panel_list() -> QuerySet[Panel]:
    return Panel.objects.select_related("chair")


def panels_with_set_up() -> QuerySet[Panel]:
    """Panels with everything their page shows, in a fixed number of queries."""
    return Panel.objects.select_related("chair", "deputy_chair").prefetch_related(
        "sections",
        "breaks",
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


def people() -> QuerySet:
    """Everyone who can be given a seat on a panel."""
    return get_user_model().objects.filter(is_active=True)


def upcoming_meetings(*, panel: Panel, today: date) -> QuerySet[Meeting]:
    return panel.meetings.filter(status=MeetingStatus.SCHEDULED, date__gte=today)
