"""Tracking lists: which of a panel's children a rule, or a saved tracker filter, finds for a
meeting's tracking section, why, and whether they are already on the agenda or heard."""

from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField as BooleanOutput
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils.formats import date_format

from tracker.codes import Plan
from tracker.models import Child, SavedFilter
from tracker.selectors import matching_saved_filter, saved_filters

from ..models import AgendaSection, Booking, BookingStatus, Meeting, OutcomeEffect


@dataclass(frozen=True)
class ListRule:
    label: str
    hint: str
    finds: object  # (meeting) -> Q


def _due(meeting: Meeting) -> Q:
    return Q(next_panel_due__lte=meeting.date)


def _adoption(meeting: Meeting) -> Q:
    return (
        Q(placement_order_date__isnull=False)
        | Q(primary_plan=Plan.ADOPTION)
        | Q(contingency_plan=Plan.ADOPTION)
    )


def _second_review(meeting: Meeting) -> Q:
    return Q(second_review_date__isnull=False, second_review_date__lte=meeting.date)


LIST_RULES = {
    "due": ListRule(
        "Due or overdue at panel by the meeting date",
        "Every child whose next panel date falls on or before the meeting (North Somerset).",
        _due,
    ),
    "adoption": ListRule(
        "A placement order, or adoption as the plan or the contingency",
        "Every child on the adoption tracker or subject to a placement order (Knowsley Part 1).",
        _adoption,
    ),
    "second_review": ListRule(
        "Past their second looked-after review",
        "Every permanence plan from the child's second CLA review (Somerset).",
        _second_review,
    ),
    "all": ListRule(
        "Every child the panel tracks",
        "Every child on this panel's tracker whose permanence is not yet secured.",
        lambda meeting: Q(),
    ),
}


# A saved tracker filter as a list's rule: "saved-<pk>", beside the built-in rules' keys.
SAVED = "saved-"


def saved_rule(saved: SavedFilter) -> str:
    return f"{SAVED}{saved.pk}"


def saved_filter_of(rule: str) -> SavedFilter | None:
    """The saved tracker filter a rule names, or None: a built-in rule, or one since removed."""
    pk = rule.removeprefix(SAVED) if rule.startswith(SAVED) else ""
    return saved_filters().filter(pk=pk).first() if pk.isdigit() else None


@dataclass(frozen=True)
class Candidate:
    child: Child
    reason: str
    on_this_list: bool
    on_this_agenda: bool
    booked_for: date | None
    not_discussed_last_time: bool


def tracking_sections(meeting: Meeting) -> QuerySet[AgendaSection]:
    return meeting.panel.sections.filter(tracking=True).order_by("order")


def _tracked_by(meeting: Meeting) -> QuerySet[Child]:
    return Child.objects.filter(panel=meeting.panel_id, permanence_secured_date__isnull=True)


def _candidates_query(meeting: Meeting, section: AgendaSection, found: QuerySet) -> QuerySet:
    booked = Booking.objects.filter(child=OuterRef("pk"), status=BookingStatus.BOOKED)
    last_decided = (
        Booking.objects.filter(child=OuterRef("pk"), decision__isnull=False)
        .filter(meeting__date__lt=meeting.date)
        .order_by("-meeting__date", "-pk")
        .values("decision__outcome__effect")[:1]
    )
    return (
        found.annotate(
            on_this_list=Exists(booked.filter(meeting=meeting, section=section)),
            on_this_agenda=Exists(booked.filter(meeting=meeting)),
            booked_for=Subquery(
                booked.exclude(meeting=meeting)
                .filter(meeting__date__gte=meeting.date)
                .order_by("meeting__date")
                .values("meeting__date")[:1]
            ),
            last_effect=Subquery(last_decided),
        )
        .annotate(
            not_discussed_last_time=Case(
                When(last_effect=OutcomeEffect.NOT_DISCUSSED, then=Value(True)),
                default=Value(False),
                output_field=BooleanOutput(),
            ),
        )
        .select_related("team", "social_worker", "team_manager")
        # Not discussed last time comes first (issue 13), then the longest overdue.
        .order_by(
            F("not_discussed_last_time").desc(),
            F("next_panel_due").asc(nulls_last=True),
            "last_name",
            "first_name",
            "pk",
        )
    )


def _reason(child: Child, key: str, meeting: Meeting) -> str:
    if key == "due" and child.next_panel_due:
        if child.next_panel_due < meeting.date:
            return f"Overdue at panel since {date_format(child.next_panel_due)}"
        return f"Due at panel by {date_format(child.next_panel_due)}"
    if key == "adoption":
        if child.placement_order_date:
            return f"Placement order made {date_format(child.placement_order_date)}"
        if child.primary_plan == Plan.ADOPTION:
            return "Plan: adoption"
        return "Contingency plan: adoption"
    if key == "second_review" and child.second_review_date:
        return f"Second review held {date_format(child.second_review_date)}"
    return "Tracked by this panel"


def tracking_candidates(*, meeting: Meeting, section: AgendaSection, rule: str) -> list[Candidate]:
    """Who the rule finds for the meeting, in the order they would be added. `rule` is a key
    of LIST_RULES, or a saved tracker filter's (`saved_rule`): that filter applied to the
    panel's tracked children, its flags judged as of the meeting date. A saved filter that
    no longer works is a ValidationError, in words."""
    saved = saved_filter_of(rule)
    if saved is not None:
        found = matching_saved_filter(saved, _tracked_by(meeting), as_of=meeting.date)
    else:
        found = _tracked_by(meeting).filter(LIST_RULES[rule].finds(meeting))
    return [
        Candidate(
            child=child,
            reason=(
                f"Matches the saved filter “{saved.name}”"
                if saved is not None
                else _reason(child, rule, meeting)
            ),
            on_this_list=child.on_this_list,
            on_this_agenda=child.on_this_agenda,
            booked_for=child.booked_for,
            not_discussed_last_time=child.not_discussed_last_time,
        )
        for child in _candidates_query(meeting, section, found)
    ]
