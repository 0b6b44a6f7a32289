"""``manage.py compile_catalogues``: every ``locale/<lang>/LC_MESSAGES/*.po`` written as the ``.mo``
file Django reads, with Babel (pure Python), so no machine needs GNU gettext to run the site.

The ``.mo`` files are build output (not committed): ``make run``, ``make test`` and ``make serve``
compile them first. A ``.mo`` newer than its ``.po`` is left as it is.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the interface's .po catalogues (settings.LOCALE_PATHS) into .mo files, with Babel."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile even a catalogue whose .mo is newer.")

    def handle(self, *args, force: bool = False, **options) -> None:
        compiled = 0
        for po_path in sorted(p for root in settings.LOCALE_PATHS for p in Path(root).glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parent.parent.name)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=False)
            compiled += 1
            self.stdout.write(f"Compiled {po_path}")
        self.stdout.write(f"{compiled} catalogue(s) compiled.")
