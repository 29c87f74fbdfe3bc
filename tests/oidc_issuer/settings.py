"""The test issuer's settings: everything it needs comes from the environment the test
starts it with (ISSUER_URL, ISSUER_DATABASE, ISSUER_TENANT_ID)."""

import os

SECRET_KEY = "test-issuer-only"  # noqa: S105 - a throwaway site on 127.0.0.1
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
USE_TZ = True
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
    "tests.oidc_issuer",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.oidc_issuer.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ]
        },
    }
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["ISSUER_DATABASE"]}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "sign-in"

# The issuer's own address: it is the `iss` of every ID token ({SITE_URL}/openid).
SITE_URL = os.environ["ISSUER_URL"]
ISSUER_TENANT_ID = os.environ["ISSUER_TENANT_ID"]
OIDC_IDTOKEN_PROCESSING_HOOK = "tests.oidc_issuer.claims.with_tenant"
