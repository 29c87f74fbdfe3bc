from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.importer import children_import


class Command(BaseCommand):
    help = (
        "Import children from a CSV file (the columns of the import template), creating new "
        "case numbers and updating known ones. All or nothing: one bad row rejects the file, "
        "and every bad row is listed with its line number."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, metavar="FILE.csv")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file fully but save nothing."
        )
        parser.add_argument(
            "--create-teams",
            action="store_true",
            help="Create the teams the file names that do not exist yet, instead of refusing them.",
        )

    def handle(self, *args, file: Path, dry_run: bool, create_teams: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        result = children_import(data=data, dry_run=dry_run, create_teams=create_teams)
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            if result.unknown_teams:
                self.stderr.write(
                    f"To create {', '.join(result.unknown_teams)}, run again with --create-teams."
                )
            count = len(result.problems)
            raise CommandError(
                f"Nothing imported: {file} has {count} problem{'s' if count != 1 else ''}."
            )
        self.stdout.write(result.summary())
