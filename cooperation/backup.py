"""The whole registry in one file, and back: ``manage.py backup_registry`` / ``restore_registry``.

The file is JSON Lines (UTF-8), gzip-compressed when its name ends in ``.gz``:

1. a header: ``{"format": "cooperation-registry-backup", "version": 1, "created": …,
   "migrations": {app: [applied migrations]}, "counts": {model: rows}}``;
2. one line per row, in Django's serializer layout (``{"model", "pk", "fields"}``), model by
   model: users and groups (with their permissions and memberships), every table of
   ``partners``, ``cooperation`` and ``events`` — records, their links, citations and claims,
   and every historical table with its link snapshots — and the admin's log;
3. one line per stored file a row names (a source's uploaded document): its name and bytes;
4. a last line, ``{"end": true, …, "sha256": …}``, so that a cut-off file is refused rather than
   half loaded; ``sha256`` is the SHA-256 of every byte before that line, uncompressed.

A restore reads the whole file and checks that checksum before it changes anything: a damaged
file is refused. A file from before checksums has none; it restores with a warning.

Foreign keys to content types, permissions, users and groups are written as natural keys
(``["cooperation", "agreement"]``, ``["alice"]``): a freshly migrated database numbers its
content types its own way, and a citation's or a log entry's content type must still name the
right model. Everything else keeps its primary key, so links, history and admin URLs survive.
Many-to-many links are written as rows of their link tables.

Left out, because they are derived or belong to the machine: the search index (rebuilt after a
restore), sessions (everyone signs in again), login-throttling records, content types and
permissions themselves (made by ``migrate``).

Restoring writes rows as they are (``raw``): no signal runs, so no history row is added, no
timestamp moves, and the search index is rebuilt once at the end. It runs in one transaction,
into a database that is migrated to the same migrations and holds no registry data (the
groups a migration makes are replaced by the backup's); ``force`` empties a database that has
data first, in that same transaction.
"""

import base64
import gzip
import hashlib
import json
import logging
import time
import zlib
from collections import Counter
from datetime import UTC, datetime
from datetime import time as dt_time
from itertools import islice
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from cooperation.core import cache
from cooperation.search import rebuild

FORMAT = "cooperation-registry-backup"
VERSION = 1
SCHEMA_APPS = ("contenttypes", "auth", "admin", "sessions", *settings.REGISTRY_APPS)

# Tables a freshly migrated database already fills: they do not make it "not empty".
MADE_BY_MIGRATIONS = {"auth.group", "auth.group_permissions"}
CHUNK = 2000
logger = logging.getLogger(__name__)


class BackupError(Exception):
    """The backup cannot be written or restored; the message says why. Nothing was changed."""


def derived(model) -> bool:  # Kept by the search index or by triggers (``derived_from``): not backed up.
    return model._meta.label_lower == "cooperation.searchdocument" or bool(getattr(model, "derived_from", ()))


def backed_up_models():
    """Every model the file holds, in the order it is written and read."""
    User = get_user_model()
    first = [User, Group, Group.permissions.through, User.groups.through, User.user_permissions.through]
    # By label: the app registry's order of the link snapshot tables varies from run to run.
    registry = sorted(
        (
            model
            for label in settings.REGISTRY_APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if not derived(model)
        ),
        key=_label,
    )
    return [*first, *registry, LogEntry]


def applied_migrations(using=DEFAULT_DB_ALIAS):
    recorder = MigrationRecorder(connections[using])
    applied = {}
    for app, name in sorted(recorder.applied_migrations()):
        if app in SCHEMA_APPS:
            applied.setdefault(app, []).append(name)
    return applied


def _label(model):
    return model._meta.label_lower


def _fields(model):
    """The stored fields a row is written with (many-to-many links go in their own tables)."""
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def _natural(field):
    return field.many_to_one and hasattr(field.related_model, "natural_key")


def _open(path, mode, compress=False):
    """Text to write (``"w"``) or read (``"r"``), or bytes to read (``"rb"``); gzip as asked or found."""
    path = Path(path)
    if "w" in mode:
        if compress:
            return gzip.open(path, "wt", encoding="utf-8", newline="\n")
        return path.open("w", encoding="utf-8", newline="\n")
    with path.open("rb") as probe:
        compressed = probe.read(2) == b"\x1f\x8b"
    if mode == "rb":
        return gzip.open(path, "rb") if compressed else path.open("rb")
    if compressed:
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open("r", encoding="utf-8")


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (it cuts them to milliseconds, and a
    history ordered by time must come back in the same order)."""

    def default(self, o):
        if isinstance(o, datetime | dt_time):
            return o.isoformat()
        return super().default(o)


def _line(data):
    return json.dumps(data, cls=_Encoder, ensure_ascii=False, separators=(",", ":")) + "\n"


# Backup ----------------------------------------------------------------------------------------


def _file_columns(model):
    """The columns of ``model`` that name stored files (a historical table keeps them as text)."""
    source = getattr(model, "instance_type", model)
    file_fields = {field.name for field in source._meta.concrete_fields if isinstance(field, models.FileField)}
    return [field.attname for field in model._meta.concrete_fields if field.name in file_fields]


def stored_files(using=DEFAULT_DB_ALIAS):
    """Names of the stored files any row names, now or in its history, that storage holds."""
    names = set()
    for model in backed_up_models():
        for column in _file_columns(model):
            rows = model._base_manager.using(using).exclude(**{column: ""}).exclude(**{f"{column}__isnull": True})
            names.update(rows.values_list(column, flat=True))
    return sorted(name for name in names if default_storage.exists(name))


def backup(path, using=DEFAULT_DB_ALIAS):
    """Write the registry to ``path``; return {model label: rows} and the number of files."""
    connection = connections[using]
    counts = Counter()
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    outermost = not connection.in_atomic_block
    try:
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql" and outermost:
                # One snapshot for the whole dump, whatever is saved meanwhile.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            with _open(partial, "w", compress=path.suffix == ".gz") as stream:
                digest = hashlib.sha256()

                def out(data):  # one line, and the SHA-256 of every line so far
                    text = _line(data)
                    digest.update(text.encode("utf-8"))
                    stream.write(text)

                model_list = backed_up_models()
                header = {
                    "format": FORMAT,
                    "version": VERSION,
                    "created": datetime.now(UTC),
                    "database": connection.vendor,
                    "migrations": applied_migrations(using),
                    "counts": {_label(m): m._base_manager.using(using).count() for m in model_list},
                }
                out(header)
                for model in model_list:
                    counts[_label(model)] = _write_model(out, model, using)
                files = stored_files(using)
                for name in files:
                    with default_storage.open(name, "rb") as stored:
                        content = base64.b64encode(stored.read()).decode("ascii")
                    out({"file": name, "content": content})
                end = {"end": True, "objects": sum(counts.values()), "files": len(files)}
                stream.write(_line({**end, "sha256": digest.hexdigest()}))  # of every line before it
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return dict(counts), len(files)


def _write_model(out, model, using):
    names = [field.name for field in _fields(model)]
    related = [field.name for field in _fields(model) if _natural(field)]
    queryset = model._base_manager.using(using).order_by("pk")
    if related:
        queryset = queryset.select_related(*related)
    written = 0
    rows = queryset.iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        for data in serializers.serialize("python", chunk, fields=names, use_natural_foreign_keys=True):
            out(data)
        written += len(chunk)
    return written


# Restore ---------------------------------------------------------------------------------------


class _Keys:
    """Natural keys to primary keys, looked up once each."""

    def __init__(self, using):
        self.using = using
        self.found = {}

    def pk(self, model, key, line):
        cache_key = (model, tuple(key))
        if cache_key not in self.found:
            try:
                obj = model._default_manager.db_manager(self.using).get_by_natural_key(*key)
            except model.DoesNotExist as error:
                raise BackupError(
                    f"Line {line}: no {model._meta.verbose_name} {key!r} in this database. Is it migrated "
                    "to the same migrations as the one backed up?"
                ) from error
            self.found[cache_key] = obj.pk
        return self.found[cache_key]


def _build(model, data, keys, line):
    """An unsaved instance of ``model`` from one serialized row (values as stored)."""
    try:
        values = {model._meta.pk.attname: model._meta.pk.to_python(data["pk"])}
        for name, value in data["fields"].items():
            field = model._meta.get_field(name)
            if field.many_to_many:
                raise BackupError(f"Line {line}: {_label(model)}.{name} is a many-to-many field; links are rows.")
            if field.many_to_one:
                if value is not None and _natural(field) and isinstance(value, list):
                    value = keys.pk(field.related_model, value, line)
                elif value is not None:
                    value = field.target_field.to_python(value)
                values[field.attname] = value
            else:
                values[field.attname] = field.to_python(value)
    except (KeyError, TypeError, FieldDoesNotExist, ValidationError) as error:
        raise BackupError(f"Line {line}: a row of {_label(model)} this database cannot take ({error}).") from error
    return model(**values)


def _insert(model, objs, using):
    """Insert rows exactly as given: no signals, no history, no auto_now (what loaddata's raw
    saves do, a batch at a time)."""
    connection = connections[using]
    fields = model._meta.local_concrete_fields
    size = max(connection.ops.bulk_batch_size(fields, objs), 1)
    for start in range(0, len(objs), size):
        model._base_manager.using(using)._insert(objs[start : start + size], fields=fields, raw=True, using=using)


def _read_header(stream, path):
    first = stream.readline()
    try:
        header = json.loads(first)
    except json.JSONDecodeError as error:
        raise BackupError(f"{path} is not a registry backup (its first line is not JSON).") from error
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path} is not a registry backup made by backup_registry.")
    if header.get("version") != VERSION:
        raise BackupError(f"{path} is a backup of format {header.get('version')}; this version reads format {VERSION}.")
    return header


def verify(path):
    """Read ``path`` to its end and check its SHA-256 against its end line's; return it, or
    ``None`` for a backup made before checksums were written. ``BackupError`` when the file is
    damaged, cut off, or cannot be read: nothing is restored from it."""
    digest, last = hashlib.sha256(), None
    try:
        with _open(path, "rb") as stream:
            for line in stream:
                if last is not None:
                    digest.update(last)
                last = line
    except (OSError, EOFError, zlib.error) as error:  # a damaged gzip stream among them
        raise BackupError(f"Cannot read {path} to the end: {error}. Nothing was restored.") from error
    try:
        end = json.loads(last) if last else None
    except ValueError:
        end = None
    if not isinstance(end, dict) or end.get("end") is not True:
        raise BackupError(f"{path} ends early: the backup is incomplete. Nothing was restored.")
    expected = end.get("sha256")
    if expected is not None and digest.hexdigest() != expected:
        raise BackupError(
            f"{path} is damaged: its content does not match the SHA-256 checksum it was written with. "
            "Nothing was restored; use another copy of the backup."
        )
    return expected


def check_migrations(header, using):
    wanted, have = header.get("migrations", {}), applied_migrations(using)
    differences = []
    for app in sorted(set(wanted) | set(have)):
        missing = sorted(set(wanted.get(app, [])) - set(have.get(app, [])))
        extra = sorted(set(have.get(app, [])) - set(wanted.get(app, [])))
        if missing:
            differences.append(f"{app}: the backup has {', '.join(missing)}, this database has not")
        if extra:
            differences.append(f"{app}: this database has {', '.join(extra)}, the backup has not")
    if differences:
        raise BackupError(
            "The backup was made on a database migrated differently ("
            + "; ".join(differences)
            + "). Restore it with the version of the code that made it (then migrate), or migrate this "
            "database to the same migrations first."
        )


def data_present(using):
    """{model label: rows} of the backed-up tables that already hold rows (migrations' groups aside)."""
    present = {}
    for model in backed_up_models():
        if _label(model) in MADE_BY_MIGRATIONS:
            continue
        count = model._base_manager.using(using).count()
        if count:
            present[_label(model)] = count
    return present


def _empty_tables(using):
    connection = connections[using]
    quote = connection.ops.quote_name
    tables = [model._meta.db_table for model in reversed(backed_up_models())]
    tables.append(Session._meta.db_table)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {quote(table)}")  # table names come from the models


def restore(path, using=DEFAULT_DB_ALIAS, force=False, rebuild_index=True, warn=logger.warning):
    """Restore the backup at ``path``; return ({model label: rows}, files, search counts).

    The file's checksum is checked first (:func:`verify`); ``warn`` is told when it has none."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No file {path}.")
    by_label = {_label(model): model for model in backed_up_models()}
    try:
        stream = _open(path, "r")
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error}") from error
    with stream:
        try:
            header = _read_header(stream, path)
        except (OSError, EOFError, UnicodeDecodeError) as error:
            raise BackupError(f"Cannot read {path}: {error}") from error
        check_migrations(header, using)
        if verify(path) is None:
            warn(
                f"{path} carries no checksum (it was made before backups had one), so it cannot be checked "
                "for damage as a whole; each row is checked as it is read."
            )
        present = data_present(using)
        if present and not force:
            listed = ", ".join(f"{count} {label}" for label, count in sorted(present.items())[:6])
            raise BackupError(
                f"This database is not empty (it holds {listed}{' …' if len(present) > 6 else ''}). Restore "
                "into a freshly migrated database, or pass --force to replace everything in this one."
            )
        try:
            return _load(stream, path, header, using, by_label, rebuild_index)
        except (IntegrityError, DatabaseError) as error:
            raise BackupError(f"The database refused the backup's rows ({error}). Nothing was restored.") from error


def _load(stream, path, header, using, by_label, rebuild_index):
    connection = connections[using]
    counts = Counter()
    files = {}
    ended = False
    keys = _Keys(using)
    with transaction.atomic(using=using):
        _empty_tables(using)
        with connection.constraint_checks_disabled():
            batch, batch_model = [], None
            try:
                for number, text in enumerate(stream, start=2):
                    if ended:
                        raise BackupError(f"Line {number}: there is more after the end of the backup.")
                    try:
                        data = json.loads(text)
                    except json.JSONDecodeError as error:
                        raise BackupError(f"Line {number} is not JSON: {error}.") from error
                    if not isinstance(data, dict):
                        raise BackupError(f"Line {number} is not a row of a registry backup.")
                    if "end" in data:
                        ended = True
                        continue
                    if "file" in data:
                        files[data["file"]] = (number, data.get("content", ""))
                        continue
                    model = by_label.get(data.get("model"))
                    if model is None:
                        raise BackupError(f"Line {number}: “{data.get('model')}” is not a table this restores.")
                    if model is not batch_model or len(batch) >= CHUNK:
                        if batch:
                            _insert(batch_model, batch, using)
                        batch, batch_model = [], model
                    batch.append(_build(model, data, keys, number))
                    counts[_label(model)] += 1
                if batch:
                    _insert(batch_model, batch, using)
            except (OSError, EOFError, UnicodeDecodeError) as error:
                raise BackupError(f"Cannot read {path} to the end: {error}. Nothing was restored.") from error
            if not ended:
                raise BackupError(f"{path} ends early: the backup is incomplete. Nothing was restored.")
        connection.check_constraints(table_names=[model._meta.db_table for model in backed_up_models()])
        models_written = [by_label[label] for label in counts]
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models_written):
                cursor.execute(statement)
        expected = header.get("counts", {})
        short = {label: n for label, n in expected.items() if counts.get(label, 0) != n}
        if short:
            raise BackupError(
                "The backup's rows do not add up to what its header says ("
                + ", ".join(f"{label}: {counts.get(label, 0)} of {n}" for label, n in sorted(short.items()))
                + "). Nothing was restored."
            )
        search = rebuild() if rebuild_index else {}
        cache.data_changed()
    for name, (number, content) in files.items():
        _store(name, number, content)
    return dict(counts), len(files), search


def _store(name, number, content):
    try:
        data = base64.b64decode(content, validate=True)
    except ValueError as error:
        raise BackupError(f"Line {number}: the file {name} is damaged ({error}).") from error
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            if stored.read() == data:
                return
        default_storage.delete(name)
    default_storage.save(name, ContentFile(data))


def describe_size(path):
    size = Path(path).stat().st_size
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} bytes"


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


__all__ = ["BackupError", "Timer", "backup", "backed_up_models", "describe_size", "restore", "verify"]
