"""Who may do what in the service's own pages (people, closure days, the outbox), and how
every app's views declare what they need.

Each app keeps its rules in its own `permissions.py`: `can_*` predicates, each saying who
and why, beside the `visible_*` querysets of its selectors (which say what a user may
see, and which the predicates may call). A view names its predicate and never decides
inline; templates get the answer as a context flag. Each app's `ACCESS` table says what
every role gets at each of its URLs, and tests/test_access_matrix.py holds the pages to it.
"""

from django.contrib.auth.mixins import UserPassesTestMixin
from django.db import models

from .roles import Role


class PermissionRequiredMixin(UserPassesTestMixin):
    """A view that declares what it needs, as tamato's views declare `permission_required`:

        class OutboxView(PermissionRequiredMixin, TemplateView):
            permission = can_read_outbox

    `permission` is a `can_*` predicate, asked `permission(user)`, or
    `permission(user, obj)` when the view's `permission_object()` names what it is about.
    The object is looked up first, so what the user may not see stays a 404 (or the
    friendly 403 of `agendas.selectors.visible_meeting`); then a refusal is a 403. Signing
    in is asked before both, by `LoginRequiredMiddleware`.
    """

    permission = None

    def permission_object(self):
        """What the permission is about; None for a page about no one thing."""
        return None

    def dispatch(self, request, *args, **kwargs):
        # A button's URL declares `http_method_names = ["post"]`: a GET there is a 405 for
        # everyone, as Django's View answers it, before anyone is asked anything.
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def test_func(self) -> bool:
        # Read off the class: a function stored on a class would be bound to the view.
        permission = type(self).permission
        thing = self.permission_object()
        if thing is None:
            return permission(self.request.user)
        return permission(self.request.user, thing)


def can_manage_people(user) -> bool:
    """Panel administrators add people, give them their roles, and deactivate leavers: the
    accounts are the service's keys to every child's record."""
    return user.has_any_role(Role.ADMINISTRATOR)


def can_manage_closure_days(user) -> bool:
    """Panel administrators record the council's closure days, which move every working-day
    deadline and every child's derived dates."""
    return user.has_any_role(Role.ADMINISTRATOR)


def can_read_outbox(user) -> bool:
    """Panel administrators read every email the service wrote and send a failed one again:
    the emails name children, so no one else reads them all."""
    return user.has_any_role(Role.ADMINISTRATOR)


def can_search_audit(user) -> bool:
    """Panel administrators answer the council's information governance team: who looked
    at a child's record, who downloaded what, who was refused. The audit names children's
    case numbers and everyone's movements, so no one else reads it."""
    return user.has_any_role(Role.ADMINISTRATOR)


def can_view_job(user, job) -> bool:
    """The person who asked for a background job follows it; so do the panel
    administrators, who share the work of imports and packs. A job's result can name many
    children, so no one else sees it."""
    return job.requested_by_id == user.pk or user.has_any_role(Role.ADMINISTRATOR)


# The access matrix --------------------------------------------------------------------


class Answer(models.TextChoices):
    """What a GET of a URL answers someone."""

    PAGE = "page", "the page (200)"
    SIGN_IN = "sign-in", "a redirect to sign in"
    REDIRECT = "redirect", "a redirect elsewhere"
    DENIED = "403", "refused (403)"
    NOT_FOUND = "404", "not found (404)"
    NOT_ALLOWED = "405", "not a GET (405)"


PAGE, SIGN_IN, REDIRECT = Answer.PAGE, Answer.SIGN_IN, Answer.REDIRECT
DENIED, NOT_FOUND, NOT_ALLOWED = Answer.DENIED, Answer.NOT_FOUND, Answer.NOT_ALLOWED

# The matrix's columns. The child, booking, decision and action are the social worker's and
# in the team manager's team; the other social worker is in another team. The chair and the
# panel member sit on the child's panel; the other panel's member sits on another panel only.
ROLES = (
    "anonymous",
    "administrator",
    "chair",
    "panel_member",
    "other_panel_member",
    "social_worker",
    "other_social_worker",
    "team_manager",
    "senior_manager",
    "business_intelligence",
)


def answers(signed_in: Answer, *, anonymous: Answer = SIGN_IN, **roles: Answer) -> dict:
    """A row of the matrix: what everyone signed in gets, except the roles named.

    Business intelligence sees no child and sits on no panel, so unless the row says
    otherwise it gets what the social worker of another team gets. The other panel's member
    gets what the member gets, unless the row says otherwise: every row about one meeting or
    booking does (`agendas.permissions.papers_scope`)."""
    unknown = set(roles) - set(ROLES)
    assert not unknown, f"Not a column of the access matrix: {', '.join(sorted(unknown))}"
    row = {role: signed_in for role in ROLES} | {"anonymous": anonymous}
    row["business_intelligence"] = roles.get("other_social_worker", signed_in)
    row["other_panel_member"] = roles.get("panel_member", signed_in)
    return row | roles


def administrators_only() -> dict:
    return answers(DENIED, administrator=PAGE)


ACCESS = {
    "home": answers(PAGE),
    # Open to everyone: the load balancer's check, the icon, signing in and resetting a
    # password. A signed-in person opening the sign-in page is sent on to the service.
    "health": answers(PAGE, anonymous=PAGE),
    "favicon": answers(REDIRECT, anonymous=REDIRECT),
    "login": answers(REDIRECT, anonymous=PAGE),
    "logout": answers(NOT_ALLOWED),  # signing out is a POST
    # A signed-in person's own account. The matrix's sessions have passed the second
    # factor and typed the password just now, so the code page sends them on.
    "two-factor-verify": answers(REDIRECT),
    "sign-in-again": answers(PAGE),
    "account": answers(PAGE),
    "password-change": answers(PAGE),
    "two-factor-setup": answers(PAGE),
    "recovery-codes": answers(REDIRECT),  # shown once, straight after they are made
    "recovery-codes-new": answers(NOT_ALLOWED),  # a button
    "sign-out-everywhere": answers(NOT_ALLOWED),  # a button
    "password_reset": answers(PAGE, anonymous=PAGE),
    "password_reset_done": answers(PAGE, anonymous=PAGE),
    "password_reset_confirm": answers(PAGE, anonymous=PAGE),
    "password_reset_complete": answers(PAGE, anonymous=PAGE),
    # Single sign-on (permanence/oidc.py) answers 404 unless the council has set it up, as
    # here; tests/permanence/test_single_sign_on.py drives it set up, against a real issuer.
    "oidc_authentication_init": answers(NOT_FOUND, anonymous=NOT_FOUND),
    "oidc_authentication_callback": answers(NOT_FOUND, anonymous=NOT_FOUND),
    "oidc_logout": answers(NOT_ALLOWED),  # the library's sign-out, a POST like "logout"
    "closure-days": administrators_only(),
    "closure-day-delete": administrators_only(),
    "outbox": administrators_only(),
    "notification": administrators_only(),
    "people": administrators_only(),
    "person-add": administrators_only(),
    "person": administrators_only(),
    "person-deactivate": administrators_only(),
    "person-reactivate": answers(DENIED, administrator=NOT_ALLOWED),  # a button
    "audit:search": administrators_only(),
    "audit:download": administrators_only(),
    "person-unlock": answers(NOT_ALLOWED),  # a button
    "person-two-factor-reset": answers(NOT_ALLOWED),  # a button
    # The world's job was asked for by the administrator (permanence/jobs).
    "job": administrators_only(),
    "job-status": administrators_only(),
}
