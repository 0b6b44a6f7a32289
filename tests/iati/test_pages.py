"""An imported project's page says where it comes from, in each language."""

import pytest

from cooperation.models import Project
from tests.iati.helpers import IOM, WORKED_EXAMPLE, run

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("prefix", "words"),
    [
        ("", 'Imported from IATI (Organisation name, <time datetime="2014-09-10">10 September 2014</time>)'),
        ("/az", 'IATI-dən idxal edilib (Organisation name, <time datetime="2014-09-10">10 sentyabr 2014</time>)'),
        ("/ru", 'Импортировано из IATI (Organisation name, <time datetime="2014-09-10">10 сентября 2014</time>)'),
    ],
)
def test_the_page_says_imported_from_iati(client, prefix, words):
    run(WORKED_EXAMPLE)
    project = Project.objects.get()
    project.published = True
    project.save()
    page = client.get(f"{prefix}{project.get_absolute_url()}").content.decode()
    assert words in page
    assert "<code>AA-AAA-123456789-ABC123</code>" in page


def test_without_a_last_update_the_day_of_the_import(client):
    run(IOM)
    project = Project.objects.get()
    Project.objects.update(published=True)
    record = project.iati_activity
    page = client.get(project.get_absolute_url()).content.decode()
    day = f"{record.imported_at:%Y-%m-%d}"
    assert f'Imported from IATI (International Organization for Migration (IOM), <time datetime="{day}">' in page


def test_a_project_entered_by_hand_says_nothing_of_iati(client, project_world):
    project = Project.objects.filter(published=True).first()
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Imported from IATI" not in page
