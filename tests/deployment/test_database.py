"""Database connections (docs/deployment.md): kept a minute in production and checked before reuse,
the URL of the database and of its read replicas, PostgreSQL without JIT. Where each query goes
when there are replicas is tested in tests/core/test_db_router.py."""

import re

import pytest
from django.conf import settings
from django.db import connection

from tests.helpers.settings import BASE_DIR, real_key

# Database connections -------------------------------------------------------------------------


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


def test_postgresql_connections_run_without_jit_and_plan_cursors_for_every_row(load_settings):
    loaded = load_settings(
        DEBUG="0",
        SECRET_KEY=real_key(),
        DATABASE_URL="postgres://registry@primary.example.org/registry",
        DATABASE_REPLICA_URLS="postgres://reader@replica.example.org/registry",
    )

    assert (
        loaded["DATABASES"]["default"]["OPTIONS"]["options"]
        == "-c jit=off -c cursor_tuple_fraction=1 -c random_page_cost=3"
    )
    assert (
        loaded["DATABASES"]["replica_1"]["OPTIONS"]["options"]
        == "-c jit=off -c cursor_tuple_fraction=1 -c random_page_cost=3"
    )
    sqlite = load_settings(DEBUG="1", DATABASE_URL="", DATABASE_REPLICA_URLS="")["DATABASES"]["default"]
    assert "options" not in sqlite.get("OPTIONS", {})


def test_postgresql_connections_give_up_on_a_silent_server_in_seconds(load_settings):
    loaded = load_settings(
        DEBUG="1",
        DATABASE_URL="postgres://registry@primary.example.org/registry",
        DATABASE_REPLICA_URLS="postgres://reader@replica.example.org/registry?connect_timeout=2",
    )

    assert loaded["DATABASES"]["default"]["OPTIONS"]["connect_timeout"] == 5
    assert loaded["DATABASES"]["replica_1"]["OPTIONS"]["connect_timeout"] == 2


@pytest.mark.django_db
def test_the_database_connection_has_jit_off_and_plans_cursors_to_their_end():
    if connection.vendor != "postgresql":
        pytest.skip("JIT and cursor plans are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW cursor_tuple_fraction")
        assert cursor.fetchone()[0] == "1"


# Read replicas: settings ----------------------------------------------------------------------


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
