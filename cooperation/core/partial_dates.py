"""Dates as the sources write them: "1998", "August 2006", "8 December 1999", "about 2008",
"2007 (uncertain)", "second half of 2007". Longer than 500 lines because the value, its model
field and that field's lookups and constraints are one unit, which migrations name by this
module's path (reading typed text is in ``date_parsing.py``).

A :class:`PartialDate` is a year, optionally a month, optionally a day; or a year's quarter or
half (its EDTF code, 33–36 and 40–41, in place of the month). In the database it is one
integer, ``YYYYMMDD`` with ``00`` for the parts the source does not give: 1998 is
``19980000``, August 2006 is ``20060800``, 8 December 1999 is ``19991208``, the second half of
2007 is ``20074100``. That integer

- sorts correctly (a year sorts before the months and days inside it, its quarters and halves
  after them),
- filters by year with an index range scan (``field__year=1998`` becomes
  ``field BETWEEN 19980000 AND 19989999``), and
- gives the year by integer division, on SQLite and PostgreSQL alike.

A date may also be approximate ("about 2008", EDTF ``2008~``), uncertain ("2007 (uncertain)",
``2007?``) or both (``2007%``): that qualifier is kept in a column of its own, a
:class:`DateQualifierField` declared just before the date, named by the date's
``qualifier_field``; reading the date gives it with its qualifier and assigning one sets both.
:attr:`PartialDate.edtf` is the Extended Date/Time Format (ISO 8601-2) text of any of them.

A range ("10–11 May 2006") is two partial dates; :func:`format_range` writes it the way a
person would, and :func:`range_constraint` keeps the end from falling before the start.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import total_ordering
from typing import TYPE_CHECKING, Any

from django import forms
from django.core import checks, validators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, ExpressionWrapper, F, Q, Value, When
from django.db.models.expressions import CombinedExpression
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual
from django.db.models.query_utils import DeferredAttribute
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from cooperation.core import date_words
from cooperation.core.date_parsing import GROUPS, HALVES, read_date

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.expressions import Expression
    from django.db.models.sql.compiler import SQLCompiler

# What as_sql() gives: the SQL and its parameters.
CompiledSQL = tuple[str, Sequence[Any]]

MIN_YEAR = 1000
MAX_YEAR = 9999

# In English (the import's column notes use them as they are); gettext() gives them translated.
EXPECTED_FORMATS = gettext_noop(
    "a year (1998), a month (2006-08 or August 2006), a day (1999-12-08 or 8 December 1999), "
    "a half or quarter (second half of 2007, Q3 2010), or an approximate or uncertain date (about 2008, 2007?)"
)
FORMS_HINT = gettext_noop("e.g. 1998, 2006-08, 1999-12-08, about 2008, 2007?, second half of 2007 or Q3 2010")
FORMS_HINT_UNQUALIFIED = gettext_noop("e.g. 1998, 2006-08, 1999-12-08, second half of 2007 or Q3 2010")


class Precision(models.TextChoices):
    """How much of a date the sources give, coarsest first."""

    YEAR = "year", "Year"
    HALF = "half", "Half year"
    QUARTER = "quarter", "Quarter"
    MONTH = "month", "Month"
    DAY = "day", "Day"


class Qualifier(models.TextChoices):
    """EDTF's qualification of a whole date (ISO 8601-2): what the source says of its certainty."""

    NONE = "", "As given"
    APPROXIMATE = "~", "Approximate"
    UNCERTAIN = "?", "Uncertain"
    BOTH = "%", "Approximate and uncertain"


# Qualifier.values builds its list on every call: a PartialDate checks its qualifier against
# this set instead (a list of 25 records' dates made 500 of them).
QUALIFIERS = frozenset(Qualifier.values)


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A year, optionally a month and a day, or a quarter or half of a year (``group``, its EDTF
    code), optionally approximate (``~``), uncertain (``?``) or both (``%``)."""

    year: int
    month: int | None = None
    day: int | None = None
    group: int | None = None
    qualifier: str = ""

    def __post_init__(self):
        if not isinstance(self.year, int) or not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValidationError(
                gettext("The year must be between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR},
                code="year",
            )
        if self.qualifier not in QUALIFIERS:
            raise ValidationError(gettext("A date is approximate (~), uncertain (?) or both (%)."), code="qualifier")
        if self.group is not None:
            if self.month is not None or self.day is not None:
                raise ValidationError(gettext("A quarter or half of a year has no month or day."), code="group")
            if self.group not in GROUPS:
                raise ValidationError(
                    gettext("The registry keeps quarters (33–36) and halves (40–41) of a year."), code="group"
                )
            if self.qualifier:
                raise ValidationError(
                    gettext(
                        "EDTF cannot call a quarter or half of a year approximate or uncertain: "
                        "give the year instead (about 2007, 2007?)."
                    ),
                    code="qualified_group",
                )
            return
        if self.month is None:
            if self.day is not None:
                raise ValidationError(gettext("A day needs a month."), code="day_without_month")
            return
        if not 1 <= self.month <= 12:
            raise ValidationError(gettext("The month must be between 1 and 12."), code="month")
        if self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise ValidationError(
                    gettext("%(month)s has no day %(day)s.")
                    % {"month": date_words.month_text(self.year, self.month), "day": self.day},
                    code="day",
                )

    # Conversions -----------------------------------------------------------------------
    @classmethod
    def from_int(cls, value: int) -> PartialDate:
        """The date an encoded integer holds (without its qualifier, which is stored beside it)."""
        year, rest = divmod(int(value), 10000)
        month, day = divmod(rest, 100)
        if month > 12:
            return cls(year, day=day or None, group=month)
        return cls(year, month or None, day or None)

    @classmethod
    def from_date(cls, value: datetime.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    def __int__(self):
        return self.year * 10000 + (self.month or self.group or 0) * 100 + (self.day or 0)

    def with_qualifier(self, qualifier: str) -> PartialDate:
        """This date with ``qualifier`` ("" for none): always a new object. A date read from a
        record comes through here each time it is read (``QualifiedDate``: 350 times on the
        busiest partner's page), so a qualifier the date may take is set on a copy without
        checking the date again (0.6 µs, not 1.6); any other (and any subclass's date, whose
        fields the copy would not know) goes through the constructor, which refuses a bad one."""
        if qualifier not in QUALIFIERS or (qualifier and self.group is not None) or type(self) is not PartialDate:
            return replace(self, qualifier=qualifier)
        date = object.__new__(PartialDate)
        for name, value in (("year", self.year), ("month", self.month), ("day", self.day), ("group", self.group)):
            object.__setattr__(date, name, value)
        object.__setattr__(date, "qualifier", qualifier)
        return date

    @property
    def unqualified(self) -> PartialDate:
        return self.with_qualifier("")

    @property
    def approximate(self) -> bool:
        return self.qualifier in (Qualifier.APPROXIMATE, Qualifier.BOTH)

    @property
    def uncertain(self) -> bool:
        return self.qualifier in (Qualifier.UNCERTAIN, Qualifier.BOTH)

    @property
    def precision(self) -> Precision:
        if self.group is not None:
            return Precision.HALF if self.group in HALVES else Precision.QUARTER
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def iso(self) -> str:
        """ISO 8601 at the known precision, without the qualifier: 1998, 2006-08, 1999-12-08;
        a quarter or half in ISO 8601-2 (EDTF) form, 2007-41."""
        if self.group is not None:
            return f"{self.year:04d}-{self.group}"
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def html_datetime(self) -> str:
        """The value of a ``<time datetime>`` attribute: :attr:`iso`, but a quarter or half as its
        year (HTML has no quarters or halves, and 2007-41 would be read as a 41st month)."""
        return f"{self.year:04d}" if self.group is not None else self.iso

    @property
    def edtf(self) -> str:
        """The Extended Date/Time Format (ISO 8601-2) string: 1999-12-08, 2008~, 2007?, 2007-41."""
        return f"{self.iso}{self.qualifier}"

    @property
    def months(self) -> tuple[int, int]:
        """The first and last month this date may mean."""
        if self.group is not None:
            return GROUPS[self.group][1:]
        if self.month is not None:
            return self.month, self.month
        return 1, 12

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.months[0], self.day or 1)

    @property
    def last_day(self) -> datetime.date:
        if self.day is not None:
            return self.first_day
        month = self.months[1]
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def lower_bound(self) -> int:
        """The encoded value of the first day this date may mean's month (for range checks)."""
        if self.group is not None:
            return self.year * 10000 + self.months[0] * 100
        return int(self)

    @property
    def upper_bound(self) -> int:
        """The encoded value of the last day this date may mean (for range checks)."""
        if self.group is not None:
            return self.year * 10000 + self.months[1] * 100 + 99
        if self.month is None:
            return int(self) + 1299
        if self.day is None:
            return int(self) + 99
        return int(self)

    def may_end(self, start: PartialDate) -> bool:
        """True when a period ending on ``self`` can have begun on ``start``."""
        return self.upper_bound >= start.lower_bound

    @property
    def exact_text(self) -> str:
        """The date in words without its qualifier, in the active language: "8 December 1999",
        "8 dekabr 1999", "8 декабря 1999", "second half of 2007" (see ``date_words.py``)."""
        return date_words.exact_text(self)

    def __str__(self):
        """The site's one style, in the active language: "8 December 1999", "about 2008",
        "2007 (uncertain)"; "около 2008 года", "təxminən 2008-ci il"."""
        return date_words.written(self)

    def __repr__(self):
        return f"PartialDate({self.edtf!r})"

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
            raise ValidationError(ENTER_A_DATE, code="empty")
        parts = read_date(raw)
        if parts is None:
            raise ValidationError(
                gettext("“%(value)s” is not a date this registry understands. Enter %(formats)s."),
                code="invalid",
                params={"value": raw[:40], "formats": gettext(EXPECTED_FORMATS)},
            )
        return cls(*parts)


def format_range(start: PartialDate | None, end: PartialDate | None) -> str:
    """Write a period the way a person would, in the active language: "10–11 May 2006",
    "2007–2008", "about 2005 – 2007", "10–11 мая 2006" (``date_words.range_text``)."""
    return date_words.range_text(start, end)


# Database --------------------------------------------------------------------------------


class PartialDateInput(forms.TextInput):
    """The date's text box, and under it how the registry understood what is in it: staff who
    typed "c. 2008" see "about 2008" in the box after saving and "Understood as about 2008
    (EDTF 2008~)" under it."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        html = super().render(name, value, attrs, renderer)
        if value in (None, ""):
            return html
        try:
            understood = PartialDate.parse(value)
        except ValidationError:
            return html
        return html + format_html(
            '<div class="help understood-as">{}</div>',
            gettext("Understood as %(date)s (EDTF %(edtf)s).") % {"date": understood, "edtf": understood.edtf},
        )


ENTER_A_DATE = format_lazy(gettext_lazy("Enter {formats}."), formats=gettext_lazy(EXPECTED_FORMATS))


class PartialDateFormField(forms.CharField):
    default_error_messages = {"invalid": ENTER_A_DATE}
    widget = PartialDateInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", gettext_lazy(FORMS_HINT))
        super().__init__(*args, **kwargs)
        # max_length sizes the input box; the cleaned value is a PartialDate, which has no
        # length, and over-long text is refused by PartialDate.parse with a readable message.
        self.validators = [v for v in self.validators if not isinstance(v, validators.MaxLengthValidator)]
        self.widget.attrs.setdefault("placeholder", gettext_lazy("YYYY, YYYY-MM or YYYY-MM-DD"))
        self.widget.attrs.setdefault("size", 16)

    def prepare_value(self, value: PartialDate | int | str | None) -> str | None:
        """A saved date in the box as the site writes it ("8 December 1999", "about 2005", "second
        half of 2007"), which reads back to the same date; text typed in a form that came back
        with an error stays as typed."""
        if isinstance(value, int):
            value = PartialDate.from_int(value)
        if isinstance(value, PartialDate):
            return str(value)
        return value

    def to_python(self, value: str | None) -> PartialDate | None:
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return PartialDate.parse(value)


class DateQualifierField(models.CharField):
    """Where a :class:`PartialDateField` with ``qualifier_field`` keeps its EDTF qualifier
    ("", "~", "?" or "%"). Declare it just before the date; staff set it through the date."""

    description = "EDTF qualifier of a partial date"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 1)
        kwargs.setdefault("choices", Qualifier.choices)
        kwargs.setdefault("default", "")
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)


class QualifiedDate(DeferredAttribute):
    """The attribute of a PartialDateField with a qualifier field: reading it gives the date with
    the qualifier stored beside it; assigning a PartialDate sets both. A date read from the
    database (``from_db_value``) carries no qualifier of its own and leaves that field alone."""

    def __get__(self, instance: models.Model | None, cls: type | None = None) -> Any:
        value = super().__get__(instance, cls)
        if instance is None or not isinstance(value, PartialDate):
            return value
        return value.with_qualifier(getattr(instance, self.field.qualifier_field) or "")

    def __set__(self, instance: models.Model, value: Any) -> None:
        if isinstance(value, str) and value.strip():
            # Text that is no date is kept as typed: full_clean() says what is wrong with it.
            with contextlib.suppress(ValidationError):
                value = PartialDate.parse(value)
        if isinstance(value, PartialDate) and not getattr(value, "_from_database", False):
            instance.__dict__[self.field.qualifier_field] = value.qualifier
            value = value.unqualified
        instance.__dict__[self.field.attname] = value


class PartialDateField(models.Field):
    """A :class:`PartialDate` stored as one sortable integer (see the module docstring).

    With ``qualifier_field="start_qualifier"`` (a :class:`DateQualifierField` declared just
    before it) the date may also be approximate or uncertain."""

    description = "Date at year, half, quarter, month or day precision"
    # Naming the qualifier's column changes no SQL: AlterField is a no-op.
    non_db_attrs = (*models.Field.non_db_attrs, "qualifier_field")

    def __init__(self, *args: Any, qualifier_field: str | None = None, **kwargs: Any) -> None:
        self.qualifier_field = qualifier_field
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.qualifier_field:
            kwargs["qualifier_field"] = self.qualifier_field
        return name, path, args, kwargs

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        if self.qualifier_field:
            setattr(cls, self.attname, QualifiedDate(self))

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [*super().check(**kwargs), *self._check_qualifier_field()]

    def _check_qualifier_field(self) -> list[checks.CheckMessage]:
        if not self.qualifier_field or not hasattr(self, "model"):
            return []
        names = [field.name for field in self.model._meta.concrete_fields]
        if self.qualifier_field not in names or names.index(self.qualifier_field) > names.index(self.name):
            return [
                checks.Error(
                    f"qualifier_field “{self.qualifier_field}” must name a DateQualifierField "
                    f"declared before “{self.name}”.",
                    obj=self,
                    id="partial_dates.E001",
                )
            ]
        return []

    def get_internal_type(self) -> str:
        return "IntegerField"

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        super().validate(value, model_instance)
        if isinstance(value, PartialDate) and value.qualifier and not self.qualifier_field:
            raise ValidationError(
                gettext(
                    "This date may be a year, month, day, half or quarter, but not approximate or uncertain: "
                    "leave out “about” and “?”."
                ),
                code="unqualified",
            )

    def from_db_value(
        self, value: int | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> PartialDate | None:
        if value is None:
            return None
        date = PartialDate.from_int(value)
        # Its qualifier is in the qualifier column: assigning this date must not clear it.
        object.__setattr__(date, "_from_database", True)
        return date

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
        return "" if value is None else value.edtf

    def formfield(self, **kwargs: Any) -> forms.Field:
        field = super().formfield(**{"form_class": PartialDateFormField, **kwargs})
        # Say what to type even when the model field has help text of its own.
        hint = FORMS_HINT if self.qualifier_field else FORMS_HINT_UNQUALIFIED
        if field.help_text and hint not in str(field.help_text):
            field.help_text = format_lazy("{} ({})", field.help_text, gettext_lazy(hint))
        else:
            field.help_text = gettext_lazy(hint)
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


def stored_integer(field_name: str) -> ExpressionWrapper:
    """A partial date column as the integer it is stored as (YYYYMMDD, 00 for a part not given),
    to compare and do sums with in SQL, or to read without making a PartialDate of each."""
    return ExpressionWrapper(F(field_name), output_field=models.IntegerField())


def upper_bound_expression(field_name: str) -> CombinedExpression:
    """SQL for :attr:`PartialDate.upper_bound` of a column: the last day it may mean (for a
    quarter or half, generously, the end of its year)."""
    column = stored_integer(field_name)
    return column + Case(
        # The % operator rather than MOD(): SQLite has no MOD() outside Django's connections.
        When(Exact(column % 10000, 0), then=Value(1299)),
        When(Exact(column % 100, 0), then=Value(99)),
        default=Value(0),
        output_field=models.IntegerField(),
    )


def lower_bound_expression(field_name: str) -> Case:
    """SQL for :attr:`PartialDate.lower_bound` of a column: the value itself, or for a quarter or
    half (a month part over 12), generously, the start of its year."""
    column = stored_integer(field_name)
    return Case(
        When(GreaterThan(column % 10000, 1299), then=column - column % 10000),
        default=column,
        output_field=models.IntegerField(),
    )


def range_constraint(start: str, end: str, name: str) -> models.CheckConstraint:
    """A CheckConstraint: the period ``end`` names must not lie wholly before ``start``.

    Partial dates are compared generously: "May 2006" may end a period that began on
    10 May 2006, but "2005" may not end one that began in 2006. For quarters and halves the
    database is more generous still (their year); ``clean()`` checks them to the month.
    """
    return models.CheckConstraint(
        condition=Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(GreaterThanOrEqual(upper_bound_expression(end), lower_bound_expression(start))),
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
    return Q(GreaterThanOrEqual(stored_integer(end), (stored_integer(start) / 10000 + 1) * 10000))
