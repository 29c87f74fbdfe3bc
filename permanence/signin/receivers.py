from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import selectors
from .middleware import HAS_DEVICE
from .rules import stamp_sign_in


@receiver(user_logged_in, dispatch_uid="permanence.signin.session_starts")
def session_starts(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    stamp_sign_in(request)
    request.session[HAS_DEVICE] = selectors.has_two_factor(user)
