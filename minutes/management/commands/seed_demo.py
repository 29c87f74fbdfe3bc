from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from agendas.models import Panel
from minutes.demo import (
    CHILD_COUNT,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    SENIOR_DECISION_MAKERS,
    demo_data_load,
    demo_data_loaded,
    demo_deputy_login,
    demo_panel_seats_fill,
    demo_seat_plan,
)
from permanence.roles import Role


class Command(BaseCommand):
    help = "Load synthetic demo data once (users for every role, the five panels, children)."

    def handle(self, *args, **options):
        if demo_data_loaded():
            # Fills any seat left empty, such as on a demo database loaded before seats were.
            demo_panel_seats_fill()
            self.stdout.write("Demo data already loaded.")
        else:
            demo_data_load(today=timezone.localdate())
            self.stdout.write(f"Loaded the five panels and {CHILD_COUNT} synthetic children.")
        self.stdout.write(f"\n{settings.SERVICE_NAME} demo logins (password: {DEMO_PASSWORD})")
        for login in DEMO_LOGINS:
            title = f"  ({login.job_title})" if login.job_title else ""
            self.stdout.write(f"  {login.role.label:<20} {login.email}{title}")
        self.stdout.write(
            "  Administrators, chairs and senior managers set up two-factor sign-in (an "
            "authenticator app) the first time they sign in."
        )
        self.stdout.write("\nSomerset's emergency decision-makers (senior managers)")
        for login in SENIOR_DECISION_MAKERS:
            self.stdout.write(f"  {login.email:<44} {login.job_title}")
        self.stdout.write(
            "\nEach panel's deputy chair (or second joint chair) and other seat-holders; "
            "the chair and member logins above sit on every panel"
        )
        for panel in Panel.objects.order_by("slug"):
            seats = [
                login.email
                for _, login in demo_seat_plan(panel)
                if login.role == Role.PANEL_MEMBER and login not in DEMO_LOGINS
            ]
            line = f"  {panel.slug:<15} {demo_deputy_login(panel).email}"
            if seats:
                line += f"; seats: {seats[0]}" + (f" to {seats[-1]}" if len(seats) > 1 else "")
            self.stdout.write(line)
