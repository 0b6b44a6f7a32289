"""cooperation/migrations/0030_search_summaries.py: every search document gains its record's
description in each language, control characters dropped as the indexers drop them, and the
search still finds what it found (on SQLite, the full-text index's triggers are kept); a run
stopped half-way runs again."""

import pytest
from django.db import connection

from cooperation.models import SearchDocument
from tests.factories import MeetingFactory, PartnerFactory
from tests.helpers.migrations import latest, migrate
from tests.helpers.search import found, search

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("cooperation", "0029_agreement_place_years")]
AFTER = [("cooperation", "0030_search_summaries")]


def test_migration_copies_each_records_description_to_its_document(client):
    partner = PartnerFactory(
        name="Wombat council",
        description=" Counts \x02wombats\x03 in Baku. ",
        description_ru="Считает вомбатов.",
        description_az="",
    )
    meeting = MeetingFactory(title="Wombat summit", description="Met in\x07 Geneva.", description_az="Cenevrədə.")
    PartnerFactory(name="Draft wombats", published=False, description="Not public.")
    try:
        migrate(BEFORE)
        # As a run stopped after its first column would leave it: the migration runs again.
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE cooperation_searchdocument ADD COLUMN summary text NOT NULL DEFAULT ''")
        migrate(AFTER)
    finally:
        migrate(latest())

    summaries = {
        (document.kind, document.object_id): (document.summary, document.summary_az, document.summary_ru)
        for document in SearchDocument.objects.filter(kind__in=["partner", "meeting"])
    }
    assert summaries == {
        ("partner", partner.pk): ("Counts wombats in Baku.", "", "Считает вомбатов."),
        ("meeting", meeting.pk): ("Met in Geneva.", "Cenevrədə.", ""),
    }
    assert found(search(client, "wombats")) == ["Wombat council", "Wombat summit"]
    assert "Counts <mark>wombats</mark> in Baku." in search(client, "wombats").content.decode()
