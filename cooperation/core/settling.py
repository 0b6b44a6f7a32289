"""Keeping Python's full garbage collections short in a server process.

A full collection goes through every object the process holds that can be in a reference cycle.
gunicorn's workers freeze what the app holds once it is loaded (``gc.freeze()``, gunicorn.conf.py),
so the collector skips it. But a worker goes on loading for its first requests: the templates
each page type compiles on first use, the modules imported inside functions, Babel's locale
data, a map's country shapes. At the benchmark's size, after eight page types, some 75,000 such
objects made each full collection 21-40 ms, added to the request it fell in (one cold request of
a projects list in six to sixteen).

So a process settles (collects, then freezes what survives) after its requests number
:data:`SETTLE_AFTER` (the setting ``GC_SETTLE_AFTER_REQUESTS``), when a request has finished,
its response sent. A frozen object is still freed when nothing refers to it; what the collector
no longer finds is a cycle that becomes garbage after it was frozen: the request objects in
flight in the worker's other threads at those few moments.
"""

import gc
import threading
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.signals import request_finished

_lock = threading.Lock()
_finished = 0


def settle() -> None:
    """Collect, then leave every object that is left out of later collections."""
    gc.collect()
    gc.freeze()


SETTLE_AFTER = (1, 10, 100)  # finished requests (the setting GC_SETTLE_AFTER_REQUESTS; () never)


def counts() -> frozenset[int]:
    """After how many finished requests the process settles."""
    found: Iterable[int] = getattr(settings, "GC_SETTLE_AFTER_REQUESTS", SETTLE_AFTER)
    return frozenset(found)


def _request_finished(**kwargs: Any) -> None:
    global _finished
    with _lock:
        _finished += 1
        due = _finished in counts()
    if due:
        settle()


def connect_signals() -> None:
    request_finished.connect(_request_finished, dispatch_uid="cooperation.core.settling")


def restart_count() -> None:
    """Count requests from 0 again (a test's fresh process)."""
    global _finished
    with _lock:
        _finished = 0
