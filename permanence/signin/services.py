"""Every change to how a person signs in."""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, When
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import outbox
from ..models import Notification, User
from ..services import set_password_path

AUTHENTICATOR = "Authenticator app"
RECOVERY_CODES = "Recovery codes"


@transaction.atomic
def sign_in_unlock(*, user: User) -> int:
    """An administrator lets a locked-out person try again at once, from any IP address.
    Returns how many failed sign-ins were cleared."""
    return axes_reset(username=user.email.lower())


@transaction.atomic
def two_factor_confirm(*, user: User, secret: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """The person's authenticator app shows `code` for `secret`: it becomes their device,
    in place of any earlier one, and they get new recovery codes, returned to be shown
    once. A wrong code keeps what they had."""
    device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, key=secret, confirmed=False)
    if not device.verify_token(code.strip().replace(" ", "")):
        raise ValidationError(
            {
                "code": "That code does not match. Enter the 6-digit code your app shows now "
                "for this service."
            }
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes, each good once; the old ones stop working."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError("Set up an authenticator app first: recovery codes stand in for it.")
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_CODES, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_check(*, user: User, code: str):
    """The device that accepts the code (the app's 6 digits, or a recovery code, which is
    then used up), or None. Not one transaction and no ValidationError: a wrong code must
    leave its mark, as django-otp slows down each further try."""
    code = code.strip().replace(" ", "").lower()
    if code.isdigit():
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    for device in devices:
        if device.verify_token(code):
            return device
    return None


@transaction.atomic
def two_factor_reset(*, user: User, by: User) -> None:
    """A person who has lost their phone and their recovery codes: their app and codes go,
    and every session they have ends, so the next sign-in asks them to set it up again
    (if their role needs it) before anything else."""
    if user.pk == by.pk:
        raise ValidationError(
            "You can't reset your own two-factor sign-in. Move it to a new phone from your "
            "account, or ask another administrator."
        )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    sessions_end_everywhere(user=user)


@transaction.atomic
def password_change(*, user: User, password: str) -> User:
    """A new password. Every session signed in with the old one ends; the view keeps the
    one the person is using."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"new_password1": error.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def sessions_end_everywhere(*, user: User) -> None:
    """Every session of the person ends at its next request (see User's session hash)."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])


@transaction.atomic
def password_reset_request(*, email: str) -> None:
    """Email a link to set a new password, through the outbox, to the active account with
    this address.

    Whether there is one must not show, in the answer or in its time. So both paths do the
    same work: one query, the email rendered with a fresh token, one row written to the
    outbox and one message to the worker. With no account for the address, the query
    brings another active person as a stand-in, and their email is written in a savepoint
    that is rolled back: it is never kept or sent, and the worker, told of a row that is
    not there, skips it (`outbox.notification_send`)."""
    email = email.strip()
    candidate = (
        User.objects.filter(is_active=True)
        .order_by(Case(When(email__iexact=email, then=0), default=1), "pk")
        .first()
    )
    if candidate is None:
        return  # no accounts at all: nothing to find out
    found = candidate.email.lower() == email.lower()
    with transaction.atomic():
        notification = _password_reset_notify(candidate)
        if not found:
            transaction.set_rollback(True)
    if not found:
        transaction.on_commit(lambda: outbox.enqueue(notification.pk))


def _password_reset_notify(recipient: User) -> Notification:
    kind = Notification.PASSWORD_RESET
    return outbox.notify(
        kind=kind,
        about=outbox.next_change(kind=kind, about=f"user:{recipient.pk}"),
        recipient=recipient,
        subject=f"Reset your password for the {settings.COUNCIL_NAME} permanence panel",
        template=f"emails/{kind}",
        context={
            "set_password_path": set_password_path(recipient),
        },
    )
