"""PostgreSQL: a covering index of a partner's projects per topic, status and years
(ProjectTopicPartnerCount), so that the projects list filtered to partners reads their rows for
its topic facet and its chart of topics over time from the index alone. The busiest partner's
13,391 rows lie on 3,634 pages of the table: read from the table, the chart's query of two
partners took 30-47 ms; from the index, 6-13 (docs/performance.md, the thirteenth round).

As events.0013: SQLite has no covering index, so it is made here, on PostgreSQL only, and not
declared on the model."""

from django.db import migrations

INDEX = "projecttopicpartnercount_cover"
TABLE = "cooperation_projecttopicpartnercount"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} (partner_id, topic_id, status, first_year, last_year) "
            "INCLUDE (n)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0024_money_totals_project_reads")]

    operations = [migrations.RunPython(create, drop)]
