from django.apps import AppConfig

from .navigation import NavItem
from .roles import Role


class PermanenceConfig(AppConfig):
    name = "permanence"
    verbose_name = "Permanence"
    navigation = (
        NavItem("Home", "home", order=10),
        NavItem("People", "people", order=90, roles=(Role.ADMINISTRATOR,)),
        NavItem("Closure days", "closure-days", order=100, roles=(Role.ADMINISTRATOR,)),
        NavItem("Outbox", "outbox", order=110, roles=(Role.ADMINISTRATOR,)),
        NavItem("Audit", "audit:search", order=120, roles=(Role.ADMINISTRATOR,)),
    )

    def ready(self):
        from . import outbox  # noqa: F401 - registers its system check
        from .audit import receivers
        from .jobs import kinds
        from .jobs import receivers as job_receivers
        from .signin import receivers as signin_receivers  # noqa: F401 - connects them

        receivers.connect_changes()
        job_receivers.connect()
        kinds.discover()
