"""``manage.py measure_export``: an export of throwaway rows, measured, then rolled back."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from tests.helpers.exports import LIST_VIEWS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", LIST_VIEWS)
def test_measure_export_streams_throwaway_rows_and_rolls_them_back(name):
    model = LIST_VIEWS[name].model
    before = model.objects.count()
    out = io.StringIO()
    call_command("measure_export", rows=30, list=name, stdout=out)
    report = out.getvalue()
    # The pool of related records the rows point at holds 20 partners, agreements, projects,
    # topics, people and sources.
    rows = 30 + (20 if name in {"partners", "agreements", "projects", "topics", "people", "sources"} else 0)
    assert f"{name} csv on {connection.vendor}: {rows:,} rows" in report
    assert "Python memory (tracemalloc) while streaming: peak" in report and "RSS:" in report
    assert model.objects.count() == before  # rolled back
