"""Fixtures and hooks shared by the whole suite: the empty cache, and the role fixtures — a
client logged in as a superuser, as an Editor, as a Publisher (browser fixtures:
tests/browser/conftest.py; shared plain helpers: tests/helpers/)."""

import pytest
from django.conf import settings
from django.core.cache import caches

from tests.factories import StaffUserFactory
from tests.helpers.users import client_for


def pytest_report_header(config):
    """Say which backend this run tests: CI runs the suite on SQLite and on PostgreSQL."""
    database = settings.DATABASES["default"]
    backend = database["ENGINE"].rsplit(".", 1)[-1]
    return f"database: {backend} {database['NAME']} (the tests run on a throwaway test database)"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: a test's database is rolled back at its end, so a
    count cached in one test must not be read in the next (cooperation/core/cache.py)."""
    caches["default"].clear()
    yield
    caches["default"].clear()


# Staff by role: each a client logged in as a new user -------------------------------------------


@pytest.fixture
def superuser_client(client):
    """The test client, logged in as a superuser (staff with every permission)."""
    client.force_login(StaffUserFactory())
    return client


@pytest.fixture
def editor_client():
    """A client logged in as staff in the Editor group: works on drafts only."""
    return client_for("editor")


@pytest.fixture
def publisher_client():
    """A client logged in as staff in the Publisher group: may also publish and change published records."""
    return client_for("publisher")
