"""The service navigation: one list, filtered by the user's roles."""

from dataclasses import dataclass

from django.urls import reverse

from .roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[Role, ...] = ()  # empty: every signed-in user

    def allows(self, user) -> bool:
        return not self.roles or user.has_any_role(*self.roles)


NAV_ITEMS = (
    NavItem("Home", "home"),
    NavItem("My tasks", "minutes:my-tasks"),
    NavItem("Tracker", "tracker:list"),
    NavItem("Panels", "agendas:panel-list"),
    NavItem("Bookings", "bookings:list"),
    NavItem("My actions", "minutes:my-actions"),
    NavItem("Approvals", "minutes:approvals", roles=(Role.SENIOR_MANAGER,)),
    # Administrators record these on a senior manager's behalf from the panel's page.
    NavItem("Emergency decisions", "minutes:emergency-decisions", roles=(Role.SENIOR_MANAGER,)),
    NavItem("People", "people", roles=(Role.ADMINISTRATOR,)),
    NavItem("Closure days", "closure-days", roles=(Role.ADMINISTRATOR,)),
    NavItem("Outbox", "outbox", roles=(Role.ADMINISTRATOR,)),
)


def navigation_for(user, current_path: str) -> list[dict]:
    items = []
    for item in NAV_ITEMS:
        if item.allows(user):
            url = reverse(item.url_name)
            active = current_path == url if url == "/" else current_path.startswith(url)
            items.append({"label": item.label, "url": url, "active": active})
    return items
