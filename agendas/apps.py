from django.apps import AppConfig


class AgendasConfig(AppConfig):
    name = "agendas"

    def ready(self):
        from permanence.signals import notification_sent, scan_due

        from . import notices

        scan_due.connect(notices.queue_due_notices, dispatch_uid="agendas.queue_due_notices")
        notification_sent.connect(
            notices.record_booking_told, dispatch_uid="agendas.record_booking_told"
        )
