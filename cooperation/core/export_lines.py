"""CSV lines kept in the database: an export reads a record's line instead of making it.

Making a line costs an export most of its time (the record's relations read, a few dozen cells
formatted: about 6,500 lines a second); reading one costs a few microseconds. So an export
whose spec declares :class:`StoredLines` (the projects', cooperation/exports.py) keeps each
record's line (:class:`~cooperation.core.models.ExportLine`), and reads it with the record's row
(one subquery, the same query and order as the page's). A record without a line is made as
before, a chunk at a time, and its line stored.

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
  every line older than it is made again. The spec's key holds a checksum of its headers and of
  the code that writes them (:func:`code_fingerprint`), so a line kept by a process of the
  release before is not read by the next one.
- Writes are made in a transaction (the admin, the imports, publishing and history restores all
  are), as for the cache's versions: a ``save()`` outside one commits the row before its
  receivers delete the line, and a receiver that fails before them would leave it.
- Only what is the same for every request is stored: the columns up to the first
  ``per_request`` one (the record's address on this site, whose host is the request's) are, the
  rest is written for each request from the record's ``tail`` fields. Lines are written in
  English (settings.LANGUAGE_CODE), as every export is.

The JSON and workbook exports make their rows as before.
"""

import functools
import hashlib
import logging
from collections.abc import Iterable, Iterator
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
class StoredLines:
    """An export's lines kept in the database, and what they show.

    ``reads``: {model: the path from a record of the export to its rows}, every model whose rows
    a line shows (``"pk"``: the record itself; ``"project_partners__partner"``: a project's
    partners). ``tail``: the fields the columns after the stored part read (the address's slug).
    """

    reads: dict
    tail: tuple = ("slug",)

    def key(self, spec: ExportSpec) -> str:
        """``projects:1a2b3c4d5e6f``: the export, and a checksum of its columns' names and of the
        code that writes them (:func:`code_fingerprint`)."""
        digest = hashlib.sha1(f"{','.join(spec.headers)}|{code_fingerprint()}".encode())
        return f"{spec.name}:{digest.hexdigest()[:12]}"

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
        known = versions.read_fresh([versions.ALL], using=queryset.db)  # before the records: see the docstring
        data, generation = known[versions.DATA], known[versions.ALL]
        key, cut = self.key(spec), self.cut(spec)
        write_stored = csv_row_writer(spec.columns[:cut], context)
        write_tail = csv_row_writer(spec.columns[cut:], context) if cut < len(spec.columns) else None
        tail_row = row_class(spec.model)
        tail_names = (spec.model._meta.pk.attname, *self.tail)
        lines = ExportLine.objects.filter(spec=key, version=generation, record_id=OuterRef("pk")).values("line")
        rows = (
            queryset.annotate(**{LINE: Subquery(lines[:1])})
            .values_list(*tail_names, LINE)
            .iterator(chunk_size=chunk_size)
        )
        yield csv_header(spec)
        while chunk := list(islice(rows, chunk_size)):
            made = {}
            missing = [row[0] for row in chunk if row[-1] is None]
            if missing:
                for record in spec.records(queryset.filter(pk__in=missing), chunk_size):
                    made[record.pk] = write_stored(record)[:-2]  # without its "\r\n"
                self.store(key, generation, data, made)
            for *tail, line in chunk:
                if line is None:
                    line = made.get(tail[0])
                    if line is None:  # gone from the list since the chunk was read
                        continue
                if write_tail is None:
                    yield f"{line}\r\n"
                else:
                    yield f"{line},{write_tail(tail_row(dict(zip(tail_names, tail, strict=True))))}"

    def store(self, key: str, generation: int, data: int, made: dict[Any, str]) -> None:
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
                    [ExportLine(spec=key, record_id=pk, version=generation, line=line) for pk, line in made.items()],
                    update_conflicts=True,
                    unique_fields=["spec", "record_id"],
                    update_fields=["version", "line"],
                )
        except DatabaseError as error:
            if not _busy(error):
                logger.warning("Export lines of %s not kept: %s", key, error)


def _busy(error: DatabaseError) -> bool:
    """Whether ``error`` says a writer holds what the export would write (PostgreSQL's "could not
    obtain lock", SQLite's "database is locked"): nothing to report, the lines are made again."""
    return getattr(error.__cause__, "pgcode", None) == LOCK_NOT_AVAILABLE or "locked" in str(error)


@functools.cache
def code_fingerprint() -> str:
    """A checksum of the code that writes the lines: every Python file of the registry's apps (the
    columns, their formats, the models' choice labels), and the versions of Django and
    django-countries (country names). A release that changes any of them keys its lines anew, so
    a line an old process keeps while the new one starts is never read by the new code."""
    digest = hashlib.sha1()
    for label in sorted(settings.REGISTRY_APPS):
        root = Path(apps.get_app_config(label).path)
        for path in sorted(root.rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    for package in ("django", "django-countries"):
        digest.update(metadata.version(package).encode())
    return digest.hexdigest()


def forget(spec: ExportSpec, records: QuerySet | Iterable[Any], using: str) -> None:
    """Delete the stored lines of ``records`` (a query of their ids, or the ids)."""
    lines = ExportLine.objects.using(using).filter(spec=spec.stored.key(spec))
    if isinstance(records, QuerySet):
        lines.filter(record_id__in=records).delete()
        return
    ids = sorted(set(records))
    for start in range(0, len(ids), DELETE_BATCH):
        lines.filter(record_id__in=ids[start : start + DELETE_BATCH]).delete()


def _reached(spec: ExportSpec, path: str, pk: Any, using: str) -> QuerySet | list:
    """The export's records that ``path`` leads from to the row ``pk`` (a query of their ids)."""
    if path == "pk":
        return [pk]
    return spec.model._base_manager.using(using).filter(**{path: pk}).values("pk")


def _reached_now(spec: ExportSpec, path: str, pk: Any, using: str) -> list:
    """The ids :func:`_reached` names, read now (before the row changes or goes)."""
    reached = _reached(spec, path, pk, using)
    return reached if isinstance(reached, list) else list(reached.values_list("pk", flat=True))


def _row_receivers(spec: ExportSpec, model: type[Model], path: str) -> dict:
    """The receivers of ``model``'s saves and deletes for ``spec``'s lines."""
    noted = f"_export_lines_{spec.name}"
    moves = path != "pk" and not issubclass(model, Record)  # a role, budget or citation: its record may change

    def before_save(instance: Model, using: str, raw: bool = False, **kwargs: Any) -> None:
        if moves and instance.pk is not None and not raw:
            instance.__dict__[noted] = _reached_now(spec, path, instance.pk, using)

    def saved(instance: Model, using: str, **kwargs: Any) -> None:
        forget(spec, _reached(spec, path, instance.pk, using), using)
        if instance.__dict__.get(noted):
            forget(spec, instance.__dict__.pop(noted), using)

    def before_delete(instance: Model, using: str, **kwargs: Any) -> None:
        instance.__dict__[noted] = _reached_now(spec, path, instance.pk, using)

    def deleted(instance: Model, using: str, **kwargs: Any) -> None:
        forget(spec, instance.__dict__.pop(noted, ()), using)

    return {pre_save: before_save, post_save: saved, pre_delete: before_delete, post_delete: deleted}


def _links_receiver(spec: ExportSpec, field: Any) -> Any:
    """The receiver of a change to the links of ``spec``'s records through the many-to-many
    ``field`` (from either end: ``project.topics.add(…)``, ``topic.projects.remove(…)``)."""
    noted = f"_export_lines_{spec.name}_{field.name}"

    def changed(instance: Model, action: str, pk_set: set | None, using: str, **kwargs: Any) -> None:
        if isinstance(instance, spec.model):
            if action in ("post_add", "post_remove", "post_clear"):
                forget(spec, [instance.pk], using)
        elif action == "pre_clear":
            reached = spec.model._base_manager.using(using).filter(**{field.name: instance.pk})
            instance.__dict__[noted] = list(reached.values_list("pk", flat=True))
        elif action == "post_clear":
            forget(spec, instance.__dict__.pop(noted, ()), using)
        elif action in ("post_add", "post_remove"):
            forget(spec, pk_set or (), using)

    return changed


def _migrated(*, using: str, **kwargs: Any) -> None:
    """After ``migrate``: no line is read again (ALL is renewed), so none is kept."""
    if ExportLine._meta.db_table in connections[using].introspection.table_names():
        ExportLine.objects.using(using).all().delete()


def connect_signals(specs: Iterable[ExportSpec]) -> None:
    """Delete the stored lines a write changes, for each of ``specs`` (idempotent): after the
    versions' receivers, which renew DATA (see the module's docstring)."""
    versions.connect_signals()
    post_migrate.connect(_migrated, sender=apps.get_app_config("core"), dispatch_uid=f"{UID}.migrate", weak=False)
    for spec in specs:
        reads = spec.stored.reads
        for model, path in reads.items():
            for signal, receiver in _row_receivers(spec, model, path).items():
                uid = f"{UID}.{spec.name}.{model._meta.label_lower}.{id(signal)}"
                signal.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
        for field in spec.model._meta.local_many_to_many:
            if field.related_model in reads:
                through = field.remote_field.through
                uid = f"{UID}.{spec.name}.links.{through._meta.label_lower}"
                m2m_changed.connect(_links_receiver(spec, field), sender=through, dispatch_uid=uid, weak=False)
