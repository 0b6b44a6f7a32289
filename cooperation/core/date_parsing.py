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

import calendar
import re

import edtf
from django.core.exceptions import ValidationError

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

MONTH_NAMES = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTH_NAMES.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTH_NAMES["sept"] = 9


def _month(name: str) -> int:
    return MONTH_NAMES[name.lower().rstrip(".")]


def _year_and_part(year: str, part: str) -> Parts | None:
    """2006-08 is a month; 2007-41 a half (None for an EDTF code the registry does not keep)."""
    number = int(part)
    if len(part) == 2 and 21 <= number <= 41:
        return (int(year), None, None, number) if number in GROUPS else None
    return (int(year), number)


def _words(year: int, month: int, day: int | None = None) -> str:
    """8 December 1999, December 2000: the site's style, for messages."""
    return " ".join(str(part) for part in (day, calendar.month_name[month], year) if part is not None)


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
        "“%(value)s” may be %(day_first)s or %(month_first)s: the order of day and month differs between "
        "countries. Write %(day_first_iso)s or %(day_first)s, or %(month_first_iso)s or %(month_first)s.",
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
        raise ValidationError("The month must be between 1 and 12.", code="month")
    raise ValidationError(
        "“%(value)s” gives the year in two digits (as a spreadsheet shows a date): write it in full, "
        "%(iso)s or %(words)s (or %(other)s if that is meant). Formatting the column as Text keeps a "
        "spreadsheet from rewriting dates.",
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
        "“%(value)s” gives the year in two digits and may put the day or the month first: write the date in "
        "full, %(day_first_iso)s for %(day_first)s or %(month_first_iso)s for %(month_first)s.",
        code="two_digit_year",
        params={
            "value": match[0],
            "day_first_iso": _iso(year, second, first),
            "day_first": _words(year, second, first),
            "month_first_iso": _iso(year, first, second),
            "month_first": _words(year, first, second),
        },
    )


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
    (re.compile(r"([A-Za-z]+\.?)[ -](\d{4})"), lambda m: (int(m[2]), _month(m[1]))),
    (re.compile(r"(\d{1,2})[ -]([A-Za-z]+\.?)[ -](\d{4})"), lambda m: (int(m[3]), _month(m[2]), int(m[1]))),
    (re.compile(r"([A-Za-z]+\.?) (\d{1,2}) (\d{4})"), lambda m: (int(m[3]), _month(m[1]), int(m[2]))),
    # Dec-00, Dec 00, 23-Feb-17: a spreadsheet's mmm-yy and d-mmm-yy.
    (re.compile(r"([A-Za-z]+\.?)[ -](\d{2})"), lambda m: _two_digit_year(m[0], _month(m[1]), None, m[2])),
    (
        re.compile(r"(\d{1,2})[ -]([A-Za-z]+\.?)[ -](\d{2})"),
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


_APPROXIMATE = re.compile(r"(?:about|around|approximately|approx\.?|circa|ca\.?|c\.?)\s*(?=\S)(.*)", re.I | re.S)
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
    qualifier = {(True, True): "%", (True, False): "~", (False, True): "?"}.get((approximate, uncertain), "")
    return raw, qualifier


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
        what = "a period: give its start and its end each in its own field"
    elif isinstance(parsed, edtf.Season):
        what = (
            "a season or a grouping the registry does not keep: it keeps quarters (33–36) and halves "
            "(40–41) of a year; give the months or the year"
        )
    elif isinstance(parsed, (edtf.Unspecified, edtf.PartialUnspecified)):
        what = "a date with unspecified digits: give the year (or the decade's first year as approximate)"
    elif isinstance(parsed, edtf.PartialUncertainOrApproximate):
        what = "a date qualified in parts: qualify the whole date instead (2004-06?)"
    else:
        what = "a form the registry does not keep"
    raise ValidationError("“%(value)s” is EDTF for " + what + ".", code="edtf_not_kept", params={"value": raw[:40]})


_EDTF_SHAPE = re.compile(r"[-+?~%\[{]?[0-9XYEuS][0-9XYESuxp~?%/.\-\[\]{},^]*")


def read_date(raw: str) -> Parts | None:
    """The parts of the date ``raw`` writes (spaces already normalised), None if it is not one.
    Raises ValidationError for valid EDTF the registry does not keep."""
    parts = _parse_plain(raw)
    if parts is not None:
        return parts
    core, qualifier = _strip_qualifier(raw)
    parts = _parse_plain(core) or _parse_group(core)
    if parts is not None:
        return (*parts, *(None,) * (4 - len(parts)), qualifier)
    _explain_edtf(raw)
    return None
