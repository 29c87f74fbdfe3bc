"""Test settings: the project's own, less what only slows tests or needs a build step."""

from permanence.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Static files are served from the finders in tests, so no collectstatic manifest is needed.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Serve static files straight from the finders; there is no collectstatic output in tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tasks run in the test's own thread unless a test starts a real worker (see
# tests/permanence/test_celery.py), so a test never leaves messages on the broker.
CELERY_TASK_ALWAYS_EAGER = True
