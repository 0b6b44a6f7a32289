"""Read replicas (cooperation/core/db_router.py): which database the router names for each read and
write, and a running process with a read replica (an SQLite file that is both the primary and its
"replica") that records which database each query went to. What ``DATABASE_REPLICA_URLS`` makes
of the settings is tested in tests/deployment/test_database.py."""

import json

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.http import StreamingHttpResponse
from django.test import RequestFactory, override_settings

from cooperation.core import db_router
from cooperation.models import Project
from partners.models import Partner
from tests.helpers.settings import production_env, run_python

# Read replicas: the router's decisions --------------------------------------------------------


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


# Read replicas: a running process -------------------------------------------------------------


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
    from partners.models import Partner

    Partner.objects.create(
        name="International Organization for Migration", acronym="IOM", slug="iom", published=True,
        kind=Partner.Kind.INTERNATIONAL_ORGANISATION, scope=Partner.Scope.MULTILATERAL,
    )

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
            "anonymous record page": databases(anonymous, "/partners/iom/"),
            "staff record page": databases(signed_in, "/partners/iom/"),
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
        # Its statements built once a connection (cooperation/core/prepared.py), read from the replica too.
        "anonymous record page": (200, ["replica_1"]),
        "staff record page": (200, ["default"]),
        "health check": (200, ["default"]),
        "staff list": (200, ["default"]),
        "staff admin": (200, ["default"]),
    }
    assert all(page["queries"] > 0 for page in seen.values())
