"""manage.py measure_import: it exports throwaway rows, imports them back three ways and rolls
everything back."""

import io
import re

import pytest
from django.core.management import call_command

from cooperation.devtools.management.commands.measure_import import LISTS
from cooperation.imports import SCHEMAS

pytestmark = pytest.mark.django_db

MODELS = {schema.name: model for model, schema in SCHEMAS.items()}


def counts(report, label):
    """The plan's counts on the report line starting with ``label``."""
    line = next(line for line in report.splitlines() if line.startswith(label))
    return {name: int(number) for name, number in re.findall(r"'(\w+)': (\d+)", line)}


@pytest.mark.parametrize("name", LISTS)
def test_measure_import_plans_and_applies_throwaway_rows_and_rolls_them_back(name):
    model = MODELS[name]
    before = model.objects.count()
    out = io.StringIO()
    call_command("measure_import", rows=4, list=name, stdout=out)
    report = out.getvalue()
    assert f"{name}: 4 rows exported" in report
    assert counts(report, "dry run, every row unchanged") == {"create": 0, "update": 0, "unchanged": 4, "error": 0}
    assert counts(report, "update (") == {"create": 0, "update": 4, "unchanged": 0, "error": 0}
    assert counts(report, "create (new slugs)") == {"create": 4, "update": 0, "unchanged": 0, "error": 0}
    assert "Rolled back: the database is as it was." in report
    assert model.objects.count() == before
