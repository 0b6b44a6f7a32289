from django.core.management.base import BaseCommand

from cooperation.search import rebuild
from cooperation.search.results import PLURALS


class Command(BaseCommand):
    help = (
        "Rebuild the site search index from scratch: one document for every published record. "
        "Run it after writes that send no signals (QuerySet.update, bulk_create, loaddata) or after a "
        "migration that alters the search table on SQLite."
    )

    def handle(self, *args, **options):
        counts = rebuild()
        summary = ", ".join(f"{count} {PLURALS[kind].lower()}" for kind, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Indexed {sum(counts.values())} published records: {summary}."))
