from django.db.models import Q, QuerySet

from permanence.roles import Role

from .models import Child


def visible_children(user) -> QuerySet[Child]:
    """Every child this user may see. Every query for children starts here.

    Panel administrators, chairs, members and senior managers see every child; a team
    manager sees their team's children and any they manage; a social worker sees their
    own caseload. A user holding several roles sees the union.
    """
    children = Child.objects.all()
    if not (user.is_authenticated and user.is_active):
        return children.none()
    if user.sees_all_children:
        return children
    scope = Q(pk__in=[])
    if user.has_role(Role.TEAM_MANAGER):
        scope |= Q(team_manager=user)
        if user.team_id:
            scope |= Q(team_id=user.team_id)
    if user.has_role(Role.SOCIAL_WORKER):
        scope |= Q(social_worker=user)
    return children.filter(scope)
