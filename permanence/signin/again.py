"""Asking for the password again before a download of a whole caseload.

Exporting the whole tracker or downloading a whole agenda pack puts many children's records
on a device in one go, so a session left open on someone's desk should not do it: when the
last time the person typed their password is older than SIGN_IN_AGAIN_MINUTES, they are
sent to type it again, and then back to what they asked for.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from .rules import PASSWORD_AT, now_seconds


def password_is_recent(request) -> bool:
    typed = request.session.get(PASSWORD_AT)
    return typed is not None and now_seconds() - typed <= settings.SIGN_IN_AGAIN_MINUTES * 60


def sign_in_again(request):
    """The redirect to the "Confirm your password" page, or None when the password was
    typed recently enough. A view calls it once it knows the person may have the file, so
    that someone who may not is refused at once rather than asked for their password:

        if again := sign_in_again(request):
            return again
    """
    if password_is_recent(request):
        return None
    return redirect_to_login(request.get_full_path(), reverse("sign-in-again"))
