"""The money totals' triggers made again: a project's revised budgets are read by its id, so
every read of budgets in a trigger goes through the project's index (see
cooperation/models/money_totals.py, project_totals_sql). The totals are unchanged."""

from django.db import migrations

from cooperation.models import money_totals


def reinstall(apps, schema_editor):
    money_totals.install(schema_editor, fill=False)


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0023_search_vector_per_kind")]

    # Unapplied, the triggers stay as they are: they keep the same totals either way.
    operations = [migrations.RunPython(reinstall, migrations.RunPython.noop)]
