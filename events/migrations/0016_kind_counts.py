"""The published meetings of each kind per partner and per place (MeetingPartnerKind,
MeetingPlaceKind): the triggers keep them too, and they are filled from the data (the other
tables are kept as they are)."""

import django.db.models.deletion
from django.db import migrations, models

from cooperation.core.listing.counts import install
from events.counts import MEETING_COUNTS_0015, MEETING_COUNTS_0016, PARTNER_KIND, PLACE_KIND


def with_kinds(apps, schema_editor):
    install(MEETING_COUNTS_0016, schema_editor, new=(PARTNER_KIND, PLACE_KIND))


def without_kinds(apps, schema_editor):
    install(MEETING_COUNTS_0015, schema_editor, new=())


class Migration(migrations.Migration):

    dependencies = [
        ('cooperation', '0026_project_years_covering'),
        ('events', '0015_place_totals'),
        ('partners', '0008_published_ids'),
    ]

    operations = [
        migrations.CreateModel(
            name='MeetingPartnerKind',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('n', models.IntegerField(default=0)),
                ('kind', models.CharField(max_length=30)),
                ('partner', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.partner')),
            ],
            options={
                'ordering': ['kind', 'partner'],
                'constraints': [models.UniqueConstraint(fields=('kind', 'partner'), name='meetingpartnerkind_key')],
            },
        ),
        migrations.CreateModel(
            name='MeetingPlaceKind',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('n', models.IntegerField(default=0)),
                ('kind', models.CharField(max_length=30)),
                ('location', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cooperation.place')),
            ],
            options={
                'ordering': ['kind', 'location'],
                'constraints': [models.UniqueConstraint(fields=('kind', 'location'), name='meetingplacekind_key')],
            },
        ),
        migrations.RunPython(with_kinds, without_kinds),
    ]
