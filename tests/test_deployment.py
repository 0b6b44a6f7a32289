"""Production serving: gunicorn's configuration, static files, database connections and read
replicas, the shared cache and the health check (docs/deployment.md).

What a setting does is tested by evaluating ``cooperation/settings.py`` (or ``gunicorn.conf.py``)
under a given environment, as tests/test_settings.py does. What a running server does is tested
in subprocesses started the way a server starts: ``collectstatic`` then WSGI requests for static
files, a real gunicorn answering on a free port, and a Django process with a read replica
(an SQLite file that is both the primary and its "replica") that records which database each
query went to.
"""

import base64
import gzip
import json
import logging
import os
import re
import runpy
import secrets
import selectors
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
import uuid

import brotli
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, OperationalError, close_old_connections, connection, connections
from django.http import StreamingHttpResponse
from django.templatetags.static import static
from django.test import RequestFactory, override_settings
from django.urls import reverse

from cooperation.core import db_router
from cooperation.models import Project
from partners.models import Partner

BASE_DIR = settings.BASE_DIR
SETTINGS_FILE = BASE_DIR / "cooperation" / "settings.py"
GUNICORN_CONF = BASE_DIR / "gunicorn.conf.py"
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

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


def real_key():
    return secrets.token_urlsafe(50)


def production_env(**env):
    """The environment of a production process: only PATH, production settings and ``env``."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "DEBUG": "0",
        "SECRET_KEY": real_key(),
        **env,
    }


def run_python(code, env, timeout=180):
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


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


# Database connections ---------------------------------------------------------------------


def test_connections_are_kept_for_a_minute_in_production_and_checked_before_reuse(load_settings):
    database = load_settings(DEBUG="0", SECRET_KEY=real_key())["DATABASES"]["default"]

    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


def test_connections_are_not_kept_in_development(load_settings):
    # runserver starts a thread per request: a kept connection would never be reused.
    assert load_settings(DEBUG="1")["DATABASES"]["default"]["CONN_MAX_AGE"] == 0


def test_the_tests_do_not_keep_connections():
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0


def test_conn_max_age_comes_from_the_environment(load_settings):
    loaded = load_settings(DEBUG="0", SECRET_KEY=real_key(), CONN_MAX_AGE="300")

    assert loaded["DATABASES"]["default"]["CONN_MAX_AGE"] == 300


@pytest.mark.parametrize("value", ["forever", "-1", "1.5"])
def test_conn_max_age_that_is_not_a_number_of_seconds_is_refused(load_settings, value):
    with pytest.raises(Exception, match=re.escape(f"CONN_MAX_AGE must be a whole number of at least 0; got {value!r}")):
        load_settings(DEBUG="1", CONN_MAX_AGE=value)


def test_an_empty_database_url_means_the_default_sqlite_database(load_settings):
    database = load_settings(DEBUG="1", DATABASE_URL="")["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(BASE_DIR / "db.sqlite3")


def test_a_database_url_that_is_not_one_is_refused_with_its_variable_named(load_settings):
    with pytest.raises(Exception, match=r"DATABASE_URL is not a database URL: Scheme 'mysqlx://' is unknown"):
        load_settings(DEBUG="1", DATABASE_URL="mysqlx://db.example.org/registry")


def test_postgresql_connections_run_without_jit(load_settings):
    loaded = load_settings(
        DEBUG="0",
        SECRET_KEY=real_key(),
        DATABASE_URL="postgres://registry@primary.example.org/registry",
        DATABASE_REPLICA_URLS="postgres://reader@replica.example.org/registry",
    )

    assert loaded["DATABASES"]["default"]["OPTIONS"]["options"] == "-c jit=off"
    assert loaded["DATABASES"]["replica_1"]["OPTIONS"]["options"] == "-c jit=off"
    sqlite = load_settings(DEBUG="1", DATABASE_URL="", DATABASE_REPLICA_URLS="")["DATABASES"]["default"]
    assert "options" not in sqlite.get("OPTIONS", {})


@pytest.mark.django_db
def test_the_database_connection_has_jit_off():
    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


# Read replicas: settings -------------------------------------------------------------------


def test_without_replicas_there_is_one_database_and_no_router(load_settings):
    loaded = load_settings(DEBUG="0", SECRET_KEY=real_key(), DATABASE_URL="postgres://registry@db/registry")

    assert list(loaded["DATABASES"]) == ["default"]
    assert loaded["DATABASE_REPLICAS"] == []
    assert "DATABASE_ROUTERS" not in loaded
    assert "cooperation.core.db_router.ReplicaRoutingMiddleware" not in loaded["MIDDLEWARE"]


def test_replica_urls_add_a_database_each_with_the_router_and_its_middleware(load_settings):
    loaded = load_settings(
        DEBUG="0",
        SECRET_KEY=real_key(),
        DATABASE_URL="postgres://registry:secret@primary.example.org:5432/registry",
        DATABASE_REPLICA_URLS=(
            "postgres://reader:secret@replica-a.example.org:5432/registry, "
            "postgres://reader:secret@replica-b.example.org:5433/registry"
        ),
    )
    databases = loaded["DATABASES"]

    assert list(databases) == ["default", "replica_1", "replica_2"]
    assert loaded["DATABASE_REPLICAS"] == ["replica_1", "replica_2"]
    assert [(db["HOST"], db["PORT"], db["USER"]) for db in databases.values()] == [
        ("primary.example.org", 5432, "registry"),
        ("replica-a.example.org", 5432, "reader"),
        ("replica-b.example.org", 5433, "reader"),
    ]
    for alias in ["replica_1", "replica_2"]:
        assert databases[alias]["ENGINE"] == "django.db.backends.postgresql"
        assert databases[alias]["CONN_MAX_AGE"] == 60
        assert databases[alias]["CONN_HEALTH_CHECKS"] is True
        # The test runner makes no test database for a replica: it reads the primary's.
        assert databases[alias]["TEST"] == {"MIRROR": "default"}
    assert loaded["DATABASE_ROUTERS"] == ["cooperation.core.db_router.PrimaryReplicaRouter"]
    assert loaded["MIDDLEWARE"][0] == "cooperation.core.db_router.ReplicaRoutingMiddleware"


def test_a_replica_of_another_kind_of_database_is_refused(load_settings):
    with pytest.raises(Exception, match="replica 1 is sqlite3 but DATABASE_URL is postgresql"):
        load_settings(
            DEBUG="1",
            DATABASE_URL="postgres://registry@db/registry",
            DATABASE_REPLICA_URLS="sqlite:////tmp/replica.sqlite3",
        )


def test_a_replica_url_that_is_not_one_is_refused_with_its_position(load_settings):
    with pytest.raises(Exception, match=r"DATABASE_REPLICA_URLS \(replica 2\) is not a database URL"):
        load_settings(
            DEBUG="1",
            DATABASE_URL="postgres://registry@db/registry",
            DATABASE_REPLICA_URLS="postgres://reader@replica/registry,replica.example.org",
        )


# Read replicas: the router's decisions ----------------------------------------------------

REPLICAS = ["replica_1", "replica_2"]


@pytest.fixture
def replicas():
    """Two replica aliases, as DATABASE_REPLICA_URLS with two URLs makes them. The router only
    names them, so no such database needs to exist."""
    with override_settings(DATABASE_REPLICAS=REPLICAS):
        yield
    db_router.forget_request_replica()


def serve(request, *models):
    """Run ``request`` through the middleware; return the database each model is read from
    while the view runs, and the one each is written to."""
    router = db_router.PrimaryReplicaRouter()
    seen = {}

    def view(request):
        seen["read"] = [router.db_for_read(model) for model in models]
        seen["write"] = [router.db_for_write(model) for model in models]
        return None

    db_router.ReplicaRoutingMiddleware(view)(request)
    return seen


def test_an_anonymous_public_page_reads_a_replica_and_writes_the_primary(replicas):
    seen = serve(RequestFactory().get("/projects/?topic=asylum"), Project, Partner)

    assert seen["read"][0] in REPLICAS
    assert seen["read"] == [seen["read"][0]] * 2  # one replica for the whole request
    assert seen["write"] == ["default", "default"]


@pytest.mark.parametrize("method", ["get", "head", "options"])
def test_every_read_only_method_reads_a_replica(replicas, method):
    assert serve(getattr(RequestFactory(), method)("/partners/"), Partner)["read"][0] in REPLICAS


def test_requests_are_spread_over_the_replicas(replicas):
    chosen = {serve(RequestFactory().get("/partners/"), Partner)["read"][0] for _ in range(60)}

    assert chosen == set(REPLICAS)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_request_that_may_write_reads_the_primary(replicas, method):
    assert serve(getattr(RequestFactory(), method)("/partners/"), Partner)["read"] == ["default"]


def test_the_admin_reads_the_primary(replicas):
    # Staff see what they have just saved, though a replica may be a moment behind.
    assert serve(RequestFactory().get("/admin/cooperation/project/"), Project)["read"] == ["default"]


def test_a_signed_in_browser_reads_the_primary_on_public_pages_too(replicas):
    request = RequestFactory().get("/projects/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session-key"

    assert serve(request, Project)["read"] == ["default"]


def test_logins_sessions_and_permissions_are_read_from_the_primary(replicas):
    # Read right after they are written (a login, then the next page), whichever request reads them.
    assert serve(RequestFactory().get("/partners/"), Session, User, Partner)["read"][:2] == ["default", "default"]


def test_reads_outside_a_request_go_to_the_primary(replicas):
    # Management commands and shells: an import that writes then reads must see its writes.
    assert db_router.PrimaryReplicaRouter().db_for_read(Project) == "default"


@pytest.mark.django_db
def test_reads_inside_a_transaction_go_to_the_primary(replicas):
    # pytest-django runs this test inside a transaction on the primary, as transaction.atomic would.
    assert connection.in_atomic_block

    assert serve(RequestFactory().get("/projects/"), Project)["read"] == ["default"]


def test_a_streamed_response_reads_its_replica_until_it_is_closed(replicas):
    router = db_router.PrimaryReplicaRouter()

    def export(request):
        return StreamingHttpResponse(router.db_for_read(Project) for _ in range(3))

    response = db_router.ReplicaRoutingMiddleware(export)(RequestFactory().get("/projects/?format=csv"))
    chunks = [chunk.decode() for chunk in response.streaming_content]  # the server sends it after the view returned
    # The server is done: Django sends request_finished (without closing this test's database
    # connection, as the test client does).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)

    assert chunks[0] in REPLICAS
    assert chunks == [chunks[0]] * 3
    assert router.db_for_read(Project) == "default"


def test_a_request_does_not_inherit_the_previous_requests_replica(replicas):
    factory = RequestFactory()
    assert serve(factory.get("/partners/"), Partner)["read"][0] in REPLICAS

    assert serve(factory.post("/partners/"), Partner)["read"] == ["default"]


def test_without_replicas_the_middleware_reads_the_primary():
    assert serve(RequestFactory().get("/partners/"), Partner)["read"] == ["default"]


def test_migrations_run_on_the_primary_only(replicas):
    router = db_router.PrimaryReplicaRouter()

    assert router.allow_migrate("replica_1", "cooperation") is False
    assert router.allow_migrate("default", "cooperation") is None


def test_records_read_from_a_replica_may_relate_to_records_of_the_primary(replicas):
    router = db_router.PrimaryReplicaRouter()
    from_replica, from_primary, elsewhere = Partner(), Project(), Project()
    from_replica._state.db, from_primary._state.db, elsewhere._state.db = "replica_2", "default", "archive"

    assert router.allow_relation(from_replica, from_primary) is True
    assert router.allow_relation(from_replica, elsewhere) is None


# Read replicas: a running process ---------------------------------------------------------

ROUTING_SCRIPT = """
    import json

    import django

    django.setup()

    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client, override_settings

    call_command("migrate", verbosity=0)
    staff = User.objects.create_superuser("editor", "editor@example.org", "a-long-password-1")

    used = []

    def recorder(alias):
        def record(execute, sql, params, many, context):
            used.append(alias)
            return execute(sql, params, many, context)

        return record

    for alias in connections:
        connections[alias].execute_wrappers.append(recorder(alias))

    def databases(client, path, streamed=False):
        caches["default"].clear()  # every page reads the database, none answers from the cache
        used.clear()
        response = client.get(path)
        if streamed:
            b"".join(response.streaming_content)
        response.close()
        return {"status": response.status_code, "databases": sorted(set(used)), "queries": len(used)}

    anonymous, signed_in = Client(), Client()
    signed_in.force_login(staff)
    # No collectstatic run here: pages name static files by their plain names.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    plain_static = {**settings.STORAGES, "staticfiles": plain}
    with override_settings(STORAGES=plain_static):
        print(json.dumps({
            "anonymous list": databases(anonymous, "/partners/"),
            "anonymous export": databases(anonymous, "/projects/?format=csv", streamed=True),
            "anonymous api": databases(anonymous, "/api/partners/"),
            "health check": databases(anonymous, "/healthz"),
            "staff list": databases(signed_in, "/partners/"),
            "staff admin": databases(signed_in, "/admin/partners/partner/"),
        }))
"""


def test_a_server_with_a_replica_reads_it_for_anonymous_visitors_only(tmp_path):
    # One SQLite file as the primary and as its replica: what the replica holds is the primary's.
    url = f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    env = production_env(
        DJANGO_SETTINGS_MODULE="cooperation.settings",
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=url,
        DATABASE_REPLICA_URLS=url,
    )

    result = run_python(ROUTING_SCRIPT, env)

    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert {name: (page["status"], page["databases"]) for name, page in seen.items()} == {
        "anonymous list": (200, ["replica_1"]),
        "anonymous export": (200, ["replica_1"]),
        "anonymous api": (200, ["replica_1"]),
        "health check": (200, ["default"]),
        "staff list": (200, ["default"]),
        "staff admin": (200, ["default"]),
    }
    assert all(page["queries"] > 0 for page in seen.values())


# The shared cache --------------------------------------------------------------------------


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


# Static files ------------------------------------------------------------------------------

STATIC_SCRIPT = """
    import base64
    import json
    import sys
    from wsgiref.util import setup_testing_defaults

    from cooperation.wsgi import application
    from django.templatetags.static import static

    def get(path, **headers):
        environ = {
            "PATH_INFO": path,
            "HTTP_HOST": "registry.example.org",
            "wsgi.url_scheme": "https",
            **{"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()},
        }
        setup_testing_defaults(environ)
        answer = {}

        def start_response(status, response_headers, exc_info=None):
            answer["status"] = status
            answer["headers"] = dict(response_headers)

        body = application(environ, start_response)
        answer["body"] = base64.b64encode(b"".join(body)).decode()
        if hasattr(body, "close"):
            body.close()
        return answer

    hashed = static("css/site.css")
    print(json.dumps({
        "hashed": hashed,
        "brotli": get(hashed, accept_encoding="gzip, deflate, br"),
        "gzip": get(hashed, accept_encoding="gzip"),
        "plain": get(hashed),
        "unhashed": get("/static/css/site.css", accept_encoding="gzip, deflate, br"),
    }))
"""


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """``collectstatic`` with production settings into a new STATIC_ROOT (once: it takes a while)."""
    static_root = tmp_path_factory.mktemp("static")
    env = production_env(ALLOWED_HOSTS="registry.example.org", STATIC_ROOT=str(static_root))
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return static_root, env


def test_collectstatic_writes_hashed_and_compressed_copies(collected_static):
    static_root, _ = collected_static
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/site.css"]

    assert re.fullmatch(r"css/site\.[0-9a-f]{12}\.css", hashed)
    source = (BASE_DIR / "static" / "css" / "site.css").read_bytes()
    assert (static_root / hashed).read_bytes() == source
    assert brotli.decompress((static_root / f"{hashed}.br").read_bytes()) == source
    assert gzip.decompress((static_root / f"{hashed}.gz").read_bytes()) == source


def test_static_files_are_served_hashed_compressed_and_cached_for_good(collected_static):
    static_root, env = collected_static
    result = run_python(STATIC_SCRIPT, {**env, "DJANGO_SETTINGS_MODULE": "cooperation.settings"})
    assert result.returncode == 0, result.stderr
    served = json.loads(result.stdout)
    source = (BASE_DIR / "static" / "css" / "site.css").read_bytes()

    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", served["hashed"])
    for name, encoding, decode in [
        ("brotli", "br", brotli.decompress),
        ("gzip", "gzip", gzip.decompress),
        ("plain", None, lambda body: body),
    ]:
        answer = served[name]
        assert answer["status"] == "200 OK", name
        assert answer["headers"]["Cache-Control"] == "max-age=315360000, public, immutable", name
        assert answer["headers"].get("Content-Encoding") == encoding, name
        assert answer["headers"]["Vary"] == "Accept-Encoding", name
        assert answer["headers"]["Content-Type"].startswith("text/css"), name
        assert decode(base64.b64decode(answer["body"])) == source, name
    # The file under its plain name changes with each release: browsers check again after a minute.
    assert served["unhashed"]["status"] == "200 OK"
    assert served["unhashed"]["headers"]["Cache-Control"] == "max-age=60, public"


def test_static_and_media_roots_come_from_the_environment(load_settings, tmp_path):
    defaults = load_settings(DEBUG="1")
    assert (defaults["STATIC_ROOT"], defaults["MEDIA_ROOT"]) == (BASE_DIR / "staticfiles", BASE_DIR / "media")

    loaded = load_settings(DEBUG="1", STATIC_ROOT=str(tmp_path / "static"), MEDIA_ROOT=str(tmp_path / "media"))
    assert (loaded["STATIC_ROOT"], loaded["MEDIA_ROOT"]) == (tmp_path / "static", tmp_path / "media")


def test_production_stores_static_files_hashed_and_compressed(load_settings):
    storage = load_settings(DEBUG="0", SECRET_KEY=real_key())["STORAGES"]["staticfiles"]["BACKEND"]

    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"


# gunicorn.conf.py --------------------------------------------------------------------------


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


class Gunicorn:
    """A gunicorn started with gunicorn.conf.py, its output read as it comes."""

    def __init__(self, env):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF)],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        self.output = b""
        self.selector = selectors.DefaultSelector()
        os.set_blocking(self.process.stdout.fileno(), False)
        self.selector.register(self.process.stdout, selectors.EVENT_READ)

    def read(self, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.selector.select(timeout=0.2):
                self.output += self.process.stdout.read() or b""
            if self.process.poll() is not None:
                self.output += self.process.stdout.read() or b""
                break
        return self.output.decode(errors="replace")

    def wait_for(self, pattern, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = re.search(pattern, self.read(0.5))
            if found or self.process.poll() is not None:
                return found
        return None

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()  # a graceful stop: in-flight requests finish
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.read(0.5)
        self.selector.close()
        self.process.stdout.close()


def fetch(url):
    request = urllib.request.Request(url, headers={"X-Forwarded-For": "203.0.113.7", "User-Agent": "probe/1.0"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


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


# The health check --------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_check_answers_ok_after_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_check_answers_head_and_refuses_post(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_health_check_says_503_when_the_database_does_not_answer(client, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    monkeypatch.setattr(connections[DEFAULT_DB_ALIAS], "cursor", refuse)
    with caplog.at_level(logging.ERROR, logger="cooperation.pages.site_views"):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.content == b"database unavailable\n"
    assert "Health check: the database did not answer SELECT 1." in caplog.text


@pytest.mark.django_db
def test_health_check_answers_plain_http_where_everything_else_is_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/partners/").status_code == 301


@pytest.mark.django_db
def test_health_check_is_kept_from_crawlers(client):
    robots = client.get("/robots.txt").content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()

    assert "Disallow: /healthz\n" in robots
    assert "healthz" not in sitemap


# The dev server's uploaded files, the icon ------------------------------------------------------


@pytest.fixture
def dev_urls(settings, tmp_path):
    """The site's URLs as the dev server (DEBUG) loads them, with MEDIA_ROOT in ``tmp_path``."""
    import importlib

    from django.urls import clear_url_caches

    import cooperation.urls

    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    importlib.reload(cooperation.urls)
    clear_url_caches()
    yield tmp_path
    settings.DEBUG = False
    importlib.reload(cooperation.urls)
    clear_url_caches()


@pytest.mark.django_db
def test_the_dev_server_serves_uploaded_files(client, dev_urls):
    (dev_urls / "sources").mkdir()
    (dev_urls / "sources" / "report.pdf").write_bytes(b"%PDF-1.4 a report")

    response = client.get("/media/sources/report.pdf")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 a report"
    assert client.get("/media/sources/missing.pdf").status_code == 404


@pytest.mark.django_db
def test_without_debug_uploaded_files_are_left_to_the_proxy(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4 a report")

    assert client.get("/media/report.pdf").status_code == 404


def test_favicon_ico_sends_browsers_to_the_sites_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == static("favicon.svg")
    assert "max-age=86400" in response["Cache-Control"]


@pytest.mark.django_db
def test_admin_pages_name_the_sites_icon(client, admin_client):
    icon = f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">'
    pages = [
        client.get(reverse("admin:login")),
        admin_client.get(reverse("admin:index")),
        admin_client.get(reverse("admin:cooperation_project_add")),
    ]
    for page in pages:
        assert page.status_code == 200
        assert icon in page.content.decode()
