from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tracker.exports import write_csv, write_xlsx
from tracker.models import Child


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of “{text}” is not a date in the form YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Export every child, tracked and secured, as the tracker table: the import columns, "
        "then the derived dates and the flags raised as of a date."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", dest="file_format", choices=("csv", "xlsx"), default="csv")
        parser.add_argument(
            "--as-of", type=str, help="Raise the flags as of this date (YYYY-MM-DD); default today."
        )
        parser.add_argument(
            "--output",
            type=Path,
            help="Write to this file; CSV goes to standard output without it.",
        )

    def handle(self, *args, file_format: str, as_of: str | None, output: Path | None, **options):
        as_of_date = _as_of(as_of) if as_of else timezone.localdate()
        children = Child.objects.all()
        if file_format == "xlsx":
            if output is None:
                raise CommandError("--output FILE is needed for --format xlsx")
            with output.open("wb") as out:
                write_xlsx(children, as_of=as_of_date, out=out)
        elif output is None:
            write_csv(children, as_of=as_of_date, out=self.stdout)
        else:
            with output.open("w", newline="", encoding="utf-8") as out:
                write_csv(children, as_of=as_of_date, out=out)
