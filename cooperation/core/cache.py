"""Cached figures that are never stale: facet counts, result counts, the year index, the home
page's counts.

Every cached value is stored under a key that holds the **data version**, a number kept in
``caches["default"]`` and bumped whenever any record, link or citation is saved or deleted
(the signal receivers in :func:`connect_signals`, connected from ``CooperationConfig.ready``).
A bump makes every older key unreachable at once, so a page never shows a count computed
before the last change; the old entries simply expire. The version is bumped when the change
happens (so the same request or transaction reads fresh figures) and again when its
transaction commits (so a figure another request computed in between, from the data as it was
before the commit, is not reused either).

Writes that send no signals — ``QuerySet.update()``, ``bulk_create()``, raw SQL — must call
:func:`data_changed` themselves (``generate_demo_data`` does). Entries also expire after
:data:`TIMEOUT` seconds, a safety net for such a write that forgets.

With several server processes the cache must be shared between them (Redis, ``REDIS_URL``),
or a process would not see another's bump: each process's local-memory cache is its own.
"""

import hashlib
import json
import time
from collections.abc import Callable, Collection, Hashable, Sequence
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

VERSION_KEY = "registry:data-version"
TIMEOUT = 60 * 60  # seconds an entry lives at most, whatever the version
# Models whose changes show on no cached figure.
UNCACHED_MODELS = {"cooperation.searchdocument"}
UID = "cooperation.core.cache"

T = TypeVar("T")
Item = TypeVar("Item", bound=Hashable)


def cache() -> BaseCache:
    return caches["default"]


# True when a bump could not be stored: the cache did not answer (the Redis backend,
# cooperation/core/cache_backends.py, then acts as an empty cache that stores nothing). Entries
# cached under the version before the change may still be in Redis: if it comes back with its data
# intact and nobody bumps, they would be served, stale, for up to TIMEOUT. So data_version() bumps
# again before it reads the version, until a bump is stored. A plain flag is enough across
# threads: it is cleared before the retry and set again by a retry that fails, so a failure is
# never forgotten, and two threads retrying at once only bump twice, which costs a cache miss.
_bump_pending = False


def data_version() -> int:
    """The current data version; a fresh one (never used before) if the cache has none."""
    global _bump_pending
    if _bump_pending:  # a bump that could not be stored, retried before the version is read
        _bump_pending = False
        _bump()
    version = cache().get(VERSION_KEY)
    if version is None:
        cache().add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache().get(VERSION_KEY, time.time_ns())
    return version


def _bump():
    global _bump_pending
    try:
        cache().incr(VERSION_KEY)
        return
    except ValueError:  # no version yet, evicted, or the cache is unreachable
        fresh = time.time_ns()  # a version never used before
        cache().set(VERSION_KEY, fresh, timeout=None)
    # Reading back anything else (nothing, or the old version of a Redis that came back in
    # between) may mean the bump was lost: try again. Another process's bump in between only
    # costs a needless retry.
    if cache().get(VERSION_KEY) != fresh:
        _bump_pending = True


def data_changed(**kwargs: Any) -> None:
    """Make every cached figure stale: now, and again when the current transaction commits."""
    _bump()
    transaction.on_commit(_bump)


def make_key(namespace: str, *parts: object, version: int | None = None) -> str:
    """``registry:<namespace>:<version>:<digest of parts>``: parts are anything JSON can write;
    ``version`` is the current data version unless given."""
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
    """Bump the data version on every save and delete of a registry model, every change of
    a many-to-many link, and every ``migrate`` (idempotent). Call it from AppConfig.ready().

    ``migrate`` runs with every release: a release may change what a cached value holds (the
    markup of a rendered row or fragment, what a selector reads), so nothing cached before it
    is served after it, even from a shared cache that outlives the processes."""
    post_migrate.connect(
        data_changed, sender=apps.get_app_config("cooperation"), dispatch_uid=f"{UID}.migrate", weak=False
    )
    for model in cached_models():
        label = model._meta.label_lower
        post_save.connect(data_changed, sender=model, dispatch_uid=f"{UID}.save.{label}", weak=False)
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"{UID}.delete.{label}", weak=False)
        for many in model._meta.local_many_to_many:
            through = many.remote_field.through
            uid = f"{UID}.links.{through._meta.label_lower}"
            m2m_changed.connect(data_changed, sender=through, dispatch_uid=uid, weak=False)
