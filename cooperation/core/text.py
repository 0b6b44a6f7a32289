"""Small text helpers every part of the registry shares: cutting a value short for a message,
control characters out of what a feed or a notice carries, a spreadsheet cell that cannot be a
formula (and back), names joined as a sentence, a field's label as a form shows it, a name
folded for matching."""

import re
import unicodedata
from collections.abc import Iterable

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# What an XML document (an Atom feed) cannot carry; tabs and line breaks stay.
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_PAGE_BREAKS = re.compile(r"[\x0b\x0c]")
# A word: a run of letters and digits (site search cuts a query into these, name_key a name).
WORD = re.compile(r"[^\W_]+")


def shorten(value: str, limit: int = 40) -> str:
    """``value`` without control characters, cut to ``limit`` characters with "…" if longer:
    for quoting what someone typed back to them."""
    value = CONTROL_CHARACTERS.sub("", str(value))
    return value if len(value) <= limit else value[: limit - 1] + "…"


def plain(text: object) -> str:
    """Text without the control characters a feed or a calendar cannot carry (vertical tabs and
    form feeds become line breaks)."""
    return _XML_FORBIDDEN.sub("", _PAGE_BREAKS.sub("\n", str(text)))


# Spreadsheet cells ----------------------------------------------------------------------------

# A spreadsheet program reads a cell that begins with one of these as a formula (OWASP, "CSV
# Injection": = + - @ tab and carriage return): =HYPERLINK(…) in a name becomes a live link
# when the file is opened. A line feed too, as an .xlsx file turns a carriage return into one.
FORMULA_TRIGGERS = "=+-@\t\r\n"
# A text a quote would protect: a trigger, after any number of quotes. Quoting these as well
# as the triggers themselves makes the quote removable without doubt (see from_spreadsheet).
_NEEDS_QUOTE = re.compile(f"'*[{re.escape(FORMULA_TRIGGERS)}]")
_QUOTED = re.compile(f"'+[{re.escape(FORMULA_TRIGGERS)}]")


def to_spreadsheet(value: str) -> str:
    """A text as a spreadsheet cell that no spreadsheet program runs as a formula: a text that
    begins with a formula trigger, or with quotes and a trigger, gets one more quote in front
    ("=1+1" → "'=1+1", "'=1+1" → "''=1+1"); any other text stays as it is."""
    return f"'{value}" if _NEEDS_QUOTE.match(value) else value


def from_spreadsheet(value: str) -> str:
    """What :func:`to_spreadsheet` made, back as it was: a cell that begins with quotes and a
    formula trigger loses one quote; any other cell stays as it is. So
    ``from_spreadsheet(to_spreadsheet(text)) == text`` for every text."""
    return value[1:] if _QUOTED.match(value) else value


def join_names(names: Iterable[object]) -> str:
    """Names as a sentence lists them: A; A and B; A, B and C."""
    names = [str(name) for name in names]
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


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
