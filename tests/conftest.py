"""Shared fixtures, and the rule for real services.

A test marked `postgres`, `redis`, `browser` or `libreoffice` needs that real service.
Without it the test is skipped with the reason, except under CI=true, where a missing
service fails.
"""

import os
import shutil
import tempfile

import pytest
import redis
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.storage import storages
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from agendas import presets
from agendas import services as agendas_services
from agendas.models import AgendaPack, Panel, SubmissionDocument
from permanence.roles import Role
from permanence.signin.rules import two_factor_required
from permanence.signin.selectors import has_two_factor

from . import jobs  # noqa: F401 - declares the tests' own kind of background job
from .days import BOOKED_ON
from .factories import (
    AuthenticatorFactory,
    BookingFactory,
    ChildFactory,
    PanelFactory,
    TeamFactory,
    UserFactory,
    winter_meetings,
)

IN_CI = os.environ.get("CI") == "true"
# Django's own force_login: signed in with the password only.
password_only_login = Client.force_login
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


def pytest_collection_modifyitems(items):
    """Browser, worker and concurrency tests commit, so the database is flushed after each:
    serialized rollback puts back what every test starts from (see django_db_setup)."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        committing = (marker and marker.kwargs.get("transaction")) or (
            "live_server" in getattr(item, "fixturenames", ())
        )
        if committing:
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated, with the five seed panels loaded once for the run.

    Every test runs in a transaction that rolls back to this. A database kept by
    `--reuse-db` was last flushed by a browser test, so what the migrations made is made
    again first: content types and permissions (post_migrate, as flush itself does) and
    the role groups. The state is then serialized again, so that serialized rollback
    restores the panels for the tests that commit.
    """
    with django_db_blocker.unblock():
        emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
        for role in Role:
            Group.objects.get_or_create(name=role)
        for slug in presets.PRESETS:
            agendas_services.panel_preset_load(slug=slug)
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture(scope="session", autouse=True)
def force_login_includes_the_second_factor():
    """`client.force_login(user)` stands for the whole sign-in, the code from the
    authenticator app included where the person has or needs one: the session is verified
    with their device, as the code page leaves it. Tests of the sign-in itself go through
    its pages (tests/permanence/test_sign_in*.py), or use `password_only_login`."""

    def force_login(self, user, backend=None):
        password_only_login(self, user, backend)
        if two_factor_required(user) or has_two_factor(user):
            device = AuthenticatorFactory(user=user)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "force_login", force_login)
        yield


@pytest.fixture
def without_seed_panels(db):
    """The database as the migrations leave it, for the tests of loading the seed panels and
    of the database's own checks: the session's seed panels go, in this test's transaction."""
    Panel.objects.all().delete()


@pytest.fixture
def make_user(db):
    """A user holding the given roles: make_user(Role.SOCIAL_WORKER, team=team)."""

    def make(*roles: Role, **fields):
        return UserFactory(roles=roles, **fields)

    return make


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def administrator_client(client, administrator):
    client.force_login(administrator)
    return client


# The people of a panel's story: who they are is the same in every test that meets them.


@pytest.fixture
def team(db):
    return TeamFactory(name="Children in Care East")


@pytest.fixture
def social_worker(make_user, team):
    return make_user(
        Role.SOCIAL_WORKER,
        first_name="Sam",
        last_name="Worker",
        email="sam@council.example",
        team=team,
    )


@pytest.fixture
def team_manager(make_user, team):
    return make_user(
        Role.TEAM_MANAGER,
        first_name="Tess",
        last_name="Manager",
        email="tess@council.example",
        team=team,
    )


@pytest.fixture
def chair(make_user):
    return make_user(Role.CHAIR, first_name="Cara", last_name="Chair", email="cara@council.example")


# The councils' panels, from their terms of reference, and their winter meetings.


@pytest.fixture
def lancashire(chair):
    return PanelFactory(preset="lancashire", chair=chair)


@pytest.fixture
def somerset(chair):
    return PanelFactory(preset="somerset", chair=chair)


@pytest.fixture
def knowsley(chair):
    return PanelFactory(preset="knowsley", chair=chair)


@pytest.fixture
def knowsley_meetings(knowsley):
    """Knowsley's first Tuesdays: 5 January, 2 February and 2 March 2027."""
    return winter_meetings(knowsley)


@pytest.fixture
def meetings(lancashire):
    """Lancashire's 13 January, 10 February and 10 March 2027."""
    return winter_meetings(lancashire)


@pytest.fixture
def meeting(meetings):
    """Lancashire's January panel, Wednesday 13 January 2027."""
    return meetings[0]


@pytest.fixture
def ada(lancashire, social_worker):
    return ChildFactory(
        first_name="Ada",
        last_name="Lovelace",
        case_number="100234",
        panel=lancashire,
        social_worker=social_worker,
        team=social_worker.team,
    )


@pytest.fixture
def booking(book, meetings, ada):
    """Ada, new to care, booked into Lancashire's January panel."""
    return book(
        meetings[0], ada, reason="To agree the plan for permanence before the second review"
    )


@pytest.fixture
def book(administrator):
    """Book a child as the administrator did on BOOKED_ON: book(meeting, child, request)."""

    def book(meeting, child=None, request=None, **fields):
        with time_machine.travel(BOOKED_ON, tick=False):
            return BookingFactory(
                meeting=meeting,
                child=child or ChildFactory(panel=meeting.panel),
                request=request,
                booked_by=administrator,
                **fields,
            )

    return book


@pytest.fixture(scope="session", autouse=True)
def temporary_files_of_our_own(tmp_path_factory):
    """Temporary files (an agenda pack's build folder) go to this run's own folder, so a
    test that checks a build left nothing behind sees no other run's, nor another xdist
    worker's."""
    tempfile.tempdir = str(tmp_path_factory.mktemp("tmp"))
    yield
    tempfile.tempdir = None


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
