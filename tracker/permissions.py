"""Who may change the tracker. Which children a user sees at all is
`tracker.selectors.visible_children`: a child outside it is a 404, never a 403."""

from permanence.permissions import DENIED, NOT_FOUND, PAGE, administrators_only, answers
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


ACCESS = {
    "tracker:list": answers(PAGE),
    "tracker:child": answers(PAGE, other_social_worker=NOT_FOUND),
    "tracker:child-create": administrators_only(),
    "tracker:child-update": answers(
        DENIED,
        administrator=PAGE,
        social_worker=PAGE,
        team_manager=PAGE,
        other_social_worker=NOT_FOUND,
    ),
    "tracker:import": administrators_only(),
    "tracker:import-template": administrators_only(),
}
