from datetime import datetime

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet

from .models import Notification, User
from .roles import Role
from .services import HEARTBEAT_CACHE_KEY


def system_health() -> dict:
    """What the health check reports: the database, the cache, and the worker's last beat."""
    health = {"database": "ok", "cache": "ok", "worker_last_seen": None}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 - the health check reports any failure
        health["database"] = f"error: {type(error).__name__}"
    try:
        last_seen = cache.get(HEARTBEAT_CACHE_KEY)
        health["worker_last_seen"] = datetime.fromisoformat(last_seen) if last_seen else None
    except Exception as error:  # noqa: BLE001
        health["cache"] = f"error: {type(error).__name__}"
    return health


def users_holding(role) -> QuerySet[User]:
    """Active people who hold the role, by name: the choices wherever a role is picked."""
    return User.objects.filter(groups__name=role, is_active=True).order_by(
        "first_name", "last_name"
    )


def sits_on_a_panel(user) -> bool:
    # Panels live in agendas, a layer above: reached through the user's reverse relations.
    return (
        User.objects.filter(pk=user.pk)
        .filter(
            Q(panels_chaired__isnull=False)
            | Q(panels_deputised__isnull=False)
            | Q(panel_memberships__isnull=False)
        )
        .exists()
    )


def outbox(*, status: str = "") -> QuerySet[Notification]:
    notifications = Notification.objects.select_related("recipient").order_by("-created_at", "-pk")
    return notifications.filter(status=status) if status else notifications


def outbox_counts() -> dict[str, int]:
    counts = Notification.objects.values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in counts}


def people(*, search: str = "", role: str = "", status: str = "active") -> QuerySet[User]:
    """Everyone with an account, for administrators: filtered, with their roles and team."""
    found = User.objects.select_related("team").prefetch_related("groups")
    if status == "active":
        found = found.filter(is_active=True)
    elif status == "deactivated":
        found = found.filter(is_active=False)
    if role:
        found = found.filter(groups__name=role)
    for word in search.split():
        found = found.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return found.order_by("first_name", "last_name", "email").distinct()


def role_labels(user: User) -> list[str]:
    """The user's roles in words, from prefetched groups: no query per person."""
    return sorted(
        Role(group.name).label for group in user.groups.all() if group.name in Role.values
    )
