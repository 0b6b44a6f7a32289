"""cooperation/migrations/0020_project_recipient_countries.py: the recipient countries an imported
activity kept become its project's, and what the import wrote says so (a re-import sees no staff
edit); the column is added without rebuilding the table, so the count tables' triggers still count."""

import pytest

from tests.helpers.migrations import latest, migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("cooperation", "0019_places")]
AFTER = [("cooperation", "0020_project_recipient_countries")]


def test_migration_copies_the_activities_countries_to_their_projects_and_keeps_the_triggers():
    old = migrate(BEFORE)
    try:
        Project = old.get_model("cooperation", "Project")
        IatiActivity = old.get_model("cooperation", "IatiActivity")
        imported = Project.objects.create(slug="imported", title="Imported", published=True, start=20150000)
        Project.objects.create(slug="by-hand", title="By hand", published=True)
        IatiActivity.objects.create(
            identifier="XM-1", project=imported, recipient_countries=["GE", "AZ"], written={"title": "Imported"}
        )

        new = migrate(AFTER)

        Project = new.get_model("cooperation", "Project")
        assert [c.code for c in Project.objects.get(slug="imported").recipient_countries] == ["AZ", "GE"]
        assert not Project.objects.get(slug="by-hand").recipient_countries
        written = new.get_model("cooperation", "IatiActivity").objects.get().written
        assert written == {"title": "Imported", "recipient_countries": ["AZ", "GE"]}
        ProjectCount = new.get_model("cooperation", "ProjectCount")
        before = sum(ProjectCount.objects.values_list("n", flat=True))
        Project.objects.create(slug="after", title="After", published=True, recipient_countries=["TR"])
        assert sum(ProjectCount.objects.values_list("n", flat=True)) == before + 1
    finally:
        migrate(latest())
