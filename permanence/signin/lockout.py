"""django-axes' view of a sign-in: who is trying, as one key however it is typed."""


def username(request, credentials) -> str:
    """Email addresses are one account in any case (User.get_by_natural_key), so
    `Ada@Council.example` and `ada@council.example` must count against one lockout."""
    typed = (credentials or {}).get("username") or request.POST.get("username", "")
    return typed.strip().lower()
