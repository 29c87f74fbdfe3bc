from datetime import datetime

from django.core.cache import cache
from django.db import connection
from django.db.models import Q, QuerySet

from .models import Notification, NotificationStatus, User
from .pages import count_up_to
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


def outbox(*, status: str = "", since: datetime | None = None) -> QuerySet[Notification]:
    """The emails written since a time (all of them without one), with one status or any,
    newest first: page them with `pages.newest_first`, which reads them from the index."""
    # A list shows neither the email nor its attachments, each up to tens of kilobytes.
    notifications = Notification.objects.defer(
        "body_text", "body_html", "attachments", "last_error"
    ).order_by("-created_at", "-pk")
    if since is not None:
        notifications = notifications.filter(created_at__gte=since)
    return notifications.filter(status=status) if status else notifications


def outbox_counts(*, since: datetime | None = None) -> dict[str, int]:
    """How many emails wait to send and how many failed, of those written since a time:
    the ones that need someone, each counted from their own small index, and only as far
    as `pages.count_up_to` goes. Sent emails, nearly all of them, are not counted."""
    unsent = Notification.objects.exclude(status=NotificationStatus.SENT)
    if since is not None:
        unsent = unsent.filter(created_at__gte=since)
    return {
        status: count_up_to(unsent.filter(status=status))
        for status in (NotificationStatus.PENDING, NotificationStatus.FAILED)
    }


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
