"""The admin's change lists count a big unfiltered table from the database's estimate
(cooperation/backoffice/changelist.py)."""

import pytest
from django.db import connection

from cooperation.backoffice import changelist
from events.models import Meeting
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_admin_counts_a_big_unfiltered_table_from_the_estimate(monkeypatch):
    monkeypatch.setattr(changelist, "estimated_rows", lambda model, using="default": (2_500_000, True))

    paginator = changelist.EstimatedCountPaginator(Meeting.objects.order_by("pk"), 50)
    filtered = changelist.EstimatedCountPaginator(Meeting.objects.filter(published=True), 50)

    assert paginator.count == 2_500_000 and paginator.estimated
    assert filtered.count == 0 and not filtered.estimated


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_class.reltuples is PostgreSQL's")
def test_postgresql_estimates_a_big_table_and_counts_a_small_one(monkeypatch):
    for _ in range(3):
        f.MeetingFactory()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE events_meeting")
    assert changelist.estimated_rows(Meeting) == (3, False)  # below ESTIMATE_ABOVE: counted
    monkeypatch.setattr(changelist, "ESTIMATE_ABOVE", 1)
    assert changelist.estimated_rows(Meeting) == (3, True)  # the estimate, after ANALYZE


def test_the_meetings_changelist_says_about_for_an_estimate_and_offers_the_busiest_partners(
    admin_client, meetings, monkeypatch
):
    monkeypatch.setattr(changelist, "estimated_rows", lambda model, using="default": (4, True))

    response = admin_client.get("/admin/events/meeting/")

    text = response.content.decode()
    assert "about 4 meetings" in text
    filtered = admin_client.get("/admin/events/meeting/?kind__exact=visit").content.decode()
    assert "about" not in filtered.split('class="paginator"')[1][:200]
    assert "IOM" in text and "?partners__id__exact=" in text
