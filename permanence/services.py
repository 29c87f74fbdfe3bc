from datetime import date

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_encode

from . import outbox
from .models import ClosureDay, Notification, Team, User
from .roles import Role
from .signals import user_deactivated
from .workdays import bank_holiday_name

HEARTBEAT_CACHE_KEY = "permanence:worker-heartbeat"
ACCOUNT_CREATED = Notification.ACCOUNT_CREATED


def heartbeat_record() -> None:
    cache.set(HEARTBEAT_CACHE_KEY, timezone.now().isoformat(), timeout=None)


@transaction.atomic
def closure_day_create(*, date: date, description: str) -> ClosureDay:
    if date.weekday() >= 5:
        raise ValidationError({"date": f"{date_format(date)} is a weekend day already."})
    holiday = bank_holiday_name(date)
    if holiday:
        raise ValidationError(
            {"date": f"{date_format(date)} is already a bank holiday ({holiday})."}
        )
    if ClosureDay.objects.filter(date=date).exists():
        raise ValidationError({"date": f"{date_format(date)} is already a closure day."})
    return ClosureDay.objects.create(date=date, description=description.strip())


@transaction.atomic
def closure_day_delete(*, closure_day: ClosureDay) -> None:
    closure_day.delete()


def _roles_set(user: User, roles) -> None:
    user.groups.set(Group.objects.filter(name__in=[str(role) for role in roles]))
    user.__dict__.pop("_roles", None)


def _email_free(email: str, *, but=None) -> str:
    email = User.objects.normalize_email(email.strip()).lower()
    others = User.objects.filter(email__iexact=email)
    if but is not None:
        others = others.exclude(pk=but.pk)
    if others.exists():
        raise ValidationError({"email": f"There is already an account for {email}."})
    return email


def _team(team, new_team: str):
    """The team picked from the list, or a new one named by the administrator."""
    new_team = new_team.strip()
    if not new_team:
        return team
    return Team.objects.filter(name__iexact=new_team).first() or team_create(name=new_team)


def _team_name_free(name: str, *, but=None) -> str:
    name = name.strip()
    others = Team.objects.filter(name__iexact=name)
    if but is not None:
        others = others.exclude(pk=but.pk)
    if others.exists():
        raise ValidationError({"name": f"There is already a team called {name}."})
    return name


@transaction.atomic
def team_create(*, name: str) -> Team:
    return Team.objects.create(name=_team_name_free(name))


@transaction.atomic
def team_rename(*, team: Team, name: str) -> Team:
    team.name = _team_name_free(name, but=team)
    team.save(update_fields=["name"])
    return team


@transaction.atomic
def team_delete(*, team: Team) -> None:
    """Only an empty team goes: whoever is in it keeps it until they move."""
    try:
        team.delete()
    except ProtectedError:
        raise ValidationError(
            f"{team.name} still has people or children in it. Move them to another team first."
        ) from None


def _other_active_administrators(user: User):
    return User.objects.filter(groups__name=Role.ADMINISTRATOR, is_active=True).exclude(pk=user.pk)


@transaction.atomic
def user_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    roles=(),
    team=None,
    job_title: str = "",
    new_team: str = "",
    password: str | None = None,
):
    """Add a person. Without a password they are emailed a link to set their own."""
    email = _email_free(email)
    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        team=_team(team, new_team),
        job_title=job_title.strip(),
    )
    _roles_set(user, roles)
    if password is None:
        _invitation_send(user)
    return user


def set_password_path(user: User) -> str:
    """The link to choose a password: Django's password reset token, which stops working
    once the password is set. The invitation and the password reset both send it."""
    return reverse(
        "password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )


def _invitation_send(user: User) -> None:
    # Django's password reset token: it stops working once the password is set.
    outbox.notify(
        kind=ACCOUNT_CREATED,
        about=f"user:{user.pk}",
        recipient=user,
        subject=f"Your account for the {settings.COUNCIL_NAME} permanence panel",
        template=f"emails/{ACCOUNT_CREATED}",
        context={
            "set_password_path": set_password_path(user),
        },
    )


@transaction.atomic
def user_update(
    *,
    user: User,
    by: User,
    email: str,
    first_name: str,
    last_name: str,
    roles,
    team=None,
    job_title: str = "",
    new_team: str = "",
) -> User:
    """Change a person's details and roles. An administrator keeps their own role, so the
    service always has someone who can manage people."""
    roles = {Role(role) for role in roles}
    if user.pk == by.pk and Role.ADMINISTRATOR in user.roles and Role.ADMINISTRATOR not in roles:
        raise ValidationError(
            {
                "roles": "You can't remove your own Panel administrator role. Ask another "
                "administrator to do it."
            }
        )
    user.email = _email_free(email, but=user)
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.team = _team(team, new_team)
    user.job_title = job_title.strip()
    user.save(update_fields=["email", "first_name", "last_name", "team", "job_title"])
    _roles_set(user, roles)
    return user


@transaction.atomic
def user_deactivate(*, user: User, by: User) -> User:
    """A leaver: they can no longer sign in, and their panel seats are freed. The account
    stays, so the history keeps their name."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == by.pk:
        raise ValidationError("You can't deactivate your own account. Ask another administrator.")
    if not user.is_active:
        raise ValidationError(f"{user} is already deactivated.")
    if Role.ADMINISTRATOR in user.roles and not _other_active_administrators(user).exists():
        raise ValidationError(
            f"{user} is the only panel administrator. Give someone else the Panel "
            "administrator role first."
        )
    user.is_active = False
    user.save(update_fields=["is_active"])
    user_deactivated.send(sender=User, user=user)
    return user


@transaction.atomic
def user_reactivate(*, user: User) -> User:
    """Someone who has come back: they sign in with their old password; their seats
    stay free until an administrator gives them back."""
    if user.is_active:
        raise ValidationError(f"{user} is already active.")
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user
