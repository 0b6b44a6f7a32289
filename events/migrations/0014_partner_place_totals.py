"""A partner's meetings at each place, in all (MeetingPartnerPlaceTotal): the triggers keep it
too, and it is filled from the data (the other tables are kept as they are)."""

import django.db.models.deletion
from django.db import migrations, models

from cooperation.core.listing.counts import install
from events.counts import MEETING_COUNTS_0012, MEETING_COUNTS_0014, PARTNER_PLACE_TOTAL


def with_totals(apps, schema_editor):
    install(MEETING_COUNTS_0014, schema_editor, new=(PARTNER_PLACE_TOTAL,))


def without_totals(apps, schema_editor):
    install(MEETING_COUNTS_0012, schema_editor, new=())


class Migration(migrations.Migration):

    dependencies = [
        ('cooperation', '0026_project_years_covering'),
        ('events', '0013_partner_place_counts_covering'),
        ('partners', '0007_office_location'),
    ]

    operations = [
        migrations.CreateModel(
            name='MeetingPartnerPlaceTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('n', models.IntegerField(default=0)),
                ('location', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cooperation.place')),
                ('partner', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.partner')),
            ],
            options={
                'ordering': ['partner', 'location'],
                'constraints': [models.UniqueConstraint(fields=('partner', 'location'), name='meetingpartnerplacetotal_key')],
            },
        ),
        migrations.RunPython(with_totals, without_totals),
    ]
