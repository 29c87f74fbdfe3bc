"""Single sign-on with the council's Microsoft Entra ID, or any OpenID Connect issuer.

mozilla-django-oidc does the protocol (state, nonce, PKCE, the code exchange, the ID token's
signature against the issuer's keys); this module decides who gets in. Only a person an
administrator added, and who is still active, is signed in, matched by email address
ignoring case. Single sign-on never creates an account and never gives a role: roles are
given in the service. Everyone else is shown a page that tells them to ask their panel
administrator. The settings are in one block of permanence/settings.py.
"""

import logging

import requests
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

logger = logging.getLogger(__name__)

# What the session says about how its person signed in. Entra asks for the council's own
# second factor, so the service's two-factor check leaves these sessions alone.
SIGNED_IN_WITH = "signed_in_with"
SIGNED_IN_WITH_COUNCIL_ACCOUNT = "oidc"


class CouncilAccountBackend(OIDCAuthenticationBackend):
    """Signs in the person an administrator added whose email the issuer vouches for."""

    def get_userinfo(self, access_token, id_token, payload):
        # Entra's userinfo endpoint (Microsoft Graph) answers profile claims only: the tenant
        # and audience are in the ID token, whose signature has been checked by now, so its
        # claims are the ones that count.
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo is about someone other than the ID token.")
        return {**userinfo, **payload}

    def verify_claims(self, claims) -> bool:
        audience = claims.get("aud")
        audiences = [audience] if isinstance(audience, str) else audience or []
        issuer = settings.OIDC_OP_ISSUER
        tenant = getattr(settings, "OIDC_ENTRA_TENANT_ID", "")
        refusals = [
            (not claims.get("email"), "the issuer gave no email address"),
            (self.OIDC_RP_CLIENT_ID not in audiences, "the ID token is for another client"),
            (bool(issuer) and claims.get("iss") != issuer, "the ID token is from another issuer"),
            (bool(tenant) and claims.get("tid") != tenant, "the ID token is from another tenant"),
        ]
        for refused, reason in refusals:
            if refused:
                logger.warning("Single sign-on refused: %s", reason)
                return False
        return True

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email__iexact=claims["email"], is_active=True)

    def create_user(self, claims):
        raise SuspiciousOperation("Single sign-on never creates accounts.")


class WhenSetUp:
    """Single sign-on's pages are there only when the council has set it up."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.SINGLE_SIGN_ON:
            raise Http404("Single sign-on is not set up.")
        return super().dispatch(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class SignInWithCouncilAccountView(WhenSetUp, OIDCAuthenticationRequestView):
    """Sends the browser to the issuer to sign in (/oidc/authenticate/)."""

    def __init__(self, **kwargs):
        # The library reads its settings here, and off they are absent: skip to View's.
        if settings.SINGLE_SIGN_ON:
            super().__init__(**kwargs)
        else:
            View.__init__(self, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class CouncilAccountCallbackView(WhenSetUp, OIDCAuthenticationCallbackView):
    """Where the issuer sends the browser back with a code (/oidc/callback/)."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except SuspiciousOperation as refusal:
            # A state this browser was never given (forged, replayed, or another tab's
            # finished sign-in), or an ID token whose signature or nonce is wrong.
            logger.warning("Single sign-on refused: %s", refusal)
            return self.refused(no_account=False, status=400)
        except requests.RequestException as fault:
            logger.warning("Single sign-on could not reach the issuer: %s", type(fault).__name__)
            return self.refused(no_account=False, status=502)

    def login_success(self):
        response = super().login_success()
        self.request.session[SIGNED_IN_WITH] = SIGNED_IN_WITH_COUNCIL_ACCOUNT
        return response

    def login_failure(self):
        # The backend was asked and said no: no active account has the email, or the token
        # was for another client, issuer or tenant. Otherwise the issuer said no, the person
        # cancelled, or this browser never started the sign-in.
        return self.refused(no_account=hasattr(self, "user"), status=403)

    def refused(self, *, no_account, status):
        return render(
            self.request,
            "registration/single_sign_on_refused.html",
            {"no_account": no_account},
            status=status,
        )
