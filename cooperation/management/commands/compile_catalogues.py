"""``manage.py compile_catalogues``: every ``locale/<lang>/LC_MESSAGES/*.po`` written as the ``.mo``
file Django reads, with Babel (pure Python), so no machine needs GNU gettext to run the site.

And the country names django-countries has no catalogue for (Azerbaijani), from CLDR (Babel's
territory names): ``locale/cldr/<lang>/LC_MESSAGES/django.mo``, a catalogue of django-countries'
own English names (its msgids) with CLDR's translations, on settings.LOCALE_PATHS after the
registry's own, so every place that names a country (``countries.name``, ``Country.name``, the
country facets) names it in the page's language.

The ``.mo`` files are build output (not committed): ``make run``, ``make test`` and ``make serve``
compile them first. A ``.mo`` newer than its ``.po`` is left as it is.
"""

from pathlib import Path

import django_countries
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand
from django_countries.data import COUNTRIES

# Where CLDR's country names go: the second of settings.LOCALE_PATHS.
CLDR_LOCALE_DIR = "cldr"


def country_catalog(language: str) -> Catalog:
    """django-countries' names (their msgids, with context where it has one) in ``language``, as
    CLDR writes them; a name CLDR does not have is left out (the English shows)."""
    territories = Locale.parse(language).territories
    catalog = Catalog(locale=language, domain="django")
    for code, name in COUNTRIES.items():
        args = getattr(name, "_args", (str(name),))  # gettext_lazy(msgid) or pgettext_lazy(context, msgid)
        context, msgid = (args[0], args[1]) if len(args) == 2 else (None, args[0])
        if code in territories:
            catalog.add(msgid, territories[code], context=context)
    return catalog


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
        self.country_names(force)

    def country_names(self, force: bool) -> None:
        """CLDR's country names for each language django-countries has no catalogue for."""
        shipped = {path.name.split("_")[0] for path in (Path(django_countries.__file__).parent / "locale").iterdir()}
        cldr_dirs = [Path(root) for root in settings.LOCALE_PATHS if Path(root).name == CLDR_LOCALE_DIR]
        if not cldr_dirs:
            return
        for code, _name in settings.LANGUAGES:
            language = code.split("-")[0]
            if language in shipped:
                continue
            mo_path = cldr_dirs[0] / language / "LC_MESSAGES" / "django.mo"
            if mo_path.exists() and not force:
                continue
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, country_catalog(language))
            self.stdout.write(f"Wrote CLDR's country names in {language}: {mo_path}")
