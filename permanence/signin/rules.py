"""Who must sign in with a second factor, and what a session records about its sign-in."""

from django.utils import timezone

from ..roles import Role

# Administrators reach every child and every account; chairs record decisions; senior
# managers approve them. Their password alone is not enough.
TWO_FACTOR_ROLES = (Role.ADMINISTRATOR, Role.CHAIR, Role.SENIOR_MANAGER)

# What the session holds, as seconds since the epoch.
SIGNED_IN_AT = "signin:signed_in_at"
PASSWORD_AT = "signin:password_at"  # noqa: S105 - a session key
LAST_SEEN = "signin:last_seen"


def two_factor_required(user) -> bool:
    return user.has_any_role(*TWO_FACTOR_ROLES)


def now_seconds() -> int:
    return int(timezone.now().timestamp())


def stamp_sign_in(request) -> None:
    """A new sign-in: the session's clocks start again."""
    now = now_seconds()
    request.session[SIGNED_IN_AT] = now
    request.session[PASSWORD_AT] = now
    request.session[LAST_SEEN] = now
