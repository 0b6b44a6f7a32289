"""Small text helpers every part of the registry shares: cutting a value short for a message,
control characters out of what a feed or a notice carries, names joined as a sentence, a
field's label as a form shows it, a name folded for matching."""

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
