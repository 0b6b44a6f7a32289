"""PostgreSQL: a covering index of the meetings a partner took part in at each place
(MeetingPartnerPlaceCount), so that a partner's map and the place facet and map of the meetings
list filtered to one partner read the partner's rows from the index alone. The busiest partner's
20,914 rows lie on 6,442 pages of the table: read from the table, each of those two queries took
22 ms; from the index, 5 (docs/performance.md, the twelfth round). A page a write has changed since
the last vacuum is read from the table, as before.

SQLite has no covering index (Django's ``Index(include=…)`` would build a plain copy of the unique
key there), so the index is made here, on PostgreSQL only, and not declared on the model."""

from django.db import migrations

from cooperation.core.indexes import postgresql_index


class Migration(migrations.Migration):
    dependencies = [("events", "0012_meeting_place_counts")]

    operations = [
        postgresql_index(
            "meetingpartnerplacecount_cover",
            "events_meetingpartnerplacecount (partner_id, location_id, first_year) INCLUDE (n)",
        )
    ]
