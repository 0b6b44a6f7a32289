"""Fixtures and hooks shared by the whole suite (browser fixtures: tests/browser/conftest.py)."""

import pytest
from django.conf import settings
from django.core.cache import caches


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
