"""A server process settles after its first requests (cooperation/core/settling.py): what they
loaded is collected and frozen, so Python's later full collections skip it."""

import gc

import pytest

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
