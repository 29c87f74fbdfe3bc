from django.apps import AppConfig


class MinutesConfig(AppConfig):
    name = "minutes"

    def ready(self):
        from permanence.signals import scan_due

        from . import notices

        scan_due.connect(notices.on_scan_due, dispatch_uid="minutes.notices.scan_due")
