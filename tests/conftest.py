"""Fixtures and hooks shared by the whole suite (browser fixtures: tests/browser/conftest.py)."""

from django.conf import settings


def pytest_report_header(config):
    """Say which backend this run tests: CI runs the suite on SQLite and on PostgreSQL."""
    database = settings.DATABASES["default"]
    backend = database["ENGINE"].rsplit(".", 1)[-1]
    return f"database: {backend} {database['NAME']} (the tests run on a throwaway test database)"
