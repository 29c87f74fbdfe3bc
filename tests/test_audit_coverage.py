"""Every URL that shows a child's data writes its audit entry (issue 14).

The resolver is walked, as in the access matrix, with the same world. A page shows child
data when its view declares `AuditedMixin`, or when an administrator's copy of it names
the world's child (their case number or surname), or when it is a file: so a new page
that shows a child without declaring the mixin fails here. Each GET must write exactly
one entry, by the person who asked, with the view's action and the child's case number.
"""

import pytest
from django.test import Client
from django.views.generic import TemplateView

from agendas.views.bookings import BookingDetailView
from permanence.audit import AuditedMixin, is_file
from permanence.models import AuditAction, AuditEntry
from tests import test_access_matrix as matrix

# The access matrix's world and signed-in browsers, built once for this module too.
world, clients, submissions_in_tmp = matrix.world, matrix.clients, matrix.submissions_in_tmp
URLS, path_of = matrix.URLS, matrix.path_of

# Files that carry no child: what an administrator fills in to import children.
NOT_CHILD_DATA = {"tracker:import-template"}


def view_class_of(response):
    return getattr(response.resolver_match.func, "view_class", None)


def body_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def shows_child(response, world) -> bool:
    if response.status_code != 200:
        return False
    if is_file(response):
        return True
    body = body_of(response)
    return world.child.case_number in body or world.child.last_name in body


def problems(name: str, view, response, written: list, world) -> list[str]:
    """What is wrong with one GET's audit by `view`: nothing, for a page that passes."""
    path = response.request["PATH_INFO"]
    audited = isinstance(view, type) and issubclass(view, AuditedMixin)
    if not audited:
        if name not in NOT_CHILD_DATA and shows_child(response, world):
            return [
                f"{path} ({name}) shows a child's data: declare "
                "permanence.audit.AuditedMixin on its view, first among its bases."
            ]
        return [f"{path} is not audited, yet wrote {len(written)} entries"] if written else []
    if response.status_code not in (200, 403, 404):
        return [f"{path}: a {response.status_code} records nothing"] if written else []
    if len(written) != 1:
        return [f"{path} wrote {len(written)} audit entries, not 1"]
    (entry,) = written
    if response.status_code in (403, 404):
        action = AuditAction.REFUSED
    elif is_file(response):
        action = view.audit_file_action
    else:
        action = view.audit_action
    about_the_child = bool(view.audit_model) and view.audit_child is not None
    expected = {
        "user": world.people["administrator"],
        "action": action,
        "path": path,
        "case_number": world.child.case_number if about_the_child else "",
    }
    found = {key: getattr(entry, key) for key in expected}
    wrong = [
        f"{path}: {key} is {found[key]!r}, not {expected[key]!r}"
        for key in expected
        if found[key] != expected[key]
    ]
    if world.child.first_name in entry.label or world.child.last_name in entry.label:
        wrong.append(f"{path}: the label names the child: {entry.label}")
    return wrong


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(URLS))
def test_each_page_that_shows_a_child_writes_one_audit_entry(name, world, clients):
    path = path_of(name, URLS[name], world)
    before = AuditEntry.objects.count()
    response = clients["administrator"].get(path)
    written = list(AuditEntry.objects.order_by("pk")[before:])
    assert problems(name, view_class_of(response), response, written, world) == []


@pytest.mark.django_db
def test_the_walk_fails_a_child_page_that_does_not_declare_the_mixin(world, clients):
    """The booking page as a view without the mixin would answer it, as a new page
    written without it would; and an audited page that writes no entry."""
    path = path_of("bookings:detail", URLS["bookings:detail"], world)
    response = clients["administrator"].get(path)
    without_the_mixin = type("BookingPage", (TemplateView,), {})
    assert problems("bookings:detail", without_the_mixin, response, [], world) == [
        f"{path} (bookings:detail) shows a child's data: declare "
        "permanence.audit.AuditedMixin on its view, first among its bases."
    ]
    assert problems("bookings:detail", BookingDetailView, response, [], world) == [
        f"{path} wrote 0 audit entries, not 1"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "name", "answer"),
    [
        ("other_social_worker", "tracker:child", 404),
        ("other_social_worker", "bookings:detail", 404),
        ("chair", "bookings:change", 403),
        ("social_worker", "minutes:decision-amend", 403),
    ],
)
def test_a_refusal_is_recorded_against_the_child(role, name, answer, world, clients):
    path = path_of(name, URLS[name], world)
    before = AuditEntry.objects.count()
    assert clients[role].get(path).status_code == answer
    (entry,) = AuditEntry.objects.order_by("pk")[before:]
    assert (entry.user, entry.action, entry.case_number, entry.path) == (
        world.people[role],
        AuditAction.REFUSED,
        world.child.case_number,
        path,
    )


@pytest.mark.django_db
def test_a_child_that_is_not_there_is_recorded_as_refused_with_no_case_number(world, clients):
    before = AuditEntry.objects.count()
    assert clients["administrator"].get("/children/999999/").status_code == 404
    (entry,) = AuditEntry.objects.order_by("pk")[before:]
    assert (entry.action, entry.object_id, entry.case_number) == (
        AuditAction.REFUSED,
        "999999",
        "",
    )


@pytest.mark.django_db
def test_the_tracker_export_is_recorded_as_an_export(world, clients):
    before = AuditEntry.objects.count()
    response = clients["team_manager"].get("/children/", {"export": "csv"})
    assert is_file(response)
    (entry,) = AuditEntry.objects.order_by("pk")[before:]
    assert (entry.user, entry.action, entry.path) == (
        world.people["team_manager"],
        AuditAction.EXPORTED,
        "/children/",
    )


@pytest.mark.django_db
def test_the_query_string_is_not_kept(world, clients):
    before = AuditEntry.objects.count()
    clients["administrator"].get("/children/", {"q": world.child.last_name})
    (entry,) = AuditEntry.objects.order_by("pk")[before:]
    assert entry.path == "/children/"
    assert world.child.last_name not in entry.path + entry.label


def test_anonymous_visitors_are_sent_to_sign_in_and_write_nothing(db):
    before = AuditEntry.objects.count()
    assert Client().get("/children/").status_code == 302
    assert AuditEntry.objects.count() == before
