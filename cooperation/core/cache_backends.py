"""A Redis cache that the site survives losing.

Django's ``RedisCache`` raises whatever redis-py raises, so a Redis that is down or stuck turns
every page that reads the cache into a server error. :class:`ForgivingRedisCache` answers such a
call as an empty cache that stores nothing would (``get`` gives the default, ``add`` reports
nothing stored, ``incr`` finds no key, ...): pages are then computed from the database, slower
but correct. After a failure Redis is left alone for :attr:`~ForgivingRedisCache.retry_after`
seconds, so that a stuck Redis costs one request a timeout now and then, not every cache call of
every request. The outage is logged (logger ``cooperation.cache``) when it starts, at most once a
minute while it lasts, and when Redis answers again.

Nothing is lost when Redis fails: the versions that every cached value is kept with live in the
database (cooperation/core/versions.py), so an entry cached before a change is never used after it,
even if Redis comes back with it.
"""

import logging
import threading
import time
from collections.abc import Iterable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("cooperation.cache")

_UNANSWERED = object()

# An entry's lifetime in seconds, None for ever; DEFAULT_TIMEOUT (a marker) for the cache's own.
Timeout = float | None


class _Health:
    """What this process knows of one Redis server, shared by its threads' cache objects."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_since = None  # time.monotonic() of this outage's first failure; None: it answers
        self.retry_at = 0.0  # Redis is not asked before this time
        self.logged_at = 0.0
        self.failures = 0

    def failed(self, error, retry_after, log_every):
        now = time.monotonic()
        with self.lock:
            self.retry_at = now + retry_after
            self.failures += 1
            first = self.down_since is None
            if first:
                self.down_since = now
            elif now - self.logged_at < log_every:
                return
            self.logged_at = now
            failures, lasted = self.failures, now - self.down_since
        if first:
            logger.warning(
                "The cache (Redis) is unreachable (%s): pages are computed from the database, "
                "and Redis is asked again every %s s.",
                error,
                retry_after,
            )
        else:
            logger.warning(
                "The cache (Redis) is still unreachable after %d s and %d failed calls (%s).",
                lasted,
                failures,
                error,
            )

    def answered(self):
        if self.down_since is None:  # the usual case, without taking the lock
            return
        with self.lock:
            if self.down_since is None:
                return
            failures, lasted = self.failures, time.monotonic() - self.down_since
            self.down_since, self.failures = None, 0
        logger.info("The cache (Redis) answers again, after %d s and %d failed calls.", lasted, failures)


_health = {}  # LOCATION -> _Health


class ForgivingRedisCache(RedisCache):
    """Django's RedisCache, read as an empty cache while Redis does not answer."""

    retry_after = 5  # seconds Redis is left alone after a failure
    log_every = 60  # seconds between two warnings of the same outage

    def __init__(self, server, params):
        super().__init__(server, params)
        self._health = _health.setdefault(",".join(self._servers), _Health())

    def _call(self, unanswered, method, *args):
        """``method(*args)``, or ``unanswered`` if Redis does not answer (or is being left alone)."""
        if time.monotonic() < self._health.retry_at:
            return unanswered
        try:
            result = method(*args)
        except RedisError as error:
            self._health.failed(error, self.retry_after, self.log_every)
            return unanswered
        self._health.answered()
        return result

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._call(default, super().get, key, default, version)

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        return self._call({}, super().get_many, keys, version)

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self._call(False, super().has_key, key, version)

    def add(self, key: str, value: Any, timeout: Timeout = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(False, super().add, key, value, timeout, version)

    def set(self, key: str, value: Any, timeout: Timeout = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._call(None, super().set, key, value, timeout, version)

    def set_many(
        self, data: dict[str, Any], timeout: Timeout = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[str]:
        # The keys that were not stored: all of them, if Redis did not answer.
        return self._call(list(data), super().set_many, data, timeout, version)

    def touch(self, key: str, timeout: Timeout = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(False, super().touch, key, timeout, version)

    def delete(self, key: str, version: int | None = None) -> bool:
        return self._call(False, super().delete, key, version)

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        self._call(None, super().delete_many, keys, version)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:  # decr() calls it too
        value = self._call(_UNANSWERED, super().incr, key, delta, version)
        if value is _UNANSWERED:
            raise ValueError(f"Key {key!r} not found: the cache (Redis) is unreachable.")
        return value

    def clear(self) -> bool:
        return self._call(False, super().clear)
