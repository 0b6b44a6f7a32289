"""Python's garbage collections in a server process: short, and after a response rather than in it.

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

And a request leaves cycles behind: records and their prefetched relations refer to each other,
and nothing but the collector frees them. Left to the collector's own rhythm, it went through a
request's live records several times while the request ran (a young collection every 700 new
objects, six in a cold request of the busiest partner's page; a middle one in every other, 2-3 ms),
and what was alive then was moved to the oldest generation, whose full collections freed it,
4-13 ms in one request in twenty. So a settled process collects less often while a request runs
(:data:`YOUNG_THRESHOLD` new objects, not 700), and collects the young and middle generations once
a request has finished, its response sent, when no other request is running in the process (the
setting ``GC_COLLECT_AFTER_REQUEST``): the request's cycles are garbage by then, and few live
objects are left to go through. While another thread's request runs, its live records would be
moved to the oldest generation: the collection waits for the last of them to finish, and under
continuous load the higher threshold alone applies (docs/performance.md, thirty-third round).
The generations are CPython's up to 3.13 (this project runs 3.11); 3.14's collector is incremental.
"""

import gc
import threading
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.signals import request_finished, request_started

_lock = threading.Lock()
_finished = 0
_running: set[int] = set()  # the threads whose request has started and not finished


# New objects between young collections in a settled process (Python's default is 700): at the
# benchmark's size a cold request of the busiest partner's page leaves about 4,000 more than it
# freed, the lists 1,200-9,600 (a topic's projects), so most requests run without a collection.
YOUNG_THRESHOLD = 20_000


def settle() -> None:
    """Collect, then leave every object that is left out of later collections; from then on,
    collect young objects after every :data:`YOUNG_THRESHOLD` new ones."""
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, oldest)


SETTLE_AFTER = (1, 10, 100)  # finished requests (the setting GC_SETTLE_AFTER_REQUESTS; () never)


def counts() -> frozenset[int]:
    """After how many finished requests the process settles."""
    found: Iterable[int] = getattr(settings, "GC_SETTLE_AFTER_REQUESTS", SETTLE_AFTER)
    return frozenset(found)


def _request_started(**kwargs: Any) -> None:
    with _lock:
        _running.add(threading.get_ident())


def _request_finished(**kwargs: Any) -> None:
    global _finished
    with _lock:
        _finished += 1
        due = _finished in counts()
        # A thread's request that never said it finished is forgotten at its thread's next one.
        _running.discard(threading.get_ident())
        alone = not _running
    if due:
        settle()
    elif alone and getattr(settings, "GC_COLLECT_AFTER_REQUEST", True):
        gc.collect(1)  # the young and middle generations: the cycles the request left


def connect_signals() -> None:
    request_started.connect(_request_started, dispatch_uid="cooperation.core.settling")
    request_finished.connect(_request_finished, dispatch_uid="cooperation.core.settling")


def restart_count() -> None:
    """Count requests from 0 again (a test's fresh process)."""
    global _finished
    with _lock:
        _finished = 0
        _running.clear()
