"""Lines kept in the database: an export reads a record's line instead of making it.

Making a line costs an export most of its time (the record's relations read, a few dozen cells
formatted: about 6,500 CSV lines a second); reading one costs a few microseconds. So a kind of
line (:class:`LineKind`) keeps each record's line (:class:`~cooperation.core.models.ExportLine`),
and reads it with the record's row (one subquery, the same query and order as the page's). A
record without a line is made as before, a chunk at a time, and its line stored. Two kinds:

- a CSV export whose spec declares :class:`StoredLines` (the projects', cooperation/exports.py);
- a calendar's events (events/calendars.py), one line a meeting, with a variant for each
  language and host the calendar is asked in (the event holds the meeting's address).

Never stale, as the cache is not (cooperation/core/versions.py):

- **A change deletes the lines it changes, in its own transaction.** ``reads`` names every model
  a line shows, with the path from a record of the export to it: saving, deleting, linking or
  unlinking one of its rows deletes the lines of the records it reaches (a partner renamed: its
  projects' lines). A row that can move to another record (a project's role, budget, citation)
  deletes the lines of the record it left too.
- **A line is stored only if nothing was written while it was made.** The export reads the
  version of :data:`~cooperation.core.versions.DATA` (which every writer renews first) before it
  reads the records, and stores the lines it made only if the version is still that one, holding
  its row while it writes them: a writer that committed meanwhile has changed it, and one that
  has not yet committed waits, then deletes what it changes. The line deletions run after the
  versions' receivers (:func:`connect_signals` connects them first), so even outside a
  transaction no line made before a change is stored after it.
- **A line is read only under the version of ALL it was made under**: ``migrate`` (a release may
  change the columns' formats) and writes without signals (``data_changed()``) renew ALL, and
  every line older than it is made again. A line holds a checksum of its kind's headers and of
  the code that wrote it (:func:`code_fingerprint`, computed once when the process starts, so
  it is the code the process runs), so a line kept by a process of the release before is not
  read by the next one; and a write deletes a record's lines whatever code made them.
- Writes are made in a transaction (the admin, the imports, publishing and history restores all
  are), as for the cache's versions: a ``save()`` outside one commits the row before its
  receivers delete the line, and a receiver that fails before them would leave it.
- Only what is the same for every request of a variant is stored: of a CSV, the columns up to
  the first ``per_request`` one (the record's address on this site, whose host is the
  request's) are, the rest is written for each request from the record's ``tail`` fields. CSV
  lines are written in English (settings.LANGUAGE_CODE), as every export is.

The JSON and workbook exports make their rows as before.
"""

import functools
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata
from itertools import islice
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections, router, transaction
from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete, pre_save

from cooperation.core import versions
from cooperation.core.export_rows import row_class
from cooperation.core.exports import ExportContext, ExportSpec, csv_header, csv_row_writer
from cooperation.core.models import DataVersion, ExportLine, Record

UID = "cooperation.core.export_lines"
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's error code for FOR UPDATE NOWAIT refused
DELETE_BATCH = 500  # record ids a DELETE names at most (SQLite's limit on parameters)
LINE = "_export_line"

logger = logging.getLogger("cooperation.exports")


@dataclass(frozen=True)
class LineKind:
    """Lines of one kind kept in the database: a CSV export's lines (:class:`StoredLines`), a
    calendar's events (events/calendars.py). ``reads``: {model: the path from a record of
    ``model`` to its rows}, every model whose rows a line shows (``"pk"``: the record itself;
    ``"project_partners__partner"``: a project's partners); a write to one of them deletes the
    lines of the records it reaches, whatever their variant. ``headers``: what else the lines'
    format depends on (a CSV's columns)."""

    name: str
    model: type[Model]
    reads: dict
    headers: tuple = ()

    def code(self) -> str:
        """A checksum of the kind's headers and of the code that writes its lines
        (:func:`code_fingerprint`): a line is read only by the code that made it."""
        return hashlib.sha1(f"{','.join(self.headers)}|{code_fingerprint()}".encode()).hexdigest()[:12]

    def lines(
        self,
        queryset: QuerySet,
        make: Callable[[list], dict],
        *,
        fields: tuple = (),
        variant: str = "",
        chunk_size: int,
        keep: bool = True,
    ) -> Iterator[tuple[tuple, str]]:
        """``((pk, *fields), line)`` for each record of ``queryset``, in its order: its kept line of
        ``variant`` (what the lines depend on besides the record: a calendar's language and host),
        or, for the records of a chunk without one, the line ``make`` makes of them (their ids →
        {id: line}), which is kept unless ``keep`` is false. One query a chunk; a record ``make`` no
        longer finds (gone from the list since the chunk was read) is left out."""
        known = versions.read_fresh([versions.ALL], using=queryset.db)  # before the records: see the docstring
        data, generation = known[versions.DATA], known[versions.ALL]
        code = self.code()
        kept = ExportLine.objects.filter(
            spec=self.name, variant=variant, code=code, version=generation, record_id=OuterRef("pk")
        )
        rows = (
            queryset.annotate(**{LINE: Subquery(kept.values("line")[:1])})
            .values_list(self.model._meta.pk.attname, *fields, LINE)
            .iterator(chunk_size=chunk_size)
        )
        while chunk := list(islice(rows, chunk_size)):
            missing = [row[0] for row in chunk if row[-1] is None]
            made = make(missing) if missing else {}
            if keep:
                store(self.name, code, generation, data, made, variant)
            for *values, line in chunk:
                if line is None:
                    line = made.get(values[0])
                    if line is None:
                        continue
                yield tuple(values), line


@dataclass(frozen=True)
class StoredLines:
    """A CSV export's lines kept in the database (an :class:`~cooperation.core.exports.ExportSpec`'s
    ``stored``). ``reads``: as :class:`LineKind`'s. ``tail``: the fields the columns after the
    stored part read (the address's slug)."""

    reads: dict
    tail: tuple = ("slug",)

    def kind(self, spec: ExportSpec) -> LineKind:
        return LineKind(spec.name, spec.model, self.reads, tuple(spec.headers))

    def cut(self, spec: ExportSpec) -> int:
        """How many columns a stored line holds: those before the first ``per_request`` one."""
        for position, column in enumerate(spec.columns):
            if column.per_request:
                if position == 0 or not all(later.per_request for later in spec.columns[position:]):
                    raise ValueError(f"{spec.name}: columns that depend on the request must come last, after others")
                return position
        return len(spec.columns)

    def csv_lines(self, spec: ExportSpec, queryset: QuerySet, context: ExportContext, chunk_size: int) -> Iterator[str]:
        """What exports.csv_lines() writes for the records of ``queryset``, from their stored lines
        where they have one; the others are made a chunk at a time, and stored."""
        cut = self.cut(spec)
        write_stored = csv_row_writer(spec.columns[:cut], context)
        write_tail = csv_row_writer(spec.columns[cut:], context) if cut < len(spec.columns) else None
        tail_row = row_class(spec.model)
        tail_names = (spec.model._meta.pk.attname, *self.tail)

        def make(missing: list) -> dict:
            records = spec.records(queryset.filter(pk__in=missing), chunk_size)
            return {record.pk: write_stored(record)[:-2] for record in records}  # without its "\r\n"

        yield csv_header(spec)
        for tail, line in self.kind(spec).lines(queryset, make, fields=self.tail, chunk_size=chunk_size):
            if write_tail is None:
                yield f"{line}\r\n"
            else:
                yield f"{line},{write_tail(tail_row(dict(zip(tail_names, tail, strict=True))))}"


def store(spec: str, code: str, generation: int, data: int, made: dict[Any, str], variant: str = "") -> None:
    """Keep the lines ``made`` if DATA is still ``data`` (nothing written since the export
    began), holding DATA's row until they are written; if not, or if a writer holds that row
    (an import may hold it for minutes: the export does not wait), or the database is busy
    (SQLite), keep none: the next export makes them again."""
    if not made:
        return
    using = router.db_for_write(ExportLine)
    try:
        with transaction.atomic(using=using):
            current = (
                DataVersion.objects.using(using)
                .select_for_update(nowait=True)
                .filter(name=versions.DATA)
                .values_list("version", flat=True)
                .first()
            )
            if (current or 0) != data:
                return
            ExportLine.objects.using(using).bulk_create(
                [
                    ExportLine(spec=spec, record_id=pk, variant=variant, code=code, version=generation, line=line)
                    for pk, line in made.items()
                ],
                update_conflicts=True,
                unique_fields=["spec", "record_id", "variant"],
                update_fields=["code", "version", "line"],
            )
    except DatabaseError as error:
        if not _busy(error):
            logger.warning("Lines of %s not kept: %s", spec, error)


def _busy(error: DatabaseError) -> bool:
    """Whether ``error`` says a writer holds what the export would write (PostgreSQL's "could not
    obtain lock", SQLite's "database is locked"): nothing to report, the lines are made again."""
    return getattr(error.__cause__, "pgcode", None) == LOCK_NOT_AVAILABLE or "locked" in str(error)


@functools.cache
def code_fingerprint() -> str:
    """A checksum of the code that writes the lines: every Python file of the registry's apps (the
    columns, their formats, the models' choice labels), the translations (a calendar's sentences),
    and the versions of Django, django-countries and Babel (country and month names; the
    catalogues of locale/cldr are made from Babel's). A release that changes any
    of them keys its lines anew, so a line an old process keeps while the new one starts is never
    read by the new code."""
    digest = hashlib.sha1()
    roots = [(Path(apps.get_app_config(label).path), "*.py") for label in sorted(settings.REGISTRY_APPS)]
    roots += [(Path(root), "*.po") for root in settings.LOCALE_PATHS]
    for root, pattern in roots:
        for path in sorted(root.rglob(pattern)):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    for package in ("django", "django-countries", "babel"):
        digest.update(metadata.version(package).encode())
    return digest.hexdigest()


def forget(kind: LineKind, records: QuerySet | Iterable[Any], using: str) -> None:
    """Delete the kept lines of ``records`` (a query of their ids, or the ids), of every variant,
    and whatever release's code made them (a write served by the release before, while the next
    one starts, deletes the next one's lines too)."""
    lines = ExportLine.objects.using(using).filter(spec=kind.name)
    if isinstance(records, QuerySet):
        lines.filter(record_id__in=records).delete()
        return
    ids = sorted(set(records))
    for start in range(0, len(ids), DELETE_BATCH):
        lines.filter(record_id__in=ids[start : start + DELETE_BATCH]).delete()


def _reached(kind: LineKind, path: str, pk: Any, using: str) -> QuerySet | list:
    """The export's records that ``path`` leads from to the row ``pk`` (a query of their ids)."""
    if path == "pk":
        return [pk]
    return kind.model._base_manager.using(using).filter(**{path: pk}).values("pk")


def _reached_now(kind: LineKind, path: str, pk: Any, using: str) -> list:
    """The ids :func:`_reached` names, read now (before the row changes or goes)."""
    reached = _reached(kind, path, pk, using)
    return reached if isinstance(reached, list) else list(reached.values_list("pk", flat=True))


def _row_receivers(kind: LineKind, model: type[Model], path: str) -> dict:
    """The receivers of ``model``'s saves and deletes for ``kind``'s lines."""
    noted = f"_export_lines_{kind.name}"
    moves = path != "pk" and not issubclass(model, Record)  # a role, budget or citation: its record may change

    def before_save(instance: Model, using: str, raw: bool = False, **kwargs: Any) -> None:
        if moves and instance.pk is not None and not raw:
            instance.__dict__[noted] = _reached_now(kind, path, instance.pk, using)

    def saved(instance: Model, using: str, **kwargs: Any) -> None:
        forget(kind, _reached(kind, path, instance.pk, using), using)
        if instance.__dict__.get(noted):
            forget(kind, instance.__dict__.pop(noted), using)

    def before_delete(instance: Model, using: str, **kwargs: Any) -> None:
        instance.__dict__[noted] = _reached_now(kind, path, instance.pk, using)

    def deleted(instance: Model, using: str, **kwargs: Any) -> None:
        forget(kind, instance.__dict__.pop(noted, ()), using)

    return {pre_save: before_save, post_save: saved, pre_delete: before_delete, post_delete: deleted}


def _links_receiver(kind: LineKind, field: Any) -> Any:
    """The receiver of a change to the links of ``kind``'s records through the many-to-many
    ``field`` (from either end: ``project.topics.add(…)``, ``topic.projects.remove(…)``)."""
    noted = f"_export_lines_{kind.name}_{field.name}"

    def changed(instance: Model, action: str, pk_set: set | None, using: str, **kwargs: Any) -> None:
        if isinstance(instance, kind.model):
            if action in ("post_add", "post_remove", "post_clear"):
                forget(kind, [instance.pk], using)
        elif action == "pre_clear":
            reached = kind.model._base_manager.using(using).filter(**{field.name: instance.pk})
            instance.__dict__[noted] = list(reached.values_list("pk", flat=True))
        elif action == "post_clear":
            forget(kind, instance.__dict__.pop(noted, ()), using)
        elif action in ("post_add", "post_remove"):
            forget(kind, pk_set or (), using)

    return changed


def _migrated(*, using: str, **kwargs: Any) -> None:
    """After ``migrate``: no line is read again (ALL is renewed), so none is kept."""
    if ExportLine._meta.db_table in connections[using].introspection.table_names():
        ExportLine.objects.using(using).all().delete()


def connect_signals(kinds: Iterable[LineKind]) -> None:
    """Delete the kept lines a write changes, for each of ``kinds`` (idempotent): after the
    versions' receivers, which renew DATA (see the module's docstring)."""
    versions.connect_signals()
    code_fingerprint()  # now, from the files the process has just imported (see the docstring)
    post_migrate.connect(_migrated, sender=apps.get_app_config("core"), dispatch_uid=f"{UID}.migrate", weak=False)
    for kind in kinds:
        reads = kind.reads
        for model, path in reads.items():
            for signal, receiver in _row_receivers(kind, model, path).items():
                uid = f"{UID}.{kind.name}.{model._meta.label_lower}.{id(signal)}"
                signal.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
        for field in kind.model._meta.local_many_to_many:
            if field.related_model in reads:
                through = field.remote_field.through
                uid = f"{UID}.{kind.name}.links.{through._meta.label_lower}"
                m2m_changed.connect(_links_receiver(kind, field), sender=through, dispatch_uid=uid, weak=False)
