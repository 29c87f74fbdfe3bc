from datetime import datetime

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, QuerySet

from .models import Notification, User
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


def outbox(*, status: str = "") -> QuerySet[Notification]:
    notifications = Notification.objects.select_related("recipient").order_by("-created_at", "-pk")
    return notifications.filter(status=status) if status else notifications


def outbox_counts() -> dict[str, int]:
    counts = Notification.objects.values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in counts}
