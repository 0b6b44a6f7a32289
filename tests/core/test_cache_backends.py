"""The site keeps answering when its shared cache (Redis) does not: pages are computed from the
database, an outage is logged once rather than on every call, and a change saved while Redis was
away is not hidden by entries cached before it once Redis is back (cooperation/core/cache.py,
cooperation/core/cache_backends.py).

No Redis is needed: "unreachable" is a port nothing listens on, and a Redis that goes away and
comes back with its data is a stand-in for the backend's client. The last test runs a private
redis-server, stopped and resumed, when /usr/bin/redis-server exists (skipped otherwise).
"""

import logging
import re
import shutil
import signal
import socket
import subprocess
import time
from html import unescape

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from cooperation.core import cache, cache_backends
from cooperation.core.partial_dates import PartialDate as PD
from events.models import Meeting
from tests import factories as f
from tests.helpers.listing import facet

pytestmark = pytest.mark.django_db

BACKEND = "cooperation.core.cache_backends.ForgivingRedisCache"
QUICK = {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}


def redis_cache(location):
    return {"default": {"BACKEND": BACKEND, "LOCATION": location, "OPTIONS": QUICK}}


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch):
    """Each test starts with no outage known."""
    monkeypatch.setattr(cache_backends, "_health", {})


@pytest.fixture
def unreachable():
    """The cache is a Redis on a port nothing listens on: every call is refused at once."""
    with override_settings(CACHES=redis_cache("redis://127.0.0.1:1/0")):
        yield caches["default"]


class FlakyRedis:
    """Stands in for the backend's Redis client (Django's RedisCacheClient): keeps its entries
    in memory through an outage, like a Redis that comes back with its data, and raises
    ConnectionError on every call while ``down``."""

    def __init__(self):
        self.entries = LocMemCache("flaky-redis", {})
        self.down = False
        self.calls = 0

    def __getattr__(self, name):
        method = getattr(self.entries, name)

        def call(*args):
            self.calls += 1
            if self.down:
                raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
            return method(*args)

        return call


@pytest.fixture
def flaky():
    with override_settings(CACHES=redis_cache("redis://127.0.0.1:1/1")):
        backend = caches["default"]
        backend._cache = FlakyRedis()
        yield backend._cache


@pytest.fixture
def titled_meetings():
    """The meetings of tests/conftest.py's ``meetings``, with titles and IOM's name to find on the pages."""
    iom = f.PartnerFactory(slug="iom", acronym="IOM", name="International Organization for Migration")
    unhcr = f.PartnerFactory(slug="unhcr", acronym="UNHCR")
    for day in range(1, 4):
        f.MeetingFactory(partners=[iom], start=PD(2016, 5, day), kind="visit", title=f"Field visit {day}")
    f.MeetingFactory(partners=[unhcr], start=PD(2017), kind="summit", title="Summit on the Caspian route")
    return {"iom": iom, "unhcr": unhcr}


def text(response):
    assert response.status_code == 200
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def cache_warnings(caplog):
    """The cache's warnings, from the test's fixtures (which save records) and from the test."""
    records = caplog.get_records("setup") + caplog.records
    return [r for r in records if r.name == "cooperation.cache" and r.levelno == logging.WARNING]


# An empty cache that stores nothing -----------------------------------------------------------


def test_an_unreachable_redis_reads_as_an_empty_cache(unreachable, monkeypatch):
    monkeypatch.setattr(cache_backends.ForgivingRedisCache, "retry_after", 0)  # ask Redis every time

    assert unreachable.get("k") is None
    assert unreachable.get("k", "default") == "default"
    assert unreachable.get_many(["k", "l"]) == {}
    assert unreachable.add("k", 1) is False
    assert unreachable.set("k", 1) is None
    assert unreachable.set_many({"k": 1, "l": 2}) == ["k", "l"]  # the keys not stored
    assert unreachable.get_or_set("k", lambda: "computed") == "computed"
    assert unreachable.has_key("k") is False
    assert "k" not in unreachable
    assert unreachable.touch("k") is False
    assert unreachable.delete("k") is False
    assert unreachable.delete_many(["k", "l"]) is None
    assert unreachable.clear() is False
    with pytest.raises(ValueError):
        unreachable.incr("k")
    with pytest.raises(ValueError):
        unreachable.decr("k")


def test_port_1_refuses_at_once(unreachable):
    started = time.monotonic()
    assert unreachable.get("k", "default") == "default"
    assert time.monotonic() - started < 1


# What a visitor sees --------------------------------------------------------------------------


def test_every_public_page_answers_from_the_database_while_redis_is_unreachable(
    client, unreachable, titled_meetings, caplog
):

    home = text(client.get("/"))
    assert "Summit on the Caspian route" in home  # the newest meetings

    response = client.get("/meetings/?kind=visit")
    listed = text(response)
    assert response.context["result_count"] == 3
    assert "3 meetings" in listed
    assert "Field visit 1" in listed and "Summit on the Caspian route" not in listed
    facets = {item.name: {o.value: o.count for o in item.visible_options} for item in response.context["facets"]}
    assert facets["partner"] == {"iom": 3}

    summit = Meeting.objects.get(kind="summit")
    assert "Summit on the Caspian route" in text(client.get(summit.get_absolute_url()))
    assert "International Organization for Migration" in text(client.get("/partners/iom/"))

    found = text(client.get("/search/", {"q": "caspian"}))
    assert "Summit on the Caspian route" in found and "Field visit" not in found

    # A saved change shows at once: nothing cached hides it.
    f.MeetingFactory(partners=[titled_meetings["iom"]], start=PD(2018), kind="visit", title="A later visit")
    titled_meetings["iom"].name = "International Organization for Migration (renamed)"
    titled_meetings["iom"].save()

    assert "4 meetings" in text(client.get("/meetings/?kind=visit"))
    partner = text(client.get("/partners/iom/"))
    assert "International Organization for Migration (renamed)" in partner
    assert "A later visit" in partner

    # The outage is logged once, not once per cache call (Redis is left alone for a while).
    [warning] = cache_warnings(caplog)
    assert "The cache (Redis) is unreachable" in warning.getMessage()
    assert "Connection refused" in warning.getMessage()


def test_a_list_reads_its_maps_places_once_while_redis_is_unreachable(client, unreachable, titled_meetings):
    """The place facet and the map show the same places: read once for both, as when Redis answers."""
    baku = f.PlaceFactory(slug="baku", name="Baku")
    Meeting.objects.filter(kind="visit").update(location=baku)
    cache.data_changed()

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/meetings/?kind=visit")

    listed = text(response)
    assert "Baku Azerbaijan 3 meetings (2016–)" in listed  # the map's list of places
    assert facet(response, "place") == {"baku": 3}
    places_read = [query for query in queries if "grouped INNER JOIN" in query["sql"]]
    assert len(places_read) == 1


def test_a_stuck_redis_costs_one_call_now_and_then_not_one_per_cache_call(client, flaky, titled_meetings):
    flaky.down, flaky.calls = True, 0

    assert "3 meetings" in text(client.get("/meetings/?kind=visit"))
    assert "Field visit 1" in text(client.get("/"))

    # Many cache calls were made; Redis was asked once, then left alone for retry_after seconds.
    assert flaky.calls == 1


def test_an_outage_is_logged_when_it_starts_at_most_once_a_minute_and_when_it_ends(flaky, monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger="cooperation.cache")
    monkeypatch.setattr(cache_backends.ForgivingRedisCache, "retry_after", 0)
    backend = caches["default"]
    flaky.down = True

    for _ in range(50):
        backend.get("k")
    assert flaky.calls == 50
    assert len(cache_warnings(caplog)) == 1

    backend._health.logged_at -= 61  # a minute later
    backend.get("k")
    backend.get("k")
    warnings = cache_warnings(caplog)
    assert len(warnings) == 2
    assert "still unreachable" in warnings[1].getMessage()
    assert "51 failed calls" in warnings[1].getMessage()

    flaky.down = False
    backend.set("k", "v")
    assert backend.get("k") == "v"
    answered = [r for r in caplog.records if r.name == "cooperation.cache" and r.levelno == logging.INFO]
    assert len(answered) == 1
    assert "answers again" in answered[0].getMessage()
    assert len(cache_warnings(caplog)) == 2


# The data version across an outage ------------------------------------------------------------


def test_a_change_saved_while_redis_was_away_shows_once_it_answers_again(client, flaky, titled_meetings, monkeypatch):
    monkeypatch.setattr(cache_backends.ForgivingRedisCache, "retry_after", 0)
    assert "3 meetings" in text(client.get("/meetings/?kind=visit"))
    assert "3 meetings" in text(client.get("/meetings/?kind=visit"))  # now from the cache
    cached_version = cache.data_version()

    flaky.down = True  # Redis goes away, with its entries, while a meeting is added
    f.MeetingFactory(partners=[titled_meetings["iom"]], start=PD(2018), kind="visit", title="A later visit")
    assert "4 meetings" in text(client.get("/meetings/?kind=visit"))
    flaky.down = False  # and comes back with the entries cached under the old version

    listed = text(client.get("/meetings/?kind=visit"))
    assert "4 meetings" in listed and "A later visit" in listed
    assert cache.data_version() != cached_version


def test_a_change_is_kept_whatever_redis_does_because_the_version_is_not_in_it(client, flaky, titled_meetings):
    """A change made by a process that exits while Redis is away (a management command, a worker
    that is recycled) is not forgotten: its new data version is in the database."""
    assert "3 meetings" in text(client.get("/meetings/?kind=visit"))  # cached under the version
    before = cache.data_version()

    flaky.down = True
    Meeting.objects.filter(kind="visit").update(title="Renamed")  # as a command would, then exit
    cache.data_changed()
    flaky.down = False

    assert cache.data_version() != before
    assert not [key for key in flaky.entries._cache if "version" in key]
    assert "Renamed" in text(client.get("/meetings/?kind=visit"))


# A real Redis, stopped and resumed ------------------------------------------------------------


@pytest.fixture
def private_redis():
    """A redis-server of this test's own on a free loopback port, keeping nothing on disk."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not shutil.which(binary):
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=0.2, socket_timeout=0.5)
    try:
        for _ in range(50):
            try:
                client.ping()
                break
            except redis.RedisError:
                time.sleep(0.1)
        else:
            pytest.skip(f"redis-server did not answer on port {port}")
        yield server, url
    finally:
        server.send_signal(signal.SIGCONT)
        server.terminate()
        server.wait(timeout=10)
        client.close()


def test_a_real_redis_that_stops_answering_and_resumes(client, private_redis, titled_meetings, caplog):
    server, url = private_redis
    with override_settings(CACHES=redis_cache(url)):
        assert "3 meetings" in text(client.get("/meetings/?kind=visit"))

        server.send_signal(signal.SIGSTOP)  # stuck: connections wait, then time out
        try:
            f.MeetingFactory(partners=[titled_meetings["iom"]], start=PD(2018), kind="visit", title="A later visit")
            assert "4 meetings" in text(client.get("/meetings/?kind=visit"))
        finally:
            server.send_signal(signal.SIGCONT)
        caches["default"]._health.retry_at = 0  # retry_after seconds later

        listed = text(client.get("/meetings/?kind=visit"))
        assert "4 meetings" in listed and "A later visit" in listed
        caches["default"].clear()
    assert any("Timeout" in w.getMessage() for w in cache_warnings(caplog))
