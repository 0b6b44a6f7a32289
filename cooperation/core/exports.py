"""Exports: every public list as CSV, JSON or an Excel workbook (``?format=csv|json|xlsx``), streamed.

Longer than 500 lines because it is one engine: the columns, their builders and the writers
that stream them are read and changed together.

Each list declares its columns once, as an :class:`ExportSpec` in its app's ``exports.py``
(``partners/exports.py``: partners and offices; ``cooperation/exports.py``: agreements and
projects; ``events/exports.py``: meetings), built from the column helpers here. The CSV writer,
the JSON writer, the workbook writer (``cooperation/core/workbooks.py``), the admin import and
the column tables of ``docs/data-format.md`` (``cooperation/imports/formats.py``) all read that
one declaration.

An export holds exactly the rows of the list page with the same parameters: the page's own
queryset (``FilteredListView.get_queryset``: the same FilterSet, the same sort, bad values
ignored the same way), every row rather than one page. Rows are read ``CHUNK_SIZE`` at a time
with one ``values_list`` query (a server-side cursor) and each chunk's relations with one
``values_list`` query a relation (``export_rows.py``: plain values, no model instance, no
prefetch machinery, which cost more than the rest of the export), so memory and the number of
queries grow with chunks, never with the whole result: nothing but the chunk in hand is held,
and each piece of output is handed to the server as it is written.

Only published records appear, and only published related records: the rows come from the
page's ``published()`` queryset and every related list from a query of published rows.

Every language's text: each column of a translated field (``title``) is followed by its
translations' columns (``title_az``, ``title_ru``; empty where not translated), derived from the
model (:meth:`ExportSpec.__post_init__`). An export is data, the same whatever the page's
language: it is written in English (``settings.LANGUAGE_CODE``), so a related record's name, a
choice's label and a country's name are the English ones, from /az/… as from /….
"""

import csv
import json
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from itertools import chain
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.db.models import F, Model, QuerySet
from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import get_language

from cooperation.core import workbooks
from cooperation.core.export_rows import Related, choice_label, light_records, related_attribute, remembered
from cooperation.core.partial_dates import PartialDate, format_range
from cooperation.core.text import to_spreadsheet
from cooperation.core.translation import TRANSLATION_LANGUAGES, country_name, translated_fields

FORMATS = ("csv", "json", "xlsx")
CHUNK_SIZE = 1000  # rows per database round trip (one query, plus one per relation)
BUFFER_SIZE = 64 * 1024  # bytes handed to the server at a time
SEPARATOR = "; "  # between the values of a many-valued column in CSV
MAX_FILENAME_LENGTH = 120

# What the admin import does with a column (a later staff-workflow issue reads exports back).
KEY = "key"  # matches the row to a record: create it or update it
READ = "read"  # written to the record
DERIVED = "derived"  # computed from other columns, for people and programs; the import skips it


@dataclass(frozen=True)
class Column:
    """One column: its header (also the JSON key), how to get its value from a record, and a
    one-line description for docs/data-format.md."""

    name: str
    description: str
    get: Callable[[Any, "ExportContext"], Any] = field(compare=False)
    many: bool = False  # a list of values: "; "-joined in CSV, an array in JSON
    use: str = READ  # KEY, READ or DERIVED: what the import does with it
    # Its value depends on the request (the site's address): a stored line (export_lines.py)
    # stops before it, so in an export whose lines are stored such columns come last.
    per_request: bool = False

    def value(self, record: Any, context: "ExportContext") -> Any:
        value = self.get(record, context)
        if self.many:
            return list(value)
        return None if value == "" else value


@dataclass(frozen=True)
class ExportContext:
    base_url: str  # "https://registry.example.org": the records' public URLs start with it
    # The language the values are written in (settings.LANGUAGE_CODE, set by export_response):
    # asked once, not a cell (Django's get_language() is the slowest part of a cell).
    language: str | None = None


@dataclass(frozen=True)
class ExportSpec:
    """A list's export: the file name stem, the columns in order, the relations to prefetch.

    Given its ``model``, each column named after one of the model's translated fields is
    followed by a column a translation (``title`` → ``title_az``, ``title_ru``), which the
    import reads as it reads the English one (or skips, for a derived column)."""

    name: str  # "projects": the file name stem, the list's name in JSON and in docs/data-format.md
    path: str  # "/projects/": the list page
    columns: tuple
    related: tuple = ()
    model: type[Model] | None = None  # the records' model: its translated fields have their columns
    # Values read with each row, in the same query ({name: expression}): a place's name and
    # coordinates through a foreign key (see location_columns).
    annotations: dict = field(default_factory=dict)
    # Its CSV lines kept in the database (cooperation/core/export_lines.py), and what they show.
    stored: Any = None

    def __post_init__(self) -> None:
        if self.model is not None:
            object.__setattr__(self, "columns", with_translation_columns(self.model, self.columns))

    @property
    def headers(self) -> list[str]:
        return [column.name for column in self.columns]

    def queryset(self, queryset: QuerySet) -> QuerySet:
        """The page's queryset (filters, sort, select_related) without the page's prefetches:
        :meth:`records` reads the export's own relations, chunk by chunk; with its annotations."""
        queryset = queryset.prefetch_related(None)
        return queryset.annotate(**self.annotations) if self.annotations else queryset

    def records(self, queryset: QuerySet, chunk_size: int = CHUNK_SIZE) -> Iterator[Any]:
        """Every record of ``queryset``, read ``chunk_size`` at a time (a server-side cursor on
        PostgreSQL) as light rows (see export_rows.light_records), each chunk given its relations
        with one query a relation (see Related)."""
        for chunk in light_records(queryset, chunk_size):
            for related in self.related:
                related.attach(queryset.model, chunk)
            yield from chunk

    def values(self, record: Any, context: ExportContext) -> list:
        """The record's values, column by column (what Column.value gives, inlined: a column a
        row is most of an export's time). Its related lists are dropped after, so a chunk is
        freed as soon as it is written."""
        values = []
        append = values.append
        for get, many in self.getters:
            value = get(record, context)
            append(list(value) if many else (None if value == "" else value))
        attributes = record.__dict__
        for related in self.related:
            attributes.pop(related.attribute, None)
        return values

    @property
    def getters(self) -> tuple:
        """(get, many) of each column, in order."""
        getters = self.__dict__.get("_getters")
        if getters is None:
            getters = tuple((column.get, column.many) for column in self.columns)
            object.__setattr__(self, "_getters", getters)
        return getters


def translation_column(column: Column, code: str) -> Column:
    """The column of ``column``'s text in the language ``code`` (``title_az``)."""
    name = f"{column.name}_{code}"
    language = TRANSLATION_LANGUAGES[code]
    with translation.override(settings.LANGUAGE_CODE):
        description = f"The {column.name} in {language}; empty where it is not translated."
    return Column(name, description, lambda record, context: getattr(record, name), use=column.use)


def with_translation_columns(model: type[Model], columns: Sequence[Column]) -> tuple[Column, ...]:
    """``columns`` with each translated field's column followed by its translations' columns."""
    translated = set(translated_fields(model))
    result = []
    for column in columns:
        result.append(column)
        if column.name in translated and not column.many:
            result.extend(translation_column(column, code) for code in TRANSLATION_LANGUAGES)
    return tuple(result)


def columns(*groups: Column | Sequence[Column]) -> tuple[Column, ...]:
    """Flatten columns and lists of columns (a date is three, a relation two) into a tuple."""
    return tuple(chain.from_iterable(group if isinstance(group, list | tuple) else [group] for group in groups))


# Column builders -----------------------------------------------------------------------------


def slug_column(noun: str) -> Column:
    return Column(
        "slug",
        f"The {noun}'s stable identifier, the last part of its address; the import matches rows on it.",
        lambda record, context: record.slug,
        use=KEY,
    )


def text(name: str, description: str, use: str = READ) -> Column:
    return Column(name, description, lambda record, context: getattr(record, name), use=use)


def number(name: str, description: str) -> Column:
    return Column(name, description, lambda record, context: getattr(record, name))


def lines(name: str, description: str) -> Column:
    """A text field holding one value a line, as a list."""
    return Column(
        name,
        description,
        lambda record, context: [line.strip() for line in getattr(record, name).splitlines() if line.strip()],
        many=True,
    )


def choice(name: str, description: str) -> Column:
    """A choices field by its label ("Cooperation agreement"), not its code."""
    return Column(
        name,
        description,
        lambda record, context: choice_label(type(record), name, getattr(record, name), context.language),
    )


def country(name: str, description: str) -> list[Column]:
    return [
        Column(
            name,
            f"{description}: the country's name.",
            lambda record, context: country_name(getattr(record, name).code, context.language),
            use=DERIVED,
        ),
        Column(
            f"{name}_code",
            f"{description}: ISO 3166-1 alpha-2 code (AZ, CH).",
            lambda record, context: getattr(record, name).code,
        ),
    ]


def country_codes(value: Any) -> list[str]:
    """The codes a multiple CountryField holds: a row reads it as stored ("AZ,GE"), a model
    instance as its Country objects; none for an empty or null one."""
    if not value:
        return []
    if isinstance(value, str):
        return [code for code in value.split(",") if code]
    return [country.code for country in value]


def countries_columns(name: str, codes_name: str, description: str) -> list[Column]:
    """A multiple CountryField: the countries' names, and a parallel column of their codes (what
    the import reads), in the order the record keeps them."""
    return [
        Column(
            name,
            f"{description}: the countries' names.",
            lambda record, context: [
                country_name(code, context.language) for code in country_codes(getattr(record, name))
            ],
            many=True,
            use=DERIVED,
        ),
        Column(
            codes_name,
            f"{description}: their ISO 3166-1 alpha-2 codes, in the same order (AZ; GE).",
            lambda record, context: country_codes(getattr(record, name)),
            many=True,
        ),
    ]


def as_written(value: PartialDate) -> str:
    """str(PartialDate) in the active language, remembered (per language): over a million rows."""
    return _as_written(value, get_language())


@lru_cache(maxsize=4096)
def _as_written(value: PartialDate, language: str | None) -> str:
    return str(value)


def period_as_written(start: PartialDate | None, end: PartialDate | None) -> str:
    return _period_as_written(start, end, get_language())


@lru_cache(maxsize=4096)
def _period_as_written(start: PartialDate | None, end: PartialDate | None, language: str | None) -> str:
    return format_range(start, end)


def partial_date(name: str, what: str) -> list[Column]:
    """Four columns: the date as written ("August 2006", "about 2008"), in ISO 8601 at its
    precision ("2006-08"; without the qualifier), in EDTF ("2006-08", "2008~", "2007-41") and the
    precision ("month"). The import reads the first three: the one a row changed gives the date
    (two changed columns that disagree are an error), the precision follows the date."""

    def part(written: Callable[[PartialDate], Any]) -> Callable[[Any, ExportContext], Any]:
        def get(record: Any, context: ExportContext) -> Any:
            value = getattr(record, name)
            return None if value is None else written(value)

        return get

    def get_as_written(record: Any, context: ExportContext) -> str | None:
        value = getattr(record, name)
        return None if value is None else _as_written(value, context.language)

    return [
        Column(
            name,
            f"{what}, as written: “8 December 1999”, “August 2006”, “1998”, “about 2008”, “second half of 2007”.",
            get_as_written,
        ),
        Column(
            f"{name}_iso",
            f"{what} in ISO 8601 at its precision, without “about” or “uncertain”: 1999-12-08, 2006-08, 1998; "
            "a half or quarter of a year as in EDTF, 2007-41.",
            part(lambda value: value.iso),
        ),
        Column(
            f"{name}_edtf",
            f"{what} in the Extended Date/Time Format (EDTF, ISO 8601-2): 1999-12-08, 2006-08, 1998, "
            "2008~ (approximate), 2007? (uncertain), 2007% (both), 2007-41 (second half), 2010-33 (first quarter).",
            part(lambda value: value.edtf),
        ),
        Column(
            f"{name}_precision",
            f"How much of the {what[0].lower() + what[1:]} is known: day, month, quarter, half or year.",
            part(lambda value: value.precision.value),
            use=DERIVED,
        ),
    ]


def period(description: str) -> Column:
    """The record's ``dates`` (format_range of start and end), as the list page shows them."""
    return Column(
        "dates",
        description,
        lambda record, context: _period_as_written(record.start, record.end, context.language),
        use=DERIVED,
    )


def related_one(name: str, what: str, slug_name: str | None = None, label: Callable[[Any], str] = str) -> list[Column]:
    """A foreign key to a record: its name and its slug (empty when that record is a draft)."""

    def target(record: Any) -> Any:
        value = getattr(record, name)
        return value if value is not None and value.published else None

    return [
        Column(
            name,
            f"{what}: its name.",
            lambda record, context: label(target(record)) if target(record) else None,
            use=DERIVED,
        ),
        Column(
            slug_name or f"{name}_slug",
            f"{what}: its slug.",
            lambda record, context: target(record).slug if target(record) else None,
        ),
    ]


PLACE_FIELDS = ("slug", "name", "latitude", "longitude")


def location_annotations(path: str = "location", name: str = "location") -> dict:
    """The annotations :func:`location_columns` read: the place's slug, name and coordinates
    through the foreign key ``path`` (a join in the export's own query, no query more)."""
    return {f"export_{name}_{part}": F(f"{path}__{part}") for part in PLACE_FIELDS}


def location_columns(what: str, name: str = "location", use: str = READ) -> list[Column]:
    """Where the record is on the map (a place, see cooperation/models/places.py): the place's
    name, its slug (what the import reads, ``use``) and its coordinates in decimal degrees
    (WGS 84), read from the row's annotations (:func:`location_annotations`)."""
    prefix = "location" if name == "location" else name.removesuffix("_location")

    def part(key: str) -> Callable[[Any, ExportContext], Any]:
        attribute = f"export_{name}_{key}"
        if key in ("latitude", "longitude"):  # a number in JSON too (a Decimal is not JSON)

            def degrees(record: Any, context: ExportContext) -> float | None:
                value = getattr(record, attribute, None)
                return None if value is None else float(value)

            return degrees
        return lambda record, context: getattr(record, attribute, None)

    return [
        Column(name, f"{what}: the place's name (a city, a region or a country).", part("name"), use=DERIVED),
        Column(f"{name}_slug", f"{what}: the place's slug.", part("slug"), use=use),
        Column(
            "latitude" if prefix == "location" else f"{prefix}_latitude",
            f"{what}: the place's latitude in decimal degrees (WGS 84, north positive).",
            part("latitude"),
            use=DERIVED,
        ),
        Column(
            "longitude" if prefix == "location" else f"{prefix}_longitude",
            f"{what}: the place's longitude in decimal degrees (WGS 84, east positive).",
            part("longitude"),
            use=DERIVED,
        ),
    ]


def related_many(name: str, what: str, slug_name: str, label: Callable[[Any], str] = str) -> list[Column]:
    """A many-to-many relation (prefetched, see Related): the related records' names, and a
    parallel column of their slugs."""
    attribute = related_attribute(name)
    remembered_as = f"_export_label_{name}"

    def items(record: Any) -> list:
        return getattr(record, attribute)

    return [
        Column(
            name,
            f"{what}: their names.",
            lambda record, context: [remembered(item, remembered_as, label) for item in items(record)],
            many=True,
            use=DERIVED,
        ),
        Column(
            slug_name,
            f"{what}: their slugs, in the same order.",
            lambda record, context: [item.slug for item in items(record)],
            many=True,
        ),
    ]


def sources() -> list[Column]:
    """The published sources a record cites (each once, however many places it cites)."""

    display_name = attrgetter("display_name")

    def cited(record: Any) -> list:
        seen = {}
        for citation in record.export_citations:
            seen.setdefault(citation.source_id, citation.source)
        return list(seen.values())

    return [
        Column(
            "sources",
            "The documents the record cites, each named by its title, label, publisher and date.",
            lambda record, context: [remembered(source, "_export_name", display_name) for source in cited(record)],
            many=True,
            use=DERIVED,
        ),
        Column(
            "source_slugs",
            "The same documents' slugs, in the same order.",
            lambda record, context: [source.slug for source in cited(record)],
            many=True,
        ),
    ]


URL_PROBE = "export-url-probe"


@lru_cache(maxsize=32)
def url_pattern(model: type[Model], language: str | None = None) -> tuple[str, str]:
    """(before, after) the slug in ``model``'s get_absolute_url() in ``language`` (the page's
    path prefix, /az/…): reverse() once, not a row."""
    before, after = model._meta.model(slug=URL_PROBE).get_absolute_url().split(URL_PROBE)
    return before, after


def url_column(noun: str) -> Column:
    def get(record: Any, context: ExportContext) -> str:
        before, after = url_pattern(type(record), context.language)
        return f"{context.base_url}{before}{record.slug}{after}"

    return Column("url", f"The {noun}'s page on this site.", get, use=DERIVED, per_request=True)


CITATIONS = Related(
    "citations",
    only=(
        "source__id",
        "source__slug",
        "source__title",
        "source__label",
        "source__publisher",
        "source__date",
        "source__retrieved",
    ),
    published="source__published",
)


# Writing -------------------------------------------------------------------------------------


class _Echo:
    """The file-like object csv.writer needs: hands back what it is asked to write."""

    def write(self, value: str) -> str:
        return value


def spreadsheet_writer(output: Any) -> Any:
    """The csv.writer of every CSV file the registry writes: RFC 4180 with CRLF, every text cell
    in double quotes (a ";" in a text never splits it, in a spreadsheet program that reads ";"
    as the separator) and a number bare, so it stays a number."""
    return csv.writer(output, quoting=csv.QUOTE_NONNUMERIC)


def csv_cell(value: object) -> str | int | float | Decimal:
    """A value as a cell of a CSV file or a workbook: a number stays a number; anything else is
    text that no spreadsheet program runs as a formula (core.text.to_spreadsheet), a list its
    values joined by SEPARATOR, None an empty cell."""
    if value.__class__ is str:  # most cells: tested first, an export writes millions
        return to_spreadsheet(value)
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    if isinstance(value, list):
        return to_spreadsheet(SEPARATOR.join(str(item) for item in value))
    return to_spreadsheet(str(value))


def csv_many(values: Iterable[object]) -> str:
    """csv_cell() of a many-valued column's values: joined by SEPARATOR."""
    return to_spreadsheet(SEPARATOR.join(map(str, values)))


def _buffered(pieces: Iterable[str]) -> Iterator[bytes]:
    """Join small strings into chunks of about BUFFER_SIZE bytes of UTF-8."""
    buffer, size = [], 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= BUFFER_SIZE:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode()


def csv_header(spec: ExportSpec) -> str:
    """A byte-order mark and the header row."""
    return "\ufeff" + spreadsheet_writer(_Echo()).writerow(spec.headers)


def csv_row_writer(columns: Sequence[Column], context: ExportContext) -> Callable[[Any], str]:
    """A function writing a record's cells of ``columns`` as a CSV line (spec.values() and
    csv_cell() in one pass: a cell is most of an export's time)."""
    writerow = spreadsheet_writer(_Echo()).writerow
    cells = tuple((column.get, csv_many if column.many else csv_cell) for column in columns)

    def write(record: Any) -> str:
        return writerow([cell(get(record, context)) for get, cell in cells])

    return write


def csv_lines(spec: ExportSpec, records: Iterable[Any], context: ExportContext) -> Iterator[str]:
    """A byte-order mark, the header row, one row a record (see spreadsheet_writer)."""
    yield csv_header(spec)
    write = csv_row_writer(spec.columns, context)
    related = [item.attribute for item in spec.related]
    for record in records:
        yield write(record)
        attributes = record.__dict__
        for attribute in related:
            attributes.pop(attribute, None)


def json_pieces(
    spec: ExportSpec, records: Iterable[Any], context: ExportContext, header: dict[str, Any]
) -> Iterator[str]:
    """``{…header…, "results": [ {column: value, …}, … ]}``, one result a line."""
    opening = json.dumps({**header, "results": []}, ensure_ascii=False)
    yield opening[: -len("[]}")] + "[\n"
    names = spec.headers
    first = True
    for record in records:
        row = json.dumps(dict(zip(names, spec.values(record, context), strict=True)), ensure_ascii=False)
        yield row if first else ",\n" + row
        first = False
    yield "\n]}\n"


def xlsx_rows(spec: ExportSpec, records: Iterable[Any], context: ExportContext) -> Iterator[list]:
    """One row of cell values a record, each written as in CSV (csv_cell): the workbook writer
    makes a text a text cell, so Excel keeps a date as written."""
    for record in records:
        yield [csv_cell(value) for value in spec.values(record, context)]


FILENAME_SAFE = re.compile(r"[^a-z0-9-]+")


def filename(stem: str, filters: dict[str, list], bare: Collection[str] = (), extension: str = "csv") -> str:
    """``projects-topic-asylum-2014.csv``: the list, then each applied filter in declared order
    as its name and values (a year as its value alone), slugified and cut to a safe length."""
    parts = [stem]
    for name, values in filters.items():
        if name not in bare:
            parts.append(name)
        parts.extend(values)
    text = "-".join(slugify(str(part)) for part in parts)
    text = FILENAME_SAFE.sub("-", text.lower())
    text = re.sub(r"-{2,}", "-", text).strip("-")[:MAX_FILENAME_LENGTH].rstrip("-") or stem
    return f"{text}.{extension}"


_END = object()


def in_language(pieces: Iterable[Any], language: str) -> Iterator[Any]:
    """``pieces``, each made with ``language`` active: a streamed response is written after the
    view has returned, and the caller's language is back between two pieces."""
    iterator = iter(pieces)
    while True:
        with translation.override(language):
            piece = next(iterator, _END)
        if piece is _END:
            return
        yield piece


def export_response(
    spec: ExportSpec,
    export_format: str,
    queryset: QuerySet,
    *,
    context: ExportContext,
    header: dict[str, Any],
    filename: str,
    chunk_size: int = CHUNK_SIZE,
    count: int | None = None,
) -> StreamingHttpResponse:
    """A StreamingHttpResponse of ``queryset`` (the page's, unpaginated) as CSV, JSON or XLSX.

    ``header`` (JSON only) is the object the results follow: filters, sort, notices; its
    ``count`` is filled in here (``count`` if the caller knows it, e.g. from the cache).

    The rows are written in English (settings.LANGUAGE_CODE) whatever the request's language:
    the same bytes from /az/…?format=csv as from /…?format=csv.
    """
    queryset = spec.queryset(queryset)
    records = spec.records(queryset, chunk_size)
    if context.language is None:
        context = replace(context, language=settings.LANGUAGE_CODE)
    if export_format == "json":
        header = {**header, "count": queryset.count() if count is None else count}
        content = _buffered(json_pieces(spec, records, context, header))
        content_type = "application/json"
    elif export_format == "xlsx":
        content = workbooks.stream(spec.name, spec.headers, xlsx_rows(spec, records, context), BUFFER_SIZE)
        content_type = workbooks.CONTENT_TYPE
    else:
        if spec.stored is not None and context.language == settings.LANGUAGE_CODE:
            content = _buffered(spec.stored.csv_lines(spec, queryset, context, chunk_size))
        else:
            content = _buffered(csv_lines(spec, records, context))
        content_type = "text/csv; charset=utf-8; header=present"
    response = StreamingHttpResponse(in_language(content, settings.LANGUAGE_CODE), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
