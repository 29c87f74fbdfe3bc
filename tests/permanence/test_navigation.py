"""The service navigation: each app lists its own pages in its AppConfig, and the menu puts
every app's entries in one order and shows each person the ones their roles allow."""

import pytest
from django.apps import apps
from django.urls import reverse

from permanence.navigation import NavItem, navigation_for
from permanence.roles import Role

pytestmark = pytest.mark.django_db

EVERY_PAGE = [
    "Home",
    "My tasks",
    "Tracker",
    "Referrals",
    "My referrals",
    "Carers",
    "Dashboards",
    "Panels",
    "Bookings",
    "New to care",
    "My actions",
    "Approvals",
    "Finance",
    "Emergency decisions",
    "People",
    "Closure days",
    "Outbox",
    "Audit",
]
EVERYONE = ["Home", "My tasks", "Tracker", "Panels", "Bookings", "My actions"]
# Those who send referrals (North Somerset 3.2) see theirs after the tracker.
SENDERS = ["Home", "My tasks", "Tracker", "My referrals", "Panels", "Bookings", "My actions"]
# Those who answer for drift and delay across children see the dashboards after the tracker.
OVERSIGHT = ["Home", "My tasks", "Tracker", "Dashboards", "Panels", "Bookings", "My actions"]


def labels(user, path="/") -> list[str]:
    return [item["label"] for item in navigation_for(user, path)]


def test_someone_with_every_role_sees_every_page_in_the_menus_order(make_user):
    assert labels(make_user(*Role)) == EVERY_PAGE


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.SOCIAL_WORKER, SENDERS),
        (
            Role.TEAM_MANAGER,
            ["Home", "My tasks", "Tracker", "My referrals", "Dashboards", "Panels", "Bookings"]
            + ["My actions"],
        ),
        (Role.BUSINESS_INTELLIGENCE, SENDERS),
        (Role.PANEL_MEMBER, EVERYONE),
        (Role.CHAIR, OVERSIGHT),
        (Role.SENIOR_MANAGER, [*OVERSIGHT, "Approvals", "Finance", "Emergency decisions"]),
        (
            Role.ADMINISTRATOR,
            [
                "Home",
                "My tasks",
                "Tracker",
                "Referrals",
                "Carers",
                "Dashboards",
                "Panels",
                "Bookings",
                "New to care",
                "My actions",
                "Finance",
                "People",
                "Closure days",
                "Outbox",
                "Audit",
            ],
        ),
    ],
)
def test_each_role_sees_the_pages_its_roles_allow(make_user, role, expected):
    assert labels(make_user(role)) == expected


def test_someone_with_no_role_sees_the_pages_for_everyone(make_user):
    assert labels(make_user()) == EVERYONE


@pytest.mark.parametrize(
    ("app", "pages"),
    [
        ("permanence", ["Home", "People", "Closure days", "Outbox", "Audit"]),
        ("tracker", ["Tracker", "Referrals", "My referrals", "Carers", "Dashboards"]),
        ("agendas", ["Panels", "Bookings", "New to care"]),
        ("minutes", ["My tasks", "My actions", "Approvals", "Finance", "Emergency decisions"]),
    ],
)
def test_each_app_lists_its_own_pages(app, pages):
    assert [item.label for item in apps.get_app_config(app).navigation] == pages


def test_an_apps_new_entry_joins_the_menu_at_its_place(make_user, monkeypatch):
    tracker = apps.get_app_config("tracker")
    referrals = NavItem("Referrals", "tracker:list", order=35, roles=(Role.ADMINISTRATOR,))
    monkeypatch.setattr(tracker, "navigation", (*tracker.navigation, referrals))
    assert labels(make_user(Role.ADMINISTRATOR))[:4] == ["Home", "My tasks", "Tracker", "Referrals"]
    assert "Referrals" not in labels(make_user(Role.SOCIAL_WORKER))


def test_the_current_page_is_marked_and_home_only_on_itself(make_user):
    administrator = make_user(Role.ADMINISTRATOR)
    for path, current in [(reverse("tracker:child", args=[42]), "Tracker"), ("/", "Home")]:
        items = navigation_for(administrator, path)
        assert [item["label"] for item in items if item["active"]] == [current]
