"""What each record puts in the search index (cooperation/search/documents.py), writing it in bulk,
and ``manage.py rebuild_search_index``.

Run on both databases: ``pytest tests/search/`` (SQLite, FTS5) and
``DATABASE_URL=postgres://… pytest tests/search/`` (PostgreSQL, tsvector).
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from cooperation.core.partial_dates import PartialDate
from cooperation.models import Project, SearchDocument
from cooperation.search.documents import index_records
from tests.factories import (
    OfficeFactory,
    PartnerFactory,
    ProjectFactory,
    ProjectPartnerFactory,
    TopicFactory,
)
from tests.helpers.search import found, search

pytestmark = pytest.mark.django_db


def test_document_holds_the_public_text_of_a_record():
    iom = PartnerFactory(name="International Organization for Migration", acronym="IOM")
    draft = PartnerFactory(name="Draft Agency", acronym="DA", published=False)
    topic = TopicFactory(name="Anti-trafficking")
    project = ProjectFactory(
        title="Counter-trafficking", short_title="CT", phase="Phase II", start=PartialDate(2006), description="Help."
    )
    project.topics.add(topic)
    ProjectPartnerFactory(project=project, partner=iom)
    ProjectPartnerFactory(project=project, partner=draft)

    document = SearchDocument.objects.get(kind="project", object_id=project.pk)

    assert document.title == "Counter-trafficking – Phase II"
    assert document.other_names == "CT"
    assert document.body.split("\n") == [
        "Help.",
        "Phase II",
        "International Organization for Migration",
        "IOM",
        "Anti-trafficking",
        "2006",
    ]
    assert document.year == 2006
    assert document.url == project.get_absolute_url()


def test_index_records_writes_and_drops_in_bulk():
    projects = ProjectFactory.create_batch(3)
    Project.objects.filter(pk=projects[0].pk).update(published=False)

    assert index_records(Project, [project.pk for project in projects] + [999999]) == 2
    assert set(SearchDocument.objects.filter(kind="project").values_list("object_id", flat=True)) == {
        projects[1].pk,
        projects[2].pk,
    }


# manage.py rebuild_search_index ---------------------------------------------------------------


def test_rebuild_search_index_command_starts_from_scratch(client):
    PartnerFactory(name="Dugong Partner", acronym="")
    OfficeFactory(name="Dugong office", published=False)
    SearchDocument.objects.all().delete()
    assert found(search(client, "dugong")) == []

    out = StringIO()
    call_command("rebuild_search_index", stdout=out)

    assert found(search(client, "dugong")) == ["Dugong Partner"]
    assert "Indexed 2 published records: 2 partners, 0 agreements" in out.getvalue()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 triggers")
def test_rebuild_search_index_restores_lost_sqlite_triggers(client):
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER cooperation_searchdocument_fts_insert")
    PartnerFactory(name="Dugong Partner", acronym="")
    assert found(search(client, "dugong")) == []

    call_command("rebuild_search_index", stdout=StringIO())

    assert found(search(client, "dugong")) == ["Dugong Partner"]
    PartnerFactory(name="Dugong Second", acronym="")
    assert len(found(search(client, "dugong"))) == 2
