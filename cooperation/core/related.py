"""What a record page shows of a big relation: the latest few, and how many there are in all.

A record page lists at most :data:`RELATED_LIMIT` records of each relation (a partner's
meetings, a topic's projects …) with one query a relation, and counts them all in one more
query (:func:`related_counts`, cached until the data changes), so a partner of a hundred
thousand meetings gets a page, not a book. The selectors of each app build their pages from
these; the related records they read are published ones only.
"""

import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.db import models
from django.db.models import F, IntegerField, Subquery
from django.db.models.functions import Coalesce

from cooperation.core.cache import cached
from cooperation.core.prepared import Prepared
from cooperation.core.versions import record_name

# A record page lists at most this many records of each relation, the latest first, and says
# how many there are in all. The lists' filters reach every one.
RELATED_LIMIT = 25


class CountOf(Subquery):
    """``(SELECT COUNT(*) FROM (<queryset>))``: the number of rows of a queryset, as a column."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


@dataclass
class Some:
    """The first :data:`RELATED_LIMIT` records of a relation, and how many there are in all.

    Iterates, tests and measures like the list it holds, so a template reads it as one;
    ``total`` and ``capped`` say what the list leaves out."""

    records: list
    total: int
    shown: int | None = None  # how many of the ``total`` the records are, if not one each

    def __iter__(self) -> Iterator:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def __bool__(self) -> bool:
        return bool(self.records)

    @property
    def number_shown(self) -> int:
        """How many of the ``total`` the records are."""
        return len(self.records) if self.shown is None else self.shown

    @property
    def capped(self) -> bool:
        return self.total > self.number_shown


def related_counts(
    record: models.Model, querysets: Mapping[str, models.QuerySet | models.Expression]
) -> dict[str, int]:
    """{name: how many rows each queryset has}: one query, cached until the record's version
    changes (a related record saved, deleted, linked or unlinked renews it:
    cooperation/core/versions.py). A count the database already keeps (a tally,
    cooperation/models/tallies.py) is given as the expression that reads it instead of a
    queryset: the busiest partner's meetings are one row to read, not 100,000 to count."""

    def compute():
        model = type(record)
        counts = _counted(querysets)
        row = model._default_manager.filter(pk=record.pk).values(**counts).get()
        return {name.removeprefix("count_"): number for name, number in row.items()}

    return _cached_counts(record, sorted(querysets), compute)


class RelatedCounts:
    """:func:`related_counts` of a kind of record whose page counts the same relations each time,
    with a statement built once a connection (cooperation/core/prepared.py): ``relations(id)``
    gives the querysets and expressions to count of the record of that id (the busiest partner's
    six counts took 7 ms of Python to build, each first request after a change). Cached as
    :func:`related_counts` caches the same names of the same record."""

    def __init__(self, model: type[models.Model], relations: Callable[[int], Mapping[str, object]]) -> None:
        self.model, self.relations = model, relations
        self.query = Prepared(
            lambda record: model._default_manager.filter(pk=record).values_list(*_counted(relations(record)).values()),
            params=["record"],
        )

    @functools.cached_property
    def names(self) -> list[str]:
        return list(self.relations(0))  # the same names for every record

    def __call__(self, record: models.Model) -> dict[str, int]:
        def compute():
            (row,) = self.query.rows(record=record.pk)
            return dict(zip(self.names, row, strict=True))

        return _cached_counts(record, sorted(self.names), compute)


def _counted(querysets: Mapping[str, object]) -> dict[str, object]:
    """{count_<name>: the expression counting it}: a queryset's rows counted, an expression as it is."""
    return {
        f"count_{name}": CountOf(queryset.order_by().values("pk"))
        if isinstance(queryset, models.QuerySet)
        else queryset
        for name, queryset in querysets.items()
    }


def _cached_counts(record: models.Model, key: object, compute: Callable[[], dict[str, int]]) -> dict[str, int]:
    return cached(
        "related-counts",
        [record._meta.label_lower, record.pk, key],
        compute,
        records=lambda counts: [record_name(type(record), record.pk)],
    )


def kept_total(table: type[models.Model], **key: object) -> Coalesce:
    """The number a count table keeps in its row for ``key`` (0 without one), as an expression
    for :func:`related_counts`: one row to read, not the records to count (the busiest partner's
    20,000 projects took 15 ms to count)."""
    return Coalesce(Subquery(table.objects.filter(**key).order_by().values("n")[:1]), 0)


def some(queryset: models.QuerySet, total: int, order: Sequence, limit: int = RELATED_LIMIT) -> Some:
    """:class:`Some` of ``queryset`` in ``order`` (one query)."""
    return Some(list(queryset.order_by(*order)[:limit]), total)


def newest_first(date_field: str) -> list:
    """The latest first by ``date_field`` (undated last), then by title: a record page's order
    of meetings, projects, agreements and posts."""
    return [F(date_field).desc(nulls_last=True), "title", "pk"]


def records_shown(model: type[models.Model], drafts: bool = False) -> models.QuerySet:
    """The records a page may be about: published ones (``published()``: an office of a draft
    partner is not published either); with ``drafts`` (the staff preview,
    cooperation/pages/preview.py) drafts too. Related records stay published only either way."""
    return model.objects.all() if drafts else model.objects.published()
