"""Every URL × every role: who gets the page, who is sent to sign in, who is refused (403)
and to whom the thing is not there at all (404); and that no answer to a signed-in person
may be kept by a cache.

The resolver is walked, so a new URL fails here until its row is added to its app's
`ACCESS` table in `<app>/permissions.py`: deciding who sees a page is part of adding it.
Each URL is opened with real objects (tests/access_world.py) by anonymous and by each role.
"""

import re

import pytest
import time_machine
import weasyprint
from django.conf import settings
from django.core.files.storage import storages
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agendas import permissions as agendas_permissions
from agendas.models import AgendaPack, SubmissionDocument
from minutes import permissions as minutes_permissions
from permanence import permissions as permanence_permissions
from permanence.permissions import ROLES, Answer
from tests import access_world
from tracker import permissions as tracker_permissions

# Not walked: Django's own admin (its own staff-only rules, tested by Django).
SKIPPED = ("django-admin/",)

MATRIX = {
    **permanence_permissions.ACCESS,
    **tracker_permissions.ACCESS,
    **agendas_permissions.ACCESS,
    **minutes_permissions.ACCESS,
}


def _walk(patterns, route="", namespace=""):
    for pattern in patterns:
        here = route + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, here, inner)
        elif isinstance(pattern, URLPattern) and not here.startswith(SKIPPED):
            yield f"{namespace}{pattern.name}", here


URLS = dict(_walk(get_resolver().url_patterns))

# What each <int:pk> in a route stands for, by what comes before it.
OBJECTS = (
    (r"meetings/<int:pk>", "meeting"),
    (r"^closure-days/<int:pk>", "closure_day"),
    (r"^outbox/<int:pk>", "notification"),
    (r"^people/<int:pk>", "person"),
    (r"^bookings/documents/<int:pk>", "document"),
    (r"^bookings/<int:pk>", "booking"),
    (r"^(decisions|approvals)/<int:pk>", "decision"),
    (r"^actions/<int:pk>", "action"),
    (r"^children/<int:pk>", "child"),
    (r"^children/saved-filters/<int:pk>", "saved_filter"),
    (r"^referrals/<int:pk>", "referral"),
    (r"^carers/links/<int:pk>", "carer_link"),
    (r"^carers/<int:pk>", "carer"),
    (r"sections/<int:pk>", "section"),
    (r"breaks/<int:pk>", "pause"),
    (r"request-types/<int:pk>", "request_type"),
    (r"/documents/<int:pk>", "requirement"),
    (r"members/<int:pk>", "membership"),
    (r"planning-questions/<int:pk>", "planning_question"),
)


def path_of(name: str, route: str, world) -> str:
    """The URL with the world's objects in it."""
    kwargs = {}
    for key in re.findall(r"<(?:\w+:)?(\w+)>", route):
        if key == "pk":
            found = [thing for pattern, thing in OBJECTS if re.search(pattern, route)]
            assert found, f"Say in OBJECTS what <pk> is in /{route}"
            thing = world.people["other_social_worker"] if found[0] == "person" else None
            kwargs["pk"] = (thing or getattr(world, found[0])).pk
        else:
            kwargs[key] = {
                "slug": world.panel.slug,
                "child": world.child.pk,
                "booking": world.booking.pk,
                "kind": "health",
                "section": world.panel.sections.get(tracking=True).pk,
                "job": world.job.public_id,
                "uidb64": "MQ",
                "token": "not-a-token",
            }[key]
    return reverse(name, kwargs=kwargs)


def answer_of(response) -> str:
    if response.status_code in (301, 302):
        sign_in = reverse("login") + "?next="
        return Answer.SIGN_IN if response.url.startswith(sign_in) else Answer.REDIRECT
    return {
        200: Answer.PAGE,
        403: Answer.DENIED,
        404: Answer.NOT_FOUND,
        405: Answer.NOT_ALLOWED,
    }.get(response.status_code, str(response.status_code))


@pytest.fixture(autouse=True)
def submissions_in_tmp():
    """The world's files live in the module's own folder (see `world`), not each test's."""


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back after it; each
    test's own transaction is a savepoint within it."""
    storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path_factory.mktemp("submissions")), "base_url": None},
    }
    with (
        override_settings(STORAGES={**settings.STORAGES, "submissions": storage}),
        pytest.MonkeyPatch.context() as patch,
        time_machine.travel(access_world.TODAY, tick=False) as traveller,
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        for model in (SubmissionDocument, AgendaPack):
            patch.setattr(model._meta.get_field("file"), "storage", storages["submissions"])
        world = access_world.build(traveller)
        # Who may download a PDF is asked before it is drawn: drawing each one for every
        # role would only make the matrix slow (tests/*/test_pdfs.py read what they say).
        patch.setattr(weasyprint.HTML, "write_pdf", lambda html, **options: b"%PDF-1.7")
        yield world
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def clients(world):
    """A browser for each column, signed in once for the module."""
    browsers = {role: Client() for role in ROLES}
    for role, browser in browsers.items():
        if role != "anonymous":
            browser.force_login(world.people[role])
    return browsers


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(URLS))
def test_each_url_answers_each_role_as_its_row_says(name, world, clients):
    path = path_of(name, URLS[name], world)
    assert name in MATRIX, (
        f"Add a row for {path} ({name}) to the access matrix: ACCESS in its app's "
        "permissions.py says what each role gets there."
    )
    responses = {role: clients[role].get(path) for role in ROLES}
    observed = {role: answer_of(response) for role, response in responses.items()}
    wrong = {
        role: f"expected {MATRIX[name][role]}, got {answer}"
        for role, answer in observed.items()
        if answer != MATRIX[name][role]
    }
    assert not wrong, f"{path}: {wrong}"
    # Whatever a signed-in person gets, page, file or refusal, no cache keeps (issue 14).
    stored = [
        role
        for role, response in responses.items()
        if role != "anonymous"
        and not {"no-store", "private"} <= set(re.split(r",\s*", response.get("Cache-Control", "")))
    ]
    assert not stored, f"{path}: Cache-Control lets a cache keep it for {stored}"


def test_every_row_of_the_matrix_is_a_url():
    assert set(MATRIX) - set(URLS) == set()
