"""A person's secret calendar link: the feed of their panel meetings and bookings."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q


def token_hash(token: str) -> str:
    """What is stored of a link's token: its SHA-256. The token is 256 random bits, so a
    fast hash is enough (nothing to guess from), and the database never holds a working
    link: a copy of it, or a timing of the lookup, gives away the hash, not the token."""
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """One calendar link of one person. A new link revokes the one before: a revoked link
    is kept, so that a calendar app still asking for it is told it is gone (410)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_feed_one_live_link_a_person",
                violation_error_message="You already have a calendar link.",
            ),
        ]

    def __str__(self):
        return f"Calendar link {self.pk}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
