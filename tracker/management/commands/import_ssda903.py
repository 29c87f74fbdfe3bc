from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tracker.importer.ssda903 import ssda903_import, ssda903_read

# Exit statuses a script can tell apart: 1 nothing imported (the return cannot be read),
# 2 imported, but some children were refused and are listed.
CHILDREN_REFUSED = 2


class Command(BaseCommand):
    help = (
        "Import the DfE children-looked-after return (SSDA903): its CSV tables (header, "
        "episodes, and optionally reviews, placed_for_adoption, ad1; each known by its header "
        "row) or one XML file. Prints what changes child by child; refuses a return it cannot "
        "read, by file, line and field; lists every child it cannot take, with the reasons."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", type=Path, nargs="+", metavar="FILE")
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and check everything but save nothing."
        )

    def handle(self, *args, files: list[Path], dry_run: bool, **options):
        read = []
        for file in files:
            try:
                read.append((file.name, file.read_bytes()))
            except OSError as error:
                raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        try:
            ret = ssda903_read(read)
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            count = len(error.messages)
            raise CommandError(
                f"Nothing imported: the return has {count} problem{'s' if count != 1 else ''}."
            ) from None
        report = ssda903_import(ret=ret, dry_run=dry_run, by=None)
        for child in report.changed:
            heading = "New child" if child.created else "Child"
            self.stdout.write(f"{heading} {child.case_number}:")
            for change in child.changes:
                self.stdout.write(f"  {change}")
        for case_number, since in report.at_least:
            self.stdout.write(
                f"Child {case_number}: looked after since at least {since:%d/%m/%Y} "
                "(the period of care began before the return)"
            )
        for skipped in report.skipped:
            self.stdout.write(f"Left alone: {skipped}")
        for refusal in report.refused:
            self.stderr.write(f"Refused: {refusal}")
        self.stdout.write(report.summary())
        if report.refused:
            raise CommandError(
                f"{len(report.refused)} children were refused: see the reasons above.",
                returncode=CHILDREN_REFUSED,
            )
