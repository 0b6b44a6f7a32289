"""Small text helpers every part of the registry shares: cutting a value short for a message,
control characters out of what a feed or a notice carries, what a record's text may not hold,
a spreadsheet cell that cannot be a formula (and back), names joined as a sentence, a field's
label as a form shows it, a name folded for matching, a language's name, a label in lower case
and a capital first letter as the page's language writes them."""

import re
import unicodedata
from collections.abc import Iterable

from django.conf.locale import LANG_INFO
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, gettext_noop

_CONTROLS = "\x00-\x1f\x7f-\x9f"  # C0, DEL and C1
CONTROL_CHARACTERS = re.compile(f"[{_CONTROLS}]")
# The bidirectional formatting characters: invisible, they change the order in which the text
# around them is shown (U+202E makes "gpj.exe" read "exe.jpg"). Arabic, Azerbaijani or Russian
# text displays correctly without them, so a record's text never needs one.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# What a record's text may not hold: direction controls and control characters; a text of
# several lines (a description) keeps its tabs and line breaks.
_NOT_IN_A_LINE = re.compile(f"[{_CONTROLS}{BIDI_CONTROLS}]")
_NOT_IN_LINES = re.compile(f"(?![\t\n\r])[{_CONTROLS}{BIDI_CONTROLS}]")
_IN_ONE_LINE = {
    "\n": "the line break {place}: this field is one line of text",
    "\r": "the line break {place}: this field is one line of text",
    "\t": "the tab {place}: write a space instead",
}
# What an XML document (an Atom feed) cannot carry; tabs and line breaks stay.
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_PAGE_BREAKS = re.compile(r"[\x0b\x0c]")
# A word: a run of letters and digits (site search cuts a query into these, name_key a name).
WORD = re.compile(r"[^\W_]+")


def shorten(value: str, limit: int = 40) -> str:
    """``value`` without control characters, cut to ``limit`` characters with "…" if longer:
    for quoting what someone typed back to them."""
    value = _NOT_IN_A_LINE.sub("", str(value))
    return value if len(value) <= limit else value[: limit - 1] + "…"


def plain(text: object) -> str:
    """Text without the control characters a feed or a calendar cannot carry (vertical tabs and
    form feeds become line breaks)."""
    return _XML_FORBIDDEN.sub("", _PAGE_BREAKS.sub("\n", str(text)))


def unreadable_character(value: str, *, multiline: bool = False) -> str | None:
    """Why ``value`` cannot be a record's text, or None: the first direction control or control
    character it holds, named with its place, for the person who typed or imported it
    (``multiline``: a description, whose tabs and line breaks are text)."""
    found = (_NOT_IN_LINES if multiline else _NOT_IN_A_LINE).search(value)
    if found is None:
        return None
    character, place = found.group(), found.start() + 1
    code = f"U+{ord(character):04X}"
    if character in BIDI_CONTROLS:
        return (
            f"Remove the invisible direction control {code} {unicodedata.name(character)} (character {place}): "
            "it makes text display in another order than it is written. Right-to-left text such as "
            "Arabic displays correctly without it."
        )
    if character in _IN_ONE_LINE:
        return f"Remove {_IN_ONE_LINE[character].format(place=f'(character {place})')}."
    return f"Remove the invisible control character {code} (character {place}): text never needs it."


# Spreadsheet cells ----------------------------------------------------------------------------

# A spreadsheet program reads a cell that begins with one of these as a formula (OWASP, "CSV
# Injection": = + - @ tab and carriage return): =HYPERLINK(…) in a name becomes a live link
# when the file is opened. A line feed too, as an .xlsx file turns a carriage return into one.
FORMULA_TRIGGERS = "=+-@\t\r\n"
# A text a quote would protect: a trigger, after any number of quotes. Quoting these as well
# as the triggers themselves makes the quote removable without doubt (see from_spreadsheet).
_NEEDS_QUOTE = re.compile(f"'*[{re.escape(FORMULA_TRIGGERS)}]")
_MAY_NEED_QUOTE = frozenset(FORMULA_TRIGGERS + "'")  # a first character worth the regex
_QUOTED = re.compile(f"'+[{re.escape(FORMULA_TRIGGERS)}]")


def to_spreadsheet(value: str) -> str:
    """A text as a spreadsheet cell that no spreadsheet program runs as a formula: a text that
    begins with a formula trigger, or with quotes and a trigger, gets one more quote in front
    ("=1+1" → "'=1+1", "'=1+1" → "''=1+1"); any other text stays as it is."""
    if value[:1] in _MAY_NEED_QUOTE and _NEEDS_QUOTE.match(value):
        return f"'{value}"
    return value


def from_spreadsheet(value: str) -> str:
    """What :func:`to_spreadsheet` made, back as it was: a cell that begins with quotes and a
    formula trigger loses one quote; any other cell stays as it is. So
    ``from_spreadsheet(to_spreadsheet(text)) == text`` for every text."""
    return value[1:] if _QUOTED.match(value) else value


def join_names(names: Iterable[object]) -> str:
    """Names as a sentence lists them, in the active language: A; A and B; A, B and C."""
    names = [str(name) for name in names]
    if len(names) < 2:
        return "".join(names)
    return gettext("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def field_label(model: type[models.Model], name: str) -> str:
    """The label a form gives ``model``'s field ``name`` ("Signed place"), or the name made
    readable when the model has no such field."""
    try:
        return capfirst(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return capfirst(name.replace("_", " "))


def name_key(text: object) -> str:
    """A name as exact-name matching compares it: "Türkiye" and "TURKIYE" are both "turkiye".

    Lower case, accents removed, every run of other characters one space.
    """
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(WORD.findall(letters))


# Azerbaijani (as Turkish) pairs İ with i and I with ı. Python's lower() and upper() pair I with i,
# and lower() makes İ "i̇" (i and a combining dot above: two dots in many fonts), which capfirst
# turns into I and a combining dot, text that is not in Unicode form C.
DOTTED_I_LANGUAGES = {"az", "tr"}


def _dotted_i(language: str | None) -> bool:
    return (language or get_language() or "")[:2].lower() in DOTTED_I_LANGUAGES


def lowercase(text: object, language: str | None = None) -> str:
    """``text`` in lower case as ``language`` (the active language without it) writes it: a label
    that goes inside a sentence ("İcraçı" → "icraçı" in Azerbaijani, "Implementing" →
    "implementing")."""
    text = str(text)
    if _dotted_i(language):
        text = text.replace("İ", "i").replace("I", "ı")
    return unicodedata.normalize("NFC", text.lower())


def upper_first(text: object, language: str | None = None) -> str:
    """``text`` with a capital first letter as ``language`` (the active language without it)
    writes it: Django's capfirst, with Azerbaijani's i made İ."""
    text = str(text)
    if text[:1] == "i" and _dotted_i(language):
        return "İ" + text[1:]
    return unicodedata.normalize("NFC", str(capfirst(text)))


def language_name(code: str) -> str:
    """A language's name in the page's language from its ISO 639-1 code ("en" → "English", on
    a Russian page "Английский"; "az" → "Azerbaijani", "Azərbaycan dili"), as Django's own
    catalogues (or the registry's) name it, with a capital first letter; the code itself if Django
    does not know it."""
    info = LANG_INFO.get((code or "").strip().lower(), {})
    return upper_first(gettext(info["name"])) if info.get("name") else code


# The registry's catalogues name English as they name its other languages ("İngilis dili", where
# Django's say "İngilis"); "Azerbaijani" and "Russian" are in them already (core/translation.py).
gettext_noop("English")
