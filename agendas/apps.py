from django.apps import AppConfig

from permanence.navigation import NavItem
from permanence.roles import Role


class AgendasConfig(AppConfig):
    name = "agendas"
    navigation = (
        NavItem("Panels", "agendas:panel-list", order=40),
        NavItem("Bookings", "bookings:list", order=50),
        NavItem("New to care", "new-to-care:list", order=55, roles=(Role.ADMINISTRATOR,)),
    )

    def ready(self):
        from permanence.signals import (
            notification_sent,
            person_holds,
            scan_due,
            user_deactivated,
        )

        from . import notices

        scan_due.connect(notices.queue_due_notices, dispatch_uid="agendas.queue_due_notices")
        notification_sent.connect(
            notices.record_booking_told, dispatch_uid="agendas.record_booking_told"
        )
        user_deactivated.connect(_seats_free, dispatch_uid="agendas.seats_free")
        person_holds.connect(_seats_held, dispatch_uid="agendas.seats_held")


def _seats_free(sender, user, **kwargs):
    from . import services

    services.seats_free(person=user)


def _seats_held(sender, user, **kwargs) -> list[str]:
    from . import selectors

    return selectors.seats_held(person=user)
