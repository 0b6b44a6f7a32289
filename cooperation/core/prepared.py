"""Querysets whose SQL Django builds once a database connection, not once a request.

Django builds a queryset's SQL each time it runs one: the filters resolved, the joins set up,
the columns and the order written. For a record page's dozen queries that is most of the time
they take: the busiest partner's relations took 26 ms to read, 18 of them in Python, and 6 with
the same SQL kept from the first request (issue #16, docs/performance.md). A record page runs the
same queries for every record, with only the record's id changing, so a :class:`Prepared` query
builds its queryset once a connection (a process's thread has its own) and shape, keeps the SQL,
and runs it again with the ids of the request: the same statement, the same rows, the same model
instances (with their ``select_related`` records) or values, converted as the queryset would
convert them, read from the database the router names for the request (a replica or the primary).

Prepared queries are module constants beside the selector that uses them::

    LATEST_OFFICES = Prepared(
        lambda partner, limit: Office.objects.filter(partner=partner).order_by("name")[:limit],
        params=["partner"],
    )
    offices = LATEST_OFFICES.records(partner=partner.pk, limit=RELATED_LIMIT)

``build`` gets every value by keyword. Those named in ``params`` vary from call to call: ids, or
with ``params={"slug": str}`` texts, each of which must reach the SQL as a parameter, as an exact
lookup passes it. The others shape the SQL itself (a limit is written into it, a flag chooses a
filter): a statement is kept for each combination of them. ``build`` must depend on its
arguments only (not on the language, the time or a setting): a statement outlives the request
that built it. It is built twice the first time, with two sets of stand-ins for the ids, and
refused unless both give the same SQL with the ids in the same places.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

__all__ = ["Prepared", "attach_prefetched"]

# Stand-ins for the ids while the SQL is built, found again among the statement's parameters: one
# a parameter, so that two ids of one query stay apart. Positive and within a 32-bit integer
# field's range (Django finds no rows for an id out of its field's range, and writes no SQL). A
# text's stand-in is a string no form lets through (it holds control characters).
_MARKERS = (2_146_000_000, 2_146_500_000)


@dataclass(frozen=True)
class _Statement:
    """A queryset's SQL and what reading its rows needs, built for one connection."""

    sql: str
    params: tuple  # the values the build gave, the ids' stand-ins among them
    slots: tuple[tuple[int, str], ...]  # (position in params, the id's name)
    compiler: Any  # the SQL compiler that built it (of a queryset), for its converters
    converters: dict
    columns: int | None  # the row's columns that are the queryset's (None: all)
    # For model instances: the model, its columns' place in a row and the fields they fill, and
    # what fills the records of select_related() and the annotations.
    model: type[Model] | None
    fields: tuple[int, int, list[str]]
    populators: list
    annotations: tuple[tuple[str, int], ...]
    values: bool  # rows of values (a values_list() queryset, or SQL), not model instances

    def run(self, connection: Any, values: Mapping[str, int | str]) -> list:
        params = list(self.params)
        for position, name in self.slots:
            params[position] = values[name]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            return list(self.compiler.apply_converters(rows, self.converters))
        return rows


class Prepared:
    """A queryset built by ``build(**values)`` whose SQL is built once a connection and shape;
    ``params`` names the values that vary from call to call (see the module's docstring).
    ``build`` may give SQL written by hand instead, as ``(sql, params)``: ``model`` then names
    the model whose database the router chooses, and :meth:`rows` gives its rows as the
    database does."""

    def __init__(
        self,
        build: Callable[..., QuerySet | tuple[str, Sequence]],
        *,
        params: Sequence[str] | Mapping[str, type],
        model: type[Model] | None = None,
    ) -> None:
        self.build = build
        self.types: dict[str, type] = dict(params) if isinstance(params, Mapping) else dict.fromkeys(params, int)
        if set(self.types.values()) - {int, str}:
            raise TypeError("A parameter is an id (int) or a text (str).")
        self.model = model  # found from the queryset on the first call when None

    def __repr__(self) -> str:
        return f"Prepared({getattr(self.build, '__qualname__', self.build)}, params={list(self.types)})"

    def records(self, **values: Any) -> list[Model]:
        """The queryset's model instances (with their ``select_related`` records and
        annotations), as iterating it gives them."""
        alias, statement = self._statement(values)
        if statement.model is None:
            raise TypeError(f"{self!r} gives values, not records: use rows().")
        model, (start, end, names) = statement.model, statement.fields
        records = []
        for row in statement.run(connections[alias], self._varying(values)):
            record = model.from_db(alias, names, row[start:end])
            for populator in statement.populators:
                populator.populate(row, record)
            for name, position in statement.annotations:
                setattr(record, name, row[position])
            records.append(record)
        return records

    def rows(self, **values: Any) -> list[tuple]:
        """The rows of a ``values_list()`` queryset (or of the SQL), as tuples."""
        alias, statement = self._statement(values)
        if not statement.values:
            raise TypeError(f"{self!r} gives records or flat values, not rows: use records(), or values_list().")
        return [tuple(row[: statement.columns]) for row in statement.run(connections[alias], self._varying(values))]

    def _varying(self, values: Mapping[str, Any]) -> dict[str, int | str]:
        varying = {}
        for name, kind in self.types.items():
            value = values[name]
            if isinstance(value, bool) or not isinstance(value, kind):
                raise TypeError(f"{name} must be {'an id (an integer)' if kind is int else 'a text'}, not {value!r}.")
            varying[name] = value
        return varying

    def _statement(self, values: Mapping[str, Any]) -> tuple[str, _Statement]:
        """The database the router names for this request, and the statement of ``values``'
        shape for its connection (kept on the connection: it goes when the connection does)."""
        shape = tuple(sorted((name, value) for name, value in values.items() if name not in self.types))
        if self.model is None:
            built = self.build(**dict(shape), **self._markers(0))
            if not isinstance(built, QuerySet):
                raise TypeError(f"{self!r} gives SQL: name the model whose database it reads (model=).")
            self.model = built.model
        alias = router.db_for_read(self.model) or "default"
        kept = connections[alias].__dict__.setdefault("_prepared_statements", {})
        statement = kept.get((self, shape))
        if statement is None:
            statement = kept[self, shape] = self._prepare(alias, dict(shape))
        return alias, statement

    def _markers(self, which: int) -> dict[str, int | str]:
        return {
            name: _MARKERS[which] + index if kind is int else f"\x1fprepared {name} {index} {which}\x1f"
            for index, (name, kind) in enumerate(self.types.items())
        }

    def _prepare(self, alias: str, shape: dict[str, Any]) -> _Statement:
        first, second = (self._compile(alias, shape, self._markers(which)) for which in (0, 1))
        same = (first.sql, first.slots) == (second.sql, second.slots) and [
            param for position, param in enumerate(first.params) if position not in dict(first.slots)
        ] == [param for position, param in enumerate(second.params) if position not in dict(second.slots)]
        if not same:
            raise ValueError(f"{self!r}: its SQL changes with the ids, not only its parameters.")
        return first

    def _compile(self, alias: str, shape: dict[str, Any], markers: dict[str, int | str]) -> _Statement:
        built = self.build(**shape, **markers)
        compiler, converters, columns, values = None, {}, None, True
        model, fields, populators, annotations = None, (0, 0, []), [], ()
        if isinstance(built, QuerySet):
            compiler = built.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            columns = compiler.col_count
            converters = compiler.get_converters([column[0] for column in compiler.select[:columns]])
            values = built._iterable_class is ValuesListIterable
            if built._iterable_class is ModelIterable:
                model, selected = compiler.klass_info["model"], compiler.klass_info["select_fields"]
                start, end = selected[0], selected[-1] + 1
                fields = (start, end, [column[0].target.attname for column in compiler.select[start:end]])
                populators = get_related_populators(compiler.klass_info, compiler.select, alias)
            annotations = tuple(compiler.annotation_col_map.items())
        else:  # SQL written by hand for the connection: (sql, params)
            sql, params = built
        slots = tuple(
            (position, name)
            for position, param in enumerate(params)
            for name, marker in markers.items()
            if type(param) is type(marker) and param == marker
        )
        missing = set(markers) - {name for _, name in slots}
        written = {name for name, marker in markers.items() if str(marker) in sql}
        if missing or written:
            raise ValueError(
                f"{', '.join(sorted(missing | written))}: not a parameter of the statement "
                "(each id must reach the SQL as a parameter, as an exact lookup gives it)."
            )
        return _Statement(
            sql, tuple(params), slots, compiler, converters, columns, model, fields, populators, annotations, values
        )


def attach_prefetched(records: Iterable[Model], name: str, related: Iterable[Model], queryset: QuerySet) -> None:
    """``record.<name>.all()`` of each of ``records`` (a relation of many to one: an
    agreement's actions): its ``related`` records, in their order, without a query, as
    ``prefetch_related(Prefetch(name, queryset=queryset))`` leaves them: each related record knows
    its record, and a filter of them asks the database, of ``queryset``'s records."""
    records = list(records)
    if not records:
        return
    field = getattr(records[0], name).field  # the related records' foreign key to the records
    by_record: dict[Any, list] = {}
    for item in related:
        by_record.setdefault(getattr(item, field.attname), []).append(item)
    for record in records:
        found = by_record.get(record.pk, [])
        for item in found:
            field.set_cached_value(item, record)
        manager = getattr(record, name)
        prefetched = manager._apply_rel_filters(queryset)
        prefetched._result_cache = found
        prefetched._prefetch_done = True
        record.__dict__.setdefault("_prefetched_objects_cache", {})[field.remote_field.cache_name] = prefetched
