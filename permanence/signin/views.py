"""Signing in (password, then a code), the person's own account page, and the password
asked again before a whole-caseload download."""

import base64

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, TemplateView
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from ..forms import PasswordResetForm, SetPasswordForm, SignInForm, add_service_errors
from ..service_views import ServiceButtonView
from . import selectors, services
from .forms import CodeForm, PasswordAgainForm, PasswordChangeForm, SetUpCodeForm
from .middleware import HAS_DEVICE
from .rules import PASSWORD_AT, now_seconds, two_factor_required

NEW_SECRET = "signin:new_secret"  # noqa: S105 - a session key
CODES_TO_SHOW = "signin:codes_to_show"

LOCKED_OUT = (
    "There have been too many attempts to sign in with this email address from here. "
    f"Wait {settings.AXES_COOLOFF_TIME.seconds // 60} minutes and try again, or ask a panel "
    "administrator."
)


def _next_or_home(request) -> str:
    """Where to go after a step of signing in: the `next` asked for, if it is on this site."""
    wanted = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse_lazy(settings.LOGIN_REDIRECT_URL)


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def locked_out(request, response, credentials, *args, **kwargs):
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): the sign-in
    page, saying the same whether or not the address has an account. The form is not
    bound: checking it would try the password again, and count another failure."""
    form = SignInForm(request, initial={"username": request.POST.get("username", "")})
    context = {"form": form, "refusals": [LOCKED_OUT]}
    return render(request, "registration/login.html", context, status=429)


class TwoFactorVerifyView(FormView):
    """The second step of signing in."""

    template_name = "permanence/signin/two_factor_verify.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_verified() or not selectors.has_two_factor(request.user):
            return redirect(_next_or_home(request))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=_next_or_home(self.request), **kwargs)

    def form_valid(self, form):
        device = services.two_factor_check(user=self.request.user, code=form.cleaned_data["code"])
        if device is None:
            form.add_error(
                "code",
                "That code is not right. Enter the code your app shows now, or a recovery code "
                "you have not used",
            )
            return self.form_invalid(form)
        django_otp.login(self.request, device)
        return redirect(_next_or_home(self.request))


class TwoFactorSetUpView(FormView):
    """Add the service to an authenticator app from a QR code (drawn here, as SVG: the
    secret never leaves the service) or the key typed in, then prove it with a code. The
    secret waits in the session, so nothing is stored until the code matches."""

    template_name = "permanence/signin/two_factor_set_up.html"
    form_class = SetUpCodeForm

    def secret(self) -> str:
        if NEW_SECRET not in self.request.session:
            self.request.session[NEW_SECRET] = random_hex(20)
        return self.request.session[NEW_SECRET]

    def get_context_data(self, **kwargs):
        user = self.request.user
        device = TOTPDevice(user=user, key=self.secret(), name=services.AUTHENTICATOR)
        key = base64.b32encode(device.bin_key).decode()
        return super().get_context_data(
            qr_code=segno.make(device.config_url, error="m").svg_inline(
                scale=4, title="QR code to add this service to an authenticator app"
            ),
            key_groups=[key[i : i + 4] for i in range(0, len(key), 4)],
            replacing=selectors.has_two_factor(user),
            required=two_factor_required(user),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            device, codes = services.two_factor_confirm(
                user=self.request.user, secret=self.secret(), code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        django_otp.login(self.request, device)
        session = self.request.session
        del session[NEW_SECRET]
        session[HAS_DEVICE] = True
        session[CODES_TO_SHOW] = codes
        messages.success(self.request, "Two-factor sign-in is on.")
        return redirect("recovery-codes")


class RecoveryCodesView(TemplateView):
    """New recovery codes, shown once: the page takes them out of the session."""

    template_name = "permanence/signin/recovery_codes.html"

    def get(self, request, *args, **kwargs):
        codes = request.session.pop(CODES_TO_SHOW, None)
        if not codes:
            return redirect("account")
        return self.render_to_response(self.get_context_data(codes=codes))


class RecoveryCodesRenewView(ServiceButtonView):
    done_message = "Your old recovery codes no longer work."

    def act(self):
        self.codes = services.recovery_codes_renew(user=self.request.user)
        self.request.session[CODES_TO_SHOW] = self.codes

    def done(self):
        return redirect("recovery-codes" if hasattr(self, "codes") else "account")


class AccountView(TemplateView):
    template_name = "permanence/signin/account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            authenticator=selectors.authenticator(user),
            recovery_codes_left=selectors.recovery_codes_left(user),
            two_factor_required=two_factor_required(user),
            password_change_url=reverse("password-change"),
            **kwargs,
        )


class PasswordChangeView(FormView):
    template_name = "permanence/signin/password_change.html"
    form_class = PasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        try:
            user = services.password_change(
                user=self.request.user, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        # The new password ends every session signed in with the old one; this one stays.
        update_session_auth_hash(self.request, user)
        messages.success(
            self.request, "Your password is changed. You are signed out everywhere else."
        )
        return redirect("account")


class SignOutEverywhereView(View):
    """A button: every session of the person ends, this one too."""

    http_method_names = ["post"]

    def post(self, request):
        services.sessions_end_everywhere(user=request.user)
        logout(request)
        messages.success(request, "You are signed out everywhere, here too.")
        return redirect("login")


class SignInAgainView(FormView):
    """ "Confirm your password", then back to the download asked for."""

    template_name = "permanence/signin/sign_in_again.html"
    form_class = PasswordAgainForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            next=_next_or_home(self.request),
            minutes=settings.SIGN_IN_AGAIN_MINUTES,
            **kwargs,
        )

    def form_valid(self, form):
        self.request.session[PASSWORD_AT] = now_seconds()
        return redirect(_next_or_home(self.request))


class PasswordResetView(auth_views.PasswordResetView):
    """The email goes through the outbox, and the page answers the same whether or not
    the address has an account (see services.password_reset_request)."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        services.password_reset_request(email=form.cleaned_data["email"])
        return redirect(self.success_url)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    pass
