from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Child tracker"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the signal receivers
