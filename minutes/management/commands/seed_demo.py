from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from minutes.demo import CHILD_COUNT, DEMO_LOGINS, DEMO_PASSWORD, demo_data_load, demo_data_loaded


class Command(BaseCommand):
    help = "Load synthetic demo data once (users for every role, the five panels, children)."

    def handle(self, *args, **options):
        if demo_data_loaded():
            self.stdout.write("Demo data already loaded.")
        else:
            demo_data_load(today=timezone.localdate())
            self.stdout.write(f"Loaded the five panels and {CHILD_COUNT} synthetic children.")
        self.stdout.write(f"\n{settings.SERVICE_NAME} demo logins (password: {DEMO_PASSWORD})")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.role.label:<20} {login.email}")
