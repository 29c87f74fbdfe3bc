from django.apps import AppConfig

from permanence.navigation import NavItem
from permanence.roles import Role


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Child tracker"
    navigation = (
        NavItem("Tracker", "tracker:list", order=30),
        NavItem("Referrals", "referrals:list", order=35, roles=(Role.ADMINISTRATOR,)),
        NavItem(
            "My referrals",
            "referrals:mine",
            order=36,
            roles=(Role.TEAM_MANAGER, Role.SOCIAL_WORKER, Role.BUSINESS_INTELLIGENCE),
        ),
        NavItem("Carers", "carers:list", order=37, roles=(Role.ADMINISTRATOR,)),
        NavItem(
            "Dashboards",
            "tracker:dashboard",
            order=38,
            roles=(Role.SENIOR_MANAGER, Role.ADMINISTRATOR, Role.CHAIR, Role.TEAM_MANAGER),
        ),
    )

    def ready(self):
        from . import receivers  # noqa: F401 - connects the signal receivers
