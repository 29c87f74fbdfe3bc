from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import date_format

from agendas import services
from agendas.models import Panel


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"“{text}” is not a date: write it as YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Create a panel's meetings from its cadence between two dates. Dates on a bank "
        "holiday or closure day are listed for you to move, not created."
    )

    def add_arguments(self, parser):
        parser.add_argument("panel", metavar="PANEL", help="the panel's slug, e.g. somerset")
        parser.add_argument("--from", dest="start", required=True, type=_day, metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, type=_day, metavar="YYYY-MM-DD")

    def handle(self, *args, panel, start, end, **options):
        try:
            panel = Panel.objects.get(slug=panel)
        except Panel.DoesNotExist:
            known = ", ".join(Panel.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No panel called “{panel}”. The panels are: {known}.") from None
        try:
            result = services.meetings_schedule(panel=panel, start=start, end=end)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for meeting in result.created:
            self.stdout.write(f"Scheduled {date_format(meeting.date)}")
        for day in result.already_scheduled:
            self.stdout.write(f"Already scheduled {date_format(day)}")
        for day, reason in result.to_move:
            self.stdout.write(f"Not scheduled {date_format(day)}: {reason}. Choose another day.")
        self.stdout.write(
            f"{panel.name}: {len(result.created)} meetings scheduled, "
            f"{len(result.already_scheduled)} already scheduled, {len(result.to_move)} to move."
        )
