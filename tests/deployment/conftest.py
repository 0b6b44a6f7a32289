"""Evaluating ``cooperation/settings.py`` and ``gunicorn.conf.py`` under a given environment, as a
server starting them would (``runpy``), which leaves the settings of this test run untouched."""

import runpy

import pytest

from tests.helpers.settings import GUNICORN_CONF, SETTINGS_FILE, production_env, run_manage

# Variables the settings module and gunicorn.conf.py read; each test starts without any of them.
VARIABLES = [
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "DATABASE_REPLICA_URLS",
    "CONN_MAX_AGE",
    "REDIS_URL",
    "CACHE_KEY_PREFIX",
    "CACHE_VERSION",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "GUNICORN_BIND",
    "GUNICORN_WORKERS",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_GRACEFUL_TIMEOUT",
    "GUNICORN_MAX_REQUESTS",
    "GUNICORN_PRELOAD",
    "GUNICORN_LOG_LEVEL",
    "FORWARDED_ALLOW_IPS",
]


@pytest.fixture
def clean_env(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def load_settings(clean_env):
    """Return a function that evaluates the settings module under the given environment."""

    def load(**env):
        for name, value in env.items():
            clean_env.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return load


@pytest.fixture
def load_gunicorn_conf(clean_env):
    """Return a function that evaluates gunicorn.conf.py under the given environment."""

    def load(**env):
        for name, value in env.items():
            clean_env.setenv(name, value)
        loaded = runpy.run_path(str(GUNICORN_CONF))
        return {name: value for name, value in loaded.items() if not name.startswith("_")}

    return load


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """``collectstatic`` with production settings into a new STATIC_ROOT (once a test process: it
    takes a while)."""
    static_root = tmp_path_factory.mktemp("static")
    env = production_env(ALLOWED_HOSTS="registry.example.org", STATIC_ROOT=str(static_root))
    result = run_manage("collectstatic", "--noinput", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return static_root, env
