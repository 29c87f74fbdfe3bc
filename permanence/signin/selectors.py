"""What the sign-in pages read."""

from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


def has_two_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def authenticator(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def sign_in_failures(user) -> dict:
    """Failed sign-ins with the person's email address within the lockout's cool-off, from
    any IP address, and whether one address has reached the limit: what an
    administrator's "Unlock" clears."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    found = AccessAttempt.objects.filter(
        username=user.email.lower(), attempt_time__gte=since
    ).aggregate(failures=Sum("failures_since_start"), most=Max("failures_since_start"))
    return {
        "failures": found["failures"] or 0,
        "locked_out": (found["most"] or 0) >= get_failure_limit(None, {}),
    }
