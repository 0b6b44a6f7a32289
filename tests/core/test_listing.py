"""What every list page does, whatever its rows (cooperation/core/listing/): the same number of
queries for 1 or 50 rows, pages that neither repeat nor skip a row, deep pages read by their keys,
pages past the last served, a facet of many options capped to the busiest; and, through the
project list (``project_world`` in tests/conftest.py), what every list does with its parameters:
bad values dropped with a notice, chips, shareable URLs.

The filters and facets of each list are tested with its app (tests/<app>/test_filters.py)."""

import re

import pytest
from django.http import QueryDict
from django.utils.html import escape

from cooperation.core.listing import filters as list_filters
from cooperation.core.listing import pagination
from cooperation.core.listing.views import querystring, querystring_for
from cooperation.core.partial_dates import PartialDate as PD
from events.models import Meeting
from tests import factories as f
from tests.helpers.listing import DATA_VERSION, facet_legend, form_options, queries, titles
from tests.helpers.pages import get

pytestmark = pytest.mark.django_db


# Query counts ---------------------------------------------------------------------------------


LIST_QUERIES = {
    # The data version, one query per slug looked up, the count, the page's rows, one per prefetch, one per facet,
    # and one naming the options of each facet of related records with rows (partners, topics, organisations);
    # one for a list's chart (projects by topic over time, partners by projects and meetings);
    # offices, meetings and agreements: their map's places too (one query; the agreements' place
    # facet one more, while the offices' and meetings' is added up from the map's places).
    "/projects/?topic=t&partner=p&year=2014&status=ongoing": DATA_VERSION + 13,
    # The currency filter, unused above, costs nothing (the rows have budgets); used: the currencies
    # in use (cached), then the count and 4 facets counted on the fly (the count tables know no money):
    # the count and the status and year facets added up from one grouping of the projects by status and
    # years (their filters are not in use: the same rows), the topic facet and the chart from one by
    # topic and years, the chart naming the published topics (one more query).
    "/projects/?topic=t&currency=EUR&sort=budget": DATA_VERSION + 11,
    "/agreements/?partner=p&kind=cooperation-agreement&year=1999": DATA_VERSION + 13,
    "/meetings/?partner=p&kind=bilateral-meeting&year=2016": DATA_VERSION + 9,
    # (the offices' years opened and closed: both facets from one grouping)
    "/offices/?partner=p&country=az": DATA_VERSION + 9,
    # A year of an agreement's later stages (a year page's links): its facet, shown while it is used, one
    # more query; the offices' years opened and closed both used: a grouping for each (each facet's rows differ).
    "/agreements/?partner=p&in_force=2000": DATA_VERSION + 14,
    # Used alone: its facet and the count read from the stage years' count table.
    "/agreements/?in_force=2000": DATA_VERSION + 13,
    "/offices/?partner=p&opened=1998&closed=2010": DATA_VERSION + 10,
    "/partners/?kind=international-organisation&q=partner": DATA_VERSION + 5,
    # A facet shown with every option (?all=): the same queries.
    "/projects/?topic=t&partner=p&year=2014&status=ongoing&all=partner&all=topic": DATA_VERSION + 13,
    "/agreements/?partner=p&kind=cooperation-agreement&year=1999&all=partner": DATA_VERSION + 13,
    "/meetings/?partner=p&kind=bilateral-meeting&year=2016&all=partner": DATA_VERSION + 9,
    "/offices/?partner=p&country=az&all=partner&all=country": DATA_VERSION + 9,
    "/topics/?has=projects&q=topic&sort=records": DATA_VERSION + 3,
    "/people/?partner=p&post=Chief+of+Mission&q=official": DATA_VERSION + 8,
    "/sources/?kind=report&publisher=IOM&language=en&year=2006&q=report": DATA_VERSION + 8,
}


def make_rows(count):
    partner = f.PartnerFactory(slug="p")
    topic = f.TopicFactory(slug="t")
    for _ in range(count):
        project = f.ProjectFactory(topics=[topic, f.TopicFactory()])
        f.BudgetFactory(project=project, currency="EUR")
        f.ProjectPartnerFactory(project=project, partner=partner)
        f.ProjectPartnerFactory(project=project, role="funding")
        f.AgreementFactory(parties=[partner, f.PartnerFactory()], in_force=PD(2000))
        f.MeetingFactory(partners=[partner, f.PartnerFactory()])
        f.OfficeFactory(partner=partner, closed=PD(2010))
        f.PostFactory(organisation=partner, title="Chief of Mission", person=f.PersonFactory(name=f"Official {_}"))
        f.PostFactory(person=f.PersonFactory())
        f.SourceFactory(title=f"Report {_}", kind="report", publisher="IOM", date=PD(2006))


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(("path", "queries"), LIST_QUERIES.items())
def test_list_pages_run_the_same_queries_for_1_or_50_rows(client, django_assert_num_queries, rows, path, queries):
    make_rows(rows)
    with django_assert_num_queries(queries):
        response = client.get(path)
    assert response.status_code == 200
    # Every row makes one partner of the list's kind, one person of the partner and post, one
    # report, and one project with the topic "t" and a topic of its own.
    assert len(response.context["object_list"]) == min(rows, 25) or path.startswith(("/partners/", "/topics/"))


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


# Facets: every option reachable, in one order --------------------------------------------------


@pytest.fixture
def four_partners(monkeypatch):
    """Partners p0…p3 with 1…4 meetings, and facets cut at 2 options."""
    monkeypatch.setattr(list_filters, "FACET_OPTIONS", 2)
    partners = [f.PartnerFactory(slug=f"p{n}", name=f"Partner {n}") for n in range(4)]
    for n, partner in enumerate(partners):
        for _ in range(n + 1):
            f.MeetingFactory(partners=[partner], kind="visit" if n % 2 else "summit")
    return partners


def test_a_facet_of_many_partners_lists_the_busiest_by_name_and_offers_to_show_all(client, four_partners):
    response = client.get("/meetings/?partner=p0")
    page = get(client, "/meetings/?partner=p0")

    # The two with most meetings and the chosen one, in the order of their names.
    assert form_options(response, "partner") == [("p0", "checked"), ("p2", ""), ("p3", "")]
    assert "And 1 more with fewer meetings. Show all 4 (Partner)" in page.text
    assert ("?all=partner&partner=p0", "Show all 4 (Partner)") in page.links


def test_show_all_lists_every_option_and_keeps_the_filters(client, four_partners):
    """(Its queries are those of the list: LIST_QUERIES above.)"""
    page = client.get("/meetings/?partner=p0&all=partner&sort=oldest")
    text = get(client, "/meetings/?partner=p0&all=partner&sort=oldest").text

    assert form_options(page, "partner") == [("p0", "checked"), ("p1", ""), ("p2", ""), ("p3", "")]
    # Ticking, sorting and paging keep the facet whole; it can be cut again.
    html = page.content.decode()
    assert html.count('<input type="hidden" name="all" value="partner">') == 2  # the filter form and the sort form
    assert "Show only those with the most meetings (Partner)" in text
    assert 'href="?partner=p0&amp;sort=oldest">Show only those with the most meetings' in html
    # A facet the other filters leave short has nothing to cut: summits are p0's and p2's.
    summits = client.get("/meetings/?partner=p0&all=partner&kind=summit")
    assert form_options(summits, "partner") == [("p0", "checked"), ("p2", "")]
    assert "Show only those" not in summits.content.decode()


def test_show_all_unlocks_the_option_the_cut_left_out(client, four_partners):
    assert "p0" not in dict(form_options(client.get("/meetings/"), "partner"))
    page = client.get("/meetings/?all=partner")
    assert form_options(page, "partner") == [("p0", ""), ("p1", ""), ("p2", ""), ("p3", "")]
    assert "more with fewer meetings" not in page.content.decode()


def test_show_all_of_a_filter_the_list_has_not_says_so(client, four_partners):
    page = client.get("/meetings/?all=colour&all=partner")
    assert escape("This list has no filter “colour” to show every option of; it was ignored.") in page.content.decode()
    assert [notice.param for notice in page.context["notices"]] == ["all"]
    assert len(form_options(page, "partner")) == 4


def test_a_ticked_option_keeps_its_place_when_another_filter_changes_the_counts(client, four_partners):
    """p3 has the most meetings, so a list by count would put it first; by name it stays last. The
    kinds keep their declared order, those without meetings listed but not tickable."""
    alone = client.get("/meetings/?partner=p1&partner=p3&all=partner")
    with_kind = client.get("/meetings/?partner=p1&partner=p3&all=partner&kind=summit")

    assert form_options(alone, "partner") == [("p0", ""), ("p1", "checked"), ("p2", ""), ("p3", "checked")]
    assert form_options(with_kind, "partner") == [("p0", ""), ("p1", "checked"), ("p2", ""), ("p3", "checked")]
    kinds = form_options(client.get("/meetings/?partner=p1&kind=visit"), "kind")
    assert [value for value, _ in kinds] == [value for value, _ in Meeting.Kind.choices]
    assert dict(kinds)["visit"] == "checked"
    assert dict(kinds)["summit"] == "disabled"  # p1's meetings are visits


def test_several_values_of_one_filter_say_any_of(client, four_partners):
    response = client.get("/meetings/?partner=p1&partner=p3&kind=visit")
    page = get(client, "/meetings/?partner=p1&partner=p3&kind=visit")

    assert facet_legend(response, "partner") == "Partner (any of the 2 ticked)"
    assert facet_legend(response, "kind") == "Kind"
    assert "Partner: any of Partner: Partner 1 × (remove this filter) Partner: Partner 3 ×" in page.text
    assert "Kind: Kind: Visit × (remove this filter) Clear all" in page.text
    assert ("?kind=visit&partner=p3", "Partner: Partner 1 × (remove this filter)") in page.links


def test_counts_are_read_in_the_plural_form_of_their_number(client, four_partners):
    one = get(client, "/meetings/?partner=p0")
    many = get(client, "/meetings/?partner=p0&partner=p1")

    # The count is a polite live region: read out when a tick updates the page in place.
    heading = '<h2 id="results-heading" class="result-count" aria-live="polite" aria-atomic="true">'
    assert f"{heading}1 meeting</h2>" in one.html
    assert f"{heading}3 meetings</h2>" in many.html
    # A facet's count: the digits on screen, the words to a screen reader.
    assert '<span aria-hidden="true">1</span><span class="visually-hidden">1 meeting</span>' in one.html
    assert '<span aria-hidden="true">2</span><span class="visually-hidden">2 meetings</span>' in many.html
    assert "1 meetings" not in one.html


def test_a_long_facet_has_a_find_box_the_script_reveals(client, monkeypatch):
    for n in range(11):
        f.MeetingFactory(partners=[f.PartnerFactory(name=f"Partner {n}")])
    html = client.get("/meetings/").content.decode()

    # Hidden, and never sent with the form (no name), until static/js/list-filters.js shows it.
    assert '<div class="facet-find" hidden>' in html
    assert '<label for="find-partner">Find a partner</label>' in html
    assert '<input id="find-partner" type="search" autocomplete="off" aria-controls="facet-partner-options">' in html
    assert 'id="find-kind"' not in html  # ten kinds of meeting: short enough to read
    assert html.count('<script src="/static/js/list-filters.js" defer></script>') == 1


# What every list does with its parameters, through the project list ---------------------------


def test_unknown_slug_is_reported_and_the_other_values_still_apply(client, project_world):
    response = client.get("/projects/?topic=asylum&topic=no-such-topic")
    assert titles(response) == ["Charlie", "Alpha"]
    assert escape("There is no topic “no-such-topic”; that filter was ignored.") in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=abc", "“abc” is not a year between 1000 and 9999"),
        ("year=99999999999999999999", "is not a year between 1000 and 9999"),
        ("year=-5", "“-5” is not a year"),
        ("page=abc", "“abc” is not a page number; showing page 1."),
        ("page=9999", "There is no page 9999; showing page 1, the last."),
        ("page=-1", "There is no page -1; showing page 1, the last."),
        ("sort=sideways", "“sideways” is not a way to sort this list"),
        ("colour=blue", "“colour” is not a filter of this list"),
        ("status=finished", "“finished” is not a status"),
        ("topic=%00%1f%7f", None),
        ("topic=" + "x" * 5000, "There is no topic"),
    ],
)
def test_bad_parameters_render_the_list_with_a_message(client, project_world, query, message):
    response = client.get(f"/projects/?{query}")
    assert response.status_code == 200
    assert titles(response) == ["Bravo", "Charlie", "Alpha"]
    if message:
        assert escape(message) in response.content.decode()


def test_control_characters_never_reach_the_page(client, project_world):
    response = client.get("/projects/?topic=as%00ylum%1b")
    assert titles(response) == ["Charlie", "Alpha"]  # the cleaned value "asylum" applies
    assert "\x00" not in response.content.decode() and "\x1b" not in response.content.decode()


def test_html_in_parameters_is_escaped(client, project_world):
    response = client.get("/projects/?topic=<script>alert(1)</script>&sort=<b>")
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body and "<b>" not in body
    assert "&lt;script&gt;" in body


def test_chips_remove_one_filter_and_keep_the_rest(client, project_world):
    response = client.get("/projects/?topic=asylum&partner=iom")
    chips = {chip["label"]: chip["url"] for chip in response.context["chips"]}
    assert chips == {
        "Topic: Asylum": "?partner=iom",
        "Partner: International Organization for Migration": "?topic=asylum",
    }
    assert titles(client.get("/projects/" + chips["Topic: Asylum"])) == ["Charlie", "Alpha"]


def test_empty_result_offers_to_clear_filters(client, project_world):
    response = client.get("/projects/?topic=asylum&partner=unhcr")
    body = response.content.decode()
    assert titles(response) == []
    assert "No projects match these filters." in body
    assert 'href="/projects/">clear all filters</a>' in body


def test_every_filter_state_is_a_shareable_url(client, project_world):
    response = client.get("/projects/?topic=asylum&year=2006")
    body = response.content.decode()
    # The filter form is a GET form: ticking and applying makes the same kind of URL.
    assert re.search(r'<form id="filters" class="facets" method="get" action="/projects/"', body)
    assert ("asylum", "checked") in form_options(response, "topic")
    assert ("2006", "checked") in form_options(response, "year")
    assert 'rel="canonical" href="http://testserver/projects/?topic=asylum&amp;year=2006"' in body


def test_every_notice_names_its_parameter(client, project_world):
    response = client.get("/projects/?topic=nope&year=abc&page=x&sort=y&colour=blue")
    assert sorted(notice.param for notice in response.context["notices"]) == ["colour", "page", "sort", "topic", "year"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"place": ["baku"]},
        {"partner": ["iom", "unhcr"], "year": ["2010"], "page": ["3"]},
        {"q": ["Bakı & co"], "sort": ["title"], "zone": ["é"], "place": ["geneva", "baku"]},
    ],
)
def test_a_maps_links_to_a_place_keep_the_lists_other_parameters_as_querystring_does(params):
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, values)
    at_place = querystring_for(query, "place", page=None)

    for place in ("tbilisi", "new-york", "x_1"):
        assert at_place(place) == querystring(query, place=place, page=None)
