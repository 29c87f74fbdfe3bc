"""Who may change the tracker. Which children a user sees at all is
`tracker.selectors.visible_children`: a child outside it is a 404, never a 403."""

from permanence.permissions import (
    DENIED,
    NOT_ALLOWED,
    NOT_FOUND,
    PAGE,
    administrators_only,
    answers,
)
from permanence.roles import Role


def can_manage_children(user) -> bool:
    """Panel administrators keep the tracker: they add and import children, change every
    field of a child's record, and book a child into panel from the child's page."""
    return user.has_any_role(Role.ADMINISTRATOR)


def can_edit_child(user, child) -> bool:
    """Administrators, and those who answer for the child's casework: their social worker,
    and a team manager of the child's team or named as the child's manager. The caseworkers
    correct placement, reviews and plan (`CaseworkForm`); the rest is the administrators'."""
    if can_manage_children(user):
        return True
    return (user.has_role(Role.SOCIAL_WORKER) and child.social_worker_id == user.pk) or (
        user.has_role(Role.TEAM_MANAGER)
        and (child.team_manager_id == user.pk or (user.team_id and child.team_id == user.team_id))
    )


def can_send_referrals(user) -> bool:
    """Team managers, social workers and Business Intelligence tell the panel administrator
    of children new to care or proceedings, and of changes in the legal process (North
    Somerset 3.2)."""
    return user.has_any_role(Role.TEAM_MANAGER, Role.SOCIAL_WORKER, Role.BUSINESS_INTELLIGENCE)


def can_manage_referrals(user) -> bool:
    """Panel administrators work the referrals queue: they accept a referral onto the
    tracker, or decline it with a reason."""
    return can_manage_children(user)


def can_decide_referral(user, referral) -> bool:
    """Panel administrators accept or decline a referral; its sender only reads it."""
    return can_manage_referrals(user)


def can_keep_records(user) -> bool:
    """Panel administrators see which records are past their disposal date, and place or
    lift a legal hold; the council's records manager disposes of them."""
    return user.has_any_role(Role.ADMINISTRATOR)


def can_see_dashboards(user) -> bool:
    """Those who answer for drift and delay across children: senior managers (the deputy
    director among them), administrators, chairs, and team managers (for their team's
    children, as `visible_children` scopes every figure). A social worker's own caseload is
    the tracker; a panel member reads agendas, not the service's performance."""
    return user.has_any_role(Role.SENIOR_MANAGER, Role.ADMINISTRATOR, Role.CHAIR, Role.TEAM_MANAGER)


def can_see_carers(user) -> bool:
    """Carers' records are read by those who see every child: administrators, chairs, panel
    members and senior managers. A caseworker sees their child's carers on the child's page."""
    return user.sees_all_children


def can_keep_carers(user) -> bool:
    """Panel administrators keep carers' records: who they are, their approval as the
    approving panel gave it, and the children linked to them."""
    return user.has_any_role(Role.ADMINISTRATOR)


_CARERS_READ = answers(
    DENIED, administrator=PAGE, chair=PAGE, panel_member=PAGE, senior_manager=PAGE
)

ACCESS = {
    "tracker:list": answers(PAGE),
    # As the tracker: staff names, of those whose children each may see.
    "tracker:social-workers": answers(PAGE),
    "tracker:child": answers(PAGE, other_social_worker=NOT_FOUND),
    "tracker:child-create": administrators_only(),
    # As the tracker: each sees the children they may see (tracker/views/after_permanence.py).
    "tracker:after-permanence": answers(PAGE),
    "tracker:child-update": answers(
        DENIED,
        administrator=PAGE,
        social_worker=PAGE,
        team_manager=PAGE,
        other_social_worker=NOT_FOUND,
    ),
    "tracker:saved-filter-create": administrators_only(),
    "tracker:saved-filter-delete": answers(NOT_ALLOWED),  # a button
    "tracker:import": administrators_only(),
    "tracker:import-template": administrators_only(),
    "tracker:import-confirm": answers(NOT_ALLOWED),  # a button on a dry run's result
    "tracker:ssda903": administrators_only(),
    "tracker:ssda903-import": answers(NOT_ALLOWED),  # a button
    # The world's job is not a return, so the administrator is told there is no such report;
    # tests/tracker/ssda903/test_pages.py downloads a real one.
    "tracker:ssda903-report": answers(DENIED, administrator=NOT_FOUND),
    "tracker:retention": administrators_only(),
    "tracker:legal-hold": administrators_only(),
    "tracker:dashboard": answers(
        DENIED, administrator=PAGE, chair=PAGE, team_manager=PAGE, senior_manager=PAGE
    ),
    # Timeliness, under /dashboards/ (tracker/views/measures.py): as the board.
    "tracker:timeliness": answers(
        DENIED, administrator=PAGE, chair=PAGE, team_manager=PAGE, senior_manager=PAGE
    ),
    # Referrals (under /referrals/). The matrix's referral was sent by the team manager.
    "referrals:list": administrators_only(),
    "referrals:mine": answers(
        DENIED,
        social_worker=PAGE,
        other_social_worker=PAGE,
        team_manager=PAGE,
        business_intelligence=PAGE,
    ),
    "referrals:new": answers(
        DENIED,
        social_worker=PAGE,
        other_social_worker=PAGE,
        team_manager=PAGE,
        business_intelligence=PAGE,
    ),
    "referrals:detail": answers(NOT_FOUND, administrator=PAGE, team_manager=PAGE),
    "referrals:accept": answers(NOT_FOUND, administrator=PAGE, team_manager=DENIED),
    "referrals:decline": answers(NOT_FOUND, administrator=PAGE, team_manager=DENIED),
    # Carers (under /carers/): read by those who see every child, kept by administrators.
    "carers:list": _CARERS_READ,
    "carers:detail": _CARERS_READ,
    "carers:new": administrators_only(),
    "carers:change": administrators_only(),
    "carers:approval": administrators_only(),
    "carers:link": administrators_only(),
    "carers:unlink": answers(NOT_ALLOWED),  # a button
}
