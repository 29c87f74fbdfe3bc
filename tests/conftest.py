"""Shared fixtures, and the rule for real services.

A test marked `postgres`, `redis`, `browser` or `libreoffice` needs that real service.
Without it the test is skipped with the reason, except under CI=true, where a missing
service fails.
"""

import os
import shutil

import pytest
import redis
from django.conf import settings
from django.core.files.storage import storages
from django.db import connection

from agendas.models import AgendaPack, SubmissionDocument
from permanence.roles import Role

from .factories import UserFactory

IN_CI = os.environ.get("CI") == "true"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def require(available: bool, reason: str) -> None:
    if available:
        return
    if IN_CI:
        pytest.fail(f"{reason}; CI=true, so a missing service fails the run", pytrace=False)
    pytest.skip(reason)


def redis_available() -> bool:
    if not settings.REDIS_URL:
        return False
    try:
        return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def pytest_sessionstart(session):
    if IN_CI and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.exit("CI=true needs DATABASE_URL pointing at PostgreSQL", returncode=1)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres"):
        require(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")
    if item.get_closest_marker("redis"):
        require(redis_available(), "needs Redis: set REDIS_URL to a running Redis")
    if item.get_closest_marker("browser"):
        require(shutil.which(CHROMIUM) is not None, f"needs Chromium at {CHROMIUM}")
    if item.get_closest_marker("libreoffice"):
        soffice = settings.LIBREOFFICE_PATH
        require(
            bool(soffice) and shutil.which(soffice) is not None,
            "needs LibreOffice: install libreoffice-writer-nogui or set LIBREOFFICE_PATH",
        )


@pytest.fixture
def make_user(db):
    """A user holding the given roles: make_user(Role.SOCIAL_WORKER, team=team)."""

    def make(*roles: Role, **fields):
        return UserFactory(roles=roles, **fields)

    return make


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture(autouse=True)
def submissions_in_tmp(settings, tmp_path, monkeypatch):
    """Uploaded submissions and agenda packs go to a throwaway folder, never the
    developer's var/.

    The file fields resolve their storage once, when models load, so they are pointed at
    the swapped storage as well as the setting.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "submissions": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "submissions"), "base_url": None},
        },
    }
    for model in (SubmissionDocument, AgendaPack):
        monkeypatch.setattr(model._meta.get_field("file"), "storage", storages["submissions"])


@pytest.fixture
def test_notice_template(settings, tmp_path):
    """`emails/test_notice`: a notice template of the tests' own, on the project's bases."""
    folder = tmp_path / "templates" / "emails"
    folder.mkdir(parents=True)
    (folder / "test_notice.txt").write_text(
        '{% extends "emails/base.txt" %}{% block body %}\nThis is {{ what }}: '
        "Ada's booking.\n{% endblock %}"
    )
    (folder / "test_notice.html").write_text(
        '{% extends "emails/base.html" %}{% block body %}<p>This is {{ what }}.</p>{% endblock %}'
    )
    template = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**template, "DIRS": [tmp_path / "templates", *template["DIRS"]]}]
    return "emails/test_notice"
