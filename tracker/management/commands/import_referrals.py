from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.importer.referrals import REFERRAL_COLUMNS, referrals_import


class Command(BaseCommand):
    help = (
        "Send referrals from a CSV file, one a row (columns: "
        + ", ".join(REFERRAL_COLUMNS.known)
        + "). All or nothing: one bad row rejects the file, and every bad row is listed "
        "with its line number. Each referral emails the panel administrators once."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, metavar="FILE.csv")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file fully but send nothing."
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        result = referrals_import(data=data, dry_run=dry_run)
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            count = len(result.problems)
            raise CommandError(
                f"Nothing imported: {file} has {count} problem{'s' if count != 1 else ''}."
            )
        self.stdout.write(result.summary())
