from django.core.management.base import BaseCommand, CommandError

from agendas import presets, services


class Command(BaseCommand):
    help = (
        "Create the seed panels from their terms of reference, or put them back to them. "
        "Chairs and the people sitting on each panel are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "slugs", nargs="*", metavar="SLUG", help=f"Only these: {', '.join(presets.PRESETS)}"
        )

    def handle(self, *args, slugs, **options):
        unknown = [slug for slug in slugs if slug not in presets.PRESETS]
        if unknown:
            raise CommandError(
                f"No preset called {', '.join(unknown)}. The presets are: "
                f"{', '.join(presets.PRESETS)}."
            )
        for slug in slugs or presets.PRESETS:
            result = services.panel_preset_load(slug=slug)
            if result.created:
                outcome = "created"
            elif result.changes:
                outcome = f"restored to its terms of reference ({result.changes} changes)"
            else:
                outcome = "already matches its terms of reference"
            if options["verbosity"]:
                self.stdout.write(f"{result.panel.name} ({slug}): {outcome}")
