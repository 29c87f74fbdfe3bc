"""Test settings: the project's own, less what only slows tests or needs a build step."""

import os

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
# The test client and the browser tests' live server speak plain HTTP; test_headers.py turns
# the redirect on where it tests it.
SECURE_SSL_REDIRECT = False
# Serve static files straight from the finders; there is no collectstatic output in tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tasks run in the test's own thread unless a test starts a real worker (see
# tests/permanence/test_celery.py), so a test never leaves messages on the broker.
CELERY_TASK_ALWAYS_EAGER = True

# pytest-xdist runs the suite in workers "gw0", "gw1", …, and CI runs the browser journeys
# beside the rest as TEST_RUN=browser (see the Makefile): each has its own Redis keys, so one
# run's Celery queue and cache never meet another's, and its own test database.
TEST_RUN = os.environ.get("PYTEST_XDIST_WORKER") or os.environ.get("TEST_RUN", "")
if REDIS_URL and TEST_RUN:  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "global_keyprefix": f"{TEST_RUN}:",
    }
    CACHES["default"]["KEY_PREFIX"] = TEST_RUN  # noqa: F405

# On SQLite the test database is a file rather than memory, so that `--reuse-db` keeps it,
# migrated and with the seed panels, from one run to the next.
# pytest-django gives each xdist worker its own database; a TEST_RUN names its own.
_RUN_SUFFIX = f"-{TEST_RUN}" if TEST_RUN and not os.environ.get("PYTEST_XDIST_WORKER") else ""
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test{_RUN_SUFFIX}.sqlite3")}  # noqa: F405
elif _RUN_SUFFIX:
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": f"test_{DATABASES['default']['NAME']}{_RUN_SUFFIX.replace('-', '_')}"  # noqa: F405
    }

# Serialized rollback (the tests that commit; see tests/conftest.py) restores the seed panels,
# not content types and permissions: Django makes those again as they are needed, with new
# ids on PostgreSQL, which restored rows would collide with.
TEST_NON_SERIALIZED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]

# Between transactional tests Django empties every table with TRUNCATE; the audit's trigger
# (permanence migration 0006) lets a connection that says so do that, and only that.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (  # noqa: F405
        "-c jit=off -c permanence.audit_truncate=allowed"
    )

# Templates used only by the tests, such as the result of the tests' own kind of job.
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "templates"]  # noqa: F405
