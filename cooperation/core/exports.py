"""Exports: every public list as CSV or JSON (``?format=csv``, ``?format=json``), streamed.

Each list declares its columns once, as an :class:`ExportSpec` (the five are at the end of this
module). The CSV writer, the JSON writer and the column tables of ``docs/data-format.md`` all
read that one declaration; :func:`write_data_format` rewrites the tables and a test fails when
the document and the specs disagree.

An export holds exactly the rows of the list page with the same parameters: the page's own
queryset (``FilteredListView.get_queryset``: the same FilterSet, the same sort, bad values
ignored the same way), every row rather than one page. Rows are read with
``QuerySet.iterator(chunk_size=…)`` and each chunk's relations with one ``values_list`` query a
relation (:class:`Related`: plain values, no prefetch machinery, which cost more than the rest
of the export), so memory and the number of queries grow with chunks, never with the whole
result: nothing but the chunk in hand is held, and each piece of output is handed to the
server as it is written.

Only published records appear, and only published related records: the rows come from the
page's ``published()`` queryset and every related list from a query of published rows.
"""

import csv
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache, partialmethod
from itertools import chain, islice
from pathlib import Path
from types import FunctionType
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.http import StreamingHttpResponse
from django.utils.text import slugify
from django.utils.translation import get_language
from django_countries import countries

from cooperation.core.partial_dates import format_range

FORMATS = ("csv", "json")
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

    def value(self, record, context):
        value = self.get(record, context)
        if self.many:
            return list(value)
        return None if value == "" else value


@dataclass(frozen=True)
class Related:
    """A relation an export reads: published related rows only, into a plain list on each
    record, ``record.export_<lookup>`` (see :meth:`attach`).

    ``only`` are the fields of a related row the columns read, read with ``values_list`` (one
    query a chunk of records, no model machinery a row): ``slug``, ``name`` … of the related
    record, or ``partner__slug`` … of a record one step further (a project's partner roles:
    ``role`` on the role, the rest on its partner; a citation's ``source__…``). ``published``
    is the path, from a related row, of the flag that must be true: ``published`` for a
    record, ``source__published`` for a citation, ``partner__published`` for a partner role.
    """

    lookup: str
    only: tuple
    published: str = "published"

    @property
    def attribute(self):
        return related_attribute(self.lookup)

    def rows(self, model, pks):
        """(query of the related rows of the records ``pks``, the name of the column that holds
        the record's key in it)."""
        field = model._meta.get_field(self.lookup)
        related = field.related_model
        if isinstance(field, GenericRelation):
            owner = field.object_id_field_name
            queryset = related._default_manager.filter(
                **{field.content_type_field_name: ContentType.objects.get_for_model(model), f"{owner}__in": pks}
            )
        elif field.many_to_many:  # a many-to-many field of the record: its rows through the link table
            owner = field.related_query_name()
            queryset = related._default_manager.filter(**{f"{owner}__in": pks})
        else:  # rows that point at the record (a project's partner roles)
            owner = field.field.name
            queryset = related._default_manager.filter(**{f"{owner}__in": pks})
        return queryset.filter(**{self.published: True}), owner

    def attach(self, model, records):
        """Give each of ``records`` its published related rows, in the related model's own order,
        as ``record.export_<lookup>``: unsaved model instances holding ``only`` (one query)."""
        queryset, owner = self.rows(model, [record.pk for record in records])
        build = self.builder(queryset.model)
        found = defaultdict(list)
        for key, *values in queryset.values_list(owner, *self.only):
            found[key].append(build(values))
        for record in records:
            setattr(record, self.attribute, found.get(record.pk, []))

    def builder(self, model):
        """A function making a :func:`row_class` object of ``model`` from the values of ``only``."""
        own = [(position, name) for position, name in enumerate(self.only) if "__" not in name]
        nested = defaultdict(list)
        for position, name in enumerate(self.only):
            if "__" in name:
                relation, field_name = name.split("__", 1)
                nested[relation].append((position, field_name))
        row = row_class(model)
        nested_rows = {relation: row_class(model._meta.get_field(relation).related_model) for relation in nested}

        def build(values):
            record = row({name: values[position] for position, name in own})
            for relation, names in nested.items():
                target = nested_rows[relation]({name: values[position] for position, name in names})
                setattr(record, relation, target)
                setattr(record, f"{relation}_id", getattr(target, "id", None))  # as a foreign key reads
            return record

        return build


@cache
def row_class(model):
    """A light stand-in for ``model`` instances in exports: its values as attributes, and the
    model's own properties and methods (``__str__``, ``short_name``, ``get_role_display`` …),
    so the columns read it as a record; no model machinery to build one (a Django model
    instance costs more to make than the rest of the export does with it)."""
    own = {
        name: value
        for name, value in vars(model).items()
        if name == "__str__"
        or (not name.startswith("_") and isinstance(value, property | FunctionType | partialmethod))
    }

    def __init__(self, values):
        self.__dict__.update(values)

    return type(f"{model.__name__}Row", (), {**own, "__init__": __init__, "__module__": __name__})


def related_attribute(lookup):
    return f"export_{lookup}"


@dataclass(frozen=True)
class ExportContext:
    base_url: str  # "https://registry.example.org": the records' public URLs start with it


@dataclass(frozen=True)
class ExportSpec:
    """A list's export: the file name stem, the columns in order, the relations to prefetch."""

    name: str  # "projects": the file name stem, the list's name in JSON and in docs/data-format.md
    path: str  # "/projects/": the list page
    columns: tuple
    related: tuple = ()

    @property
    def headers(self):
        return [column.name for column in self.columns]

    def queryset(self, queryset):
        """The page's queryset (filters, sort, select_related) without the page's prefetches:
        :meth:`records` reads the export's own relations, chunk by chunk."""
        return queryset.prefetch_related(None)

    def records(self, queryset, chunk_size=CHUNK_SIZE):
        """Every record of ``queryset``, read ``chunk_size`` at a time (a server-side cursor on
        PostgreSQL), each chunk given its relations with one query a relation (see Related)."""
        rows = queryset.iterator(chunk_size=chunk_size)
        while chunk := list(islice(rows, chunk_size)):
            for related in self.related:
                related.attach(queryset.model, chunk)
            yield from chunk

    def values(self, record, context):
        """The record's values, column by column. Its prefetched lists are dropped after: a
        project's partner roles point back at the project (Django sets ``role.project``), and
        without the cycle the chunk is freed as soon as it is written, not at the next GC."""
        values = [column.value(record, context) for column in self.columns]
        for related in self.related:
            record.__dict__.pop(related.attribute, None)
        return values


def columns(*groups):
    """Flatten columns and lists of columns (a date is three, a relation two) into a tuple."""
    return tuple(chain.from_iterable(group if isinstance(group, list | tuple) else [group] for group in groups))


# Column builders -----------------------------------------------------------------------------


def slug_column(noun):
    return Column(
        "slug",
        f"The {noun}'s stable identifier, the last part of its address; the import matches rows on it.",
        lambda record, context: record.slug,
        use=KEY,
    )


def text(name, description, use=READ):
    return Column(name, description, lambda record, context: getattr(record, name), use=use)


def number(name, description):
    return Column(name, description, lambda record, context: getattr(record, name))


def lines(name, description):
    """A text field holding one value a line, as a list."""
    return Column(
        name,
        description,
        lambda record, context: [line.strip() for line in getattr(record, name).splitlines() if line.strip()],
        many=True,
    )


def choice(name, description):
    """A choices field by its label ("Cooperation agreement"), not its code."""
    return Column(
        name,
        description,
        lambda record, context: choice_label(type(record), name, getattr(record, name), get_language()),
    )


@lru_cache(maxsize=4096)
def choice_label(model, name, value, language=None):
    """What ``get_<name>_display()`` gives in ``language``, remembered: Django looks it up anew
    for every row."""
    return str(dict(model._meta.get_field(name).flatchoices).get(value, value))


def country(name, description):
    return [
        Column(
            name,
            f"{description}: the country's name.",
            lambda record, context: country_name(getattr(record, name).code, get_language()),
            use=DERIVED,
        ),
        Column(
            f"{name}_code",
            f"{description}: ISO 3166-1 alpha-2 code (AZ, CH).",
            lambda record, context: getattr(record, name).code,
        ),
    ]


@lru_cache(maxsize=1024)
def country_name(code, language=None):
    """``Country.name`` in ``language``, remembered (django-countries translates it anew for
    every row); "" for none."""
    return str(countries.name(code)) if code else ""


@lru_cache(maxsize=4096)
def as_written(value):
    """str(PartialDate), remembered: month names come from strftime, slow over a million rows."""
    return str(value)


@lru_cache(maxsize=4096)
def period_as_written(start, end):
    return format_range(start, end)


def partial_date(name, what):
    """Three columns: the date as written ("August 2006"), in ISO 8601 at its precision
    ("2006-08") and the precision ("month")."""

    def part(written):
        def get(record, context):
            value = getattr(record, name)
            return None if value is None else written(value)

        return get

    return [
        Column(name, f"{what}, as written: “8 December 1999”, “August 2006” or “1998”.", part(as_written), use=DERIVED),
        Column(
            f"{name}_iso",
            f"{what} in ISO 8601 at its precision: 1999-12-08, 2006-08 or 1998.",
            part(lambda value: value.iso),
        ),
        Column(
            f"{name}_precision",
            f"How much of the {what[0].lower() + what[1:]} is known: day, month or year.",
            part(lambda value: value.precision.value),
            use=DERIVED,
        ),
    ]


def period(description):
    """The record's ``dates`` (format_range of start and end), as the list page shows them."""
    return Column(
        "dates", description, lambda record, context: period_as_written(record.start, record.end), use=DERIVED
    )


def partner_name(partner):
    return partner.short_name


def related_one(name, what, slug_name=None, label=partner_name):
    """A foreign key to a record: its name and its slug (empty when that record is a draft)."""

    def target(record):
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


def related_many(name, what, slug_name, label=str):
    """A many-to-many relation (prefetched, see Related): the related records' names, and a
    parallel column of their slugs."""
    attribute = related_attribute(name)

    def items(record):
        return getattr(record, attribute)

    return [
        Column(
            name,
            f"{what}: their names.",
            lambda record, context: [label(item) for item in items(record)],
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


def project_partners():
    """A project's partners with their roles: "IOM (implementing)" and "iom:implementing"."""

    def roles(record):
        return record.export_project_partners

    return [
        Column(
            "partners",
            "Partners with their role in the project: “IOM (implementing); EU (funding)”.",
            lambda record, context: [str(role) for role in roles(record)],
            many=True,
            use=DERIVED,
        ),
        Column(
            "partner_slugs",
            "The same partners as slug:role, in the same order: “iom:implementing; eu:funding”; "
            "roles are implementing, funding, beneficiary or other.",
            lambda record, context: [f"{role.partner.slug}:{role.role}" for role in roles(record)],
            many=True,
        ),
    ]


def sources():
    """The published sources a record cites (each once, however many places it cites)."""

    def cited(record):
        seen = {}
        for citation in record.export_citations:
            seen.setdefault(citation.source_id, citation.source)
        return list(seen.values())

    return [
        Column(
            "sources",
            "The documents the record cites: their titles.",
            lambda record, context: [source.title for source in cited(record)],
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
def url_pattern(model):
    """(before, after) the slug in ``model``'s get_absolute_url(): reverse() once, not a row."""
    before, after = model(slug=URL_PROBE).get_absolute_url().split(URL_PROBE)
    return before, after


def url_column(noun):
    def get(record, context):
        before, after = url_pattern(type(record))
        return f"{context.base_url}{before}{record.slug}{after}"

    return Column("url", f"The {noun}'s page on this site.", get, use=DERIVED)


PARTNER_NAME = ("slug", "name", "acronym")  # partner_name(): the acronym, else the name
TITLE = ("slug", "title", "short_title")  # str(agreement)
PROJECT_TITLE = ("slug", "title", "phase")  # str(project)
CITATIONS = Related(
    "citations",
    only=("source__id", "source__slug", "source__title"),
    published="source__published",
)


# Writing -------------------------------------------------------------------------------------


class _Echo:
    """The file-like object csv.writer needs: hands back what it is asked to write."""

    def write(self, value):
        return value


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return SEPARATOR.join(str(item) for item in value)
    return str(value)


def _buffered(pieces):
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


def csv_lines(spec, records, context):
    """A byte-order mark, the header row, one row a record: RFC 4180 (CRLF, quotes as needed)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(spec.headers)
    for record in records:
        yield writer.writerow([csv_cell(value) for value in spec.values(record, context)])


def json_pieces(spec, records, context, header):
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


FILENAME_SAFE = re.compile(r"[^a-z0-9-]+")


def filename(stem, filters, bare=(), extension="csv"):
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


def export_response(spec, export_format, queryset, *, context, header, filename, chunk_size=CHUNK_SIZE, count=None):
    """A StreamingHttpResponse of ``queryset`` (the page's, unpaginated) as CSV or JSON.

    ``header`` (JSON only) is the object the results follow: filters, sort, notices; its
    ``count`` is filled in here (``count`` if the caller knows it, e.g. from the cache).
    """
    queryset = spec.queryset(queryset)
    if export_format == "json":
        header = {**header, "count": queryset.count() if count is None else count}
        pieces = json_pieces(spec, spec.records(queryset, chunk_size), context, header)
        content_type = "application/json"
    else:
        pieces = csv_lines(spec, spec.records(queryset, chunk_size), context)
        content_type = "text/csv; charset=utf-8; header=present"
    response = StreamingHttpResponse(_buffered(pieces), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The lists ----------------------------------------------------------------------------------

PARTNERS = ExportSpec(
    name="partners",
    path="/partners/",
    columns=columns(
        slug_column("partner"),
        text("name", "The partner's full name."),
        text("acronym", "Its acronym or short name (IOM); empty if it has none."),
        choice("kind", "What it is: International organisation, State, State agency, EU body, Dialogue process …"),
        choice("scope", "Multilateral, Bilateral or Host-country institution."),
        country("country", "For a state or a state agency, the state"),
        text("headquarters", "City and country of its headquarters."),
        related_one("parent", "The body it belongs to (a council of its organisation, an agency of its state)"),
        partial_date("founded", "Date founded"),
        number("member_states", "For an organisation, its number of member states (by the preferred source)."),
        text("website", "Its website."),
        lines("other_names", "Other names and spellings the sources use."),
        text("description", "What the registry says of it."),
        sources(),
        url_column("partner"),
    ),
    related=(CITATIONS,),
)

OFFICES = ExportSpec(
    name="offices",
    path="/offices/",
    columns=columns(
        slug_column("office"),
        text("name", "The office's name."),
        related_one("partner", "The partner whose office it is"),
        choice("kind", "Headquarters, Country office, Field office, Representation, Information centre or Other."),
        text("city", "Its city; empty if the sources do not name it."),
        country("country", "The country it is in"),
        partial_date("opened", "Date opened"),
        partial_date("closed", "Date closed"),
        text("description", "What the registry says of it."),
        sources(),
        url_column("office"),
    ),
    related=(CITATIONS,),
)

AGREEMENTS = ExportSpec(
    name="agreements",
    path="/agreements/",
    columns=columns(
        slug_column("agreement"),
        text("title", "The agreement's full title."),
        text("short_title", "How people usually refer to it."),
        choice("kind", "Cooperation agreement, Memorandum of understanding, Readmission agreement …"),
        Column(
            "status",
            "The latest stage its dates have reached today: Signed, Ratified, In force, Ended, or Dates not recorded.",
            lambda record, context: record.status_label,
            use=DERIVED,
        ),
        related_many("parties", "The partners that are parties to it", "party_slugs", label=partner_name),
        related_many("topics", "Its topics", "topic_slugs", label=lambda topic: topic.name),
        partial_date("signed", "Date signed"),
        text("signed_place", "The city where it was signed."),
        partial_date("ratified", "Date ratified"),
        partial_date("in_force", "Date of entry into force"),
        partial_date("ended", "Date ended"),
        text("legal_notes", "Ratifying act, decree, reservations, what ended it."),
        text("description", "What the registry says of it."),
        sources(),
        url_column("agreement"),
    ),
    related=(Related("parties", PARTNER_NAME), Related("topics", ("slug", "name")), CITATIONS),
)

PROJECTS = ExportSpec(
    name="projects",
    path="/projects/",
    columns=columns(
        slug_column("project"),
        text("title", "The project's full title."),
        text("short_title", "Its acronym or short name (UNIMIG)."),
        text("phase", "Its phase (Phase III)."),
        choice("status", "Planned, Ongoing, Completed or Not known."),
        period("The period as written: “2006–2008”, “March 2014”."),
        partial_date("start", "Start date"),
        partial_date("end", "End date"),
        project_partners(),
        related_many("topics", "Its topics", "topic_slugs", label=lambda topic: topic.name),
        related_many("agreements", "The agreements it is based on", "agreement_slugs"),
        text("description", "What the registry says of it."),
        sources(),
        url_column("project"),
    ),
    related=(
        Related(
            "project_partners",
            only=("role", *(f"partner__{name}" for name in PARTNER_NAME)),
            published="partner__published",
        ),
        Related("topics", ("slug", "name")),
        Related("agreements", TITLE),
        CITATIONS,
    ),
)

MEETINGS = ExportSpec(
    name="meetings",
    path="/meetings/",
    columns=columns(
        slug_column("meeting"),
        text("title", "The meeting's title."),
        choice("kind", "Visit, Bilateral meeting, Governing-body session, Summit, Conference, Training …"),
        period("The dates as written: “5–8 December 2016”, “October 2000”."),
        partial_date("start", "Start date"),
        partial_date("end", "End date (for meetings over several days)"),
        text("city", "The city where it was held."),
        country("country", "The country where it was held"),
        related_many("partners", "The partners that took part", "partner_slugs", label=partner_name),
        related_many("participants", "The officials who took part", "participant_slugs", label=lambda p: p.name),
        text("participants_note", "Participants the sources do not name (“SMS employees”)."),
        related_many("agreements", "Agreements signed or discussed there", "agreement_slugs"),
        related_many("projects", "Projects it concerned", "project_slugs"),
        text("description", "What the registry says of it."),
        sources(),
        url_column("meeting"),
    ),
    related=(
        Related("partners", PARTNER_NAME),
        Related("participants", ("slug", "name")),
        Related("agreements", TITLE),
        Related("projects", PROJECT_TITLE),
        CITATIONS,
    ),
)

SPECS = {spec.name: spec for spec in (PARTNERS, OFFICES, AGREEMENTS, PROJECTS, MEETINGS)}


# docs/data-format.md ----------------------------------------------------------------------

DATA_FORMAT = Path(settings.BASE_DIR) / "docs" / "data-format.md"
TABLE_START = "<!-- columns: {name} (generated from cooperation/core/exports.py: do not edit by hand) -->"
TABLE_END = "<!-- /columns -->"


def column_table(spec):
    """The Markdown table of a list's columns, as docs/data-format.md holds it."""
    rows = ["| column | what it holds | values | import |", "|---|---|---|---|"]
    for column in spec.columns:
        description = column.description.replace("|", "\\|")
        values = "several" if column.many else "one"
        rows.append(f"| `{column.name}` | {description} | {values} | {column.use} |")
    return "\n".join(rows)


def data_format_tables(text):
    """{list name: the table text between its markers} in a copy of docs/data-format.md."""
    tables = {}
    for name in SPECS:
        start = TABLE_START.format(name=name)
        if start in text:
            tables[name] = text.split(start, 1)[1].split(TABLE_END, 1)[0].strip()
    return tables


def write_data_format(path=DATA_FORMAT):
    """Rewrite the column tables of docs/data-format.md from the specs; return True if it changed.

    ``python manage.py shell -c "from cooperation.core.exports import write_data_format as w; w()"``
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    original = text
    for name, spec in SPECS.items():
        start = TABLE_START.format(name=name)
        if start not in text:
            raise ValueError(f"{path} has no {start!r} marker for the {name} table.")
        before, rest = text.split(start, 1)
        _, after = rest.split(TABLE_END, 1)
        text = f"{before}{start}\n{column_table(spec)}\n{TABLE_END}{after}"
    if text != original:
        path.write_text(text, encoding="utf-8")
    return text != original
