"""The interface's catalogues (locale/<lang>/LC_MESSAGES/django.po) are complete: every entry
translated (every plural form), none fuzzy, the placeholders of each translation the same as its
English; and ``manage.py compile_catalogues`` turns them into the .mo files Django reads."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"))


def entries(path):
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale=path.parent.parent.name)
    return catalog, [message for message in catalog if message.id]


def test_there_is_a_catalogue_for_each_language_but_english():
    assert {path.parent.parent.name for path in CATALOGUES} == {"az", "ru"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parent.parent.name)
def test_every_entry_is_translated_and_none_is_fuzzy(path):
    catalog, messages = entries(path)

    untranslated = [
        message.id for message in messages if not all(message.string if message.pluralizable else [message.string])
    ]
    fuzzy = [message.id for message in messages if message.fuzzy]

    assert len(messages) > 100
    assert not untranslated, f"{len(untranslated)} untranslated in {path}: {untranslated[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {path}: {fuzzy[:10]}"
    if any(message.pluralizable for message in messages):
        assert all(len(message.string) == catalog.num_plurals for message in messages if message.pluralizable)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parent.parent.name)
def test_translations_keep_the_placeholders(path):
    catalog, messages = entries(path)

    # Babel's checkers: python-format placeholders ("%(count)s") the same in the translation.
    wrong = {message.id: [str(error) for error in message.check(catalog)] for message in messages}
    wrong = {key: errors for key, errors in wrong.items() if errors}

    assert not wrong, f"placeholders differ in {path}: {list(wrong.items())[:10]}"


def test_azerbaijani_gives_no_number_one_ending_for_all():
    """An Azerbaijani ordinal's ending follows the number ("2007-ci", "2010-cu", "2006-cı",
    "2003-cü"): a translation must not write one ending after a placeholder ("%(number)s-ci
    səhifə" is wrong for page 3). Years take theirs from date_words.ordinal_year (the only
    entries that may write one: each for its CLDR category); other numbers are put another way
    ("%(number)s nömrəli səhifə")."""
    path = next(path for path in CATALOGUES if path.parent.parent.name == "az")
    _catalog, messages = entries(path)
    ending = re.compile(r"%\(\w+\)s-c[iıuü]\b")

    wrong = [
        message.id
        for message in messages
        if not (message.context or "").startswith("year as an ordinal")
        for string in (message.string if message.pluralizable else [message.string])
        if ending.search(string)
    ]

    assert not wrong, wrong


def test_the_catalogues_compile_into_what_django_reads(tmp_path, settings):
    for path in CATALOGUES:
        target = tmp_path / path.parent.parent.name / "LC_MESSAGES"
        target.mkdir(parents=True)
        (target / "django.po").write_bytes(path.read_bytes())
    settings.LOCALE_PATHS = [tmp_path]

    call_command("compile_catalogues", verbosity=0)

    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.glob("*/LC_MESSAGES/django.mo")) == [
        "az/LC_MESSAGES/django.mo",
        "ru/LC_MESSAGES/django.mo",
    ]


@pytest.mark.parametrize(("language", "expected"), [("az", "Tərəfdaşlar"), ("ru", "Партнёры")])
def test_django_reads_the_registry_translations(language, expected):
    with translation.override(language):
        assert translation.gettext("Partners") == expected


@pytest.mark.parametrize(("language", "expected"), [("en-gb", "Switzerland"), ("az", "İsveçrə"), ("ru", "Швейцария")])
def test_countries_are_named_in_each_language(language, expected):
    """django-countries has no Azerbaijani catalogue: CLDR's names fill it (compile_catalogues)."""
    from django_countries import countries

    with translation.override(language):
        assert countries.name("CH") == expected


def test_countries_are_named_in_the_nominative_in_russian():
    """django-countries' own Russian catalogue names three in the genitive ("Либерии"), as the
    place facets and maps showed them; the registry's catalogue comes first."""
    from django_countries import countries

    with translation.override("ru"):
        names = [countries.name(code) for code in ("LR", "MM", "NC", "SM")]
    assert names == ["Либерия", "Мьянма", "Новая Каледония", "Сан-Марино"]
