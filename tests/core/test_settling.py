"""A server process settles after its first requests (cooperation/core/settling.py): what they
loaded is collected and frozen, so Python's later full collections skip it; and it collects the
cycles a request left once the request has finished."""

import gc
import threading
import weakref

import pytest
from django.core.signals import request_finished, request_started

from cooperation.core import settling

pytestmark = pytest.mark.django_db


@pytest.fixture
def settles(monkeypatch, settings):
    """The requests after which the process settled, counted from a fresh process's first."""
    settings.GC_SETTLE_AFTER_REQUESTS = (1, 3)
    settling.restart_count()
    seen, asked = [], []
    monkeypatch.setattr(settling, "settle", lambda: seen.append(asked[-1]))
    yield seen, asked
    settling.restart_count()


def test_a_process_settles_after_the_requests_it_is_told(client, settles):
    seen, asked = settles
    for path in ("/", "/partners/", "/meetings/", "/about/"):
        asked.append(path)
        assert client.get(path).status_code == 200
    # Settled when the first and the third request finished (their responses sent), and only then.
    assert seen == ["/", "/meetings/"]


def test_by_default_it_settles_three_times_in_its_first_hundred_requests(settings):
    del settings.GC_SETTLE_AFTER_REQUESTS
    assert settling.counts() == {1, 10, 100}


def test_a_settled_object_is_left_out_of_collections_until_unfrozen():
    class Held:
        pass

    held = Held()
    try:
        settling.settle()
        assert not any(found is held for found in gc.get_objects())
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert any(found is held for found in gc.get_objects())


def test_a_settled_process_collects_young_objects_less_often():
    gc.set_threshold(700, 10, 10)  # Python's own
    settling.settle()
    gc.unfreeze()
    assert gc.get_threshold() == (settling.YOUNG_THRESHOLD, 10, 10)


class Cycle:
    """An object that refers to itself, as a record and its prefetched relations do: only the
    collector frees it."""

    def __init__(self):
        self.itself = self


@pytest.fixture
def cycle_per_request():
    """A weak reference to a cycle each request makes (when it starts), the collector idle
    between explicit collections."""
    made = []

    def make(**kwargs):
        made.append(weakref.ref(Cycle()))

    request_started.connect(make, dispatch_uid="test_settling.cycle")
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield made
    finally:
        request_started.disconnect(dispatch_uid="test_settling.cycle")
        if was_enabled:
            gc.enable()


def test_the_cycles_a_request_left_are_freed_once_it_has_finished(client, settings, cycle_per_request):
    settings.GC_COLLECT_AFTER_REQUEST = True
    assert client.get("/about/").status_code == 200
    assert len(cycle_per_request) == 1
    assert cycle_per_request[0]() is None


def test_without_the_setting_they_wait_for_the_collector(client, settings, cycle_per_request):
    settings.GC_COLLECT_AFTER_REQUEST = False
    assert client.get("/about/").status_code == 200
    assert cycle_per_request[0]() is not None
    gc.collect()
    assert cycle_per_request[0]() is None


def test_while_another_request_runs_the_collection_waits_for_it(client, settings, cycle_per_request):
    """Collected then, the other request's live records would move to the oldest generation."""
    settings.GC_COLLECT_AFTER_REQUEST = True
    started, finish = threading.Event(), threading.Event()

    def other_request():
        request_started.send(sender=None)
        started.set()
        finish.wait(10)
        request_finished.send(sender=None)

    other = threading.Thread(target=other_request)
    other.start()
    try:
        assert started.wait(10)
        assert client.get("/about/").status_code == 200
        others, this = cycle_per_request
        assert this() is not None  # not collected: the other request was running
    finally:
        finish.set()
        other.join(10)
    assert this() is None and others() is None  # collected when the last of them finished
