"""A record's text in three languages: English in the field itself (``name``), the translations in
plain columns beside it (``name_az``, ``name_ru``), empty where nobody has translated it.

Why columns on the record's own row, and not django-parler or django-modeltranslation
(docs/languages.md has the whole reasoning): a list page reads its rows, their facets and their
exports in a constant number of queries, and the translations come with the row, so no page gains
a query by language. parler keeps translations in a second table (a join or a prefetch for every
model on every list and facet). modeltranslation also adds columns, but rewrites every query on
``name`` into the active language's column and adds a ``name_en`` copy of the English, which the
facets, exports, import, search index and history here all read by name; and simple-history only
sees its fields when registered from its translation module. Declared in the model's own class
body, the columns are ordinary fields: migrations, history, the admin, exports and the API see them
without any registry.

- :func:`translations` declares the columns: ``name_az, name_ru = translations(name)``;
- :func:`localized` reads a field in the active language, falling back to English, and says which
  language the text is really in (:class:`LocalizedText`), so a page can mark English text on an
  Azerbaijani page with ``lang="en"``;
- :func:`translated_fields` lists a model's translated fields.
"""

import functools
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.functional import lazy
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

# The language of a record's own fields: the site's default (settings.LANGUAGE_CODE, "en-gb").
SOURCE_LANGUAGE = "en"
# The languages with columns of their own beside each translated field, and their names (a
# column's label in the admin and the exports' documentation).
TRANSLATION_LANGUAGES = {"az": _("Azerbaijani"), "ru": _("Russian")}
capfirst_lazy = lazy(capfirst, str)


def language_code(language: str | None = None) -> str:
    """The two-letter code of ``language`` (the active one by default): "en-gb" → "en"."""
    return (language or translation.get_language() or settings.LANGUAGE_CODE)[:2].lower()


def country_name(code: str, language: str | None = None) -> str:
    """The name of the country of ISO 3166-1 alpha-2 ``code`` in ``language`` (the active one by
    default), remembered: django-countries translates it anew each time (27 µs, and some gettext
    calls), and a map, a timeline or an export names hundreds; "" for none."""
    return _country_name(str(code), language or translation.get_language()) if code else ""


@functools.lru_cache(maxsize=4096)
def _country_name(code: str, language: str) -> str:
    with translation.override(language):
        return str(countries.name(code))


def html_lang(language: str) -> str:
    """The BCP 47 tag of a language as ``lang``/``hreflang`` write it: "en-gb" → "en-GB"."""
    base, _, region = language.partition("-")
    return f"{base}-{region.upper()}" if region else base


def translations(field: models.Field, name: str) -> tuple[models.Field, ...]:
    """The columns holding the translations of ``field`` (named ``name``), one per language of
    TRANSLATION_LANGUAGES, in that order: the same kind and length as the English field, optional,
    never unique, no choices; labelled "Name (Azerbaijani)" in the active language.

    Used in a model's class body: ``name_az, name_ru = translations(name, "name")``."""
    _name, _path, _args, kwargs = field.deconstruct()
    verbose = kwargs.pop("verbose_name", None) or _(name.replace("_", " "))
    for key in ("unique", "db_index", "choices", "help_text", "null", "default", "blank", "validators"):
        kwargs.pop(key, None)
    return tuple(
        field.__class__(
            blank=True,
            default="",
            verbose_name=format_lazy("{} ({})", capfirst_lazy(verbose), language),
            **kwargs,
        )
        for language in TRANSLATION_LANGUAGES.values()
    )


class LocalizedText(str):
    """Text with the language it is in: ``.lang`` ("en", "az", "ru") and ``.fallback`` (True when
    the page's language has no translation and this is the English)."""

    lang: str
    fallback: bool

    def __new__(cls, value: str, lang: str, fallback: bool = False) -> "LocalizedText":
        text = super().__new__(cls, value)
        text.lang, text.fallback = lang, fallback
        return text

    def __reduce__(self) -> tuple:
        # Cached values are pickled: the language goes with the text.
        return (LocalizedText, (str(self), self.lang, self.fallback))


def localized(obj: object, field: str, language: str | None = None) -> LocalizedText:
    """``obj.<field>`` in ``language`` (the active one by default): the translation when there is
    one, else the English (marked as a fallback when another language was asked for)."""
    code = language_code(language)
    if code in TRANSLATION_LANGUAGES:
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return LocalizedText(value, code)
    value = getattr(obj, field, "")
    return LocalizedText("" if value is None else str(value), SOURCE_LANGUAGE, fallback=code != SOURCE_LANGUAGE)


def localized_place(record: object, language: str | None = None) -> str:
    """A record's ``city`` and ``country`` in ``language`` (the active one by default): "Bakı,
    Azərbaycan", the city's translation where there is one; "" for neither."""
    city = localized(record, "city", language) if getattr(record, "city", "") else ""
    code = getattr(record, "country", None)
    return ", ".join(part for part in [city, country_name(code.code, language) if code else ""] if part)


def first_localized(obj: object, *fields: str, language: str | None = None) -> LocalizedText:
    """The first of ``fields`` that has text in ``language`` (e.g. a short title, else the title);
    when none is translated, the first that has English text, marked as a fallback."""
    return first_localized_value(lambda name: getattr(obj, name, ""), *fields, language=language)


def first_localized_value(
    value_of: Callable[[str], object], *fields: str, language: str | None = None
) -> LocalizedText:
    """:func:`first_localized` for a row that is not a record (``value_of`` as for
    :func:`localized_value`): a partner's acronym, else its name, in the page's language first."""
    code = language_code(language)
    if code in TRANSLATION_LANGUAGES:
        for field in fields:
            if value := value_of(f"{field}_{code}"):
                return LocalizedText(str(value), code)
    for field in fields:
        if value := value_of(field):
            return LocalizedText(str(value), SOURCE_LANGUAGE, fallback=code != SOURCE_LANGUAGE)
    return LocalizedText("", SOURCE_LANGUAGE, fallback=code != SOURCE_LANGUAGE)


def joined(template: str, first: LocalizedText, **others: str) -> LocalizedText:
    """``template`` filled in (``"{first} ({acronym})"``), in ``first``'s language: how a name made
    of several fields keeps the marking of its main part."""
    return LocalizedText(template.format(first=first, **others), first.lang, first.fallback)


def in_language_of(original: str, text: str) -> str:
    """``text``, made from ``original`` (cut short, say), in ``original``'s language: a name cut to
    fit a picture's label is still English on an Azerbaijani page, and is marked so."""
    if isinstance(original, LocalizedText):
        return LocalizedText(text, original.lang, original.fallback)
    return text


def localized_value(value_of: Callable[[str], object], field: str, language: str | None = None) -> LocalizedText:
    """:func:`localized` for a row that is not a record: ``value_of(name)`` reads a column (e.g.
    ``row.get`` of a ``values()`` row), None for one the row does not have."""
    code = language_code(language)
    if code in TRANSLATION_LANGUAGES and (value := value_of(f"{field}_{code}")):
        return LocalizedText(str(value), code)
    value = value_of(field)
    return LocalizedText("" if value is None else str(value), SOURCE_LANGUAGE, fallback=code != SOURCE_LANGUAGE)


def with_translations(*fields: str) -> tuple[str, ...]:
    """``fields`` followed by their translation columns: ("name",) → ("name", "name_az", "name_ru"),
    for ``only()``/``values()`` that must read a field in every language."""
    return (*fields, *(f"{field}_{code}" for field in fields for code in TRANSLATION_LANGUAGES))


@functools.cache
def translated_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields of ``model`` that have translation columns, in the model's order (read once a
    model: the admin, the API's serializers and the exports ask on every form, list and file)."""
    names = {field.name for field in model._meta.concrete_fields}
    return tuple(
        field.name
        for field in model._meta.concrete_fields
        if all(f"{field.name}_{code}" in names for code in TRANSLATION_LANGUAGES)
    )


def translation_columns_of(model: type[models.Model], field: str) -> list[str]:
    """``field``'s translation columns on ``model`` (none if it is not translated)."""
    return [column for name, _code, column in translation_columns(model) if name == field]


def translation_columns(model: type[models.Model]) -> Iterator[tuple[str, str, str]]:
    """(field, language code, column) for every translation column of ``model``."""
    for field in translated_fields(model):
        for code in TRANSLATION_LANGUAGES:
            yield field, code, f"{field}_{code}"
