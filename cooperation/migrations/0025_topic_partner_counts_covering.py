"""PostgreSQL: a covering index of a partner's projects per topic, status and years
(ProjectTopicPartnerCount), so that the projects list filtered to partners reads their rows for
its topic facet and its chart of topics over time from the index alone. The busiest partner's
13,391 rows lie on 3,634 pages of the table: read from the table, the chart's query of two
partners took 30-47 ms; from the index, 6-13 (docs/performance.md, the thirteenth round).

As events.0013: SQLite has no covering index, so it is made here, on PostgreSQL only, and not
declared on the model."""

from django.db import migrations

from cooperation.core.indexes import postgresql_index


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0024_money_totals_project_reads")]

    operations = [
        postgresql_index(
            "projecttopicpartnercount_cover",
            "cooperation_projecttopicpartnercount (partner_id, topic_id, status, first_year, last_year) INCLUDE (n)",
        )
    ]
