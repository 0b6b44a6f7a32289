"""The settings module is driven by the environment, and production refuses unsafe settings.

Starting Django is tested in a subprocess with a cleaned environment, the way a server starts
it; what a variable does to one setting is tested by running ``cooperation/settings.py`` with
that environment (``runpy``), which leaves the settings of this test run untouched.
"""

import importlib.util
import os
import runpy
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tests.factories import StaffUserFactory
from tests.helpers.settings import BASE_DIR, SETTINGS_FILE, real_key

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
    "REGISTRY_AGENCY_NAME",
    "REGISTRY_CONTACT_EMAIL",
    "REGISTRY_DATA_LICENCE",
    "REGISTRY_DATA_LICENCE_URL",
    "ADMIN_PATH",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER_ENABLED",
    "LOG_LEVEL",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES",
    "TRUSTED_PROXY_COUNT",
    "SESSION_COOKIE_AGE",
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


# Development tools ------------------------------------------------------------------------


def test_development_tools_are_installed_where_factory_boy_and_faker_are(load_settings):
    # This test run has the development requirements (requirements-dev.txt).
    assert "cooperation.devtools" in load_settings(DEBUG="1")["INSTALLED_APPS"]


@pytest.mark.parametrize("missing", ["factory", "faker"])
def test_without_factory_boy_or_faker_there_are_no_development_tools(load_settings, monkeypatch, missing):
    # Production installs requirements.txt only: no generate_demo_data, benchmark, measure_* there.
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: None if name == missing else find_spec(name))

    assert "cooperation.devtools" not in load_settings(DEBUG="0", SECRET_KEY=real_key())["INSTALLED_APPS"]


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


# Security headers and login throttling -------------------------------------------------------
# What the settings put on every response: a public page, an API response, a 404, the admin's
# login page and a static file (answered by WhiteNoise before most middleware), over HTTPS.

HEADER_PAGES = ["/partners/", "/api/partners/", "/no-such-page/", "/admin/login/", "/static/css/site.css"]


def csp_directives(header):
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("path", HEADER_PAGES)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path, secure=True)

    assert response.status_code == (404 if path == "/no-such-page/" else 200)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["Permissions-Policy"].startswith("accelerometer=(), camera=(), geolocation=()")
    directives = csp_directives(response["Content-Security-Policy"])
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]


@pytest.mark.django_db
def test_the_api_docs_page_keeps_the_site_wide_opener_policy(client):
    response = client.get("/api/docs/", secure=True)

    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_only_the_admin_may_use_inline_style_attributes_and_no_page_inline_scripts(client):
    public = csp_directives(client.get("/partners/")["Content-Security-Policy"])
    admin = csp_directives(client.get("/admin/login/")["Content-Security-Policy"])

    assert "style-src-attr" not in public
    assert admin["style-src-attr"] == ["'unsafe-inline'"]
    for directives in (public, admin):
        assert "'unsafe-inline'" not in directives["script-src"] + directives["style-src"]
        assert "'unsafe-eval'" not in directives["script-src"]


@pytest.mark.django_db
def test_production_cookies_are_secure_and_the_session_cookie_http_only(client):
    StaffUserFactory(username="editor", password="correct horse battery staple")

    response = client.post(
        "/admin/login/", {"username": "editor", "password": "correct horse battery staple"}, secure=True
    )

    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert (session["secure"], session["httponly"]) == (True, True)
    assert response.cookies[settings.CSRF_COOKIE_NAME]["secure"] is True


def test_plain_http_is_redirected_to_https_in_production():
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/partners/', HTTP_HOST='registry.example.org'); print(r.status_code, r['Location'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "cooperation.settings",
            "SECRET_KEY": real_key(),
            "ALLOWED_HOSTS": "registry.example.org",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip() == "301 https://registry.example.org/partners/", result.stderr


def test_login_throttling_defaults_to_five_failures_and_fifteen_minutes(load_settings):
    loaded = load_settings(DEBUG="0", SECRET_KEY=real_key())

    assert loaded["AXES_FAILURE_LIMIT"] == 5
    assert loaded["AXES_COOLOFF_TIME"] == timedelta(minutes=15)
    assert loaded["AXES_LOCKOUT_PARAMETERS"] == [["username", "ip_address"]]
    assert loaded["TRUSTED_PROXY_COUNT"] == 0
    assert loaded["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"
    assert loaded["MIDDLEWARE"][-1] == "axes.middleware.AxesMiddleware"


def test_login_throttling_comes_from_the_environment(load_settings):
    loaded = load_settings(
        DEBUG="0", SECRET_KEY=real_key(), AXES_FAILURE_LIMIT="10", AXES_COOLOFF_MINUTES="60", TRUSTED_PROXY_COUNT="1"
    )

    assert loaded["AXES_FAILURE_LIMIT"] == 10
    assert loaded["AXES_COOLOFF_TIME"] == timedelta(hours=1)
    assert loaded["TRUSTED_PROXY_COUNT"] == 1


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("AXES_FAILURE_LIMIT", "0", "AXES_FAILURE_LIMIT must be a whole number of at least 1; got '0'."),
        ("AXES_FAILURE_LIMIT", "five", "AXES_FAILURE_LIMIT must be a whole number of at least 1; got 'five'."),
        ("AXES_COOLOFF_MINUTES", "-5", "AXES_COOLOFF_MINUTES must be a whole number of at least 1; got '-5'."),
        ("AXES_COOLOFF_MINUTES", "1.5", "AXES_COOLOFF_MINUTES must be a whole number of at least 1; got '1.5'."),
        ("TRUSTED_PROXY_COUNT", "-1", "TRUSTED_PROXY_COUNT must be a whole number of at least 0; got '-1'."),
        ("SECURE_HSTS_SECONDS", "a year", "SECURE_HSTS_SECONDS must be a whole number of at least 0; got 'a year'."),
    ],
)
def test_a_security_number_that_is_not_one_is_refused(load_settings, variable, value, message):
    with pytest.raises(ImproperlyConfigured) as refused:
        load_settings(DEBUG="0", SECRET_KEY=real_key(), **{variable: value})

    assert str(refused.value) == message


def test_the_session_length_comes_from_the_environment(load_settings):
    assert load_settings(DEBUG="1")["SESSION_COOKIE_AGE"] == 8 * 60 * 60
    assert load_settings(DEBUG="1", SESSION_COOKIE_AGE="1800")["SESSION_COOKIE_AGE"] == 1800
    with pytest.raises(ImproperlyConfigured, match="SESSION_COOKIE_AGE must be a whole number of at least 60; got '0'"):
        load_settings(DEBUG="1", SESSION_COOKIE_AGE="0")


def test_agency_contact_and_licence_come_from_the_environment_and_default_to_not_stated(load_settings):
    loaded = load_settings(
        DEBUG="1",
        REGISTRY_AGENCY_NAME="State Migration Service",
        REGISTRY_CONTACT_EMAIL="registry@example.org",
        REGISTRY_DATA_LICENCE="CC BY 4.0",
        REGISTRY_DATA_LICENCE_URL="https://creativecommons.org/licenses/by/4.0/",
    )

    assert (loaded["AGENCY_NAME"], loaded["CONTACT_EMAIL"]) == ("State Migration Service", "registry@example.org")
    assert (loaded["DATA_LICENCE"], loaded["DATA_LICENCE_URL"]) == (
        "CC BY 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    )


def test_agency_contact_and_licence_default_to_not_stated(load_settings):
    defaults = load_settings(DEBUG="1")

    assert [defaults[name] for name in ["AGENCY_NAME", "CONTACT_EMAIL", "DATA_LICENCE", "DATA_LICENCE_URL"]] == [""] * 4


@pytest.mark.parametrize(
    ("variable", "value"),
    [("REGISTRY_CONTACT_EMAIL", "registry at example.org"), ("REGISTRY_DATA_LICENCE_URL", "javascript:alert(1)")],
)
def test_a_contact_address_or_licence_address_that_is_not_one_is_refused(load_settings, variable, value):
    with pytest.raises(ImproperlyConfigured, match=variable):
        load_settings(DEBUG="1", **{variable: value})
