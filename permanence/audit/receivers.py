"""Entries the pages do not write themselves: signing in and out, and changes.

Sign-ins come from Django's auth signals, so every way in (the sign-in page, the admin,
single sign-on) is recorded the same way. A failed sign-in keeps the address typed, never
the password.

Changes to a decision or the minutes are recorded when the model is saved, whoever saves it:
the services change a decision in many places (record, amend, approve, record on file) and
the admin writes through them too, so a `post_save` receiver cannot be left out by a new
service, where a call in each service could. The models are named in the setting
`AUDIT_CHANGES_OF` (with the path to the child), so this layer imports none of them.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from ..models import AuditAction
from . import subject_of
from .services import audit_entry_record


@receiver(user_logged_in, dispatch_uid="audit_signed_in")
def signed_in(sender, request, user, **kwargs):
    audit_entry_record(action=AuditAction.SIGNED_IN, user=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_signed_out")
def signed_out(sender, request, user, **kwargs):
    audit_entry_record(action=AuditAction.SIGNED_OUT, user=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; only the address is kept.
    typed = credentials.get("username") or credentials.get("email") or ""
    audit_entry_record(action=AuditAction.SIGN_IN_FAILED, username=str(typed), request=request)


def changed(sender, instance, created, **kwargs):
    if kwargs.get("raw"):  # loading a fixture is no one's change
        return
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(instance, "_history_user", None) or getattr(request, "user", None)
    subject = subject_of(
        sender._meta.label, instance.pk, settings.AUDIT_CHANGES_OF[sender._meta.label]
    )
    audit_entry_record(
        action=AuditAction.CHANGED,
        user=user,
        request=request,
        object_type=subject.object_type,
        object_id=subject.object_id,
        label=subject.label,
        case_number=subject.case_number,
    )


def connect_changes() -> None:
    for label in settings.AUDIT_CHANGES_OF:
        post_save.connect(changed, sender=label, weak=False, dispatch_uid=f"audit_{label}")
