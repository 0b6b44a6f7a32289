"""Load (or re-load) a seed dataset: ``python manage.py load_seed_data [--file PATH]``.

Safe to run on every start: records are upserted by slug and nothing is written when the
database already says what the file says.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cooperation.models import SearchDocument
from cooperation.search import rebuild
from cooperation.seed.loader import DEFAULT_SEED_FILE, SeedDataError
from cooperation.seed.services import load_seed


class Command(BaseCommand):
    help = "Load a seed dataset (YAML) into the registry; running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            default=None,
            help=f"The seed file to load (default: settings.SEED_DATA_FILE if set, else {DEFAULT_SEED_FILE}).",
        )

    def handle(self, *args, **options):
        path = options["file"] or getattr(settings, "SEED_DATA_FILE", None) or DEFAULT_SEED_FILE
        try:
            report = load_seed(path=Path(path))
        except SeedDataError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        # Saves keep the search index current through signals; a database seeded before the
        # index existed (or restored without it) starts with an empty one, so fill it.
        if not SearchDocument.objects.exists():
            rebuild()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Seed data from {path}:")
            for line in report.lines():
                self.stdout.write(line)
            if report.changed:
                self.stdout.write(self.style.SUCCESS("Seed data loaded."))
            else:
                self.stdout.write(self.style.SUCCESS("Seed data already up to date: nothing changed."))
