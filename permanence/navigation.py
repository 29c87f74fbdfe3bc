"""The service navigation, built from each app's own entries: an app lists its pages in its
AppConfig's `navigation`, and this module orders them and filters them by the user's roles.
A new page goes into the menu from its own app's apps.py."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse

from .roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # Where the entry stands in the menu, across every app's entries: lowest first.
    order: int
    roles: tuple[Role, ...] = ()  # empty: every signed-in user

    def allows(self, user) -> bool:
        return not self.roles or user.has_any_role(*self.roles)


def nav_items() -> list[NavItem]:
    """Every app's entries, in menu order."""
    entries = [
        item for config in apps.get_app_configs() for item in getattr(config, "navigation", ())
    ]
    return sorted(entries, key=lambda item: item.order)


def navigation_for(user, current_path: str) -> list[dict]:
    items = []
    for item in nav_items():
        if item.allows(user):
            url = reverse(item.url_name)
            active = current_path == url if url == "/" else current_path.startswith(url)
            items.append({"label": item.label, "url": url, "active": active})
    return items
