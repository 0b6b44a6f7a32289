"""The shared cache (docs/deployment.md): each process's own memory without ``REDIS_URL``, Redis with
it, and a round trip through a running Redis (skipped when none answers at ``TEST_REDIS_URL``).
Surviving a Redis that goes away is tested in tests/core/test_cache_backends.py."""

import os
import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings

from tests.helpers.settings import real_key

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_without_redis_each_process_caches_in_its_own_memory(load_settings):
    cache = load_settings(DEBUG="0", SECRET_KEY=real_key())["CACHES"]["default"]

    assert cache == {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
        "KEY_PREFIX": "registry",
        "VERSION": 1,
    }
    assert load_settings(DEBUG="1", CACHE_MAX_ENTRIES="20000")["CACHES"]["default"]["OPTIONS"] == {"MAX_ENTRIES": 20000}
    with pytest.raises(Exception, match="CACHE_MAX_ENTRIES must be a whole number of at least 100"):
        load_settings(DEBUG="1", CACHE_MAX_ENTRIES="10")


def test_redis_url_selects_the_shared_redis_cache(load_settings):
    cache = load_settings(
        DEBUG="0",
        SECRET_KEY=real_key(),
        REDIS_URL="redis://cache.example.org:6379/2",
        CACHE_KEY_PREFIX="registry-md",
        CACHE_VERSION="7",
    )["CACHES"]["default"]

    assert cache == {
        "BACKEND": "cooperation.core.cache_backends.ForgivingRedisCache",
        "LOCATION": "redis://cache.example.org:6379/2",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        "KEY_PREFIX": "registry-md",
        "VERSION": 7,
    }


def test_redis_url_is_not_kept_as_a_setting(load_settings):
    # It may hold a password; Django's error pages show every setting.
    loaded = load_settings(DEBUG="1", REDIS_URL="redis://:secret@cache.example.org:6379/0")

    assert "REDIS_URL" not in loaded


def test_a_redis_url_of_another_scheme_is_refused_without_showing_it(load_settings):
    with pytest.raises(Exception, match="REDIS_URL must start with redis://") as error:
        load_settings(DEBUG="1", REDIS_URL="http://:secret@cache.example.org:6379/0")

    assert "got one starting 'http'" in str(error.value)
    assert "secret" not in str(error.value)


@pytest.mark.parametrize("value", ["0", "latest"])
def test_a_cache_version_that_is_not_a_positive_number_is_refused(load_settings, value):
    with pytest.raises(Exception, match="CACHE_VERSION must be a whole number of at least 1"):
        load_settings(DEBUG="1", CACHE_VERSION=value)


@pytest.fixture
def redis_server():
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {TEST_REDIS_URL} ({error}): start redis-server, or set TEST_REDIS_URL")
    yield client
    client.close()


def test_the_redis_cache_round_trips_through_the_server(load_settings, redis_server):
    prefix = f"registry-test-{uuid.uuid4().hex}"
    loaded = load_settings(DEBUG="1", REDIS_URL=TEST_REDIS_URL, CACHE_KEY_PREFIX=prefix, CACHE_VERSION="3")

    with override_settings(CACHES=loaded["CACHES"]):
        cache = caches["default"]
        try:
            cache.set("facets", {"topic": {"asylum": 12}}, timeout=60)

            assert cache.get("facets") == {"topic": {"asylum": 12}}
            # In Redis itself, under the prefix and version: another app server reads the same.
            assert redis_server.exists(f"{prefix}:3:facets") == 1
            assert 0 < redis_server.ttl(f"{prefix}:3:facets") <= 60
            assert cache.get("facets", version=4) is None
        finally:
            cache.delete("facets")
            cache.close()

    assert redis_server.exists(f"{prefix}:3:facets") == 0
