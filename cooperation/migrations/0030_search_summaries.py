"""What a search hit quotes: each document's record's description in every language
(``summary``, ``summary_az``, ``summary_ru``), copied here from the records, control characters
dropped as the indexers drop them (``cooperation.search.documents.clean``) — on PostgreSQL by a
regular expression, which may leave an unusual space (a no-break space, say) at an end that the
indexers' ``strip()`` removes; ``rebuild_search_index`` writes them exactly as a save does.

The columns are added by SQL: AddField would make SQLite rebuild the table, dropping the
triggers that keep its full-text index in step (migration 0002). Not in one transaction: adding a
column locks the table, and a transaction would hold that lock through the copy (71 s at the
benchmark's 1.1 million documents), keeping every search waiting; each step commits on its own
instead, and a run stopped half-way can be run again (a column already there is not added)."""

import unicodedata

from django.db import migrations, models

COLUMNS = ("summary", "summary_az", "summary_ru")
# Each kind's record, whose description (and its translations) a document quotes.
RECORDS = {
    "partner": ("partners", "Partner"),
    "agreement": ("cooperation", "Agreement"),
    "project": ("cooperation", "Project"),
    "meeting": ("events", "Meeting"),
    "office": ("partners", "Office"),
    "person": ("partners", "Person"),
    "topic": ("cooperation", "Topic"),
    "source": ("cooperation", "Source"),
}
DROPPED_CATEGORIES = {"Cc", "Cs", "Co"}
# The same characters as a PostgreSQL regular expression: control characters but tab and newline,
# and the private-use planes (surrogates cannot be in its text).
POSTGRES_DROPPED = r"[\x01-\x08\x0b-\x1f\x7f-\x9f\ue000-\uf8ff\U000f0000-\U0010ffff]"


def clean(text):
    text = str(text or "")
    if text.isprintable():
        return text.strip()
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) not in DROPPED_CATEGORIES).strip()


def add_columns(apps, schema_editor):
    table = apps.get_model("cooperation", "SearchDocument")._meta.db_table
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        present = {column.name for column in connection.introspection.get_table_description(cursor, table)}
    for column in COLUMNS:
        if column not in present:
            schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN {column} text NOT NULL DEFAULT ''")


def drop_columns(apps, schema_editor):
    table = apps.get_model("cooperation", "SearchDocument")._meta.db_table
    for column in COLUMNS:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {column}")


def copy_descriptions(apps, schema_editor):
    quote = schema_editor.quote_name
    table = quote(apps.get_model("cooperation", "SearchDocument")._meta.db_table)
    if schema_editor.connection.vendor == "postgresql":
        cleaned = "btrim(regexp_replace(COALESCE({}, ''), %s, '', 'g'), E' \\t\\n\\r\\f\\v')"
        params = [POSTGRES_DROPPED] * len(COLUMNS)
    else:
        schema_editor.connection.ensure_connection()
        schema_editor.connection.connection.create_function("search_clean", 1, clean, deterministic=True)
        cleaned, params = "search_clean({})", []
    for kind, (app, model) in RECORDS.items():
        record = quote(apps.get_model(app, model)._meta.db_table)
        values = ", ".join(
            f"{quote(column)} = {cleaned.format('r.' + quote(column.replace('summary', 'description')))}"
            for column in COLUMNS
        )
        schema_editor.execute(
            f"UPDATE {table} SET {values} FROM {record} AS r WHERE {table}.kind = %s AND r.id = {table}.object_id",
            [*params, kind],
        )


def summary_field():
    return models.TextField(blank=True, default="", help_text="The record's description, which a hit quotes.")


def translated_field(language):
    return models.TextField(blank=True, default="", verbose_name=f"Summary ({language})")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("cooperation", "0029_agreement_place_years"),
        ("events", "0016_kind_counts"),
        ("partners", "0009_post_latest"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(model_name="searchdocument", name="summary", field=summary_field()),
                migrations.AddField(
                    model_name="searchdocument", name="summary_az", field=translated_field("Azerbaijani")
                ),
                migrations.AddField(model_name="searchdocument", name="summary_ru", field=translated_field("Russian")),
            ],
            database_operations=[migrations.RunPython(add_columns, drop_columns)],
        ),
        migrations.RunPython(copy_descriptions, migrations.RunPython.noop),
    ]
