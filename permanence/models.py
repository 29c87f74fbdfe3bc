from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .jobs.models import Job, JobFile, JobState  # noqa: F401 - models of this app
from .roles import ROLES_SEEING_ALL_CHILDREN, Role
from .validators import validate_service_date


class Team(models.Model):
    """A social work team; team managers see their team's children."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractUser):
    """A council officer; signs in with their work email address."""

    username = None
    email = models.EmailField("email address", unique=True)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    job_title = models.CharField(max_length=150, blank=True)
    # Raised by "Sign out everywhere": it is part of the hash Django keeps in each session
    # and checks on every request, so raising it ends every session the person has.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["first_name", "last_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def _get_session_auth_hash(self, secret=None):
        # Django's hash covers the password, so a new password ends the other sessions;
        # the generation adds "Sign out everywhere" without a table of session keys.
        return salted_hmac(
            "permanence.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def roles(self) -> frozenset[Role]:
        """The roles this user holds, read once per request."""
        if not hasattr(self, "_roles"):
            names = self.groups.values_list("name", flat=True)
            self._roles = frozenset(Role(name) for name in names if name in Role.values)
        return self._roles

    def has_role(self, role: Role) -> bool:
        return self.is_active and role in self.roles

    def has_any_role(self, *roles: Role) -> bool:
        return self.is_active and (self.is_superuser or bool(self.roles & set(roles)))

    @property
    def sees_all_children(self) -> bool:
        return self.is_active and (
            self.is_superuser or bool(self.roles & ROLES_SEEING_ALL_CHILDREN)
        )


class ClosureDay(models.Model):
    """A day the council is closed beyond the bank holidays, e.g. the Christmas closure."""

    date = models.DateField(unique=True, validators=[validate_service_date])
    description = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.description}"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Notification(models.Model):
    """One email in the outbox.

    Its key (what kind of notice, about what, to whom, for which due date) is unique, so a
    notice is written once however often the scan or a retry asks for it, and sent once.
    """

    ACCOUNT_CREATED = "account_created"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a kind of email, not a password
    # Emails carrying a link that acts for the person (setting their password): the outbox
    # page never shows them, or any administrator could use the link.
    PRIVATE_KINDS = frozenset({ACCOUNT_CREATED, PASSWORD_RESET})

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40)
    about = models.CharField(max_length=60, help_text="What it is about, e.g. booking:12")
    recipient = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=7, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Text files sent with the email (a meeting's .ics invitation), written with the row
    # so they are sent once with it: [{"filename", "content_type", "parameters", "content"}].
    attachments = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=~models.Q(status="sent"),
                name="notification_unsent",
            ),
            models.Index(fields=["about", "kind"], name="notification_about"),
            # The outbox page, newest first, a page at a time (and the purge, oldest first),
            # read from the index rather than by sorting every email.
            models.Index(fields=["-created_at", "-id"], name="notification_newest"),
            # The few emails waiting or failed: their counts and their pages, however many
            # were sent.
            models.Index(
                fields=["status", "-created_at", "-id"],
                condition=~models.Q(status="sent"),
                name="notification_unsent_status",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="notification_sent_when",
            ),
        ]

    def __str__(self):
        return f"{self.subject} to {self.to}"

    @property
    def body_is_private(self) -> bool:
        return self.kind in self.PRIVATE_KINDS


class AuditAction(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    DOWNLOADED = "downloaded", "Downloaded"
    EXPORTED = "exported", "Exported"
    CHANGED = "changed", "Changed"
    SIGNED_IN = "signed-in", "Signed in"
    SIGNED_OUT = "signed-out", "Signed out"
    SIGN_IN_FAILED = "sign-in-failed", "Sign-in failed"
    REFUSED = "refused", "Refused"


class AppendOnly(RuntimeError):
    """Raised when anything tries to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("The audit is append-only: its entries are never changed.")

    def delete(self):
        raise AppendOnly("The audit is append-only: its entries are never deleted.")


class AuditEntry(models.Model):
    """Who saw or did what, when, from where: one row for each look at a child's record,
    each download, each change to a decision or the minutes, each sign-in and each refusal.

    Append-only. The label never names the child (initials and case number at most); the
    path is kept without its query string, which may hold a search for a name. On
    PostgreSQL a trigger (migration 0006) refuses UPDATE, DELETE and TRUNCATE as well.
    """

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The address signed in with, as typed for a failed sign-in (never the password).
    username = models.CharField(max_length=254, blank=True)
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    label = models.CharField(max_length=200, blank=True)
    case_number = models.CharField(max_length=30, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"
        # A child's latest entries (their page, the search by case number) and a person's.
        indexes = [
            models.Index(fields=["case_number", "-at"], name="audit_by_child"),
            models.Index(fields=["user", "-at"], name="audit_by_user"),
            # The audit page, newest first a page at a time, and its dates; and its search
            # by what was done, where a rare action (a refusal) is far between the looks.
            models.Index(fields=["-at", "-id"], name="audit_newest"),
            models.Index(fields=["action", "-at", "-id"], name="audit_by_action"),
        ]

    def __str__(self):
        return f"{self.username or 'someone'} {self.get_action_display().lower()} {self.label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("The audit is append-only: its entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("The audit is append-only: its entries are never deleted.")
