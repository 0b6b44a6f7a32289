"""The settings module is driven by the environment, and production refuses unsafe settings.

Starting Django is tested in a subprocess with a cleaned environment, the way a server starts
it; what a variable does to one setting is tested by running ``cooperation/settings.py`` with
that environment (``runpy``), which leaves the settings of this test run untouched.
"""

import os
import runpy
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = settings.BASE_DIR
SETTINGS_FILE = BASE_DIR / "cooperation" / "settings.py"

# Variables the settings module reads; each test starts without any of them.
SETTINGS_VARIABLES = [
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "CONN_MAX_AGE",
    "REGISTRY_SITE_NAME",
    "REGISTRY_HOST_COUNTRY",
    "ADMIN_PATH",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER_ENABLED",
    "LOG_LEVEL",
]


def manage(*args, **env):
    """Run ``manage.py`` as a server would: only PATH and the given variables in the environment."""
    clean_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONDONTWRITEBYTECODE": "1", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def load_settings(monkeypatch):
    """Return a function that evaluates the settings module under the given environment."""
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def load(**env):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return load


def real_key():
    return secrets.token_urlsafe(50)


# Starting the process -------------------------------------------------------------------


def test_production_without_secret_key_refuses_to_start():
    result = manage("check", DEBUG="0")

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set." in result.stderr


def test_debug_off_is_the_default_so_a_missing_secret_key_is_refused():
    result = manage("check")

    assert result.returncode != 0
    assert "SECRET_KEY is not set." in result.stderr


def test_production_with_a_real_key_passes_the_deployment_checks():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=real_key(),
        ALLOWED_HOSTS="registry.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert result.stderr == ""


def test_development_starts_without_a_secret_key():
    result = manage("check", DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


# One variable, one setting -------------------------------------------------------------


def test_secret_key_missing_in_production_is_refused(load_settings):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is not set"):
        load_settings(DEBUG="0")


@pytest.mark.parametrize(
    "key",
    [
        "short-key",
        "a" * 60,
        "development-only-insecure-key-do-not-use-in-production",
    ],
)
def test_secret_key_too_weak_for_production_is_refused(load_settings, key):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is too weak"):
        load_settings(DEBUG="0", SECRET_KEY=key)


def test_secret_key_in_development_falls_back_to_the_marked_development_key(load_settings):
    loaded = load_settings(DEBUG="1")

    assert loaded["SECRET_KEY"] == loaded["DEVELOPMENT_SECRET_KEY"]
    assert "insecure" in loaded["SECRET_KEY"]


def test_secret_key_comes_from_the_environment(load_settings):
    key = real_key()

    assert load_settings(DEBUG="0", SECRET_KEY=key)["SECRET_KEY"] == key


def test_debug_accepts_the_usual_spellings(load_settings):
    assert load_settings(DEBUG="true")["DEBUG"] is True
    assert load_settings(DEBUG="yes")["DEBUG"] is True
    assert load_settings(DEBUG="off", SECRET_KEY=real_key())["DEBUG"] is False


def test_debug_with_an_unclear_value_is_refused(load_settings):
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be one of"):
        load_settings(DEBUG="maybe")


def test_allowed_hosts_and_trusted_origins_are_comma_separated(load_settings):
    loaded = load_settings(
        DEBUG="0",
        SECRET_KEY=real_key(),
        ALLOWED_HOSTS="registry.example.org, www.registry.example.org",
        CSRF_TRUSTED_ORIGINS="https://registry.example.org",
    )

    assert loaded["ALLOWED_HOSTS"] == ["registry.example.org", "www.registry.example.org"]
    assert loaded["CSRF_TRUSTED_ORIGINS"] == ["https://registry.example.org"]


def test_allowed_hosts_default_to_local_in_development_and_to_nothing_in_production(load_settings):
    assert load_settings(DEBUG="1")["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]
    assert load_settings(DEBUG="0", SECRET_KEY=real_key())["ALLOWED_HOSTS"] == []


def test_production_is_https_only(load_settings):
    loaded = load_settings(DEBUG="0", SECRET_KEY=real_key())

    assert loaded["SECURE_SSL_REDIRECT"] is True
    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["CSRF_COOKIE_SECURE"] is True
    assert loaded["SECURE_HSTS_SECONDS"] == 31536000
    assert "SECURE_PROXY_SSL_HEADER" not in loaded


def test_secure_switches_come_from_the_environment(load_settings):
    loaded = load_settings(
        DEBUG="0",
        SECRET_KEY=real_key(),
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="3600",
        SECURE_PROXY_SSL_HEADER_ENABLED="1",
    )

    assert loaded["SECURE_SSL_REDIRECT"] is False
    assert loaded["SECURE_HSTS_SECONDS"] == 3600
    assert loaded["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_database_defaults_to_sqlite_in_the_project(load_settings):
    database = load_settings(DEBUG="1")["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(BASE_DIR / "db.sqlite3")


def test_database_url_selects_postgresql(load_settings):
    database = load_settings(
        DEBUG="1", DATABASE_URL="postgres://registry:secret@db.example.org:5433/registry", CONN_MAX_AGE="0"
    )["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == ("registry", "registry", "secret")
    assert (database["HOST"], database["PORT"]) == ("db.example.org", 5433)
    assert database["CONN_MAX_AGE"] == 0


def test_database_url_selects_the_backend_of_a_starting_process():
    code = "import django; django.setup(); from django.db import connection; print(connection.vendor)"
    env = {"DJANGO_SETTINGS_MODULE": "cooperation.settings", "DEBUG": "1"}

    with_postgres = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={"PATH": os.environ.get("PATH", ""), **env, "DATABASE_URL": "postgres://registry@localhost:5432/registry"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    without = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert with_postgres.stdout.strip() == "postgresql", with_postgres.stderr
    assert without.stdout.strip() == "sqlite", without.stderr


def test_site_name_and_host_country_come_from_the_environment(load_settings):
    loaded = load_settings(DEBUG="1", REGISTRY_SITE_NAME="Registro de Cooperación", REGISTRY_HOST_COUNTRY="md")

    assert loaded["SITE_NAME"] == "Registro de Cooperación"
    assert loaded["HOST_COUNTRY"] == "MD"


def test_site_name_and_host_country_have_defaults(load_settings):
    loaded = load_settings(DEBUG="1")

    assert loaded["SITE_NAME"] == "Migration Cooperation Registry"
    assert loaded["HOST_COUNTRY"] == "AZ"


@pytest.mark.parametrize("country", ["AZE", "A1", "Azerbaijan", "ZZ", ""])
def test_host_country_that_is_not_an_iso_code_is_refused(load_settings, country):
    with pytest.raises(ImproperlyConfigured, match="REGISTRY_HOST_COUNTRY must be an ISO 3166-1 alpha-2"):
        load_settings(DEBUG="1", REGISTRY_HOST_COUNTRY=country)


def test_host_country_that_is_not_an_iso_code_stops_the_process():
    result = manage("check", DEBUG="1", REGISTRY_HOST_COUNTRY="XX")

    assert result.returncode != 0
    assert "REGISTRY_HOST_COUNTRY must be an ISO 3166-1 alpha-2 country code such as AZ; got 'XX'." in result.stderr


def test_admin_path_comes_from_the_environment():
    code = "import django; django.setup(); from django.urls import reverse; print(reverse('admin:index'))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "cooperation.settings",
            "DEBUG": "1",
            "ADMIN_PATH": "/staff-only/",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip() == "/staff-only/", result.stderr
