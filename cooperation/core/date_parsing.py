"""Reading a date as staff type it or a source writes it, into the parts of a
:class:`~cooperation.core.partial_dates.PartialDate`: "1998", "August 2006", "8.12.1999",
"about 2008", "c. 2008", "2007?", "second half of 2007", "H2 2007", "Q3 2010", and the EDTF
(ISO 8601-2) forms "2008~", "2007?", "2007%", "2007-41".

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


_PATTERNS = [
    (re.compile(r"(\d{4})"), lambda m: (int(m[1]),)),
    (re.compile(r"(\d{4})-(\d{1,2})"), lambda m: _year_and_part(m[1], m[2])),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), lambda m: (int(m[1]), int(m[2]), int(m[3]))),
    (re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})"), lambda m: (int(m[3]), int(m[2]), int(m[1]))),
    (re.compile(r"([A-Za-z]+\.?) (\d{4})"), lambda m: (int(m[2]), _month(m[1]))),
    (re.compile(r"(\d{1,2}) ([A-Za-z]+\.?) (\d{4})"), lambda m: (int(m[3]), _month(m[2]), int(m[1]))),
    (re.compile(r"([A-Za-z]+\.?) (\d{1,2}) (\d{4})"), lambda m: (int(m[3]), _month(m[1]), int(m[2]))),
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
