from django.apps import AppConfig

from permanence.navigation import NavItem
from permanence.roles import Role


class MinutesConfig(AppConfig):
    name = "minutes"
    navigation = (
        NavItem("My tasks", "minutes:my-tasks", order=20),
        NavItem("My actions", "minutes:my-actions", order=60),
        NavItem("Approvals", "minutes:approvals", order=70, roles=(Role.SENIOR_MANAGER,)),
        NavItem(
            "Finance",
            "minutes:finance",
            order=75,
            roles=(Role.ADMINISTRATOR, Role.SENIOR_MANAGER),
        ),
        # Administrators record these on a senior manager's behalf from the panel's page.
        NavItem(
            "Emergency decisions",
            "minutes:emergency-decisions",
            order=80,
            roles=(Role.SENIOR_MANAGER,),
        ),
    )

    def ready(self):
        from permanence.signals import scan_due

        from . import notices

        scan_due.connect(notices.on_scan_due, dispatch_uid="minutes.notices.scan_due")
