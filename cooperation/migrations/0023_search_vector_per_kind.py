"""PostgreSQL: the full-text index split by kind, a partial GIN index a kind in place of one for
all (cooperation/search/postgres.py asks each kind apart, with its kind as a constant). Reading
a word's documents of one kind then reads that kind's entries only: a search of a meeting's
title read the whole table's entries of its words once a kind, eight times. SQLite's FTS5 index
is unchanged.

A new kind of document needs its index here (tests/search/test_many_matches.py checks)."""

from django.db import migrations

TABLE = "cooperation_searchdocument"
KINDS = ("partner", "agreement", "project", "meeting", "office", "person", "topic", "source")


def per_kind(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for kind in KINDS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TABLE}_vector_{kind} ON {TABLE} USING gin (search_vector) "
            f"WHERE kind = '{kind}'"
        )
    schema_editor.execute(f"DROP INDEX IF EXISTS {TABLE}_vector")


def one_for_all(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_vector ON {TABLE} USING gin (search_vector)")
    for kind in KINDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {TABLE}_vector_{kind}")


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0022_search_newest")]

    operations = [migrations.RunPython(per_kind, one_for_all)]
