"""Dates as the sources write them: "1998", "August 2006", "8 December 1999".

A :class:`PartialDate` is a year, optionally a month, optionally a day. In the database it is
one integer, ``YYYYMMDD`` with ``00`` for the parts the source does not give: 1998 is
``19980000``, August 2006 is ``20060800``, 8 December 1999 is ``19991208``. That integer

- sorts correctly (a year sorts before the months and days inside it),
- filters by year with an index range scan (``field__year=1998`` becomes
  ``field BETWEEN 19980000 AND 19989999``), and
- gives the year by integer division, on SQLite and PostgreSQL alike.

A range ("10–11 May 2006") is two partial dates; :func:`format_range` writes it the way a
person would, and :func:`range_constraint` keeps the end from falling before the start.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import total_ordering
from typing import TYPE_CHECKING, Any

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, ExpressionWrapper, F, Q, Value, When
from django.db.models.expressions import CombinedExpression
from django.db.models.lookups import Exact, GreaterThanOrEqual

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.expressions import Expression
    from django.db.models.sql.compiler import SQLCompiler

# What as_sql() gives: the SQL and its parameters.
CompiledSQL = tuple[str, Sequence[Any]]

MIN_YEAR = 1000
MAX_YEAR = 9999

EXPECTED_FORMATS = "a year (1998), a month (2006-08 or August 2006) or a day (1999-12-08 or 8 December 1999)"


class Precision(models.TextChoices):
    YEAR = "year", "Year"
    MONTH = "month", "Month"
    DAY = "day", "Day"


MONTH_NAMES = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTH_NAMES.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTH_NAMES["sept"] = 9


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self):
        if not isinstance(self.year, int) or not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValidationError(f"The year must be between {MIN_YEAR} and {MAX_YEAR}.", code="year")
        if self.month is None:
            if self.day is not None:
                raise ValidationError("A day needs a month.", code="day_without_month")
            return
        if not 1 <= self.month <= 12:
            raise ValidationError("The month must be between 1 and 12.", code="month")
        if self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise ValidationError(
                    f"{calendar.month_name[self.month]} {self.year} has no day {self.day}.", code="day"
                )

    # Conversions -----------------------------------------------------------------------
    @classmethod
    def from_int(cls, value: int) -> PartialDate:
        year, rest = divmod(int(value), 10000)
        month, day = divmod(rest, 100)
        return cls(year, month or None, day or None)

    @classmethod
    def from_date(cls, value: datetime.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    def __int__(self):
        return self.year * 10000 + (self.month or 0) * 100 + (self.day or 0)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def iso(self) -> str:
        """ISO 8601 at the known precision: 1998, 2006-08, 1999-12-08."""
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> datetime.date:
        if self.day is not None:
            return self.first_day
        month = self.month or 12
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def upper_bound(self) -> int:
        """The encoded value of the last day this date may mean (for range checks)."""
        if self.month is None:
            return int(self) + 1299
        if self.day is None:
            return int(self) + 99
        return int(self)

    def may_end(self, start: PartialDate) -> bool:
        """True when a period ending on ``self`` can have begun on ``start``."""
        return self.upper_bound >= int(start)

    def __str__(self):
        if self.day is not None:
            return f"{self.day} {calendar.month_name[self.month]} {self.year}"
        if self.month is not None:
            return f"{calendar.month_name[self.month]} {self.year}"
        return str(self.year)

    def __repr__(self):
        return f"PartialDate({self.iso!r})"

    def __lt__(self, other):
        if not isinstance(other, PartialDate):
            return NotImplemented
        return int(self) < int(other)

    # Parsing ---------------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str | PartialDate | datetime.date) -> PartialDate:
        """Read a date as staff type it or a source writes it; raise ValidationError if unclear."""
        if isinstance(text, PartialDate):
            return text
        if isinstance(text, datetime.date):
            return cls.from_date(text)
        raw = " ".join(str(text).replace(",", " ").split())
        if not raw:
            raise ValidationError(f"Enter {EXPECTED_FORMATS}.", code="empty")
        for pattern, build in _PATTERNS:
            match = pattern.fullmatch(raw)
            if match:
                try:
                    return build(match)
                except KeyError:
                    break
        raise ValidationError(
            "“%(value)s” is not a date this registry understands. Enter " + EXPECTED_FORMATS + ".",
            code="invalid",
            params={"value": raw[:40]},
        )


def _month(name: str) -> int:
    return MONTH_NAMES[name.lower().rstrip(".")]


_PATTERNS = [
    (re.compile(r"(\d{4})"), lambda m: PartialDate(int(m[1]))),
    (re.compile(r"(\d{4})-(\d{1,2})"), lambda m: PartialDate(int(m[1]), int(m[2]))),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), lambda m: PartialDate(int(m[1]), int(m[2]), int(m[3]))),
    (re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})"), lambda m: PartialDate(int(m[3]), int(m[2]), int(m[1]))),
    (re.compile(r"([A-Za-z]+\.?) (\d{4})"), lambda m: PartialDate(int(m[2]), _month(m[1]))),
    (re.compile(r"(\d{1,2}) ([A-Za-z]+\.?) (\d{4})"), lambda m: PartialDate(int(m[3]), _month(m[2]), int(m[1]))),
    (re.compile(r"([A-Za-z]+\.?) (\d{1,2}) (\d{4})"), lambda m: PartialDate(int(m[3]), _month(m[1]), int(m[2]))),
]


def format_range(start: PartialDate | None, end: PartialDate | None) -> str:
    """Write a period the way a person would: "10–11 May 2006", "2007–2008"."""
    if start is None and end is None:
        return ""
    if start is None:
        return f"until {end}"
    if end is None or end == start:
        return str(start)
    if start.precision == end.precision == Precision.YEAR:
        return f"{start.year}–{end.year}"
    if start.precision == end.precision and start.year == end.year:
        if start.precision == Precision.MONTH:
            return f"{calendar.month_name[start.month]}–{calendar.month_name[end.month]} {end.year}"
        if start.month == end.month:
            return f"{start.day}–{end.day} {calendar.month_name[end.month]} {end.year}"
        return f"{start.day} {calendar.month_name[start.month]} – {end}"
    return f"{start} – {end}"


# Database --------------------------------------------------------------------------------


class PartialDateFormField(forms.CharField):
    default_error_messages = {"invalid": f"Enter {EXPECTED_FORMATS}."}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", "e.g. 1998, 2006-08 or 1999-12-08")
        super().__init__(*args, **kwargs)
        # max_length sizes the input box; the cleaned value is a PartialDate, which has no
        # length, and over-long text is refused by PartialDate.parse with a readable message.
        self.validators = [v for v in self.validators if not isinstance(v, validators.MaxLengthValidator)]
        self.widget.attrs.setdefault("placeholder", "YYYY, YYYY-MM or YYYY-MM-DD")
        self.widget.attrs.setdefault("size", 16)

    def prepare_value(self, value: PartialDate | int | str | None) -> str | None:
        if isinstance(value, PartialDate):
            return value.iso
        if isinstance(value, int):
            return PartialDate.from_int(value).iso
        return value

    def to_python(self, value: str | None) -> PartialDate | None:
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return PartialDate.parse(value)


class PartialDateField(models.Field):
    """A :class:`PartialDate` stored as one sortable integer (see the module docstring)."""

    description = "Date at year, month or day precision"

    def get_internal_type(self) -> str:
        return "IntegerField"

    def from_db_value(
        self, value: int | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> PartialDate | None:
        return None if value is None else PartialDate.from_int(value)

    def to_python(self, value: PartialDate | int | str | datetime.date | None) -> PartialDate | None:
        if value is None or isinstance(value, PartialDate):
            return value
        if isinstance(value, int):
            return PartialDate.from_int(value)
        if isinstance(value, str) and value.strip() == "":
            return None
        return PartialDate.parse(value)

    def get_prep_value(self, value: PartialDate | int | str | datetime.date | None) -> int | None:
        if value is None:
            return None
        if isinstance(value, int):
            return value
        return int(PartialDate.parse(value))

    def value_to_string(self, obj: models.Model) -> str:
        value = self.value_from_object(obj)
        return "" if value is None else value.iso

    def formfield(self, **kwargs: Any) -> forms.Field:
        field = super().formfield(**{"form_class": PartialDateFormField, **kwargs})
        # Say what to type even when the model field has help text of its own.
        hint = "e.g. 1998, 2006-08 or 1999-12-08"
        field.help_text = f"{field.help_text} ({hint})" if field.help_text and hint not in field.help_text else hint
        return field


class PartialYear(models.Transform):
    """``field__year``: the year of a partial date (integer division of the stored value)."""

    lookup_name = "year"
    output_field = models.IntegerField()

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> CompiledSQL:
        lhs, params = compiler.compile(self.lhs)
        return f"({lhs} / 10000)", params


class _YearBound:
    """Turn ``field__year <op> N`` into an index-friendly comparison on the stored value."""

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> CompiledSQL:
        if not isinstance(self.rhs, int):
            return super().as_sql(compiler, connection)
        column, params = compiler.compile(self.lhs.lhs)
        value = self.bound(self.rhs)
        return f"{column} {self.sql_operator} %s", [*params, value]


@PartialYear.register_lookup
class PartialYearExact(models.lookups.Exact):
    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> CompiledSQL:
        if not isinstance(self.rhs, int):
            return super().as_sql(compiler, connection)
        column, params = compiler.compile(self.lhs.lhs)
        return f"{column} BETWEEN %s AND %s", [*params, self.rhs * 10000, self.rhs * 10000 + 9999]


@PartialYear.register_lookup
class PartialYearGte(_YearBound, models.lookups.GreaterThanOrEqual):
    sql_operator = ">="

    def bound(self, year: int) -> int:
        return year * 10000


@PartialYear.register_lookup
class PartialYearGt(_YearBound, models.lookups.GreaterThan):
    sql_operator = ">"

    def bound(self, year: int) -> int:
        return year * 10000 + 9999


@PartialYear.register_lookup
class PartialYearLte(_YearBound, models.lookups.LessThanOrEqual):
    sql_operator = "<="

    def bound(self, year: int) -> int:
        return year * 10000 + 9999


@PartialYear.register_lookup
class PartialYearLt(_YearBound, models.lookups.LessThan):
    sql_operator = "<"

    def bound(self, year: int) -> int:
        return year * 10000


PartialDateField.register_lookup(PartialYear)


def upper_bound_expression(field_name: str) -> CombinedExpression:
    """SQL for :attr:`PartialDate.upper_bound` of a column: the last day it may mean."""
    column = ExpressionWrapper(F(field_name), output_field=models.IntegerField())
    return column + Case(
        # The % operator rather than MOD(): SQLite has no MOD() outside Django's connections.
        When(Exact(column % 10000, 0), then=Value(1299)),
        When(Exact(column % 100, 0), then=Value(99)),
        default=Value(0),
        output_field=models.IntegerField(),
    )


def range_constraint(start: str, end: str, name: str) -> models.CheckConstraint:
    """A CheckConstraint: the period ``end`` names must not lie wholly before ``start``.

    Partial dates are compared generously: "May 2006" may end a period that began on
    10 May 2006, but "2005" may not end one that began in 2006.
    """
    return models.CheckConstraint(
        condition=Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(GreaterThanOrEqual(upper_bound_expression(end), F(start))),
        name=name,
        violation_error_message=f"“{end}” cannot be before “{start}”.",
    )


def check_range(
    errors: dict[str, list[str]],
    start_name: str,
    start: PartialDate | None,
    end_name: str,
    end: PartialDate | None,
    message: str,
) -> None:
    """The Python side of :func:`range_constraint`, for ``clean()`` methods."""
    if start is not None and end is not None and not end.may_end(start):
        errors.setdefault(end_name, []).append(message)


def spans_years_condition(start: str, end: str) -> Q:
    """A condition: the period from ``start`` to ``end`` runs into a later year than it began
    in (28 December 2006 – 3 January 2007), i.e. ``end >= (start / 10000 + 1) * 10000``. Spelled
    the same in a partial index and in a query, so the database can tell the one implies the
    other (PostgreSQL and SQLite both match the expression as written)."""
    first = ExpressionWrapper(F(start), output_field=models.IntegerField())
    last = ExpressionWrapper(F(end), output_field=models.IntegerField())
    return Q(GreaterThanOrEqual(last, (first / 10000 + 1) * 10000))
