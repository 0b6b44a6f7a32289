"""The published meetings at each place, in all (MeetingPlaceTotal): the triggers keep it too,
and it is filled from the data (the other tables are kept as they are)."""

import django.db.models.deletion
from django.db import migrations, models

from cooperation.core.listing.counts import install
from events.counts import MEETING_COUNTS_0014, MEETING_COUNTS_0015, PLACE_TOTAL


def with_totals(apps, schema_editor):
    install(MEETING_COUNTS_0015, schema_editor, new=(PLACE_TOTAL,))


def without_totals(apps, schema_editor):
    install(MEETING_COUNTS_0014, schema_editor, new=())


class Migration(migrations.Migration):

    dependencies = [
        ('cooperation', '0026_project_years_covering'),
        ('events', '0014_partner_place_totals'),
    ]

    operations = [
        migrations.CreateModel(
            name='MeetingPlaceTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('n', models.IntegerField(default=0)),
                ('location', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cooperation.place')),
            ],
            options={
                'ordering': ['location'],
            },
        ),
        migrations.RunPython(with_totals, without_totals),
    ]
