"""The API keeps the contract its OpenAPI document states, checked by schemathesis against the
document ``/api/schema/`` serves, on the seed dataset:

- for every operation, requests generated from the document (its examples, the boundaries and
  invalid values of each parameter, then random ones): no server error, and a status code,
  content type and body that the document declares for that operation; a request the document
  says is invalid is refused;
- the seed dataset's published records (a page of each kind), read through their record
  endpoints, answer as the document says.

Bounded and deterministic: a fixed number of examples an operation, derandomized, no example
database. ``pytest -m contract`` runs these alone.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from cooperation.seed.services import load_seed

pytestmark = [pytest.mark.django_db, pytest.mark.contract]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]

# The document as the API serves it, read when the tests are collected; the requests go to the
# same WSGI application, in the test's database transaction.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())


@pytest.fixture(scope="module", autouse=True)
def seed_dataset(django_db_setup, django_db_blocker):
    """The seed dataset, loaded once for this module in a transaction rolled back at its end (each
    test's own transaction is a savepoint in it). Django closes the database connection after each
    request its WSGI handler serves, which would end that transaction, so while these tests run
    that is left to them, as Django's own test client does (which is why they do not use it: it
    reconnects that signal after each request)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock(), transaction.atomic():
        load_seed()
        yield
        transaction.set_rollback(True)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=10,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_answers_as_the_document_says(case):
    case.call_and_validate(checks=CHECKS)


def test_seeded_records_answer_as_the_document_says():
    read = {}
    for path in schema.raw_schema["paths"]:
        if path.endswith("/{slug}/"):
            operation = schema[path]["GET"]
            rows = schema[path.removesuffix("{slug}/")]["GET"].Case().call().json()["results"]  # the first page
            for row in rows:
                operation.Case(path_parameters={"slug": row["slug"]}).call_and_validate(checks=CHECKS)
                read[path] = read.get(path, 0) + 1
    # Records of every kind were read, most of them a full page.
    assert len(read) == 8
    assert sum(read.values()) > 100, read
