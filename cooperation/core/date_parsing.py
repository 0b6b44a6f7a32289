"""Reading a date as staff type it or a source writes it, into the parts of a
:class:`~cooperation.core.partial_dates.PartialDate`: "1998", "August 2006", "8.12.1999",
"about 2008", "c. 2008", "2007?", "second half of 2007", "H2 2007", "Q3 2010", and the EDTF
(ISO 8601-2) forms "2008~", "2007?", "2007%", "2007-41".

Dates as spreadsheets rewrite them are read when they can mean one date only: "Dec-2000",
"23-Feb-2017", "12/2000", "23.02.2017" (dots: day first), "2/23/2017" and "23/02/2017" (a number
over 12 is the day). The rest is refused with a message that repeats the value and says what to
type: "3/4/2017" (3 April or March 4?) and a two-digit year ("Dec-00", Excel's display of 2000-12:
1900 or 2000?).

The common forms are read by the patterns here (an import reads a million dates); text no pattern
reads but shaped like EDTF is given to the ``edtf`` package, so that valid EDTF the registry does
not keep (a period "2004/2006", unspecified digits "201X", a season "2007-21") gets a message
saying so rather than "not a date".
"""

from __future__ import annotations

import re
from functools import lru_cache
from types import SimpleNamespace

import edtf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from cooperation.core import date_words

# (year, month, day, group, qualifier), as many as are given: PartialDate(*parts).
Parts = tuple

# EDTF sub-year groupings the registry keeps (ISO 8601-2, level 2): (words, first month, last month).
# They are stored in the month part of the integer (2007-41 → 20074100), so a half of 2007 is in
# 2007 for the year filter and sorts after the months of 2007, as the year sorts before them.
# Seasons (21–24) are not kept: "winter 2007" may be either end of the year, and the spring of
# one hemisphere is the autumn of the other.
GROUPS = {
    33: ("first quarter", 1, 3),
    34: ("second quarter", 4, 6),
    35: ("third quarter", 7, 9),
    36: ("fourth quarter", 10, 12),
    40: ("first half", 1, 6),
    41: ("second half", 7, 12),
}
HALVES = (40, 41)

# The languages whose month names and date words staff may type, whatever the page's language.
# English as the United States writes it too ("Sep", "December 8, 1999").
_BABEL_LANGUAGES = ("en", "en_GB", "az", "ru")


def _fold(word: str) -> str:
    """Lower case, the Azerbaijani capital İ as i, a closing dot dropped: "İyun" → "iyun"."""
    return word.replace("İ", "i").lower().replace("\u0307", "").rstrip(".")


@lru_cache(maxsize=1)
def month_names() -> dict[str, int]:
    """Every month name CLDR has in English, Azerbaijani and Russian, wide and abbreviated, in
    the format and stand-alone contexts ("December", "Dec", "Sept", "dekabr", "dek", "декабря",
    "декабрь", "дек."), folded, to its number. Read from Babel once."""
    names = {}
    for language in _BABEL_LANGUAGES:
        months = date_words.babel_locale(language).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                names.update({_fold(name): number for number, name in months[context][width].items()})
    return names


def _month(name: str) -> int:
    return month_names()[_fold(name)]


def _year_and_part(year: str, part: str) -> Parts | None:
    """2006-08 is a month; 2007-41 a half (None for an EDTF code the registry does not keep)."""
    number = int(part)
    if len(part) == 2 and 21 <= number <= 41:
        return (int(year), None, None, number) if number in GROUPS else None
    return (int(year), number)


def _words(year: int, month: int, day: int | None = None) -> str:
    """8 December 1999, December 2000: the site's style in the active language, for messages."""
    if not 1 <= month <= 12:
        return " ".join(str(part) for part in (day, month, year) if part is not None)
    return date_words.month_text(year, month) if day is None else date_words.day_text(year, month, day)


def _iso(year: int, month: int, day: int | None = None) -> str:
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day is not None else "")


def _day_month_year(raw: str, first: str, second: str, year: str) -> Parts:
    """23.02.2017, 23/02/2017, 2/23/2017: the day first, as in most of the world, or the month first,
    as a US-locale spreadsheet writes it. Dots always put the day first; with slashes or hyphens the
    order shows only when one number is over 12 (or both are the same), otherwise it is refused."""
    first_number, second_number, year_number = int(first), int(second), int(year)
    if raw[len(first)] == "." or first_number > 12 or first_number == second_number:
        return (year_number, second_number, first_number)
    if second_number > 12:
        return (year_number, first_number, second_number)
    if not 1 <= first_number <= 12 or not 1 <= second_number <= 12:  # 0/5/2017: PartialDate says why
        return (year_number, second_number, first_number)
    day_first = (year_number, second_number, first_number)
    month_first = (year_number, first_number, second_number)
    raise ValidationError(
        gettext(
            "“%(value)s” may be %(day_first)s or %(month_first)s: the order of day and month differs between "
            "countries. Write %(day_first_iso)s or %(day_first)s, or %(month_first_iso)s or %(month_first)s."
        ),
        code="ambiguous_day",
        params={
            "value": raw,
            "day_first": _words(*day_first[:2], day_first[2]),
            "month_first": _words(*month_first[:2], month_first[2]),
            "day_first_iso": _iso(*day_first),
            "month_first_iso": _iso(*month_first),
        },
    )


def _century(year: str) -> tuple[int, int]:
    """The likely and the other reading of a two-digit year (Excel reads 00–29 as 2000–2029)."""
    short = int(year)
    return (2000, 1900) if short < 30 else (1900, 2000)


def _two_digit_year(raw: str, month: int, day: int | None, year: str) -> None:
    """Dec-00, 23-Feb-17, 2/23/17: a spreadsheet's short display of a date, whose century is not
    written. Refused with the date to type, in the century a spreadsheet would read."""
    likely, other = (century + int(year) for century in _century(year))
    if not 1 <= month <= 12:
        raise ValidationError(gettext("The month must be between 1 and 12."), code="month")
    raise ValidationError(
        gettext(
            "“%(value)s” gives the year in two digits (as a spreadsheet shows a date): write it in full, "
            "%(iso)s or %(words)s (or %(other)s if that is meant). Formatting the column as Text keeps a "
            "spreadsheet from rewriting dates."
        ),
        code="two_digit_year",
        params={
            "value": raw,
            "iso": _iso(likely, month, day),
            "words": _words(likely, month, day),
            "other": _iso(other, month, day),
        },
    )


def _short_numeric(match: re.Match) -> None:
    """2/23/17, 23.02.17, 3/4/17: a two-digit year, and maybe no telling the day from the month."""
    first, second = int(match[1]), int(match[3])
    if match[2] == "." or first > 12 or first == second:
        _two_digit_year(match[0], second, first, match[4])
    if second > 12:
        _two_digit_year(match[0], first, second, match[4])
    year = _century(match[4])[0] + int(match[4])
    raise ValidationError(
        gettext(
            "“%(value)s” gives the year in two digits and may put the day or the month first: write the date "
            "in full, %(day_first_iso)s for %(day_first)s or %(month_first_iso)s for %(month_first)s."
        ),
        code="two_digit_year",
        params={
            "value": match[0],
            "day_first_iso": _iso(year, second, first),
            "day_first": _words(year, second, first),
            "month_first_iso": _iso(year, first, second),
            "month_first": _words(year, first, second),
        },
    )


# A month's name: letters of any script, maybe with a closing dot ("Aug.", "дек.").
_NAME = r"[^\W\d_]+\.?"

_PATTERNS = [
    (re.compile(r"(\d{4})"), lambda m: (int(m[1]),)),
    (re.compile(r"(\d{4})-(\d{1,2})"), lambda m: _year_and_part(m[1], m[2])),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), lambda m: (int(m[1]), int(m[2]), int(m[3]))),
    # 2017/02/23, 2017.02.23: year first, as in East Asia.
    (re.compile(r"(\d{4})([./])(\d{1,2})\2(\d{1,2})"), lambda m: (int(m[1]), int(m[3]), int(m[4]))),
    (re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4})"), lambda m: _day_month_year(m[0], m[1], m[3], m[4])),
    (re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{2})"), _short_numeric),
    # 12/2000, 12.2000: a month, as a spreadsheet's m/yyyy shows it.
    (re.compile(r"(\d{1,2})[./](\d{4})"), lambda m: (int(m[2]), int(m[1]))),
    # August 2006, avqust 2006, август 2006, 8 декабря 1999, December 8 1999: month names in any of
    # the three languages (letters of any script).
    (re.compile(rf"({_NAME})[ -](\d{{4}})"), lambda m: (int(m[2]), _month(m[1]))),
    (re.compile(rf"(\d{{1,2}})[ -]({_NAME})[ -](\d{{4}})"), lambda m: (int(m[3]), _month(m[2]), int(m[1]))),
    (re.compile(rf"({_NAME}) (\d{{1,2}}) (\d{{4}})"), lambda m: (int(m[3]), _month(m[1]), int(m[2]))),
    # Dec-00, Dec 00, 23-Feb-17: a spreadsheet's mmm-yy and d-mmm-yy.
    (re.compile(rf"({_NAME})[ -](\d{{2}})"), lambda m: _two_digit_year(m[0], _month(m[1]), None, m[2])),
    (
        re.compile(rf"(\d{{1,2}})[ -]({_NAME})[ -](\d{{2}})"),
        lambda m: _two_digit_year(m[0], _month(m[2]), int(m[1]), m[3]),
    ),
]

_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": 0}
_HALF = r"(?:half|semester)"
_GROUP_PATTERNS = [
    # "second half of 2007", "the first quarter of 2010", "second half 2007"
    (re.compile(rf"(?:the )?(\w+) ({_HALF}|quarter)(?: of)? (\d{{4}})", re.I), lambda m: (m[3], m[2], m[1])),
    # "H2 2007", "Q3 2010", "S1 2007", and the other way round: "2007 H2", "2010-Q3"
    (re.compile(r"([HQS])([1-4]) (\d{4})", re.I), lambda m: (m[3], m[1], m[2])),
    (re.compile(r"(\d{4})[ -]([HQS])([1-4])", re.I), lambda m: (m[1], m[2], m[3])),
]


def _group(year: str, kind: str, which: str) -> Parts:
    kind = kind.lower()
    half = kind in ("h", "s") or re.fullmatch(_HALF, kind) is not None
    number = _ORDINALS[which.lower()] if not which.isdigit() else int(which)
    count = 2 if half else 4
    if number == 0:
        number = count
    if not 1 <= number <= count:
        raise KeyError(which)
    return (int(year), None, None, (39 if half else 32) + number)


def _parse_plain(raw: str) -> Parts | None:
    for pattern, build in _PATTERNS:
        match = pattern.fullmatch(raw)
        if match:
            try:
                return build(match)
            except KeyError:
                return None
    return None


def _parse_group(raw: str) -> Parts | None:
    for pattern, parts in _GROUP_PATTERNS:
        match = pattern.fullmatch(raw)
        if match:
            try:
                return _group(*parts(match))
            except KeyError:
                return None
    return None


_APPROXIMATE = re.compile(
    r"(?:about|around|approximately|approx\.?|circa|ca\.?|c\.?|təxminən|около|ок\.|примерно|приблизительно)"
    r"\s*(?=\S)(.*)",
    re.I | re.S,
)
_UNCERTAIN_WORDS = re.compile(r"(.*?)\s*\((?:uncertain|\?)\)", re.I | re.S)


def _strip_qualifier(raw: str) -> tuple[str, str]:
    """("2008", "~") from "about 2008", "c. 2008" or "2008~"; ("2007", "?") from "2007?" or
    "2007 (uncertain)"; ("2007", "%") from "about 2007?" or "2007%"."""
    approximate = uncertain = False
    if raw.endswith(("~", "?", "%")):
        approximate, uncertain = raw[-1] in "~%", raw[-1] in "?%"
        raw = raw[:-1].rstrip()
    else:
        match = _UNCERTAIN_WORDS.fullmatch(raw)
        if match:
            uncertain, raw = True, match[1]
    match = _APPROXIMATE.fullmatch(raw)
    if match:
        approximate, raw = True, match[1]
    return raw, _qualifier(approximate, uncertain)


def _explain_edtf(raw: str) -> None:
    """Input that is valid EDTF but not a date the registry keeps gets a message saying so.
    The ``edtf`` package reads it (slowly: only text no pattern above understood gets here)."""
    if not _EDTF_SHAPE.fullmatch(raw):
        return
    try:
        parsed = edtf.parse_edtf(raw)
    except edtf.EDTFParseException:
        return
    if isinstance(parsed, (edtf.Interval, edtf.Level1Interval, edtf.Level2Interval)):
        message = gettext("“%(value)s” is EDTF for a period: give its start and its end each in its own field.")
    elif isinstance(parsed, edtf.Season):
        message = gettext(
            "“%(value)s” is EDTF for a season or a grouping the registry does not keep: it keeps quarters "
            "(33–36) and halves (40–41) of a year; give the months or the year."
        )
    elif isinstance(parsed, (edtf.Unspecified, edtf.PartialUnspecified)):
        message = gettext(
            "“%(value)s” is EDTF for a date with unspecified digits: give the year (or the decade's first "
            "year as approximate)."
        )
    elif isinstance(parsed, edtf.PartialUncertainOrApproximate):
        message = gettext(
            "“%(value)s” is EDTF for a date qualified in parts: qualify the whole date instead (2004-06?)."
        )
    else:
        message = gettext("“%(value)s” is EDTF for a form the registry does not keep.")
    raise ValidationError(message, code="edtf_not_kept", params={"value": raw[:40]})


_EDTF_SHAPE = re.compile(r"[-+?~%\[{]?[0-9XYEuS][0-9XYESuxp~?%/.\-\[\]{},^]*")

# The site's own words in Azerbaijani and Russian ------------------------------------------
# Whatever the site writes in any of its languages reads back to the same date (the admin puts a
# saved date in its box as the site writes it): the forms are made from date_words' messages in
# each language, with a sample year standing for any year.
_SAMPLE_YEAR = 1234
_YEAR = r"(?P<year>\d{4})(?:-[^\W\d_]+)?"
# "8 декабря 1999 г.", "1999 года", "2008-ci il": a year's word, and an ordinal ending, after it.
_YEAR_WORDS = re.compile(r"(.*\d{4})(?:-(?:[iıuü]?n?c[iıuü])(?: il)?| ?(?:г\.?|года?))", re.I)


def _as_pattern(text: str, year: str | None = None) -> str:
    """A regular expression for ``text`` (spaces normalised), ``year`` in it any year (and the
    word after it, "года", optional), "%(date)s" in it any text."""
    text = " ".join(text.split())
    if year is not None and year in text:
        before, after = text.split(year, 1)
        return re.escape(before) + _YEAR + (f"(?:{re.escape(after)})?" if after else "")
    return re.escape(text).replace(re.escape("%(date)s"), r"(?P<date>.+)")


@lru_cache(maxsize=1)
def translated_forms() -> tuple[list, list, list]:
    """(halves and quarters, approximate forms, uncertain forms) as the site writes them in each
    of its languages: compiled patterns, each with its group code, or a ``date``/``year`` group."""
    groups, approximate, uncertain = [], [], []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            year = date_words.ordinal_year(_SAMPLE_YEAR)
            for code in GROUPS:
                groups.append((re.compile(_as_pattern(date_words.part_of_year(code, _SAMPLE_YEAR), year), re.I), code))
            sample = SimpleNamespace(year=_SAMPLE_YEAR, month=None, day=None, group=None, qualifier="~")
            approximate.append(re.compile(_as_pattern(date_words.approximate_text(sample), year), re.I))
            approximate.append(re.compile(_as_pattern(date_words.approximate_text_template()), re.I | re.S))
            uncertain.append(re.compile(_as_pattern(date_words.uncertain_text("%(date)s")), re.I | re.S))
    return groups, approximate, uncertain


def _strip_translated_qualifier(raw: str) -> tuple[str, bool, bool]:
    """("2008", True, False) from "около 2008 года" or "təxminən 2008-ci il"; ("2007", False, True)
    from "2007 (под вопросом)"."""
    _groups, approximate_forms, uncertain_forms = translated_forms()
    approximate = uncertain = False
    for pattern in uncertain_forms:
        match = pattern.fullmatch(raw)
        if match:
            uncertain, raw = True, match["date"]
            break
    for pattern in approximate_forms:
        match = pattern.fullmatch(raw)
        if match:
            approximate, raw = True, match.groupdict().get("date") or match["year"]
            break
    return raw, approximate, uncertain


def _parse_translated(raw: str) -> Parts | None:
    """A half or quarter as the site writes it ("2007-ci ilin ikinci yarısı", "второе полугодие
    2007 года"), or a date with a year's word after it ("8 декабря 1999 г.", "2008-ci il")."""
    raw = raw.replace("İ", "i")
    for pattern, code in translated_forms()[0]:
        match = pattern.fullmatch(raw)
        if match:
            return (int(match["year"]), None, None, code)
    match = _YEAR_WORDS.fullmatch(raw)
    return _parse_plain(match[1]) if match else None


def _qualifier(approximate: bool, uncertain: bool) -> str:
    return {(True, True): "%", (True, False): "~", (False, True): "?"}.get((approximate, uncertain), "")


def read_date(raw: str) -> Parts | None:
    """The parts of the date ``raw`` writes (spaces already normalised), None if it is not one.
    Raises ValidationError for valid EDTF the registry does not keep."""
    parts = _parse_plain(raw)
    if parts is not None:
        return parts
    core, qualifier = _strip_qualifier(raw)
    parts = _parse_plain(core) or _parse_group(core) or _parse_translated(core)
    if parts is None:
        core, approximate, uncertain = _strip_translated_qualifier(core)
        if approximate or uncertain:
            qualifier = _qualifier(approximate or qualifier in ("~", "%"), uncertain or qualifier in ("?", "%"))
            parts = _parse_plain(core) or _parse_group(core) or _parse_translated(core)
    if parts is not None:
        return (*parts, *(None,) * (4 - len(parts)), qualifier)
    _explain_edtf(raw)
    return None
