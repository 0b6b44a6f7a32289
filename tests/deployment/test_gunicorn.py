"""gunicorn's configuration (``gunicorn.conf.py``, docs/deployment.md), and a real gunicorn answering
on a free port with production settings."""

import gc
import os
import re
import urllib.error
import urllib.request
from types import SimpleNamespace

import pytest

from tests.helpers.gunicorn import Gunicorn, fetch
from tests.helpers.settings import production_env

# gunicorn.conf.py -----------------------------------------------------------------------------


def test_gunicorn_conf_names_only_settings_gunicorn_knows(load_gunicorn_conf):
    # Gunicorn ignores a name it does not know: a misspelt setting would be silently lost.
    from gunicorn.config import Config

    known = set(Config().settings)
    loaded = load_gunicorn_conf()
    names = {name for name, value in loaded.items() if name.islower() and not callable(value) and name != "os"}

    assert names - known == set()
    assert {"bind", "workers", "threads", "worker_class", "preload_app", "forwarded_allow_ips"} <= names


def test_gunicorn_defaults_suit_one_machine_and_long_exports(load_gunicorn_conf):
    loaded = load_gunicorn_conf()
    cores = len(os.sched_getaffinity(0))

    assert loaded["bind"] == ["127.0.0.1:8000"]
    assert loaded["worker_class"] == "gthread"
    assert loaded["workers"] == min(2 * cores + 1, 8)
    assert loaded["threads"] == 4
    assert (loaded["timeout"], loaded["graceful_timeout"]) == (30, 300)
    assert (loaded["max_requests"], loaded["max_requests_jitter"]) == (1000, 100)
    assert loaded["preload_app"] is True
    assert loaded["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert loaded["wsgi_app"] == "cooperation.wsgi:application"


def test_gunicorn_workers_freeze_what_the_app_loaded(load_gunicorn_conf):
    """The garbage collector leaves the loaded app's objects alone in a worker (and, preloaded,
    in the master before it forks): a full collection through them cost a request 50-60 ms."""
    loaded = load_gunicorn_conf()
    server = SimpleNamespace(cfg=SimpleNamespace(preload_app=True))
    try:
        gc.unfreeze()
        loaded["pre_fork"](server, None)
        frozen_by_master = gc.get_freeze_count()
        gc.unfreeze()
        loaded["post_worker_init"](SimpleNamespace(cfg=server.cfg))
        frozen_by_worker = gc.get_freeze_count()
    finally:
        gc.unfreeze()

    assert frozen_by_master > 10_000
    assert frozen_by_worker > 10_000


def test_gunicorn_settings_come_from_the_environment(load_gunicorn_conf):
    loaded = load_gunicorn_conf(
        GUNICORN_BIND="0.0.0.0:8000, unix:/run/registry/gunicorn.sock",
        GUNICORN_WORKERS="3",
        GUNICORN_THREADS="8",
        GUNICORN_MAX_REQUESTS="0",
        GUNICORN_PRELOAD="off",
        FORWARDED_ALLOW_IPS="10.0.0.2",
    )

    assert loaded["bind"] == ["0.0.0.0:8000", "unix:/run/registry/gunicorn.sock"]
    assert (loaded["workers"], loaded["threads"]) == (3, 8)
    assert (loaded["max_requests"], loaded["max_requests_jitter"]) == (0, 0)
    assert loaded["preload_app"] is False
    assert loaded["forwarded_allow_ips"] == "10.0.0.2"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("GUNICORN_WORKERS", "0", "GUNICORN_WORKERS must be a whole number of at least 1; got '0'."),
        ("GUNICORN_THREADS", "many", "GUNICORN_THREADS must be a whole number of at least 1; got 'many'."),
        ("GUNICORN_PRELOAD", "perhaps", "GUNICORN_PRELOAD must be one of 1/0, true/false, yes/no, on/off"),
    ],
)
def test_gunicorn_settings_that_mean_nothing_stop_the_start(load_gunicorn_conf, name, value, message):
    with pytest.raises(SystemExit, match=re.escape(message)):
        load_gunicorn_conf(**{name: value})


# A running gunicorn ---------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_gunicorn_serves_the_site_with_production_settings(tmp_path):
    server = Gunicorn(
        production_env(
            ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=f"sqlite:///{tmp_path / 'registry.sqlite3'}",
            GUNICORN_BIND="127.0.0.1:0",  # any free port: gunicorn says which
            GUNICORN_WORKERS="2",
            GUNICORN_THREADS="2",
        )
    )
    try:
        listening = server.wait_for(r"Listening at: http://127\.0\.0\.1:(\d+)")
        assert listening, server.read(0)
        base = f"http://127.0.0.1:{listening.group(1)}"

        status, headers, body = fetch(f"{base}/healthz")
        opener = urllib.request.build_opener(NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirected:
            opener.open(f"{base}/partners/", timeout=30)
        server.wait_for(r'"GET /partners/ HTTP/1\.1" 301')
    finally:
        server.stop()
    output = server.read(0)

    assert (status, body) == (200, "ok\n")
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    # Production settings: plain HTTP is sent to HTTPS, except the health check above.
    assert redirected.value.code == 301
    assert redirected.value.headers["Location"] == f"https://127.0.0.1:{listening.group(1)}/partners/"
    assert "Using worker: gthread" in output
    assert "REDIS_URL is not set: each of the 2 workers caches in its own memory" in output
    assert re.search(
        r'203\.0\.113\.7 127\.0\.0\.1 \[[^]]+\] "GET /healthz HTTP/1\.1" 200 3 \d+ms "-" "probe/1\.0"', output
    )
