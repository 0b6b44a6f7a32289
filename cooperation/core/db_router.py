"""Reads from PostgreSQL read replicas, when ``DATABASE_REPLICA_URLS`` names some.

Settings install the router and the middleware below only when there are replicas
(``settings.DATABASE_REPLICAS``, the aliases ``replica_1``, ``replica_2`` …); without them
Django's routing is untouched and everything reads and writes ``default``, the primary.

What goes where:

- **Every write** goes to the primary.
- **Reads go to a replica only for an anonymous, read-only request to the public site**: a GET,
  HEAD or OPTIONS request outside the admin, from a browser without a session cookie. The
  public site never starts a session, so a session cookie means a signed-in staff member, and
  every read of theirs, in the admin and on the public pages alike, goes to the primary: they
  see what they have just saved at once, though a replica may be a moment behind (a replica
  lags the primary by milliseconds to seconds). One replica is chosen per request, so all of a
  page's queries (its rows, its counts, a streamed export's chunks) read the same replica.
- **Everything else reads the primary**: a POST and whatever it reads (validation, a unique
  slug), a request under the admin, management commands and shells (they run outside any
  request: an import that writes then reads must see its own writes), any read inside a
  transaction on the primary (``transaction.atomic``: it must see the writes made in it), and
  the models of logins and the admin (sessions, users and permissions, content types, the
  admin log, login-throttling records), which are read right after they are written.

The choice is held in a context variable: set when a request starts, cleared when its response
is closed (after the last chunk of a streamed response), so a thread of a threaded server
never carries one request's choice into the next, and code outside requests reads the primary.
"""

import random
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

# Models that are read right after they are written (a login, then the next page; a failed
# login, then the lockout check), whichever request reads them.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "contenttypes", "admin", "axes"})

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# The replica this request reads from; None: the primary.
_request_replica: ContextVar[str | None] = ContextVar("request_replica", default=None)


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


def reads_from_replica(request: HttpRequest) -> bool:
    """Whether this request may read from a replica: anonymous, read-only, outside the admin."""
    return (
        request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(reverse("admin:index"))
    )


def use_replica_for_this_request(request: HttpRequest) -> str | None:
    """Choose the database this request reads from; returns the replica's alias, or None."""
    replicas = replica_aliases()
    alias = random.choice(replicas) if replicas and reads_from_replica(request) else None
    _request_replica.set(alias)
    return alias


def forget_request_replica(**kwargs: Any) -> None:
    _request_replica.set(None)


# Connected at import: the middleware imports this module when the handler loads.
request_finished.connect(forget_request_replica, dispatch_uid="cooperation.core.db_router.forget")


class ReplicaRoutingMiddleware:
    """Chooses, at the start of every request, whether it reads from a replica and which one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        use_replica_for_this_request(request)
        return self.get_response(request)


class PrimaryReplicaRouter:
    """Writes to the primary; reads to the request's replica where the rules above allow it."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        replica = _request_replica.get()
        if (
            replica is None
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return replica

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        """The primary and its replicas hold the same rows: a relation between them is fine."""
        pool = {DEFAULT_DB_ALIAS, *replica_aliases()}
        if obj1._state.db in pool and obj2._state.db in pool:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        """Migrations run on the primary; replicas receive the schema by replication."""
        if db in replica_aliases():
            return False
        return None
