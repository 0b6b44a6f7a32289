"""Planning an import: what each row would do, and every problem, without writing anything.

:func:`plan_import` reads nothing but the database and writes nothing: it is the dry run the
preview shows; ``apply.py`` carries out a plan without errors. The checks that look at the
whole file at once (a unique name given twice, a parent cycle, who may change what) are in
``file_checks.py``.

Planning costs a fixed number of queries whatever the number of rows (the records named by
the file, their current links and the related records its slug columns name are each read in
one query per 500 slugs).
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import F, Value
from django.utils.translation import gettext
from django_countries import countries

from cooperation.imports.changes import Change, change_of
from cooperation.imports.columns import Country, Date
from cooperation.imports.date_cells import read_date
from cooperation.imports.file_checks import check_parent_cycles, check_permission, check_unique
from cooperation.imports.relations import ForeignKey, Link, chunks
from cooperation.imports.schemas import SCHEMAS, validate_key
from partners.models import Partner

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
ACTIONS = (CREATE, UPDATE, UNCHANGED, ERROR)


@dataclass(frozen=True)
class Issue:
    """One problem: the row as the spreadsheet numbers it (None: the whole file), the column
    (empty: the whole row) and what is wrong."""

    row: int | None
    column: str
    message: str

    def __str__(self):
        where = [f"row {self.row}" if self.row else "the file"]
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


@dataclass
class RowPlan:
    number: int
    slug: str
    cells: dict
    action: str = UNCHANGED
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    instance: object = None
    existing: bool = False
    fields: list = field(default_factory=list)  # scalar fields to save
    relations: list = field(default_factory=list)  # (reader, wanted keys) to set after saving
    parent_slug: str | None = None  # a partner's parent named by this file (saving order)
    date_columns: dict = field(default_factory=dict)  # date field -> the column that gave its new value
    dates_before: dict = field(default_factory=dict)  # date field -> the record's date before this row

    def error(self, column, message):
        self.errors.append(Issue(self.number, column, message))

    def failed(self, column):
        return any(issue.column == column for issue in self.errors)


@dataclass
class ImportPlan:
    schema: object
    table: object
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)
    context: object = None

    @property
    def model(self):
        return self.schema.model

    @property
    def errors(self):
        return [*self.file_errors, *(issue for row in self.rows for issue in row.errors)]

    @property
    def has_errors(self):
        return bool(self.file_errors) or any(row.errors for row in self.rows)

    @property
    def counts(self):
        counts = Counter(row.action for row in self.rows)
        return {action: counts[action] for action in ACTIONS}

    @property
    def has_changes(self):
        return any(row.action in (CREATE, UPDATE) for row in self.rows)

    @property
    def fingerprint(self):
        """A digest of what the plan would do: confirming a preview whose records have changed
        since (a different digest) shows the new preview instead of saving."""
        data = [
            [row.number, row.slug, row.action, [[change.column, change.old, change.new] for change in row.changes]]
            for row in self.rows
        ]
        return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


def messages_of(error):
    """{field or NON_FIELD_ERRORS: [message, …]} of a ValidationError."""
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {NON_FIELD_ERRORS: error.messages}


class Context:
    """What planning looked up once for all rows: related records by slug, current links."""

    def __init__(self, schema, user, reason):
        self.schema = schema
        self.user = user
        self.reason = reason
        self.country_codes = {code for code, _ in countries}
        self.slugs = {}  # model -> {slug: Link}
        self.pks = {}  # model -> {pk: Link}
        self.links = {}  # relation column -> {record pk: {key: Link}}
        self.file_slugs = set()  # slugs of the file's rows (a partner's parent may be one)
        self.instances = {}  # slug -> the row's record (existing or new)
        self.parents = {}  # slug -> Partner instance, for the parent column
        self.targets = {}  # (model, slug) -> instance, for a foreign key to another model (a place)

    def load(self, model, slugs):
        known = self.slugs.setdefault(model, {})
        by_pk = self.pks.setdefault(model, {})
        wanted = sorted(set(slugs) - set(known))
        for chunk in chunks(wanted):
            # A place is reference data, always public: it has no published flag.
            flag = F("published") if any(f.name == "published" for f in model._meta.fields) else Value(True)
            for pk, slug, published in (
                model._default_manager.filter(slug__in=chunk)
                .annotate(is_published=flag)
                .values_list("pk", "slug", "is_published")
            ):
                known[slug] = by_pk[pk] = Link(pk, slug, published)

    def require(self, model, slugs):
        """ValidationError naming the slugs no record has."""
        known = self.slugs.get(model, {})
        missing = [
            slug for slug in slugs if slug not in known and not (model is self.schema.model and slug in self.file_slugs)
        ]
        if missing:
            names = ", ".join(f"“{slug}”" for slug in missing)
            opts = model._meta
            if len(missing) == 1:
                message = gettext("No %(name)s has the slug %(slugs)s.") % {"name": opts.verbose_name, "slugs": names}
            else:
                message = gettext("No %(names)s have the slugs %(slugs)s.") % {
                    "names": opts.verbose_name_plural,
                    "slugs": names,
                }
            raise ValidationError(message)

    def link(self, model, slug):
        return self.slugs[model][slug]

    def link_by_pk(self, model, pk):
        return self.pks[model][pk]

    def attribute(self, obj):
        """Who changed ``obj`` and why, for django-simple-history (when installed): it reads
        ``_history_user`` and ``_change_reason`` from the instance being saved."""
        obj._history_user = self.user
        obj._change_reason = self.reason


def plan_import(model, table, user=None):
    """The plan for importing ``table`` (files.Table) into ``model``: each row's action, what it
    changes and its errors. Writes nothing. ``user`` None skips the permission checks (scripts)."""
    schema = SCHEMAS[model]
    plan = ImportPlan(schema=schema, table=table)
    positions = _check_headers(plan)
    if plan.file_errors:
        return plan
    # django-simple-history keeps a change reason of at most 100 characters.
    context = Context(schema, user, reason=f"Imported from {table.filename}"[:100])
    plan.rows = _rows(plan, positions)
    _check_keys(plan, context)
    _load(plan, context)
    readable = [row for row in plan.rows if row.instance is not None]
    for row in readable:
        _read_row(plan, context, row)
    check_unique(plan, context)
    if model is Partner:
        check_parent_cycles(plan, context)
    for row in readable:
        _validate(plan, row)
    check_permission(plan, context)
    for row in plan.rows:
        _sort_errors(plan, row)
        if row.errors:
            row.action = ERROR
        elif not row.existing:
            row.action = CREATE
        else:
            row.action = UPDATE if row.changes else UNCHANGED
    plan.context = context
    return plan


# Headers and rows ---------------------------------------------------------------------------


def _check_headers(plan):
    """{column: position} of the columns the import reads; file errors for the rest."""
    schema, table = plan.schema, plan.table
    known = set(schema.columns) | set(schema.derived)
    positions, seen = {}, {}
    for position, header in enumerate(table.headers):
        name = header.strip().lower()
        if not name:
            filled = next((number for number, cells in table.rows if _cell(cells, position).strip()), None)
            if filled:
                plan.file_errors.append(
                    Issue(
                        None,
                        gettext("column %(number)s") % {"number": position + 1},
                        gettext(
                            "This column has no name in row 1 but holds values (row %(row)s). "
                            "Name it, or delete the column."
                        )
                        % {"row": filled},
                    )
                )
            continue
        if name in seen:
            plan.file_errors.append(
                Issue(
                    None,
                    name,
                    gettext("The column “%(name)s” appears twice (columns %(first)s and %(second)s).")
                    % {"name": name, "first": seen[name], "second": position + 1},
                )
            )
            continue
        seen[name] = position + 1
        if name not in known:
            plan.file_errors.append(
                Issue(
                    None,
                    header,
                    gettext("Unknown column “%(column)s”. The %(list)s import reads %(columns)s.")
                    % {"column": header, "list": schema.name, "columns": ", ".join(schema.columns)},
                )
            )
        elif name in schema.checked:
            positions[name] = position  # not read, but a row may not change it (an agreement's dates)
        elif name in schema.derived:
            plan.ignored_columns.append(name)
        else:
            positions[name] = position
    for name in schema.required_columns:
        if name not in positions and name not in seen:
            plan.file_errors.append(
                Issue(
                    None,
                    name,
                    gettext("The file has no “%(name)s” column; every %(list)s import needs one.")
                    % {"name": name, "list": schema.name},
                )
            )
    return positions


def _cell(cells, position):
    return cells[position] if position < len(cells) else ""


def _rows(plan, positions):
    width = len(plan.table.headers)
    rows = []
    for number, cells in plan.table.rows:
        row = RowPlan(number, slug="", cells={name: _cell(cells, position) for name, position in positions.items()})
        if plan.table.format == "csv" and len(cells) < width:
            row.error(
                "",
                gettext(
                    "This row has %(cells)s cells but row 1 names %(width)s columns: a separator or a quote is "
                    "probably missing."
                )
                % {"cells": len(cells), "width": width},
            )
        extra = next((index for index in range(width, len(cells)) if cells[index].strip()), None)
        if extra is not None:
            row.error(
                gettext("column %(number)s") % {"number": extra + 1},
                gettext("This row has a value in column %(number)s, but row 1 names only %(width)s columns.")
                % {"number": extra + 1, "width": width},
            )
        for name, text in row.cells.items():
            if "\x00" in text:
                row.error(name, gettext("The cell holds a NUL character; remove it."))
        rows.append(row)
    return rows


def _check_keys(plan, context):
    key = plan.schema.key
    first = {}
    for row in plan.rows:
        slug = row.cells[key].strip()
        row.slug = slug
        try:
            validate_key(slug)
        except ValidationError as error:
            row.error(key, " ".join(error.messages))
            continue
        if slug in first:
            row.error(
                key,
                gettext("“%(slug)s” is also on row %(row)s: each record may appear only once in a file.")
                % {"slug": slug, "row": first[slug]},
            )
            continue
        first[slug] = row.number
    context.file_slugs = set(first)


# Look-ups -----------------------------------------------------------------------------------


def _load(plan, context):
    """Read, in bulk, the records the file names and what their relation columns refer to."""
    schema, model = plan.schema, plan.schema.model
    foreign_keys = [reader.field for reader in schema.readers if isinstance(reader, ForeignKey)]
    existing = {}
    for chunk in chunks(context.file_slugs):
        for obj in model._default_manager.filter(slug__in=chunk).select_related(*foreign_keys):
            existing[obj.slug] = obj
    wanted = {}
    for reader in schema.readers:
        if reader.column in plan.rows[0].cells and reader.targets is not None:
            for row in plan.rows:
                wanted.setdefault(reader.targets, set()).update(reader.slugs(row.cells[reader.column]))
    for target, slugs in wanted.items():
        context.load(target, slugs)
    present = list(existing.values())
    for reader in schema.readers:
        if reader.relation and reader.column in plan.rows[0].cells:
            context.links[reader.column] = reader.preload(present, context) if present else {}
            for links in context.links[reader.column].values():
                for link in links.values():
                    context.pks.setdefault(reader.targets, {})[link.pk] = link
    for row in plan.rows:
        if row.slug in context.file_slugs and not row.errors:
            obj = existing.get(row.slug)
            row.existing = obj is not None
            row.instance = obj if obj is not None else model(slug=row.slug, published=False)
            context.instances[row.slug] = row.instance
    for reader in schema.readers:
        if isinstance(reader, ForeignKey) and reader.targets is not model and reader.column in plan.rows[0].cells:
            # Another model's records the file names (a meeting's place), one query a chunk.
            slugs = {row.cells.get(reader.column, "").strip() for row in plan.rows} - {""}
            for chunk in chunks(slugs):
                for obj in reader.targets._default_manager.filter(slug__in=chunk):
                    context.targets[(reader.targets, obj.slug)] = obj
    if any(isinstance(reader, ForeignKey) and reader.targets is model for reader in schema.readers):
        # Parents named by the file, with their own parents (Partner.clean() walks the chain).
        slugs = {row.cells.get("parent_slug", "").strip() for row in plan.rows} - {""} - set(context.instances)
        for chunk in chunks(slugs):
            for obj in model._default_manager.filter(slug__in=chunk).select_related("parent"):
                context.parents[obj.slug] = obj


# One row ------------------------------------------------------------------------------------


def _read_row(plan, context, row):
    """Read each cell of ``row``, note what it changes and set the new values on its record."""
    schema, obj = plan.schema, row.instance
    dates_read = set()
    for reader in schema.readers:
        if reader.column not in row.cells:
            continue
        if isinstance(reader, Date):  # a date's columns are read together, where the first one is
            if reader.field not in dates_read:
                dates_read.add(reader.field)
                read_date(row, context, [other for other in schema.dates[reader.field] if other.column in row.cells])
            continue
        text = row.cells[reader.column]
        try:
            new = reader.parse(text, context)
        except ValidationError as error:
            row.error(reader.column, " ".join(error.messages))
            continue
        if reader.relation:
            _read_relation(schema, context, row, reader, new)
            continue
        old = reader.current(obj, context) if row.existing else None
        if row.existing and reader.same(old, new):
            continue
        if not row.existing and new in (None, "", []):
            continue  # a new record starts with the field's default
        if isinstance(reader, ForeignKey):
            if reader.targets is schema.model:  # a partner's parent: maybe a row of this file
                row.parent_slug = new if new in context.file_slugs else None
                target = context.instances.get(new) or context.parents.get(new)
            else:  # another model's record (a meeting's place)
                target = context.targets.get((reader.targets, new))
            if new is not None and target is None:
                row.error(
                    reader.column,
                    gettext("No %(name)s has the slug “%(slug)s”.")
                    % {"name": reader.targets._meta.verbose_name, "slug": new},
                )
                continue
            reader.assign(obj, target)
        else:
            reader.assign(obj, new)
        row.fields.append(reader.model_field.attname)
        if getattr(reader.model_field, "qualifier_field", None):
            row.fields.append(reader.model_field.qualifier_field)  # "about", "uncertain": stored beside the date
        row.changes.append(change_of(reader, old, new, row.existing))
    for check in schema.checks:
        check.check(row, context)


def _validate(plan, row):
    """The model's own rules (full_clean) for a record the row creates or changes; a column
    that already has an error keeps that one message."""
    if row.instance is None or (row.existing and not row.changes):
        return
    schema = plan.schema
    exclude = {reader.field for reader in schema.readers if row.failed(reader.column)}
    # A foreign key was looked up by slug already (full_clean would query it again); uniqueness
    # is checked for the whole file at once (check_unique); and each CheckConstraint of these
    # models has a matching clean(). Leaving them out saves a query or more a row.
    exclude |= {reader.field for reader in schema.readers if isinstance(reader, ForeignKey)}
    # A country the file gives was checked against the list of codes already (Django's check
    # walks the 250 choices again, the slowest part of planning).
    exclude |= {reader.field for reader in schema.readers if isinstance(reader, Country) and reader.column in row.cells}
    try:
        row.instance.full_clean(exclude=sorted(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in messages_of(error).items():
            if name == NON_FIELD_ERRORS:
                column = ""
            else:
                column = row.date_columns.get(name) or schema.column_for_field(name, row.cells)
            if not column or not row.failed(column):
                row.error(column, " ".join(messages))


def _sort_errors(plan, row):
    """A row's errors in the order of the file's columns (the whole row first)."""
    order = {name.strip().lower(): position for position, name in enumerate(plan.table.headers)}
    row.errors.sort(key=lambda issue: order.get(issue.column, -1))


def _read_relation(schema, context, row, reader, new):
    old = reader.current(row.instance, context) if row.existing else {}
    wanted = reader.wanted(old, new, context)
    field = reader.model_field
    if field is not None and field.many_to_many and reader.required and not wanted:
        row.error(
            reader.column,
            gettext("This %(name)s needs %(field)s: give at least one slug.")
            % {"name": schema.model._meta.verbose_name, "field": field.verbose_name},
        )
        return
    if set(old) == wanted:
        return
    summary = reader.describe(old, wanted, context)
    texts = ", ".join(reader.texts(wanted, old, context))
    row.relations.append((reader, wanted))
    row.changes.append(Change(reader.column, summary, ", ".join(reader.texts(set(old), old, context)), texts))
