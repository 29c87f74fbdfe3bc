"""The sign-in page's "Sign in with your council account" button, shown only when single
sign-on is set up (SINGLE_SIGN_ON in settings)."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

register = template.Library()


@register.inclusion_tag("registration/sign_in_with_council_account.html", takes_context=True)
def sign_in_with_council_account(context):
    if not settings.SINGLE_SIGN_ON:
        return {"url": None}
    url = reverse("oidc_authentication_init")
    # The page the person was sent to sign in from, checked by the library before use.
    next_page = context["request"].GET.get("next")
    return {"url": f"{url}?{urlencode({'next': next_page})}" if next_page else url}
