from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.text import capfirst

from permanence.jobs.selectors import job_working
from permanence.roles import Role
from permanence.selectors import users_holding
from permanence.workdays import Calendar

from . import after_permanence, rules
from .filters import TrackerFilter, named
from .flags import with_flags
from .models import Carer, CarerRole, Child, ChildCarer, Referral, SavedFilter
from .reverse_relations import booking_model, care_order_revocation_model

# The tracker's kinds of background job (tracker/jobs.py).
IMPORT_CHILDREN = "tracker.import_children"
RECOMPUTE_DATES = "tracker.recompute_dates"


def visible_children(user) -> QuerySet[Child]:
    """Every child this user may see. Every query for children starts here.

    Panel administrators, chairs, members and senior managers see every child; a team
    manager sees their team's children and any they manage; a social worker sees their
    own caseload. A user holding several roles sees the union.
    """
    if user.is_authenticated and user.sees_all_children:
        return Child.objects.all()
    return caseload(user)


def caseload(user) -> QuerySet[Child]:
    """The children this user answers for as a caseworker: a social worker's own, and a
    team manager's team's and any they manage. A chair or member sees every child's tracker
    row, but reads a booking's papers only on their own panels or for a child in their
    caseload (`agendas.permissions.papers_scope`), so the caseload is asked apart."""
    children = Child.objects.all()
    if not (user.is_authenticated and user.is_active):
        return children.none()
    scope = Q(pk__in=[])
    if user.has_role(Role.TEAM_MANAGER):
        scope |= Q(team_manager=user)
        if user.team_id:
            scope |= Q(team_id=user.team_id)
    if user.has_role(Role.SOCIAL_WORKER):
        scope |= Q(social_worker=user)
    return children.filter(scope)


def tracker_children(user) -> QuerySet[Child]:
    """The tracker's rows for this user, with what each row shows: `revocation_recommended`
    while panel's recommendation to revoke the care order is neither made nor withdrawn."""
    open_revocations = care_order_revocation_model().objects.filter(
        child=OuterRef("pk"), outcome=""
    )
    return (
        visible_children(user)
        .select_related("team", "social_worker", "panel")
        .annotate(revocation_recommended=Exists(open_revocations))
    )


# How many people the tracker's social worker box offers as the name is typed.
SOCIAL_WORKERS_OFFERED = 10


def social_workers_named(user, text: str):
    """The social workers whose name holds every word of the text, for the tracker's
    filter: anyone, for those who see every child; otherwise those of the children the
    user may see. The first few by name, with their team."""
    workers = users_holding(Role.SOCIAL_WORKER).filter(named(text)).select_related("team")
    if not (user.is_authenticated and user.sees_all_children):
        workers = workers.filter(pk__in=caseload(user).values("social_worker"))
    return workers[:SOCIAL_WORKERS_OFFERED]


def with_last_decided(children: QuerySet[Child]) -> QuerySet[Child]:
    """Each child with `last_decided`: the latest meeting at which panel discussed them."""
    decided = (
        booking_model()
        .objects.discussed_at_panel()
        .filter(child=OuterRef("pk"))
        .order_by("-meeting__date")
    )
    return children.annotate(last_decided=Subquery(decided.values("meeting__date")[:1]))


def visible_child(user, *, pk: int) -> Child:
    """One child this user may see; 404 otherwise, so another team's child is not revealed."""
    return get_object_or_404(visible_children(user), pk=pk)


def child_for_page(user, *, pk: int, as_of: date) -> Child:
    """One child this user may see, with everything the child page shows; 404 otherwise."""
    children = with_flags(
        visible_children(user).select_related(
            "team", "social_worker", "team_manager", "panel", "panel_review_set_by"
        ),
        as_of,
    )
    return get_object_or_404(children, pk=pk)


def child_bookings(child: Child, user):
    """The child's bookings that stand, booked or waiting, newest first, for their page: those
    whose papers the user may read (a chair sees another panel's child, not its bookings)."""
    return (
        child.bookings.visible_to(user)
        .exclude(status=booking_model().Status.CANCELLED)
        .select_related("panel", "meeting", "slot", "request_type")
        .order_by("-created_at")
    )


def child_decisions(child: Child, user):
    """The child's bookings that panel decided on, latest meeting first, with the decision
    (minutes' `decision`, reached from the booking) and its minutes; those the user may read."""
    return (
        child.bookings.visible_to(user)
        .filter(decision__isnull=False)
        .select_related("decision__outcome", "meeting__minutes", "meeting__panel", "panel")
        .order_by("-meeting__date", "-pk")
    )


def siblings_of(user, child: Child) -> QuerySet[Child]:
    if not child.sibling_group:
        return Child.objects.none()
    return visible_children(user).filter(sibling_group=child.sibling_group).exclude(pk=child.pk)


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: object
    new: object


@dataclass(frozen=True)
class ChildChange:
    when: datetime
    who: object
    changes: list[FieldChange]


def child_history(child: Child, *, limit: int = 20) -> list[ChildChange]:
    """The latest changes to a child's record, newest first: who, when, old and new."""
    records = list(child.history.select_related("history_user")[: limit + 1])
    entries = []
    for index, newer in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = [
            FieldChange(capfirst(Child._meta.get_field(c.field).verbose_name), c.old, c.new)
            for c in (newer.diff_against(older).changes if older else [])
        ]
        if older is None or changes:
            entries.append(ChildChange(newer.history_date, newer.history_user, changes))
    return entries


# Referrals (intake) -----------------------------------------------------------------------


def visible_referrals(user) -> QuerySet[Referral]:
    """Administrators see every referral; anyone else only those they sent, so a referral
    about another team's child stays with whoever sent it."""
    referrals = Referral.objects.select_related("child", "team", "sent_by", "decided_by")
    if not (user.is_authenticated and user.is_active):
        return referrals.none()
    if user.has_any_role(Role.ADMINISTRATOR):
        return referrals
    return referrals.filter(sent_by=user)


def visible_referral(user, *, pk: int) -> Referral:
    return get_object_or_404(visible_referrals(user), pk=pk)


def referrals_sent_by(user) -> QuerySet[Referral]:
    """What the person has sent, newest first, for their "My referrals"."""
    return visible_referrals(user).filter(sent_by=user).order_by("-sent_at", "-pk")


def with_deadlines(referrals, working_days: Calendar) -> list[Referral]:
    """Each referral with `due` (3 working days from sending) and `days_late` (working days
    past the 3 allowed between what happened and sending it), from one calendar."""
    referrals = list(referrals)
    for referral in referrals:
        referral.due = rules.referral_due(referral.sent_on, working_days)
        referral.days_late = rules.referral_working_days_late(
            referral.happened_on, referral.sent_on, working_days
        )
    return referrals


# Saved tracker filters --------------------------------------------------------------------


def saved_filters() -> QuerySet[SavedFilter]:
    """Every saved filter, by name. They are shared: anyone who reads the tracker may apply
    one, and it shows them only the children they may see."""
    return SavedFilter.objects.order_by(Lower("name"), "pk")


def saved_filter(pk: int) -> SavedFilter:
    return get_object_or_404(SavedFilter, pk=pk)


def matching_saved_filter(
    saved: SavedFilter, children: QuerySet[Child], *, as_of: date
) -> QuerySet[Child]:
    """Those of `children` the saved filter finds, its flags judged as of `as_of`."""
    data = QueryDict(saved.query, mutable=True)
    data["as_of"] = as_of.isoformat()
    filterset = TrackerFilter(data, queryset=children)
    if not filterset.is_valid():
        # A team, panel or social worker it names has gone since it was saved.
        problems = [message for messages in filterset.errors.values() for message in messages]
        raise ValidationError(
            f"The saved filter “{saved.name}” no longer works ({' '.join(problems)}). "
            "Remove it, and save the filter again from the tracker."
        )
    return filterset.qs


def records_past_disposal(as_of: date) -> QuerySet[Child]:
    """Records whose disposal date has come, oldest first: those on legal hold are listed
    too, marked, so the records manager sees why they stay."""
    return (
        Child.objects.filter(disposal_date__lte=as_of)
        .select_related("legal_hold_by")
        .order_by("disposal_date", "case_number")
    )


def dates_being_recomputed():
    """The recompute of every child's dates still waiting or running (tracker/jobs.py), if
    any: until it finishes, flags and deadlines may be out of date."""
    return job_working(RECOMPUTE_DATES)


# Carers (issue 16) -----------------------------------------------------------------------------


def visible_carers(user) -> QuerySet[Carer]:
    """Carers' records are read by those who see every child (administrators, chairs, panel
    members, senior managers); a caseworker sees a child's carers on the child's page."""
    if user.is_authenticated and user.sees_all_children:
        return Carer.objects.all()
    return Carer.objects.none()


def visible_carer(user, *, pk: int) -> Carer:
    return get_object_or_404(visible_carers(user), pk=pk)


def carer_children(carer: Carer, user) -> QuerySet[ChildCarer]:
    """The children a carer cares for or is proposed for, those the user may see."""
    return (
        carer.child_links.filter(child__in=visible_children(user))
        .select_related("child")
        .order_by("role", "child__last_name", "child__first_name")
    )


def carer_decisions(carer: Carer, user):
    """Panel's decisions about the children the carer cares for or is proposed for, newest
    first: Somerset's decisions "on the carers' file where relevant"."""
    return (
        booking_model()
        .objects.filter(
            child__carer_links__carer=carer,
            child__in=visible_children(user),
            decision__isnull=False,
        )
        .select_related("decision__outcome", "meeting", "panel", "child", "request_type")
        .order_by("-meeting__date", "-pk")
    )


def child_carers(child: Child) -> QuerySet[ChildCarer]:
    """The child's current and proposed carers, for the child's page."""
    return child.carer_links.select_related("carer").order_by("role", "carer__name")


def carers_to_match(child: Child) -> list[Carer]:
    """The carers a match for the child would be with: the proposed carers, or when none is
    proposed, the carers the child lives with (a long-term match with their foster carers)."""
    links = list(child_carers(child))
    proposed = [link.carer for link in links if link.role == CarerRole.PROPOSED]
    return proposed or [link.carer for link in links if link.role == CarerRole.CURRENT]


def after_permanence_children(user, as_of: date) -> QuerySet[Child]:
    """The children this user may see whose permanence is secured and whose life-story book
    or later-life letter is still to do (tracker.after_permanence), in one query."""
    return after_permanence.after_permanence(
        visible_children(user).select_related("panel", "social_worker"), as_of
    )
