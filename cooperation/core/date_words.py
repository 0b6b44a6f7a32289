"""Partial dates in words, in the page's language: "8 December 1999", "8 dekabr 1999",
"8 декабря 1999"; "August 2006", "avqust 2006", "август 2006"; "second half of 2007",
"2007-ci ilin ikinci yarısı", "второе полугодие 2007 года"; "about 2008", "until 2010",
"reported as of 2017".

The day and the month come from CLDR through Babel with the active language
(``django.utils.translation.get_language()``: "en-gb" is Babel's ``en_GB``): a day is the
pattern ``d MMMM y`` (the month in its *format* form, which in Russian is the genitive after a
day, "8 декабря 1999"; no "г."), a month and year ``LLLL y`` (the *stand-alone* form, "август
2006"). After "until", "since" and "about" a Russian month takes the genitive ("до августа
2006"): ``MMMM y``. Everything else (the words around a date, the halves and quarters of a
year, which CLDR does not name) is a gettext message, so it is in the catalogues.

A year alone is the number; where a language puts an ending on it ("2007-ci ilin", Azerbaijani
ordinals) :func:`ordinal_year` picks the catalogue's form for the year's CLDR ordinal category.

The functions take anything with a PartialDate's ``year``, ``month``, ``day``, ``group`` and
``qualifier`` (this module imports no other of the registry's, so reading dates can use it).
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from django.conf import settings
from django.utils.translation import get_language, pgettext_lazy

from cooperation.core.words import pgettext

# How a date is put: on its own ("August 2006", "about 2008") or after a preposition ("until",
# "since", "about"), where Russian puts the month and the parts of a year in the genitive.
PLAIN = "plain"
AFTER_PREPOSITION = "after_preposition"

# The halves and quarters of a year (their EDTF codes), on their own and after a preposition.
PARTS = {
    33: (
        pgettext_lazy("part of a year", "first quarter"),
        pgettext_lazy("part of a year, after until or since", "first quarter"),
    ),
    34: (
        pgettext_lazy("part of a year", "second quarter"),
        pgettext_lazy("part of a year, after until or since", "second quarter"),
    ),
    35: (
        pgettext_lazy("part of a year", "third quarter"),
        pgettext_lazy("part of a year, after until or since", "third quarter"),
    ),
    36: (
        pgettext_lazy("part of a year", "fourth quarter"),
        pgettext_lazy("part of a year, after until or since", "fourth quarter"),
    ),
    40: (
        pgettext_lazy("part of a year", "first half"),
        pgettext_lazy("part of a year, after until or since", "first half"),
    ),
    41: (
        pgettext_lazy("part of a year", "second half"),
        pgettext_lazy("part of a year, after until or since", "second half"),
    ),
}

# A year as an ordinal, by its CLDR ordinal plural category ("2007-ci" in Azerbaijani; the
# number itself in English and Russian). Whole thousands first: CLDR's Azerbaijani rules as
# Babel has them put 2000 with 2010 ("-cu"), where it takes the ending of 2001 ("-ci").
ORDINAL_YEARS = {
    "thousand": pgettext_lazy("year as an ordinal: a whole thousand (2000)", "%(year)s"),
    "zero": pgettext_lazy("year as an ordinal: CLDR ordinal category zero", "%(year)s"),
    "one": pgettext_lazy("year as an ordinal: CLDR ordinal category one", "%(year)s"),
    "two": pgettext_lazy("year as an ordinal: CLDR ordinal category two", "%(year)s"),
    "few": pgettext_lazy("year as an ordinal: CLDR ordinal category few", "%(year)s"),
    "many": pgettext_lazy("year as an ordinal: CLDR ordinal category many", "%(year)s"),
    "other": pgettext_lazy("year as an ordinal: CLDR ordinal category other", "%(year)s"),
}


@lru_cache(maxsize=16)
def babel_locale(language: str | None) -> Locale:
    """Babel's locale for a Django language code ("en-gb" → en_GB, "az", "ru"); English for
    one Babel does not know."""
    try:
        return Locale.parse((language or settings.LANGUAGE_CODE).replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en_GB")


@lru_cache(maxsize=8192)
def _cldr(language: str | None, pattern: str, year: int, month: int, day: int) -> str:
    return format_date(datetime.date(year, month, day), pattern, locale=babel_locale(language))


def day_text(year: int, month: int, day: int) -> str:
    """ "8 December 1999", "8 dekabr 1999", "8 декабря 1999"."""
    return _cldr(get_language(), "d MMMM y", year, month, day)


def day_month_text(month: int, day: int, year: int) -> str:
    """ "10 May", "10 may", "10 мая": the first day of a range whose end gives the year."""
    return _cldr(get_language(), "d MMMM", year, month, day)


def month_text(year: int, month: int, form: str = PLAIN) -> str:
    """ "August 2006", "avqust 2006", "август 2006" (after a preposition "августа 2006")."""
    return _cldr(get_language(), "MMMM y" if form == AFTER_PREPOSITION else "LLLL y", year, month, 1)


def month_alone(month: int, year: int = 2000) -> str:
    """ "March", "mart", "март": the first month of a range whose end gives the year."""
    return _cldr(get_language(), "LLLL", year, month, 1)


def ordinal_year(year: int) -> str:
    """The year with the ending the language gives an ordinal ("2007-ci" in Azerbaijani)."""
    category = "thousand" if year % 1000 == 0 else babel_locale(get_language()).ordinal_form(year)
    return ORDINAL_YEARS.get(category, ORDINAL_YEARS["other"]) % {"year": year}


def part_of_year(group: int, year: int, form: str = PLAIN) -> str:
    """ "second half of 2007", "2007-ci ilin ikinci yarısı", "второе полугодие 2007 года"."""
    part = PARTS[group][1 if form == AFTER_PREPOSITION else 0]
    return pgettext("a part of a year", "%(part)s of %(year)s") % {"part": part, "year": ordinal_year(year)}


def parts_of_year(first: int, last: int, year: int) -> str:
    """ "first quarter – third quarter of 2010" (two parts of the same year)."""
    return pgettext("two parts of a year", "%(first)s – %(last)s of %(year)s") % {
        "first": PARTS[first][0],
        "last": PARTS[last][0],
        "year": ordinal_year(year),
    }


def exact_text(date: Any, form: str = PLAIN) -> str:
    """The date in words without its qualifier."""
    if date.group is not None:
        return part_of_year(date.group, date.year, form)
    if date.day is not None:
        return day_text(date.year, date.month, date.day)
    if date.month is not None:
        return month_text(date.year, date.month, form)
    return str(date.year)


def _year_only(date: Any) -> bool:
    return date.month is None and date.group is None


def approximate_text(date: Any) -> str:
    """ "about 2008", "təxminən 2008-ci il", "около 2008 года"; "about August 2006"."""
    if _year_only(date):
        return pgettext("approximate year", "about %(year)s") % {"year": ordinal_year(date.year)}
    return approximate_text_template() % {"date": exact_text(date, AFTER_PREPOSITION)}


def approximate_text_template() -> str:
    """ "about %(date)s" in the active language (for reading it back)."""
    return pgettext("approximate date", "about %(date)s")


def uncertain_text(text: str) -> str:
    """ "2007 (uncertain)"."""
    return pgettext("uncertain date", "%(date)s (uncertain)") % {"date": text}


def written(date: Any) -> str:
    """The site's one style: "8 December 1999", "about 2008", "2007 (uncertain)"."""
    approximate = date.qualifier in ("~", "%")
    text = approximate_text(date) if approximate else exact_text(date)
    if date.qualifier in ("?", "%"):
        text = uncertain_text(text)
    return text


def _around(date: Any, year_message: str, date_message: str) -> tuple[str, str, str]:
    """(message, placeholder, the date's words) for a date after a preposition."""
    if _year_only(date) and not date.qualifier:
        return year_message, "year", ordinal_year(date.year)
    text = exact_text(date, AFTER_PREPOSITION) if not date.qualifier else written(date)
    return date_message, "date", text


def until_parts(date: Any) -> tuple[str, str, str]:
    """ "until %(date)s" and its date's words: "until 2010" / "2010-cu ilədək" / "до 2010 года",
    "until August 2006" / "avqust 2006 tarixinədək" / "до августа 2006"."""
    return _around(date, pgettext("until a year", "until %(year)s"), pgettext("until a date", "until %(date)s"))


def since_parts(date: Any) -> tuple[str, str, str]:
    """ "since 2008" / "2008-ci ildən" / "с 2008 года"."""
    return _around(date, pgettext("since a year", "since %(year)s"), pgettext("since a date", "since %(date)s"))


def fill(parts: tuple[str, str, str]) -> str:
    message, name, text = parts
    return message % {name: text}


def until_text(date: Any) -> str:
    return fill(until_parts(date))


def since_text(date: Any) -> str:
    return fill(since_parts(date))


def as_of_text(date: Any) -> str:
    """ "reported as of 2017" / "2017-ci ilə olan məlumata görə" / "по данным на 2017 год"."""
    if _year_only(date) and not date.qualifier:
        return pgettext("as of a year", "reported as of %(year)s") % {"year": ordinal_year(date.year)}
    return pgettext("as of a date", "reported as of %(date)s") % {"date": written(date)}


def ongoing_as_of_text(date: Any) -> str:
    """ "Reported ongoing as of 2017" / "2017-ci ilə olan məlumata görə davam edir" /
    "Продолжается по данным на 2017 год"."""
    if _year_only(date) and not date.qualifier:
        return pgettext("as of a year", "Reported ongoing as of %(year)s") % {"year": ordinal_year(date.year)}
    return pgettext("as of a date", "Reported ongoing as of %(date)s") % {"date": written(date)}


def range_text(start: Any, end: Any) -> str:
    """A period the way a person writes it: "10–11 May 2006" / "10–11 мая 2006", "March–May 2006"
    / "март–май 2006", "2007–2008", "about 2005 – 2007", "until 2010"."""
    if start is None and end is None:
        return ""
    if start is None:
        return until_text(end)
    if end is None or end == start:
        return written(start)
    if start.qualifier or end.qualifier:
        return f"{written(start)} – {written(end)}"
    if start.group is not None or end.group is not None:
        if start.group is not None and end.group is not None and start.year == end.year:
            return parts_of_year(start.group, end.group, end.year)
        return f"{written(start)} – {written(end)}"
    if start.month is None and end.month is None:
        return f"{start.year}–{end.year}"
    if start.year == end.year and (start.day is None) == (end.day is None) and None not in (start.month, end.month):
        if start.day is None:
            return f"{month_alone(start.month, start.year)}–{month_text(end.year, end.month)}"
        if start.month == end.month:
            return f"{start.day}–{day_text(end.year, end.month, end.day)}"
        return f"{day_month_text(start.month, start.day, start.year)} – {day_text(end.year, end.month, end.day)}"
    return f"{written(start)} – {written(end)}"
