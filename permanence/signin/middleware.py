"""The two rules every request passes: a session's time limits, and the second factor."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from ..oidc import SIGNED_IN_WITH, SIGNED_IN_WITH_COUNCIL_ACCOUNT
from . import selectors
from .rules import LAST_SEEN, SIGNED_IN_AT, now_seconds, stamp_sign_in, two_factor_required

# The session records that its person has a two-factor device, when they sign in or set one
# up, so that people without one cost no query per request.
HAS_DEVICE = "signin:has_device"


class SessionLimitsMiddleware:
    """A session ends SESSION_IDLE_MINUTES after its last request, and SESSION_MAX_HOURS
    after signing in however busy it is. Django's own expiry cannot do both: it moves with
    every save. Each request records its time, so the session is saved on every request
    (one UPDATE): a saving that skipped some requests would make the idle limit depend on
    which ones."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    def check(self, request):
        session = request.session
        now = now_seconds()
        signed_in = session.get(SIGNED_IN_AT)
        if signed_in is None:
            stamp_sign_in(request)
            return
        if now - signed_in > settings.SESSION_MAX_HOURS * 60 * 60:
            why = f"You have been signed out: a sign-in lasts {settings.SESSION_MAX_HOURS} hours."
        elif now - session.get(LAST_SEEN, signed_in) > settings.SESSION_IDLE_MINUTES * 60:
            why = (
                "You have been signed out because you did nothing for "
                f"{settings.SESSION_IDLE_MINUTES} minutes."
            )
        else:
            session[LAST_SEEN] = now
            return
        logout(request)
        messages.info(request, why)


class TwoFactorRequiredMiddleware:
    """Someone who signed in with a password and owes a code reaches nothing else: the code
    page when they have a device; when their role needs one and they have none, the page to
    set one up. Pages open without signing in stay open. Signing in with the council's
    account (single sign-on) is left alone: the council's Entra ID asks for its own second
    factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if not getattr(view_func, "login_required", True):
            return None
        if request.session.get(SIGNED_IN_WITH) == SIGNED_IN_WITH_COUNCIL_ACCOUNT:
            return None
        if two_factor_required(user):
            has_device = selectors.has_two_factor(user)
        else:
            has_device = request.session.get(HAS_DEVICE, False)
            if not has_device:
                return None
        step = "two-factor-verify" if has_device else "two-factor-setup"
        if request.resolver_match.url_name in (step, "logout"):
            return None
        return redirect_to_login(request.get_full_path(), reverse(step))
