"""Versions of the registry's data: what a cached value was computed from, and whether that has
changed since (cooperation/core/cache.py keeps the values).

A **version** is a number kept in the database (:class:`cooperation.core.models.DataVersion`,
one row a name) and replaced by one never used before when what it names changes, in the
change's own transaction: a change cannot be committed without its new versions, and readers see
the old versions with the old data until the commit, the new with the new after it. A name that
has never changed has no row and reads as 0. The names:

- ``model:<app>.<model>`` — any row of the model's table was written (saved, deleted, linked). A
  list's facets, counts and rows depend on the models whose tables they read.
- ``record:<app>.<model>:<pk>`` — what one record's page shows of it changed: the record was
  saved or deleted, or a record that points to it (a meeting of a partner, an office, a citation,
  a project's role) was saved, deleted, linked or unlinked. Saving a meeting renews its own name
  and its partners'. A row whose model sets ``renews_linked`` renews the records linked to the
  one it points to as well: a project's budget, its project's partners (their pages show it). A
  record page depends on its record's name and on the name of every record it shows (a
  co-party's name on an agreement), so renaming one partner leaves other partners' pages as they
  were. When a record is published or unpublished, the records that point to it are
  renewed too, since their pages now show it or no longer do (or :data:`ALL`, when more than
  :data:`MAX_NEIGHBOURS` point to it).
- :data:`DATA` — renewed by every write. Each writer renews it first, so writers of the registry
  queue on its row (as they did when it was the only version) and never deadlock on the others;
  and a computation that sees it unchanged before and after knows that nothing was written in
  between.
- :data:`ALL` — every cached value depends on it. ``migrate`` renews it (a release may change what
  a cached value holds), and so must a write that sends no signals (``QuerySet.update()``,
  ``bulk_create()``, raw SQL): call :func:`data_changed`.

A request reads the versions of :data:`ALL`, :data:`DATA` and every model once, at its first need,
in one query (with the record names it needs then: a record page's), and keeps them until it
ends or writes; outside a request every call reads them.
"""

import functools
import re
import secrets
import threading
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.signals import request_finished, request_started
from django.db import connections, router
from django.db.models import ForeignKey, Model
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete, pre_save

from cooperation.core.models import DataVersion, Record

ALL = "all"
DATA = "data"
# A record published or unpublished renews the names of the records that point to it, up to this
# many a relation; past it, ALL (a partner of 200,000 meetings is rarely unpublished).
MAX_NEIGHBOURS = 1000
# Models whose writers renew their version themselves, with no signal: the search index is
# written in bulk (cooperation/search/documents.py).
UNSIGNALLED_MODELS = {"cooperation.searchdocument"}
UID = "cooperation.core.versions"

Versions = dict[str, int]

_request = threading.local()  # .in_request: in a request; .known: the versions it has read


def model_name(model: type[Model]) -> str:
    return f"model:{model._meta.label_lower}"


def record_name(model: type[Model], pk: Any) -> str:
    return f"record:{model._meta.concrete_model._meta.label_lower}:{pk}"


def is_record(model: type[Model] | None) -> bool:
    return model is not None and issubclass(model, Record)


def _new_version() -> int:
    """A version never used before (in practice: 62 random bits, never 0), that fits a signed
    64-bit column."""
    return secrets.randbits(62) | 1


@functools.cache
def registry_models() -> tuple[type[Model], ...]:
    """The models of the registry's apps, link tables included, history excluded."""
    return tuple(
        model
        for label in settings.REGISTRY_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if not model._meta.label_lower.startswith(f"{label}.historical")
    )


@functools.cache
def tracked_models() -> tuple[type[Model], ...]:
    """The registry's models whose saves, deletes and links renew versions through signals."""
    return tuple(model for model in registry_models() if model._meta.label_lower not in UNSIGNALLED_MODELS)


@functools.cache
def table_names() -> dict[str, frozenset[str]]:
    """{database table: the version names reading it depends on} of the registry's models: the
    model's own, or for a table of figures the database keeps from others (triggers write it, no
    signal does: ``derived_from = ("events.meeting", …)`` on the model), the names of those."""
    names = {}
    for model in registry_models():
        depends = frozenset(f"model:{label}" for label in getattr(model, "derived_from", ())) or {model_name(model)}
        for table in (model._meta.db_table, *getattr(model, "other_tables", ())):
            names[table] = frozenset(depends)
    return names


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def names_read_by(sql: str) -> frozenset[str]:
    """The version names of the tables ``sql`` names (quoted by Django or bare in raw SQL)."""
    tables = table_names()
    return frozenset(name for word in set(_WORD.findall(sql)) if word in tables for name in tables[word])


@functools.lru_cache(maxsize=1024)
def names_read_by_statement(sql: str) -> frozenset[str]:
    """:func:`names_read_by`, remembered for a statement as a cursor gets it (its parameters
    apart), which a process sends again and again: a cached value's computation notes every query
    it makes, and scanning the words of the busiest partner's page's queries took 1 ms of each
    first request after a change. Not for SQL with its values written in (``str(query)``), which
    would crowd out the statements that come back."""
    return names_read_by(sql)


@functools.cache
def request_names() -> tuple[str, ...]:
    """The names a request reads at once: ALL, DATA and every model's."""
    return (ALL, DATA, *sorted(model_name(model) for model in registry_models()))


def versions(names: Iterable[str] = ()) -> Versions:
    """The current versions of ALL, DATA, every model and ``names``: those a request has read are
    kept (one query for the rest)."""
    in_request = getattr(_request, "in_request", False)
    known = (_request.known if in_request else None) or {}
    wanted = [name for name in dict.fromkeys((*request_names(), *names)) if name not in known]
    if wanted:
        rows = _read(wanted)
        known.update({name: rows.get(name, 0) for name in wanted})
        if in_request:
            _request.known = known
    return known


def read_fresh(names: Iterable[str], *, using: str | None = None) -> Versions:
    """The versions of ``names`` and of DATA as the database holds them now (one query), not
    as this request first read them; from the database ``using`` (the router's choice if None)."""
    wanted = sorted({DATA, *names})
    rows = _read(wanted, using)
    return {name: rows.get(name, 0) for name in wanted}


def _read(names: list[str], using: str | None = None) -> Versions:
    """{name: version} of those of ``names`` that have a row, from the database ``using`` (the
    router's choice if None), as ``DataVersion.objects.filter(name__in=names)`` reads them, in SQL
    written here: a record page reads versions three or four times, and Django building the
    queryset each time took longer than the query (1 ms of the busiest partner's page)."""
    if not names:
        return {}  # as the queryset: no query (and no ``IN ()``, which PostgreSQL refuses)
    connection = connections[using or router.db_for_read(DataVersion)]
    quote = connection.ops.quote_name
    table = quote(DataVersion._meta.db_table)
    name, version = (quote(DataVersion._meta.get_field(field).column) for field in ("name", "version"))
    sql = f"SELECT {name}, {version} FROM {table} WHERE {name} IN ({', '.join(['%s'] * len(names))})"
    with connection.cursor() as cursor:
        cursor.execute(sql, names)
        return dict(cursor.fetchall())


def renew(names: Iterable[str], *, using: str | None = None) -> None:
    """New versions for DATA and ``names``, in the current transaction of the database ``using``
    (the one the change was written to; the router's choice if None): DATA's row first."""
    rows = DataVersion.objects.db_manager(using) if using else DataVersion.objects
    if not rows.filter(name=DATA).update(version=_new_version()):
        rows.update_or_create(name=DATA, defaults={"version": _new_version()})
    others = sorted(set(names) - {DATA})
    if others:
        rows.bulk_create(
            [DataVersion(name=name, version=_new_version()) for name in others],
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["version"],
        )
    _request.known = None  # this request reads the new ones, which only its transaction sees yet


def data_changed(*, using: str | None = None, **kwargs: Any) -> None:
    """Make every cached value stale (renew ALL): for writes that send no signals."""
    renew([ALL], using=using)


# What a write changes -------------------------------------------------------------------------


def _targets(instance: Model) -> set[str]:
    """The names of the records ``instance`` points to (its foreign keys, generic ones included)."""
    names = set()
    for field in instance._meta.concrete_fields:
        if isinstance(field, ForeignKey) and is_record(field.related_model):
            value = getattr(instance, field.attname)
            if value is not None:
                names.add(record_name(field.related_model, value))
    for field in instance._meta.private_fields:
        if isinstance(field, GenericForeignKey):
            type_id, object_id = getattr(instance, field.ct_field + "_id"), getattr(instance, field.fk_field)
            model = ContentType.objects.get_for_id(type_id).model_class() if type_id else None
            if is_record(model) and object_id is not None:
                names.add(record_name(model, object_id))
    return names


def _renewed_linked(instance: Model, using: str) -> set[str]:
    """The names of the records linked to the records ``instance`` points to, where its model
    says their pages show it: ``renews_linked = {"project": "partners"}`` on a project's budget
    (its partners' pages show their projects' money). One query a relation."""
    names = set()
    for field_name, many_name in getattr(type(instance), "renews_linked", {}).items():
        field = instance._meta.get_field(field_name)
        pk = getattr(instance, field.attname)
        if pk is None:
            continue
        many = field.related_model._meta.get_field(many_name)
        through = many.remote_field.through
        rows = through._base_manager.using(using).filter(**{many.m2m_field_name(): pk})
        names |= {
            record_name(many.related_model, other)
            for other in rows.values_list(many.m2m_reverse_field_name() + "_id", flat=True)
        }
    return names


def _linked(instance: Model, using: str) -> set[str]:
    """The names of the records ``instance`` is linked to through its own many-to-many fields
    (one query a field)."""
    names = set()
    for field in instance._meta.local_many_to_many:
        if not is_record(field.related_model):
            continue
        through = field.remote_field.through
        pks = through._base_manager.using(using).filter(**{field.m2m_field_name(): instance.pk})
        names |= {
            record_name(field.related_model, pk)
            for pk in pks.values_list(field.m2m_reverse_field_name() + "_id", flat=True)
        }
    return names


def _pointing_to(instance: Model, using: str) -> set[str] | None:
    """The names of the records that point to ``instance`` (through a foreign key, a link table,
    or a row of their own such as a project's role), or None if one relation has more than
    MAX_NEIGHBOURS."""
    names = set()
    for relation in instance._meta.related_objects:
        related = relation.related_model
        if related not in tracked_models() or getattr(related, "derived_from", ()):
            continue  # a table of figures (derived_from) names no record to renew: it is read with the flag
        if relation.many_to_many:
            field = relation.remote_field  # the ManyToManyField, on the other model
            through = field.remote_field.through
            rows = through._base_manager.using(using).filter(**{field.m2m_reverse_field_name(): instance.pk})
            pks = list(rows.values_list(field.m2m_field_name() + "_id", flat=True)[: MAX_NEIGHBOURS + 1])
            if len(pks) > MAX_NEIGHBOURS:
                return None
            if is_record(related):
                names |= {record_name(related, pk) for pk in pks}
            continue
        if not relation.one_to_many and not relation.one_to_one:
            continue
        rows = list(
            related._base_manager.using(using).filter(**{relation.field.name: instance.pk})[: MAX_NEIGHBOURS + 1]
        )
        if len(rows) > MAX_NEIGHBOURS:
            return None
        for row in rows:
            if is_record(related):
                names.add(record_name(related, row.pk))
            names |= _targets(row)
    for field in instance._meta.private_fields:  # its citations and claims: the sources they cite
        if isinstance(field, GenericRelation):
            for row in getattr(instance, field.name).using(using).all()[: MAX_NEIGHBOURS + 1]:
                names |= _targets(row)
    return names


def _before_save(sender: type[Model], instance: Model, using: str, raw: bool = False, **kwargs: Any) -> None:
    """Note what the row held before: the records it pointed to, and whether it was published."""
    instance._versions_before = (set(), None)
    if instance.pk is None or raw:
        return
    columns = [f.attname for f in instance._meta.concrete_fields if isinstance(f, ForeignKey)]
    if is_record(sender):
        columns.append("published")
    if not columns:
        return
    row = sender._base_manager.using(using).filter(pk=instance.pk).values(*columns).first()
    if row is None:
        return
    old = sender(**{name: row[name] for name in columns if name != "published"})
    instance._versions_before = (_targets(old) | _renewed_linked(old, using), row.get("published"))


def _saved(sender: type[Model], instance: Model, using: str, created: bool = False, **kwargs: Any) -> None:
    names = {model_name(sender), *_targets(instance), *_renewed_linked(instance, using)}
    before, was_published = getattr(instance, "_versions_before", (set(), None))
    names |= before
    if is_record(sender):
        names.add(record_name(sender, instance.pk))
        if not created:  # a new record has no links yet: they come with m2m_changed
            names |= _linked(instance, using)
        if not created and was_published is not None and was_published != instance.published:
            neighbours = _pointing_to(instance, using)
            names |= {ALL} if neighbours is None else neighbours
    renew(names, using=using)


def _before_delete(sender: type[Model], instance: Model, using: str, **kwargs: Any) -> None:
    """Note the records a record is linked to, both ways: Django deletes its rows in link tables
    without a signal."""
    if not is_record(sender):
        return
    links = {
        model_name(field.through if field.auto_created else field.remote_field.through)
        for field in sender._meta.get_fields()
        if field.many_to_many
    }
    neighbours = _pointing_to(instance, using)
    instance._versions_deleting = _linked(instance, using) | links | ({ALL} if neighbours is None else neighbours)


def _deleted(sender: type[Model], instance: Model, using: str, **kwargs: Any) -> None:
    names = {model_name(sender), *_targets(instance), *_renewed_linked(instance, using)}
    names |= getattr(instance, "_versions_deleting", set())
    if is_record(sender):
        names.add(record_name(sender, instance.pk))
    renew(names, using=using)


def _links_changed(
    sender: type[Model], instance: Model, action: str, model: type[Model], pk_set: set | None, using: str, **kwargs: Any
) -> None:
    """A many-to-many link added, removed or cleared: both ends' names (a clear's ends are noted
    before it)."""
    if action == "pre_clear":
        related = getattr(instance, _accessor(sender, instance))
        instance._versions_cleared = set(related.using(using).values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    pks = getattr(instance, "_versions_cleared", set()) if action == "post_clear" else (pk_set or set())
    names = {model_name(sender)}
    if is_record(type(instance)):
        names.add(record_name(type(instance), instance.pk))
    if is_record(model):
        names |= {record_name(model, pk) for pk in pks}
    renew(names, using=using)


def _accessor(through: type[Model], instance: Model) -> str:
    """The name of ``instance``'s many-to-many manager through ``through`` (either side)."""
    for field in instance._meta.get_fields():
        if field.many_to_many:
            remote = field if not field.auto_created else field.remote_field
            if remote.remote_field.through is through:
                return field.name if not field.auto_created else field.get_accessor_name()
    raise LookupError(f"{type(instance).__name__} has no link through {through.__name__}")


def _migrated(*, using: str, **kwargs: Any) -> None:
    """After ``migrate`` (or a test's flush): every cached value stale, once the table exists (a
    partial migrate may stop before it)."""
    if DataVersion._meta.db_table in connections[using].introspection.table_names():
        data_changed(using=using)


def _request_started(**kwargs: Any) -> None:
    _request.in_request, _request.known = True, None


def _request_finished(**kwargs: Any) -> None:
    _request.in_request, _request.known = False, None


def connect_signals() -> None:
    """Renew the versions on every save and delete of a registry model, every change of a
    many-to-many link and every ``migrate``, and keep what a request read for its length
    (idempotent). Call it from AppConfig.ready()."""
    request_started.connect(_request_started, dispatch_uid=f"{UID}.request-started", weak=False)
    request_finished.connect(_request_finished, dispatch_uid=f"{UID}.request-finished", weak=False)
    post_migrate.connect(
        _migrated, sender=apps.get_app_config("cooperation"), dispatch_uid=f"{UID}.migrate", weak=False
    )
    for model in tracked_models():
        label = model._meta.label_lower
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{UID}.before-save.{label}", weak=False)
        post_save.connect(_saved, sender=model, dispatch_uid=f"{UID}.save.{label}", weak=False)
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"{UID}.before-delete.{label}", weak=False)
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{UID}.delete.{label}", weak=False)
        for many in model._meta.local_many_to_many:
            through = many.remote_field.through
            uid = f"{UID}.links.{through._meta.label_lower}"
            m2m_changed.connect(_links_changed, sender=through, dispatch_uid=uid, weak=False)
