"""django-axes' view of a sign-in: who is trying, as one key however it is typed."""

from axes.models import AccessAttempt

USERNAME_LIMIT = AccessAttempt._meta.get_field("username").max_length


def username(request, credentials) -> str:
    """Email addresses are one account in any case (User.get_by_natural_key), so
    `Ada@Council.example` and `ada@council.example` must count against one lockout."""
    typed = (credentials or {}).get("username") or request.POST.get("username", "")
    # Cut to what django-axes' column holds: no account's address is longer (254).
    return typed.strip().lower()[:USERNAME_LIMIT]
