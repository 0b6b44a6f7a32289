"""A model change without its migration fails the suite, not the next deployment."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_migrations_none_missing():
    out = StringIO()

    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:  # makemigrations --check exits 1 when a migration is missing
        pytest.fail(f"A model change has no migration; run `manage.py makemigrations`:\n{out.getvalue()}")

    assert out.getvalue().strip() == "No changes detected"
