"""Cached figures that are never stale: facet counts, result counts, the year index, the home
page's counts, record pages, list rows.

Every cached value is stored under a key that holds the **data version**, a number kept in the
database (:class:`cooperation.core.models.DataVersion`) and replaced by one never used before
whenever any record, link or citation is saved or deleted (the signal receivers in
:func:`connect_signals`, connected from ``CooperationConfig.ready``). A new version makes every
older key unreachable at once, so a page never shows a value computed before the last change; the
old entries simply expire.

Why the database, and not the cache: every process and every server reads the same version, even
when each keeps its own local-memory cache (the default, without ``REDIS_URL``); and the new
version is written in the change's own transaction, so a change cannot be committed without it,
whatever fails afterwards (a Redis that stalls, a process that exits). Readers see the old version
with the old data until the commit, and the new version with the new data after it. A version that
a rolled-back transaction wrote is never used again (each is 62 random bits), so what that
transaction cached under it is never read.

A request reads the version once, at its first cached value (one small query), and keeps it until
it ends or writes; outside a request every call reads it.

Writes that send no signals — ``QuerySet.update()``, ``bulk_create()``, raw SQL — must call
:func:`data_changed` themselves (``generate_demo_data`` does). Entries also expire after
:data:`TIMEOUT` seconds, a safety net for such a write that forgets.
"""

import hashlib
import json
import secrets
import threading
from collections.abc import Callable, Collection, Hashable, Sequence
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.signals import request_finished, request_started
from django.db import connections
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import translation

from cooperation.core.models import DataVersion

VERSION_NAME = "data"  # the DataVersion row of every cached value
TIMEOUT = 60 * 60  # seconds an entry lives at most, whatever the version
# Models whose changes show on no cached figure.
UNCACHED_MODELS = {"cooperation.searchdocument"}
UID = "cooperation.core.cache"

T = TypeVar("T")
Item = TypeVar("Item", bound=Hashable)


def cache() -> BaseCache:
    return caches["default"]


# The version the current request has read: ``.version`` is None until it reads one, and
# ``.in_request`` is False outside a request (a management command, a shell), where nothing is kept.
_request = threading.local()


def _new_version() -> int:
    """A version never used before (in practice: 62 random bits), that fits a signed 64-bit column."""
    return secrets.randbits(62)


def data_version() -> int:
    """The current data version: read from the database once a request."""
    in_request = getattr(_request, "in_request", False)
    if in_request and _request.version is not None:
        return _request.version
    version = DataVersion.objects.filter(name=VERSION_NAME).values_list("version", flat=True).first()
    if version is None:  # a database that lost the row the migration made
        version = DataVersion.objects.get_or_create(name=VERSION_NAME, defaults={"version": _new_version()})[0].version
    if in_request:
        _request.version = version
    return version


def data_changed(*, using: str | None = None, **kwargs: Any) -> None:
    """Make every cached value stale: write a new data version, in the current transaction of
    the database ``using`` (the one the change was written to; the router's choice if None)."""
    versions = DataVersion.objects.db_manager(using) if using else DataVersion.objects
    version = _new_version()
    if not versions.filter(name=VERSION_NAME).update(version=version):
        versions.update_or_create(name=VERSION_NAME, defaults={"version": version})
    _request.version = None  # this request reads the new one, which only its transaction sees yet


def _migrated(*, using: str, **kwargs: Any) -> None:
    """After ``migrate`` (or a test's flush): a new version, once the table exists (a partial
    migrate may stop before it)."""
    if DataVersion._meta.db_table in connections[using].introspection.table_names():
        data_changed(using=using)


def _request_started(**kwargs: Any) -> None:
    _request.in_request, _request.version = True, None


def _request_finished(**kwargs: Any) -> None:
    _request.in_request, _request.version = False, None


def make_key(namespace: str, *parts: object, version: int | None = None) -> str:
    """``registry:<namespace>:<version>:<digest of parts>``: parts are anything JSON can write;
    ``version`` is the current data version unless given. The active language is always one of
    the parts: what is cached holds words (labels, rendered rows) in the page's language."""
    parts = (translation.get_language(), *parts)
    digest = hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return f"registry:{namespace}:{data_version() if version is None else version}:{digest}"


def cached(namespace: str, parts: Sequence[object], compute: Callable[[], T]) -> T:
    """The value cached under (namespace, parts) at the current data version, or ``compute()``
    stored there."""
    key = make_key(namespace, *parts)
    value = cache().get(key)
    if value is None:
        value = compute()
        cache().set(key, value, TIMEOUT)
    return value


def cached_many(
    namespace: str, items: Collection[Item], compute_missing: Callable[[list[Item]], dict[Item, T]]
) -> dict[Item, T]:
    """{item: value} for every item of ``items``, each cached under (namespace, item) at the
    current data version: one read for all of them, then ``compute_missing(items not cached)``,
    which returns {item: value} for those, and one write."""
    version = data_version()
    keys = {item: make_key(namespace, item, version=version) for item in items}
    found = cache().get_many(list(keys.values()))
    values = {item: found[key] for item, key in keys.items() if key in found}
    missing = [item for item in items if item not in values]
    if missing:
        computed = compute_missing(missing)
        cache().set_many({keys[item]: computed[item] for item in missing}, TIMEOUT)
        values.update(computed)
    return values


def cached_models() -> list[type[Model]]:
    return [
        model
        for label in settings.REGISTRY_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model._meta.label_lower not in UNCACHED_MODELS
        and not model._meta.label_lower.startswith(f"{label}.historical")
    ]


def connect_signals() -> None:
    """Renew the data version on every save and delete of a registry model, every change of
    a many-to-many link, and every ``migrate``, and keep it for the length of a request
    (idempotent). Call it from AppConfig.ready().

    ``migrate`` runs with every release: a release may change what a cached value holds (the
    markup of a rendered row or fragment, what a selector reads), so nothing cached before it
    is served after it, even from a shared cache that outlives the processes."""
    request_started.connect(_request_started, dispatch_uid=f"{UID}.request-started", weak=False)
    request_finished.connect(_request_finished, dispatch_uid=f"{UID}.request-finished", weak=False)
    post_migrate.connect(
        _migrated, sender=apps.get_app_config("cooperation"), dispatch_uid=f"{UID}.migrate", weak=False
    )
    for model in cached_models():
        label = model._meta.label_lower
        post_save.connect(data_changed, sender=model, dispatch_uid=f"{UID}.save.{label}", weak=False)
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"{UID}.delete.{label}", weak=False)
        for many in model._meta.local_many_to_many:
            through = many.remote_field.through
            uid = f"{UID}.links.{through._meta.label_lower}"
            m2m_changed.connect(data_changed, sender=through, dispatch_uid=uid, weak=False)
