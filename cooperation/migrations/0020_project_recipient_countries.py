"""A project's recipient countries, on the project (staff edit them; the IATI import fills them),
copied from the imported activities that kept them until now; each import's record of what it
wrote gains them, so a re-import does not take the copy for a staff edit."""

import django_countries.fields
from django.db import migrations


def codes(value):
    """The codes of a multiple CountryField's value, sorted: what the import's snapshot keeps."""
    return sorted(country.code for country in value or [])


def copy_from_activities(apps, schema_editor):
    IatiActivity = apps.get_model("cooperation", "IatiActivity")
    Project = apps.get_model("cooperation", "Project")
    for record in IatiActivity.objects.only("project_id", "recipient_countries", "written").iterator():
        found = codes(record.recipient_countries)
        Project.objects.filter(pk=record.project_id).update(recipient_countries=found)
        record.written = {**record.written, "recipient_countries": found}
        record.save(update_fields=["written"])


def countries_field():
    return django_countries.fields.CountryField(
        blank=True,
        help_text="The countries the project is for (its recipient countries), in any order.",
        max_length=746,
        multiple=True,
        null=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0019_places"),
    ]

    # A nullable column added by SQL: AddField would make SQLite rebuild the table (a multiple
    # CountryField's default is "" even when null), dropping the count tables' triggers with it.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(model_name=model, name="recipient_countries", field=countries_field())
                for model in ("historicalproject", "project")
            ],
            database_operations=[
                migrations.RunSQL(
                    f"ALTER TABLE {table} ADD COLUMN recipient_countries varchar(746) NULL",
                    f"ALTER TABLE {table} DROP COLUMN recipient_countries",
                )
                for table in ("cooperation_historicalproject", "cooperation_project")
            ],
        ),
        migrations.RunPython(copy_from_activities, migrations.RunPython.noop),
    ]
