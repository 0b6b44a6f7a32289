"""The site-wide lists, newest first: every change (recent changes) and the records deleted and
not restored (deleted records), merged from every history table with keyset pagination
(:class:`Cursor`), each page read with a constant number of queries.
"""

import dataclasses
from collections import defaultdict
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst

from cooperation.core.models import Record
from cooperation.history.describe import Names, ObjectChange, Rows, describe
from cooperation.history.tracking import (
    SAME_MOMENT,
    child_relations,
    content_type_id,
    history_of,
    model_label,
    newest_first,
    parent_of,
    still_deleted,
)
from cooperation.history.versions import from_stamp, to_stamp


def history_url(model, pk):
    if model is None or pk is None:
        return None
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[pk])
    except NoReverseMatch:
        return None


@dataclasses.dataclass(frozen=True)
class Cursor:
    """A place in the merged list: rows are ordered by (date, model label, history_id), newest first."""

    date: datetime
    label: str
    history_id: int

    def encode(self):
        return f"{to_stamp(self.date)}~{self.label}~{self.history_id}"

    @classmethod
    def decode(cls, text):
        """The cursor ``text`` names, or None if it names none."""
        try:
            stamp, label, history_id = str(text).split("~")
            cursor = cls(from_stamp(int(stamp)), label, int(history_id))
        except (ValueError, OverflowError):
            return None
        # A database integer holds at most 2**63 - 1.
        return cursor if 0 <= cursor.history_id < 2**63 else None


def _beyond(label, cursor, older):
    """The rows of the table ``label`` that come after ``cursor`` (older) or before it (newer)."""
    if cursor is None:
        return Q()
    if older:
        same = Q(history_date=cursor.date, history_id__lt=cursor.history_id)
        if label < cursor.label:
            return Q(history_date__lte=cursor.date)
        if label > cursor.label:
            return Q(history_date__lt=cursor.date)
        return Q(history_date__lt=cursor.date) | same
    same = Q(history_date=cursor.date, history_id__gt=cursor.history_id)
    if label > cursor.label:
        return Q(history_date__gte=cursor.date)
    if label < cursor.label:
        return Q(history_date__gt=cursor.date)
    return Q(history_date__gt=cursor.date) | same


def previous_row_id(history_model):
    """A subquery: the history_id of the row before this one, of the same object."""
    earlier = history_model.objects.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    return Subquery(newest_first(earlier).values("history_id")[:1])


def merged_page(querysets, cursor, older, size):
    """One page of rows from several history tables, merged newest first (keyset pagination).

    ``querysets``: {model: queryset of its history}. One query per table, each with a LIMIT.
    Returns (rows as (model, row) newest first, whether there are more beyond the page).
    """
    fetched = []
    for model, queryset in querysets.items():
        label = model_label(model)
        queryset = queryset.filter(_beyond(label, cursor, older))
        queryset = newest_first(queryset) if older else queryset.order_by("history_date", "history_id")
        fetched += [(model, row) for row in queryset[: size + 1]]

    def key(item):
        return (item[1].history_date, model_label(item[0]), item[1].history_id)

    fetched.sort(key=key, reverse=older)
    more = len(fetched) > size
    page = fetched[:size]
    if not older:
        page.reverse()
    return page, more


@dataclasses.dataclass
class Entry:
    """One row of the recent-changes list."""

    model: type
    row: object
    change: ObjectChange
    user: object
    record_model: type
    record_id: int
    record_label: str
    url: str | None
    live: bool

    @property
    def action(self):
        return self.change.action

    @property
    def cursor(self):
        return Cursor(self.row.history_date, model_label(self.model), self.row.history_id)

    @property
    def objects(self):
        return [self.change]

    @property
    def record_noun(self):
        return capfirst(self.record_model._meta.verbose_name) if self.record_model else ""


def describe_rows(page):
    """Entries for (model, row) pairs whose querysets were annotated with ``previous_id``."""
    rows, names = Rows(), Names()
    wanted, known = defaultdict(set), defaultdict(list)
    for model, row in page:
        known[model].append(row)
        if row.previous_id:
            wanted[model].add(row.previous_id)
    for model, page_rows in known.items():
        rows.load(model, wanted[model], known=page_rows)
    rows.want_names(names)
    parents = []
    for model, row in page:
        record_model, record_id = (model, row.id) if issubclass(model, Record) else parent_of(model, row)
        parents.append((record_model, record_id))
        if record_model is not None and record_model is not model:
            names.want(record_model, record_id)
    users = {row.history_user_id for _model, row in page} - {None}
    users = get_user_model()._base_manager.in_bulk(users) if users else {}
    names.resolve()
    entries = []
    for (model, row), (record_model, record_id) in zip(page, parents, strict=True):
        before = rows.get(model, row.previous_id) if row.previous_id else None
        child = record_model is not model
        change = describe(model, before, row, rows, names, child)
        if child:
            record_label = names.label(record_model, record_id) if record_model else ""
        else:
            names.want(model, row.id)
            record_label = change.label
        entries.append(
            Entry(
                model=model,
                row=row,
                change=change,
                user=users.get(row.history_user_id),
                record_model=record_model,
                record_id=record_id,
                record_label=record_label,
                url=history_url(record_model, record_id),
                live=False,
            )
        )
    names.resolve()  # whether each record still exists (one query per model, answered in bulk)
    for entry in entries:
        entry.live = entry.record_model is not None and names.is_live(entry.record_model, entry.record_id)
    return entries


def recent_changes(models_, *, user_id=None, no_user=False, action=None, cursor=None, older=True, size=50):
    """A page of every row of ``models_``, newest first, with what each changed.

    Queries: one per table, then one per table with rows on the page (the rows before them) and
    one per tracked many-to-many field of those tables, one per model named (two if some were
    deleted), one for the users.
    """
    querysets = {}
    for model in models_:
        queryset = history_of(model).objects.all()
        if no_user:
            queryset = queryset.filter(history_user__isnull=True)
        elif user_id is not None:
            queryset = queryset.filter(history_user_id=user_id)
        if action:
            queryset = queryset.filter(history_type=action)
        querysets[model] = queryset.annotate(previous_id=previous_row_id(history_of(model)))
    page, more = merged_page(querysets, cursor, older, size)
    return describe_rows(page), more


@dataclasses.dataclass
class DeletedRecord:
    model: type
    row: object
    user: object
    label: str
    children: list  # (verbose name plural or name, count)
    restore_url: str
    history_url: str | None

    @property
    def noun(self):
        return capfirst(self.model._meta.verbose_name)

    @property
    def cursor(self):
        return Cursor(self.row.history_date, model_label(self.model), self.row.history_id)


def deleted_records(models_, *, cursor=None, older=True, size=50):
    """A page of deleted records, newest first, each with the children deleted with it.

    Queries: one per table, one per child table of the models on the page, one for the users.
    """
    querysets = {model: still_deleted(model) for model in models_}
    page, more = merged_page(querysets, cursor, older, size)
    by_model = defaultdict(list)
    for model, row in page:
        by_model[model].append(row)
    children = defaultdict(lambda: defaultdict(int))
    for model, model_rows in by_model.items():
        for relation in child_relations(model):
            for row, count in _children_deleted_with(model, relation, model_rows).items():
                children[(model, row.history_id)][relation.model] += count
    users = {row.history_user_id for _model, row in page} - {None}
    users = get_user_model()._base_manager.in_bulk(users) if users else {}
    entries = []
    for model, row in page:
        counts = [
            (count, child._meta.verbose_name if count == 1 else child._meta.verbose_name_plural)
            for child, count in children[(model, row.history_id)].items()
        ]
        entries.append(
            DeletedRecord(
                model=model,
                row=row,
                user=users.get(row.history_user_id),
                label=str(row.instance),
                children=counts,
                restore_url=reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_restore", args=[row.id]),
                history_url=history_url(model, row.id),
            )
        )
    return entries, more


def _children_deleted_with(model, relation, deletion_rows):
    """{deletion row: number of ``relation`` children deleted with it} in one query."""
    pks = [row.id for row in deletion_rows]
    earliest = min(row.history_date for row in deletion_rows) - SAME_MOMENT
    latest = max(row.history_date for row in deletion_rows)
    if relation.fk:
        filters = {f"{relation.fk}__in": pks}
        parent_attname = relation.fk
    else:
        filters = {"content_type_id": content_type_id(model), "object_id__in": pks}
        parent_attname = "object_id"
    candidates = (
        still_deleted(relation.model)
        .filter(**filters, history_date__gte=earliest, history_date__lte=latest)
        .values_list(parent_attname, "history_user_id", "history_date")
    )
    counts = defaultdict(int)
    by_pk = {row.id: row for row in deletion_rows}
    for parent_pk, user_id, date in candidates:
        row = by_pk.get(parent_pk)
        if row is not None and _deleted_with(row, user_id, date):
            counts[row] += 1
    return counts


def _deleted_with(record_row, user_id, date):
    return (
        user_id == record_row.history_user_id
        and record_row.history_date - SAME_MOMENT <= date <= record_row.history_date
    )
