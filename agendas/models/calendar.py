"""A person's secret calendar link: the feed of their panel meetings and bookings."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q


def signed_in_stamp(user) -> str:
    """What a link keeps of its person's sign-in: a digest of the hash every session of
    theirs carries (the password and the "Sign out everywhere" count). A new password,
    Sign out everywhere, or an administrator's reset of their two-factor sign-in changes
    it, and with it every link made before stops, as their sessions do."""
    return hashlib.sha256(user.get_session_auth_hash().encode()).hexdigest()


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
    signed_in_stamp = models.CharField(max_length=64, editable=False)
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

    @property
    def outlived_its_sign_in(self) -> bool:
        """The person changed their password or signed out everywhere since it was made."""
        return self.signed_in_stamp != signed_in_stamp(self.user)

    @property
    def works(self) -> bool:
        return not self.is_revoked and self.user.is_active and not self.outlived_its_sign_in
