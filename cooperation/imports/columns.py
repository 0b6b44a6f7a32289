"""What the import does with each column: read the text of a cell into a value, say what the
record holds now in the same terms, tell whether they differ, write the value to the record.

:class:`Reader` is that contract; the readers of plain values (text, web addresses, lines,
choices, numbers, countries, partial dates) are here, those naming related records by slug in
``relations.py``. A list's import (``schemas.py``) names a reader for every column its export
marks ``key`` or ``read`` (the app's ``exports.py``, see ``cooperation/core/exports.py``); the
``derived`` columns are skipped. A test keeps the two in step.

Two rules make an export re-import unchanged (see docs/data-format.md):

- values are compared as the export writes them: a label and its code are the same choice,
  text is compared without the spaces around it, "other names" line by line, related
  records as sets of slugs;
- an export leaves out draft records (a draft partner of a project, a draft parent body, a
  draft source), so the import keeps a record's links to drafts: a file can add a link to a
  draft or keep it, but not remove it (that is done in the record's form).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django_countries import countries

from cooperation.core.exports import SEPARATOR
from cooperation.core.partial_dates import EXPECTED_FORMATS, PartialDate
from cooperation.core.text import shorten as text_shorten

PREVIEW_TEXT = 60  # characters of a long text shown in the preview


def split_many(text):
    """The values of a many-valued cell: "a; b;c" → ["a", "b", "c"] (the exports write "; ")."""
    return [part.strip() for part in text.split(";") if part.strip()]


def shorten(text):
    """A cell's text on one line, cut for the preview."""
    return text_shorten(" ".join(str(text).split()), PREVIEW_TEXT)


def shown(text):
    return f"“{shorten(text)}”" if text not in ("", None) else "(empty)"


class Reader:
    """One column the import reads. Scalar readers set a field before the record is validated
    and saved; relation readers (``relation = True``) change links after it is saved."""

    relation = False
    targets = None  # the model whose slugs a relation column names

    def __init__(self, column, field=None):
        self.column = column
        self.field = field or column

    def bind(self, model):
        self.model = model
        self.model_field = model._meta.get_field(self.field)
        return self

    @property
    def required(self):
        """The column must be in the file: a new record cannot do without it."""
        field = self.model_field
        if field.many_to_many:
            return not field.blank and field.remote_field.through._meta.auto_created
        return not field.blank and not field.has_default()

    def slugs(self, text):
        """The related slugs a cell names (looked up in bulk before any row is read)."""
        return []

    def parse(self, text, context):
        """The cell's value; ValidationError with a message for the person who typed it."""
        raise NotImplementedError

    def current(self, obj, context):
        """What ``obj`` holds now, comparable with what parse() returns."""
        return getattr(obj, self.field)

    def same(self, old, new):
        return old == new

    def show(self, value):
        return shown(value)

    def describe_change(self, old, new):
        return f"{self.show(old)} → {self.show(new)}"

    def fingerprint(self, value):
        return str(value)

    def assign(self, obj, value):
        setattr(obj, self.field, value)

    def accepted(self):
        """What a cell may hold, for the template's Columns sheet."""
        return "Text."


def plain(text):
    """Text as compared: without the spaces around it, line breaks as "\n" (browsers send
    "\r\n", an .xlsx cell holds "\n")."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


class Text(Reader):
    def parse(self, text, context):
        return text.strip()

    def current(self, obj, context):
        return (getattr(obj, self.field) or "").strip()

    def same(self, old, new):
        return plain(old) == plain(new)

    def accepted(self):
        limit = getattr(self.model_field, "max_length", None)
        if isinstance(self.model_field, models.TextField) or not limit:
            return "Text; line breaks are kept."
        return f"Text, up to {limit} characters."


class Url(Text):
    def parse(self, text, context):
        text = text.strip()
        # As in the admin's form: an address typed without a scheme is https.
        if text and "://" not in text:
            text = f"https://{text}"
        return text

    def accepted(self):
        return "A web address; https:// is added when it has no scheme."


class Lines(Text):
    """A text field of one value a line (other names), a many-valued column in the file."""

    def parse(self, text, context):
        return split_many(text)

    def same(self, old, new):
        return old == new

    def current(self, obj, context):
        return [line.strip() for line in (getattr(obj, self.field) or "").splitlines() if line.strip()]

    def show(self, value):
        return shown(SEPARATOR.join(value))

    def fingerprint(self, value):
        return "\n".join(value)

    def assign(self, obj, value):
        setattr(obj, self.field, "\n".join(value))

    def accepted(self):
        return f"Several values separated by “{SEPARATOR.strip()}” (stored one a line)."


class Choice(Reader):
    """A choices field, by its label (“Cooperation agreement”, as exported; in any of the site's
    languages: “Əməkdaşlıq sazişi”, “Соглашение о сотрудничестве”) or its code."""

    def bind(self, model):
        super().bind(model)
        self.labels = dict(self.model_field.choices)
        self.by_text = {}
        for language, _name in reversed(settings.LANGUAGES):  # English last: its label wins a tie
            with translation.override(language):
                for code, label in self.model_field.choices:
                    self.by_text[" ".join(str(label).split()).casefold()] = code
        for code, _label in self.model_field.choices:
            self.by_text[str(code).casefold()] = code
        return self

    def parse(self, text, context):
        text = " ".join(text.split())
        if not text:
            return ""
        try:
            return self.by_text[text.casefold()]
        except KeyError:
            raise ValidationError(
                gettext("“%(text)s” is not a %(field)s: use one of %(labels)s.")
                % {
                    "text": shorten(text),
                    "field": self.model_field.verbose_name,
                    "labels": ", ".join(str(label) for label in self.labels.values()),
                }
            ) from None

    def show(self, value):
        return str(self.labels.get(value, value)) or "(empty)"

    def accepted(self):
        return "One of: " + "; ".join(str(label) for label in self.labels.values()) + " (or its code)."


class Number(Reader):
    def parse(self, text, context):
        text = text.strip().replace(",", "").replace(" ", "")
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            number = None
        if number is None or not number.is_integer():
            raise ValidationError(gettext("“%(text)s” is not a whole number.") % {"text": shorten(text)})
        return int(number)

    def show(self, value):
        return "(empty)" if value is None else str(value)

    def accepted(self):
        return "A whole number, or empty."


class Country(Reader):
    """An ISO 3166-1 alpha-2 code (AZ); a country's English name is accepted too."""

    def parse(self, text, context):
        text = text.strip()
        if not text:
            return ""
        code = text.upper()
        if code in context.country_codes:
            return code
        code = countries.by_name(text)
        if code:
            return code
        raise ValidationError(
            gettext("“%(text)s” is not a country: give its ISO 3166-1 alpha-2 code, such as AZ or CH.")
            % {"text": shorten(text)}
        )

    def current(self, obj, context):
        country = getattr(obj, self.field)
        return (country.code if country else "") or ""

    def show(self, value):
        return value or "(empty)"

    def accepted(self):
        return "An ISO 3166-1 alpha-2 country code (AZ, CH), or empty."


class Countries(Country):
    """Several countries (a project's recipient countries): ISO 3166-1 alpha-2 codes or English
    names separated by "; ", compared as a set (their order is not a change)."""

    def parse(self, text, context):
        found = []
        for part in split_many(text):
            code = super().parse(part, context)
            if code not in found:
                found.append(code)
        return found

    def current(self, obj, context):
        return [country.code for country in getattr(obj, self.field) or []]

    def same(self, old, new):
        return sorted(old) == sorted(new)

    def show(self, value):
        return SEPARATOR.join(value) or "(empty)"

    def fingerprint(self, value):
        return ",".join(sorted(value))

    def accepted(self):
        return (
            f"ISO 3166-1 alpha-2 country codes (AZ, GE) or English names, separated by “{SEPARATOR.strip()}”; or empty."
        )


class Date(Reader):
    """A partial date from its ``…_iso`` column: 1998, 2006-08 or 1999-12-08 (or anything the
    admin's date fields accept: “August 2006”, “8.12.1999”, “about 2008”, and what spreadsheets
    make of dates: “Dec-2000”, “2/23/2017”, see ``cooperation/core/date_parsing.py``); an Excel
    date cell arrives here already written out at the precision its format shows.

    A date has three columns, read together (``plan.read_date``): this one, the date as written
    (:class:`WrittenDate`) and in EDTF (:class:`EdtfDate`). The ISO column has no room for
    “about” or “uncertain”: a plain date there that is the record's date leaves its qualifier
    alone (2008 is the ISO form of 2008~)."""

    qualified = False  # the column can say "about" or "uncertain" (2008 here is also 2008~)

    def parse(self, text, context):
        text = text.strip()
        if not text:
            return None
        return PartialDate.parse(text)

    def same(self, old, new):
        if old is not None and new is not None and not new.qualifier and not self.qualified:
            return old.unqualified == new
        return old == new

    def show(self, value):
        return "(empty)" if value is None else value.edtf

    def fingerprint(self, value):
        return "" if value is None else value.edtf

    def accepted(self):
        return (
            f"Empty, or {EXPECTED_FORMATS}; an Excel date cell counts at the precision its format shows. "
            f"{THREE_COLUMNS}"
        )


THREE_COLUMNS = (
    "A date has three columns (as written, ISO, EDTF): the one a row changes gives the date; "
    "two changed columns that disagree are an error."
)


class WrittenDate(Date):
    """A partial date from its column as written: “8 December 1999”, “about 2008”, “second half
    of 2007” (or anything the ISO column accepts)."""

    qualified = True

    def show(self, value):
        return "(empty)" if value is None else str(value)

    def accepted(self):
        return (
            "Empty, or the date in words as the site writes it: 8 December 1999, August 2006, 1998, about 2008, "
            f"2007 (uncertain), second half of 2007; what the ISO column accepts is accepted too. {THREE_COLUMNS}"
        )


class EdtfDate(Date):
    """A partial date from its ``…_edtf`` column: 1999-12-08, 2006-08, 1998, 2008~, 2007?, 2007%,
    2007-41 (or anything the ISO column accepts)."""

    qualified = True

    def accepted(self):
        return (
            "Empty, or an EDTF date: 1999-12-08, 2006-08, 1998, 2008~ (approximate), 2007? (uncertain), "
            "2007% (both), 2007-41 (second half), 2010-33 (first quarter); what the ISO column accepts is "
            f"accepted too. {THREE_COLUMNS}"
        )


def agrees(reader, value, date):
    """True when ``value``, read from ``reader``'s column, gives ``date`` (a plain date in the ISO
    column gives the same date with any qualifier)."""
    if value is None or date is None:
        return value is date
    if not reader.qualified and not value.qualifier:
        return value == date.unqualified
    return value == date


def precision_of(date):
    """How a date's ``…_precision`` column says how much of it is known: “month (2006-08)”."""
    return "no date" if date is None else f"{date.precision.value} ({date.edtf})"


def precision_agrees(text, date):
    """True when a ``…_precision`` cell says what ``date`` is (an empty cell says nothing)."""
    text = " ".join(text.split()).casefold()
    if not text:
        return True
    if date is None:
        return False
    return text in (date.precision.value, str(date.precision.label).casefold())


class PrecisionCheck:
    """A date's ``…_precision`` column: it follows the date, so it is not read. A cell left as it
    was gives way to a changed date; one that says another precision than both the record's date
    and the row's is an error saying to write the date at that precision instead (an edited cell
    would otherwise be silently ignored)."""

    def __init__(self, name):
        self.name = name
        self.columns = (f"{name}_precision",)

    def check(self, row, context):
        column = self.columns[0]
        text = row.cells.get(column)
        dates = [reader.column for reader in context.schema.dates.get(self.name, ())]
        if text is None or any(row.failed(name) for name in dates):
            return
        date = getattr(row.instance, self.name)
        before = row.dates_before.get(self.name, date) if row.existing else None
        if precision_agrees(text, date) or (row.existing and precision_agrees(text, before)):
            return
        where = next((name for name in dates if name in row.cells and name.endswith("_iso")), f"{self.name}_iso")
        row.error(
            column,
            f"{column} follows the date, so it is not read: the file has “{shorten(text)}”, the date is "
            f"{precision_of(date)}. To change how much of the date is known, write the date at that precision "
            f"in {where} (a year: 2006; a month: 2006-08; a day: 2006-08-15), or leave {column} as it was.",
        )
