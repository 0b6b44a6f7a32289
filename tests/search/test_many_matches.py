"""A word that matches more records of a kind than can be counted and ranked quickly: on
PostgreSQL the kind's number is estimated ("about") and its hits are shown newest first
(cooperation/search/postgres.py); the page says so, and its pages never lead nowhere."""

import pytest
from django.db import connection

from cooperation.core.partial_dates import PartialDate
from cooperation.search import results
from cooperation.search.backends import Counts, Hit
from cooperation.search.postgres import PostgresBackend
from tests.factories import MeetingFactory, PartnerFactory
from tests.helpers.pages import page_text
from tests.helpers.search import found, search

pytestmark = pytest.mark.django_db


class ManyMeetings:
    """A backend as PostgreSQL answers for a common word: about 48,000 meetings, 2 partners;
    ``real`` meetings are there to be shown (an estimate may promise more pages)."""

    real = 45

    def counts(self, query):
        counts = Counts({"partner": 2, "meeting": 48_000})
        counts.estimated = frozenset({"meeting"})
        return counts

    def hits(self, query, kinds, first, last, language=None, newest=()):
        assert set(newest) == ({"meeting"} & set(kinds))
        assert first <= 48_000, "a page past the estimate is not read"
        hits = []
        for kind in kinds:
            total = self.real if kind == "meeting" else 2
            for position in range(first, min(last, total) + 1):
                title = f"{kind} {position}"
                hits.append(Hit(kind, position, f"/{kind}s/{position}/", 2020, title, "", "", False))
        return hits


@pytest.fixture
def many(monkeypatch):
    monkeypatch.setattr(results, "get_backend", ManyMeetings)


def test_an_estimated_count_says_about_and_that_its_hits_are_newest_first(client, many):
    response = search(client, "migration")
    text = page_text(response)
    assert "About 48000 matching records" in text  # 48,002 written to the precision it has
    assert "Meetings (about 48000)" in text
    assert "More than 1000 match: their number is estimated from a sample, and they are shown newest first." in text
    assert "All of about 48000 matches, newest first" in text
    assert "Partners (2)" in text  # an exact count stays exact


def test_pages_of_an_estimated_kind_go_on_while_they_are_full_and_never_lead_nowhere(client, many):
    first = search(client, "migration", type="meeting")
    assert "Meetings, page 1 of about 2400" in page_text(first)
    assert first.context["result"].next_url

    # Page 3 holds the last 5 meetings there are: no next page, whatever the estimate said.
    third = search(client, "migration", type="meeting", page=3)
    assert found(third) == [f"meeting {n}" for n in range(41, 46)]
    assert not third.context["result"].next_url
    assert third.context["result"].previous_url

    # A page past them (the estimate promised 2,400): the first page, and why.
    past = search(client, "migration", type="meeting", page=2000)
    assert found(past)[0] == "meeting 1"
    assert "There is no page 2,000; showing the first page." in page_text(past)

    # Past the estimate itself (2,400 pages): not read at all.
    beyond = search(client, "migration", type="meeting", page=5000)
    assert found(beyond)[0] == "meeting 1"
    assert "There is no page 5,000; showing the first page." in page_text(beyond)


class FewerThanCounted(ManyMeetings):
    """An estimate that came in low: 1,000 meetings said, 1,090 there."""

    real = 1090

    def counts(self, query):
        counts = Counts({"meeting": 1000})
        counts.estimated = frozenset({"meeting"})
        return counts


def test_an_estimate_that_counted_low_hides_no_match(client, monkeypatch):
    monkeypatch.setattr(results, "get_backend", FewerThanCounted)
    last_estimated = search(client, "migration", type="meeting", page=50)
    assert "page 50 of about 50" in page_text(last_estimated)
    assert last_estimated.context["result"].next_url  # full: there may be more

    last = search(client, "migration", type="meeting", page=55)
    assert found(last)[-1] == "meeting 1090"
    assert not last.context["result"].next_url


@pytest.fixture
def postgresql_estimates(monkeypatch):
    """PostgreSQL estimating above 3 matches, from the whole table (a test's few pages)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite counts every match exactly (FTS5 is fast enough at its sizes).")
    monkeypatch.setattr(PostgresBackend, "exact_up_to", 3)
    monkeypatch.setattr(PostgresBackend, "sample_percent", 100)


def test_postgresql_counts_a_kind_with_many_matches_about_and_shows_it_newest_first(
    client, postgresql_estimates, monkeypatch
):
    for year in (2011, 2019, 2015, 2023, 2017):
        MeetingFactory(title=f"Border talks {year}", start=PartialDate(year, 5, 1))
    MeetingFactory(title="Border talks, undated", start=None)
    PartnerFactory(name="Border Guard Service", acronym="")
    PartnerFactory(name="Border Police", acronym="")

    response = search(client, "border")
    result = response.context["result"]
    counts = {facet.kind: (facet.count, facet.estimated) for facet in result.facets if facet.count}
    assert counts == {"partner": (2, False), "meeting": (6, True)}

    meetings = search(client, "border", type="meeting")
    assert found(meetings) == [
        "Border talks 2023",
        "Border talks 2019",
        "Border talks 2017",
        "Border talks 2015",
        "Border talks 2011",
        "Border talks, undated",
    ]
    assert "Meetings (about 6)" in page_text(meetings)

    # Numbered from where the page starts.
    monkeypatch.setattr(results, "PER_PAGE", 2)
    second = search(client, "border", type="meeting", page=2)
    assert found(second) == ["Border talks 2017", "Border talks 2015"]
    assert [hit.position for hit in second.context["result"].groups[0].hits] == [3, 4]


def test_every_kind_of_document_has_its_own_full_text_index_on_postgresql():
    """The search asks each kind apart (cooperation/search/postgres.py): a kind without its
    partial index (migration 0023) would read the whole table's documents for each search."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one FTS5 index for every kind.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'cooperation_searchdocument' AND indexdef LIKE %s",
            ["%USING gin (search_vector)%"],
        )
        definitions = [row[0] for row in cursor.fetchall()]
    assert len(definitions) == len(PostgresBackend.kinds)
    for kind in PostgresBackend.kinds:
        assert any(f"WHERE ((kind)::text = '{kind}'::text)" in definition for definition in definitions), kind
