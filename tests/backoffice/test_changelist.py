"""The admin's change lists count a big unfiltered table from the database's estimate
(cooperation/backoffice/changelist.py)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.backoffice import changelist
from cooperation.core.partial_dates import PartialDate as PD
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


def sidebar(text):
    """The changelist's filters, as the page shows them."""
    return text.split('id="changelist-filter"')[1].split("</nav>")[0]


def test_a_big_tables_years_and_countries_are_the_same_read_one_index_probe_each(admin_client, meetings, monkeypatch):
    f.MeetingFactory(start=None, country="AZ", published=False)
    f.MeetingFactory(start=PD(1998, 12, 28), end=PD(1999, 1, 2), country="")
    monkeypatch.setattr(changelist, "estimated_rows", lambda model, using="default": (6, False))
    counted = sidebar(admin_client.get("/admin/events/meeting/").content.decode())
    cache.clear()
    monkeypatch.setattr(changelist, "estimated_rows", lambda model, using="default": (6, True))

    with CaptureQueriesContext(connection) as captured:
        probed = sidebar(admin_client.get("/admin/events/meeting/").content.decode())

    assert probed == counted
    assert all(year in probed for year in ("2017", "2016", "1998", "No date")) and "Azerbaijan" in probed
    sql = [query["sql"] for query in captured.captured_queries]
    assert not any("DISTINCT" in query for query in sql)
    assert sum("WITH RECURSIVE" in query for query in sql) == 2  # the years, the countries


def test_distinct_values_reads_the_next_value_above_the_last():
    for start in (PD(2016, 5, 1), PD(2016), PD(2003, 1), None, PD(2016, 12, 31)):
        f.MeetingFactory(start=start, country="AZ" if start else "CH")

    assert changelist.distinct_values(Meeting, "start", per=10000) == [2003, 2016]
    assert changelist.distinct_values(Meeting, "country") == ["AZ", "CH"]


def test_the_busiest_partners_are_read_from_the_link_tally(admin_client, meetings, monkeypatch):
    monkeypatch.setattr(changelist, "RELATED_CHOICES", 1)  # IOM in three meetings, UNHCR in one
    with CaptureQueriesContext(connection) as captured:
        text = admin_client.get("/admin/events/meeting/").content.decode()

    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "cooperation_linktally" in sql and 'FROM "events_meeting_partners" GROUP BY' not in sql
    links = sidebar(text).split("?partners__id__exact=")
    assert [link.split("</a>")[0].split(">")[-1] for link in links[1:]] == [str(meetings["iom"])]
