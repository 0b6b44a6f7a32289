"""What every list page does, whatever its rows (cooperation/core/listing/): the same number of
queries for 1 or 50 rows, pages that neither repeat nor skip a row, deep pages read by their keys,
pages past the last served, and a facet of many options capped to the busiest.

The filters and facets of each list are tested with its app (tests/<app>/test_filters.py), and
what a list does with bad parameters through the project list (tests/cooperation/test_filters.py)."""

import pytest

from cooperation.core.listing import filters as list_filters
from cooperation.core.listing import pagination
from cooperation.core.partial_dates import PartialDate as PD
from tests import factories as f
from tests.helpers.listing import queries

pytestmark = pytest.mark.django_db


# Query counts ---------------------------------------------------------------------------------


LIST_QUERIES = {
    # One query per slug looked up, the count, the page's rows, one per prefetch, one per facet.
    "/projects/?topic=t&partner=p&year=2014&status=ongoing": 10,
    "/agreements/?partner=p&kind=cooperation-agreement&year=1999": 9,
    "/meetings/?partner=p&kind=bilateral-meeting&year=2016": 7,
    "/offices/?partner=p&country=az": 6,
    "/partners/?kind=international-organisation&q=partner": 4,
}


def make_rows(count):
    partner = f.PartnerFactory(slug="p")
    topic = f.TopicFactory(slug="t")
    for _ in range(count):
        project = f.ProjectFactory(topics=[topic, f.TopicFactory()])
        f.ProjectPartnerFactory(project=project, partner=partner)
        f.ProjectPartnerFactory(project=project, role="funding")
        f.AgreementFactory(parties=[partner, f.PartnerFactory()])
        f.MeetingFactory(partners=[partner, f.PartnerFactory()])
        f.OfficeFactory(partner=partner)


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(("path", "queries"), LIST_QUERIES.items())
def test_list_pages_run_the_same_queries_for_1_or_50_rows(client, django_assert_num_queries, rows, path, queries):
    make_rows(rows)
    with django_assert_num_queries(queries):
        response = client.get(path)
    assert response.status_code == 200
    assert len(response.context["object_list"]) == min(rows, 25) or path.startswith("/partners/")


# Pages ----------------------------------------------------------------------------------------


def test_result_count_and_pagination_links(client):
    f.ProjectFactory.create_batch(30, topics=[])
    response = client.get("/projects/?page=2&sort=title")
    body = response.content.decode()
    assert response.context["result_count"] == 30
    assert len(response.context["object_list"]) == 5
    assert "30 projects" in body and "(page 2 of 2)" in body
    assert 'href="?sort=title" rel="prev"' in body


def test_rows_that_tie_on_date_and_title_are_neither_repeated_nor_skipped_across_pages(client):
    f.MeetingFactory.create_batch(30, title="Expert meeting", start=PD(2016, 5))
    seen = []
    for page in (1, 2):
        seen += [meeting.slug for meeting in client.get(f"/meetings/?page={page}").context["object_list"]]
    assert len(seen) == len(set(seen)) == 30


@pytest.mark.parametrize("path", ["/meetings/", "/meetings/?sort=title", "/meetings/?partner=iom&sort=oldest"])
def test_a_deep_page_reads_its_rows_by_their_keys_in_the_same_order_and_queries(client, monkeypatch, path):
    iom = f.PartnerFactory(slug="iom", acronym="IOM")
    for n in range(40):
        f.MeetingFactory(partners=[iom], start=PD(2000 + n % 7, 1 + n % 12) if n % 5 else None, title=f"M{n % 9}")
    separator = "&" if "?" in path else "?"
    shallow = [client.get(f"{path}{separator}page={page}").context["page_obj"] for page in (1, 2)]
    _, queries_shallow = queries(client, f"{path}{separator}page=2")

    monkeypatch.setattr(pagination, "DEFERRED_JOIN_FROM", 25)
    deep = client.get(f"{path}{separator}page=2").context["page_obj"]
    _, queries_deep = queries(client, f"{path}{separator}page=2")

    assert [m.pk for m in deep.object_list] == [m.pk for m in shallow[1].object_list]
    assert len(deep.object_list) == 15
    assert {m.pk for m in shallow[0].object_list}.isdisjoint(m.pk for m in deep.object_list)
    assert queries_deep == queries_shallow


def test_pages_past_the_last_served_say_why_and_show_the_last(client, monkeypatch):
    monkeypatch.setattr(pagination, "MAX_PAGES", 2)
    monkeypatch.setattr(pagination.RegistryPaginator.__init__, "__kwdefaults__", {"count": None, "max_pages": 2})
    for day in range(1, 29):
        f.MeetingFactory(start=PD(2016, 2, day))
    for _ in range(30):
        f.MeetingFactory(start=PD(2015))

    response = client.get("/meetings/?page=3")

    assert response.status_code == 200
    assert response.context["page_obj"].number == 2
    text = response.content.decode()
    assert "Only the first 2 pages (50 of 58 meetings) can be paged through" in text
    assert "The pages reach the first 50 of 58" in text
    assert "There is no page 9" in client.get("/meetings/?page=9").content.decode()


# Capped facets --------------------------------------------------------------------------------


def test_a_facet_of_many_partners_lists_the_busiest_and_says_how_many_more(client, monkeypatch):
    monkeypatch.setattr(list_filters, "FACET_OPTIONS", 2)
    monkeypatch.setattr(list_filters.top_options, "__defaults__", (2,))
    partners = [f.PartnerFactory(slug=f"p{n}", name=f"Partner {n}") for n in range(4)]
    for n, partner in enumerate(partners):
        for _ in range(n + 1):
            f.MeetingFactory(partners=[partner])

    response = client.get("/meetings/?partner=p0")

    facets = {item.name: item for item in response.context["facets"]}
    assert [option.value for option in facets["partner"].visible_options] == ["p3", "p2", "p0"]  # and the chosen one
    assert facets["partner"].more == 1
    assert "And 1 more with fewer meetings." in response.content.decode()
