from django.apps import AppConfig

from permanence.navigation import NavItem


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Child tracker"
    navigation = (NavItem("Tracker", "tracker:list", order=30),)

    def ready(self):
        from . import receivers  # noqa: F401 - connects the signal receivers
