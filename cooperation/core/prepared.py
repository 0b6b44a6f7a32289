"""Querysets whose SQL Django builds once a process, not once a request.

Django builds a queryset's SQL each time it runs one: the filters resolved, the joins set up,
the columns and the order written. For a record page's dozen queries that is most of the time
they take: the busiest partner's relations took 26 ms to read, 18 of them in Python, and 6 with
the same SQL kept from the first request (issue #16, docs/performance.md). A record page runs the
same queries for every record, with only the record's id changing, so a :class:`Prepared` query
builds its queryset once (for each database connection and shape), keeps the SQL, and runs it
again with the ids of the request: the same statement, the same rows, the same model instances
(with their ``select_related`` records) or values, converted as the queryset would convert them.

Prepared queries are module constants beside the selector that uses them::

    LATEST_OFFICES = Prepared(
        lambda partner, limit: Office.objects.filter(partner=partner).order_by("name")[:limit],
        params=("partner",),
    )
    offices = LATEST_OFFICES.records(partner=partner.pk, limit=RELATED_LIMIT)

The values named in ``params`` are the statement's parameters: ids (or, given as ``{name: str}``,
texts such as a slug), each found among the SQL's parameters, as an exact lookup passes it. The
other values shape the SQL itself (a limit is written into it, a flag chooses a filter): a
statement is kept for each combination of them.
"""

import operator
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators

__all__ = ["Prepared", "attach_prefetched"]

# Stand-ins for the ids while the SQL is built, found again among the statement's parameters: one
# a parameter, so that two ids of one query stay apart. Positive and within a 32-bit integer
# field's range (Django finds no rows for an id out of its field's range, and writes no SQL),
# and no constant a query holds. A text's stand-in is a string no form lets through (it holds
# control characters).
_MARKER = 2_146_000_000


@dataclass(frozen=True)
class _Statement:
    """A queryset's SQL and what reading its rows needs, built for one connection."""

    sql: str
    params: tuple  # the values the queryset gave, ids replaced by their markers' names
    slots: tuple[tuple[int, str], ...]  # (position in params, the id's name)
    connection: Any
    compiler: Any  # the SQL compiler that built it (of a queryset), for its converters
    converters: dict
    columns: int | None  # the row's columns that are the queryset's (None: all)
    # For model instances: the model, its columns' place in a row and the fields they fill, and
    # what fills the records of select_related() and the annotations.
    model: type[Model] | None
    fields: tuple[int, int, list[str]]
    populators: list
    annotations: tuple[tuple[str, int], ...]

    def run(self, values: dict[str, int]) -> list[tuple]:
        params = list(self.params)
        for position, name in self.slots:
            params[position] = values[name]
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            return list(self.compiler.apply_converters(rows, self.converters))
        return rows


class Prepared:
    """A queryset built by ``build(**values)`` whose SQL is built once a connection and shape;
    ``params`` names the values that are ids (the statement's parameters). ``build`` may give
    SQL written by hand for the connection instead, as ``(sql, params)``: :meth:`rows` then
    gives its rows as the database does."""

    def __init__(self, build: Callable[..., QuerySet], *, params: Sequence[str] | Mapping[str, type]) -> None:
        self.build = build
        self.types: dict[str, type] = dict(params) if isinstance(params, Mapping) else dict.fromkeys(params, int)
        if set(self.types.values()) - {int, str}:
            raise TypeError("A parameter is an id (int) or a text (str).")
        self.params = tuple(self.types)
        # {connection: {shape: statement}}: a connection is a thread's, and its compiler is used
        # with it only; a connection that goes (its thread ended) takes its statements with it.
        self._statements: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def queryset(self, **values: Any) -> QuerySet:
        """The queryset itself, built now (what :meth:`records` and :meth:`rows` run)."""
        return self.build(**values)

    def records(self, *, using: str = "default", **values: Any) -> list[Model]:
        """The queryset's model instances (with their ``select_related`` records and
        annotations), as iterating it gives them."""
        statement = self._statement(using, values)
        model, (start, end, names) = statement.model, statement.fields
        if model is None:
            raise TypeError("records() of a queryset of values, or of SQL: use rows().")
        records = []
        for row in statement.run(self._ids(values)):
            record = model.from_db(using, names, row[start:end])
            for populator in statement.populators:
                populator.populate(row, record)
            for name, position in statement.annotations:
                setattr(record, name, row[position])
            records.append(record)
        return records

    def rows(self, *, using: str = "default", **values: Any) -> list[tuple]:
        """The rows of a ``values_list()`` queryset, as tuples of its columns."""
        statement = self._statement(using, values)
        return [tuple(row[: statement.columns]) for row in statement.run(self._ids(values))]

    def __repr__(self) -> str:
        return f"Prepared({getattr(self.build, '__qualname__', self.build)}, params={self.params})"

    def _ids(self, values: dict[str, Any]) -> dict[str, int | str]:
        ids = {}
        for name, kind in self.types.items():
            value = values[name]
            if isinstance(value, bool) or not isinstance(value, kind):
                raise TypeError(f"{name} must be {'an id (an integer)' if kind is int else 'a text'}, not {value!r}.")
            ids[name] = value
        return ids

    def _statement(self, using: str, values: dict[str, Any]) -> _Statement:
        connection = connections[using]
        shape = tuple(sorted((name, value) for name, value in values.items() if name not in self.params))
        statements = self._statements.get(connection)
        statement = statements.get(shape) if statements is not None else None
        if statement is None:
            statement = self._prepare(using, dict(shape))
            with self._lock:
                self._statements.setdefault(connection, {})[shape] = statement
        return statement

    def _prepare(self, using: str, shape: dict[str, Any]) -> _Statement:
        markers = {
            name: _MARKER + index if kind is int else f"\x1fprepared {name} {index}\x1f"
            for index, (name, kind) in enumerate(self.types.items())
        }
        built = self.build(**shape, **markers)
        connection, compiler, converters, columns = connections[using], None, {}, None
        model, fields, populators, annotations = None, (0, 0, []), [], ()
        if isinstance(built, QuerySet):
            compiler = built.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            columns = compiler.col_count
            converters = compiler.get_converters([column[0] for column in compiler.select[:columns]])
            if built._iterable_class is ModelIterable:  # a queryset of model instances, not of values
                model, selected = compiler.klass_info["model"], compiler.klass_info["select_fields"]
                start, end = selected[0], selected[-1] + 1
                fields = (start, end, [column[0].target.attname for column in compiler.select[start:end]])
                populators = get_related_populators(compiler.klass_info, compiler.select, using)
            annotations = tuple(compiler.annotation_col_map.items())
        else:  # SQL written by hand, for this connection: (sql, params)
            sql, params = built
        slots = tuple(
            (position, name)
            for position, param in enumerate(params)
            for name, marker in markers.items()
            if type(param) is type(marker) and param == marker
        )
        missing = set(markers) - {name for _, name in slots}
        written = [name for name, marker in markers.items() if str(marker) in sql]
        if missing or written:
            raise ValueError(
                f"{', '.join(sorted(missing | set(written)))}: not a parameter of the statement "
                "(each id must reach the SQL as a parameter, as an exact lookup gives it)."
            )
        return _Statement(
            sql, tuple(params), slots, connection, compiler, converters, columns, model, fields, populators, annotations
        )


def attach_prefetched(records: Iterable[Model], name: str, related: Iterable[Model], key: str) -> None:
    """``record.<name>.all()`` of each of ``records``: its ``related`` records (whose ``key``
    attribute is the record's id), in their order, without a query, as ``prefetch_related``
    leaves them (a filter of them still asks the database)."""
    by_record: dict[Any, list] = {}
    for item in related:
        by_record.setdefault(operator.attrgetter(key)(item), []).append(item)
    for record in records:
        manager = getattr(record, name)
        queryset = manager._apply_rel_filters(manager.model._default_manager.all())
        queryset._result_cache = by_record.get(record.pk, [])
        queryset._prefetch_done = True
        cache = record.__dict__.setdefault("_prefetched_objects_cache", {})
        cache[manager.field.remote_field.cache_name] = queryset
