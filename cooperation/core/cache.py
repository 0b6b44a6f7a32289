"""Cached figures that are never stale: facet counts, result counts, the year index, the home
page's counts, record pages, list rows.

Every cached value is stored with the **versions** of what it was computed from
(cooperation/core/versions.py), and is used only while they are still the current ones:

- by default, the versions of the models whose tables its computation read (every query it ran
  is looked at), so that a list of projects stays cached when a meeting is saved;
- with ``records=``, the versions of the records it shows (a record page: its record and every
  record on it, found in what the computation returned), so that renaming one partner leaves the
  other partners' pages cached.

Every value also depends on :data:`~cooperation.core.versions.ALL`, which ``migrate`` and
:func:`data_changed` renew. A value that a computation used from the cache hands its versions to
the computation that used it. Versions live in the database and are renewed in the change's own
transaction, so no process or server serves a value computed before a change after it, whatever
the cache is (each process's memory, or Redis).

**One computation at a time**: when a value is missing, the first request to want it computes it
while the others wanting the same one wait for it (up to :data:`WAIT` seconds, then they compute
it themselves), so a change followed by many requests for one page costs one computation, not
one each. The cache's ``add`` is the lock: atomic in Redis across processes, in memory within a
process.

Entries also expire after :data:`TIMEOUT` seconds, a safety net for a write that sends no signal
and forgets :func:`data_changed`.
"""

import functools
import hashlib
import json
import threading
import time
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, TypeVar

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import connections
from django.db.models import Model, QuerySet
from django.utils import translation

from cooperation.core import versions as versioning
from cooperation.core.versions import (
    ALL,
    DATA,
    data_changed,
    is_record,
    model_name,
    names_read_by,
    names_read_by_statement,
    record_name,
)

__all__ = ["Entry", "cached", "cached_entry", "cached_many", "data_changed", "data_version", "records_in"]

TIMEOUT = 60 * 60  # seconds an entry lives at most, whatever the versions
WAIT = 10.0  # seconds a request waits for another's computation of the same value
POLL = 0.02
T = TypeVar("T")
Item = TypeVar("Item", bound=Hashable)


def cache() -> BaseCache:
    return caches["default"]


def data_version() -> int:
    """The version every write renews (DATA): changes with any change to the data."""
    return versioning.versions()[DATA]


def written_since_read() -> bool:
    """Whether anything was written since the request read its versions (one query): what it
    read since may mix data from before and after, and is not to be kept under them. Within a
    request that has written nothing (a page): outside one, and after a write of its own, the
    versions it compares are both read now."""
    return versioning.read_fresh([])[DATA] != data_version()


@dataclass(frozen=True)
class Entry:
    """A cached value and the versions it was computed at: ((name, version), …)."""

    value: Any
    depends: tuple[tuple[str, int], ...]

    @property
    def fingerprint(self) -> str:
        """A short digest of the versions, for a ``{% cache %}`` tag of a fragment showing it."""
        return hashlib.sha1(repr(self.depends).encode()).hexdigest()[:16]

    def record_names(self) -> list[str]:
        return [name for name, _ in self.depends if name.startswith("record:")]

    def use(self) -> Any:
        """The value, for a computation that takes it again from an entry it kept (not from the
        cache): what it depends on, the computation does too, as :func:`cached_entry` says."""
        _used(self)
        return self.value

    def is_current(self) -> bool:
        current = versioning.versions(self.record_names())
        return all(current.get(name, 0) == version for name, version in self.depends)


# What a computation reads ---------------------------------------------------------------------


class _Frame:
    def __init__(self, tables: bool):
        self.tables = tables  # whether the tables its queries read are dependencies
        self.names: set[str] = {ALL}


_frames = threading.local()


def _stack() -> list[_Frame]:
    if not hasattr(_frames, "stack"):
        _frames.stack = []
    return _frames.stack


def _note_query(execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
    names = names_read_by_statement(sql)
    for frame in _stack():
        if frame.tables:
            frame.names |= names
    return execute(sql, params, many, context)


@contextmanager
def _reading(tables: bool) -> Iterator[_Frame]:
    """A frame that collects what the computation inside it depends on."""
    frame, stack = _Frame(tables), _stack()
    stack.append(frame)
    try:
        with ExitStack() as wrappers:
            if len(stack) == 1:  # the outermost frame watches the queries, for every frame
                for alias in connections:
                    wrappers.enter_context(connections[alias].execute_wrapper(_note_query))
            yield frame
    finally:
        stack.pop()


def _used(entry: Entry) -> None:
    """A value taken into a computation: what it depends on, the computation does too."""
    for frame in _stack():
        frame.names |= {name for name, _ in entry.depends}


def records_in(value: object) -> set[str]:
    """The version names of every record in ``value``: the record itself, and the records it holds
    in attributes, lists, dataclasses, prefetched relations and loaded foreign keys; for a row of
    a model marked ``cached_by_table`` (a place), its model's."""
    names, seen, todo = set(), set(), [value]
    while todo:
        item = todo.pop()
        if id(item) in seen or item is None or isinstance(item, str | bytes | int | float):
            continue
        seen.add(id(item))
        if isinstance(item, Model):
            if is_record(type(item)) and item.pk is not None:
                names.add(record_name(type(item), item.pk))
            elif getattr(type(item), "cached_by_table", False):
                # Reference data shown on records' pages (a place): no version of its own a row,
                # the page depends on its table (it changes rarely).
                names.add(model_name(type(item)))
            todo.extend(item._state.fields_cache.values())
            todo.extend(getattr(item, "_prefetched_objects_cache", {}).values())
            # What a selector attached (public_offices …), not the values of its fields (a
            # related record is in fields_cache): the busiest partner page's 128 records in 1 ms, not 4.
            plain = _field_attnames(type(item))
            todo.extend(value for key, value in vars(item).items() if key not in plain and not key.startswith("_"))
        elif isinstance(item, QuerySet):
            todo.extend(item._result_cache or [])
        elif isinstance(item, dict):
            todo.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            todo.extend(item)
        elif is_dataclass(item):
            todo.extend(getattr(item, f.name) for f in fields(item))
    return names


@functools.cache
def _field_attnames(model: type[Model]) -> frozenset[str]:
    return frozenset(field.attname for field in model._meta.concrete_fields)


def _versions_for(names: set[str]) -> tuple[tuple[str, int], ...] | None:
    """The versions to store a value computed now under: the request's for models and ALL, the
    database's for records. None if something was written since the request read its versions
    (the value may mix data from before and after: used, not stored)."""
    known = versioning.versions()
    records = sorted(name for name in names if name.startswith("record:"))
    found = dict(known)
    if records:
        fresh = versioning.read_fresh(records)
        if fresh[DATA] != known[DATA]:
            return None
        found.update(fresh)
    return tuple(sorted((name, found.get(name, 0)) for name in names))


# Reading and computing ------------------------------------------------------------------------


def make_key(namespace: str, *parts: object) -> str:
    """``registry:<namespace>:<digest of parts>``: parts are anything JSON can write. The active
    language is always one of them: what is cached holds words (labels, rendered rows) in the
    page's language."""
    parts = (translation.get_language(), *parts)
    digest = hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return f"registry:{namespace}:{digest}"


def _current(key: str) -> Entry | None:
    entry = cache().get(key)
    return entry if isinstance(entry, Entry) and entry.is_current() else None


def _compute(
    key: str,
    compute: Callable[[], T],
    records: Callable[[T], Iterable[str]] | None,
    kept: Callable[[T], object] | None = None,
) -> Entry:
    versioning.versions()  # read before the data: what is stored is never newer than its versions
    with _reading(tables=records is None) as frame:
        value = compute()
    if records is not None:
        frame.names |= set(records(value))
    depends = _versions_for(frame.names)
    if depends is None:
        # Not stored. What it read, for a computation that uses it again (Entry.use), and DATA as
        # this request read it: its fingerprint (a page fragment's key) is then no unstored
        # value's of another moment's data, nor a stored one's.
        known = versioning.versions()
        return Entry(value, tuple(sorted((name, known.get(name, 0)) for name in {*frame.names, DATA})))
    entry = Entry(value, depends)
    cache().set(key, entry if kept is None else Entry(kept(value), depends), TIMEOUT)
    return entry


def cached_entry(
    namespace: str,
    parts: Sequence[object],
    compute: Callable[[], T],
    records: Callable[[T], Iterable[str]] | None = None,
    kept: Callable[[T], object] | None = None,
) -> Entry:
    """The :class:`Entry` cached under (namespace, parts) if its versions are current, or
    ``compute()``'s, stored. ``records(value)`` gives the record names a value depends on (see
    :func:`records_in`) instead of the models its queries read. ``kept(value)``: what is stored
    of a value computed now, under the versions of all of it (the request that computed it has
    all of it; a request that takes it from the cache, what was kept)."""
    key = make_key(namespace, *parts)
    entry = _current(key)
    if entry is None:
        entry = _once(key, lambda: _compute(key, compute, records, kept))
    _used(entry)
    return entry


def cached(
    namespace: str,
    parts: Sequence[object],
    compute: Callable[[], T],
    records: Callable[[T], Iterable[str]] | None = None,
) -> T:
    """The value cached under (namespace, parts) while what it was computed from is unchanged,
    or ``compute()`` stored there (see :func:`cached_entry`)."""
    return cached_entry(namespace, parts, compute, records).value


def _once(key: str, compute: Callable[[], Entry]) -> Entry:
    """``compute()``, unless another request is computing the same value: then wait for its
    result (up to WAIT seconds, or until it gives up), and compute only if none comes."""
    lock = f"{key}:computing"
    if cache().add(lock, 1, int(WAIT * 3)):
        try:
            return compute()
        finally:
            cache().delete(lock)
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        time.sleep(POLL)
        entry = _current(key)
        if entry is not None:
            return entry
        if cache().get(lock) is None:  # done (with versions older than ours), or a cache that is down
            break
    return compute()


def cached_many(
    namespace: str, items: Collection[Item], compute_missing: Callable[[list[Item]], dict[Item, T]]
) -> dict[Item, T]:
    """{item: value} for every item of ``items``, each cached under (namespace, item) while the
    models its computation read are unchanged: one read for all of them, then
    ``compute_missing(items not cached)``, which returns {item: value} for those, and one write."""
    keys = {item: make_key(namespace, item) for item in items}
    found = cache().get_many(list(keys.values()))
    values = {}
    for item, key in keys.items():
        entry = found.get(key)
        if isinstance(entry, Entry) and entry.is_current():
            values[item] = entry.value
            _used(entry)
    missing = [item for item in items if item not in values]
    if missing:
        versioning.versions()
        with _reading(tables=True) as frame:
            computed = compute_missing(missing)
        depends = _versions_for(frame.names)
        if depends is not None:
            cache().set_many({keys[item]: Entry(computed[item], depends) for item in missing}, TIMEOUT)
        values.update(computed)
    return values


def depend_on_query(queryset: QuerySet) -> None:
    """Tell the computation running (if any) that it depends on the models whose tables
    ``queryset`` reads: for data read before it started (a list's rows, read by the page's query)."""
    names = names_read_by(str(queryset.query))
    for frame in _stack():
        frame.names |= names


def models_version(models: Iterable[type[Model]] | None = None) -> str:
    """A short digest of the current versions of ``models`` (every registry model if None), for a
    ``{% cache %}`` fragment that shows what they hold."""
    current = versioning.versions()
    names = [ALL, *sorted(model_name(model) for model in (versioning.registry_models() if models is None else models))]
    return hashlib.sha1(repr([(name, current.get(name, 0)) for name in names]).encode()).hexdigest()[:16]
