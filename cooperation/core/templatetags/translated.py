"""A record's text in the page's language (cooperation/core/translation.py).

``{% localized partner "name" %}`` writes the name in the page's language; where it has no
translation it writes the English in ``<span lang="en">…</span>``, so a reader's browser and
screen reader know the words are English. ``{{ partner|localized:"name" }}`` is the plain text, for
attributes (``title``, ``alt``, ``content``) where markup cannot go; ``{{ label|lang_attribute }}``
marks an element that holds nothing but the name (an SVG ``<text>``, where no ``<span>`` goes).

``{% language_links %}`` and the alternates use :func:`translated_path` (the same page in another
language, its query string kept).
"""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from cooperation.core.html import esc
from cooperation.core.text import upper_first
from cooperation.core.translation import LocalizedText, country_name, html_lang, localized

register = template.Library()


def marked(text: LocalizedText) -> SafeString:
    """``text`` as HTML: in a ``<span lang>`` when it is not in the page's language. (Escaped by
    ``esc`` rather than ``format_html``, which escapes the same way: a partner's timeline and
    a year page mark hundreds of names.)"""
    if text and text.fallback:
        return mark_safe(f'<span lang="{esc(html_lang(text.lang))}">{esc(text)}</span>')  # noqa: S308 - escaped
    return mark_safe(esc(text))  # noqa: S308 - escaped


@register.filter
def lang_attribute(text: object) -> SafeString:
    """`` lang="en"`` for an element whose whole text is ``text`` when that is not in the page's
    language, else "": an SVG ``<text>`` label, where a ``<span>`` cannot go. (SVG 2 defines
    ``lang``; the Nu checker accepts it on ``<text>`` and ``<tspan>`` in an HTML page.)"""
    if isinstance(text, LocalizedText) and text and text.fallback:
        return mark_safe(f' lang="{esc(html_lang(text.lang))}"')  # noqa: S308 - escaped
    return mark_safe("")


@register.simple_tag(name="localized")
def localized_tag(obj: object, field: str) -> str:
    return marked(localized(obj, field))


@register.filter(name="localized")
def localized_filter(obj: object, field: str) -> str:
    return str(localized(obj, field))


@register.filter
def marked_text(text: object) -> SafeString:
    """A LocalizedText from Python (e.g. a facet's label) as HTML, marked when it is English."""
    return marked(text) if isinstance(text, LocalizedText) else mark_safe(esc(text))  # noqa: S308 - escaped


@register.filter(name="country_name")
def country_name_filter(country: object) -> str:
    """A country (a ``CountryField``'s value, or its code) named in the page's language, as
    ``country.name`` names it but remembered (:func:`country_name`): django-countries translates
    it anew each time, and 25 offices' countries took 1.7 ms of a partner's page."""
    return country_name(str(getattr(country, "code", country) or ""))


@register.filter
def in_page_language(path: str) -> str:
    """A page's English address (as the search index keeps it) in the page's language: read as
    an English address (an unprefixed one resolves only in English), written in the page's."""
    language = get_language()
    with translation.override(settings.LANGUAGE_CODE):
        return translate_url(path, language)


def translated_path(full_path: str, language: str) -> str:
    """The same page in ``language``: /az/projects/?topic=x for /projects/?topic=x. The query
    string is kept as it is (``translate_url`` keeps it)."""
    return translate_url(full_path, language)


@register.simple_tag(takes_context=True)
def language_versions(context: template.Context) -> list[dict]:
    """The page in every language: code, BCP 47 tag, name (in its own language), path with the
    query string (the switcher keeps the filters), path without it (the alternates, like the
    canonical link), and whether it is the page's own."""
    request = context.get("request")
    current = get_language()
    full_path = request.get_full_path() if request else "/"
    bare_path = request.path if request else "/"
    return [
        {
            "code": code,
            "tag": html_lang(code),
            "name": name,
            "path": translated_path(full_path, code),
            "bare_path": translated_path(bare_path, code),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


# Open Graph names a language with its territory: the registry's languages as they are spoken here.
OG_LOCALES = {"en": "en_GB", "az": "az_AZ", "ru": "ru_RU"}


@register.filter(name="html_lang")
def html_lang_filter(language: str) -> str:
    return html_lang(language)


@register.filter
def og_locale(language: str) -> str:
    return OG_LOCALES.get(language[:2], language.replace("-", "_"))


@register.filter
def startswith(text: str, prefix: str) -> bool:
    """``{% if request.path|startswith:partners_url %}``: the page is in that section."""
    return bool(prefix) and str(text).startswith(str(prefix))


@register.filter(name="upper_first")
def upper_first_filter(text: object) -> str:
    """Django's ``capfirst`` as the page's language writes a capital: Azerbaijani's i is İ."""
    return upper_first(text)
