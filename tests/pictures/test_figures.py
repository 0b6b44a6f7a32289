"""The charts on the pages (cooperation/pictures/figures.py and the selectors behind them): right
on known data, following the list's filters, well-formed SVG with a title and a description,
links with names that say their numbers, and a table with the same numbers as the bars."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.core.listing import count_reads
from cooperation.core.partial_dates import PartialDate as PD
from cooperation.models import Project
from partners.models import Partner
from tests import factories as f
from tests.helpers.listing import facet

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


class Chart:
    """A chart as the page shows it: its SVG (parsed: it must be well-formed XML), its legend
    and the table of its numbers."""

    def __init__(self, html):
        self.svg = ET.fromstring(re.search(r"<svg class=\"chart-svg\".*?</svg>", html, re.S).group(0))
        self.legend = re.findall(r'<li><span class="chart-swatch [^"]*" aria-hidden="true"></span>([^<]*)</li>', html)
        self.table = {
            label: [int(value) for value in re.findall(r'<td class="num">(\d+)</td>', cells)]
            for label, cells in re.findall(
                r'<tr><th scope="row">(?:<a href="[^"]*">)?([^<]*)(?:</a>)?</th>(.*?)</tr>', html, re.S
            )
        }
        self.note = " ".join(re.findall(r'<p class="meta chart-note">([^<]*)</p>', html))
        self.row_labels = [
            text.text for text in self.svg.iter(f"{SVG}text") if "chart-row-label" in (text.get("class") or "")
        ]

    def bars(self, href):
        """How many bars the link to ``href`` holds (a column's stacked series)."""
        for link in self.svg.iter(f"{SVG}a"):
            if link.get("href") == href:
                return len([rect for rect in link.iter(f"{SVG}rect") if "chart-bar" in rect.get("class")])
        raise AssertionError(f"no link to {href}")


def charts(response):
    html = response.content.decode()
    return [Chart(found) for found in re.findall(r'<figure class="chart .*?</figure>', html, re.S)]


def link_names(svg):
    return {link.get("href").replace("&amp;", "&"): link.get("aria-label") for link in svg.iter(f"{SVG}a")}


def assert_accessible(svg, title):
    assert svg.get("role") == "group"
    assert svg.find(f"{SVG}title").text == title
    assert svg.find(f"{SVG}desc").text.strip()
    assert svg.get("aria-labelledby").split() == [svg.find(f"{SVG}title").get("id"), svg.find(f"{SVG}desc").get("id")]
    for link in svg.iter(f"{SVG}a"):
        assert link.get("aria-label") and link.find(f"{SVG}title").text == link.get("aria-label")


# Records per year by kind (/years/) -----------------------------------------------------------


def test_the_year_index_draws_records_per_year_by_kind_each_year_a_link_to_its_page(client):
    f.AgreementFactory(signed=PD(2001, 3))
    f.AgreementFactory(signed=PD(2001))
    f.OfficeFactory(opened=PD(2003))
    f.ProjectFactory(start=PD(2001), end=PD(2002), topics=[])
    f.MeetingFactory(start=PD(2003, 5, 1))

    response = client.get("/years/")

    [chart] = charts(response)
    svg = chart.svg
    assert_accessible(svg, "Records per year, by kind")
    assert "from 2001 to 2003" in svg.find(f"{SVG}desc").text
    assert link_names(svg) == {
        "/years/2001/": "2001: 2 agreements, 0 offices, 1 project, 0 meetings",
        "/years/2002/": "2002: 0 agreements, 0 offices, 1 project, 0 meetings",
        "/years/2003/": "2003: 0 agreements, 1 office, 0 projects, 1 meeting",
    }
    assert [chart.bars(f"/years/{year}/") for year in (2001, 2002, 2003)] == [2, 1, 2]
    # The page's own table has the numbers (no second one).
    assert chart.table == {} and 'class="chart-table"' not in response.content.decode()


def test_a_year_without_records_between_two_with_is_drawn_empty_and_leads_nowhere(client):
    f.OfficeFactory(opened=PD(2001))
    f.OfficeFactory(opened=PD(2004))

    [chart] = charts(client.get("/years/"))
    svg = chart.svg

    assert set(link_names(svg)) == {"/years/2001/", "/years/2004/"}
    assert [text.text for text in svg.iter(f"{SVG}text") if text.text in {"2001", "2002", "2003", "2004"}] == [
        "2001",
        "2002",
        "2003",
        "2004",
    ]


# Projects by topic over time (/projects/) ------------------------------------------------------


@pytest.fixture
def topic_projects():
    asylum = f.TopicFactory(slug="asylum", name="Asylum")
    borders = f.TopicFactory(slug="borders", name="Border management", name_ru="Управление границами")
    iom = f.PartnerFactory(slug="iom")
    f.ProjectFactory(start=PD(2010), end=PD(2011), topics=[asylum], status=Project.Status.COMPLETED)
    both = f.ProjectFactory(start=PD(2011), end=PD(2011), topics=[asylum, borders])
    f.ProjectPartnerFactory(project=both, partner=iom)
    f.ProjectFactory(start=None, topics=[asylum])  # undated: counted in the table, not drawn
    f.ProjectFactory(start=PD(2012), topics=[f.TopicFactory(slug="draft", published=False)])
    return asylum, borders


def test_the_projects_list_draws_each_topics_projects_per_year_and_counts_the_undated(client, topic_projects):
    [chart] = charts(client.get("/projects/"))

    assert_accessible(chart.svg, "Projects by topic over time")
    assert chart.legend == ["Asylum", "Border management"]
    assert chart.table == {"2010": [1, 0], "2011": [2, 1], "Without dates": [1, 0]}
    assert link_names(chart.svg)["/projects/?year=2010"] == "2010: Asylum 1 project, Border management 0 projects"
    assert link_names(chart.svg)["/projects/?year=2011"] == "2011: Asylum 2 projects, Border management 1 project"
    assert "Projects without dates are not drawn" in chart.note


def test_topics_tied_for_the_last_line_are_the_same_in_every_language(client, monkeypatch):
    """Of topics with as many projects, the chart draws the same in English and Russian (it broke
    ties by the name in the page's language, so each language drew different topics)."""
    from cooperation.pictures import figures

    monkeypatch.setattr(figures, "TOPIC_LINES", 1)
    first = f.TopicFactory(slug="asylum", name="Asylum", name_ru="Убежище")
    second = f.TopicFactory(slug="border-management", name="Border management", name_ru="Аграница")
    f.ProjectFactory(start=PD(2010), topics=[first, second])

    [english] = charts(client.get("/projects/"))
    [russian] = charts(client.get("/ru/projects/"))
    assert link_names(english.svg)["/projects/?year=2010"] == "2010: Asylum 1 project"
    assert link_names(russian.svg)["/ru/projects/?year=2010"].startswith("2010: Убежище 1 ")


def test_the_projects_chart_follows_the_lists_filters_and_keeps_them_in_its_links(client, topic_projects):
    [chart] = charts(client.get("/projects/?partner=iom"))
    assert chart.table == {"2011": [1, 1]}
    assert list(link_names(chart.svg)) == ["/projects/?partner=iom&year=2011"]

    # A ticked topic: only its line.
    [chart] = charts(client.get("/projects/?topic=borders"))
    assert chart.legend == [] and chart.table == {"2011": [1]}  # one line needs no legend

    [chart] = charts(client.get("/projects/?status=completed"))
    assert chart.table == {"2010": [1], "2011": [1]}


@pytest.mark.parametrize("path", ["/projects/", "/projects/?partner=iom", "/projects/?status=ongoing&year=2011"])
def test_the_count_tables_and_a_count_on_the_fly_draw_the_same_chart(client, topic_projects, monkeypatch, path):
    [from_tables] = charts(client.get(path))
    monkeypatch.setattr(count_reads, "cube_rows", lambda *args, **kwargs: None)
    f.TopicFactory()  # a change to the data: nothing cached is used
    [on_the_fly] = charts(client.get(path))
    assert on_the_fly.table == from_tables.table


@pytest.mark.parametrize("overlap_limit", [count_reads.OVERLAP_LIMIT, 0])
def test_two_partners_are_charted_from_the_count_tables_or_on_the_fly(
    client, topic_projects, monkeypatch, overlap_limit
):
    # Two partners ticked: the count tables' projects of each, less those of both (a project of
    # IOM and the EU); with too many of those (OVERLAP_LIMIT), the chart groups the projects.
    monkeypatch.setattr(count_reads, "OVERLAP_LIMIT", overlap_limit)
    iom, eu = Partner.objects.get(slug="iom"), f.PartnerFactory(slug="eu")
    f.ProjectPartnerFactory(partner=eu, project=f.ProjectFactory(start=PD(2015), topics=[topic_projects[1]]))
    f.ProjectPartnerFactory(partner=eu, project=Project.objects.filter(partners=iom).order_by("pk").first())
    [chart] = charts(client.get("/projects/?partner=iom&partner=eu"))
    assert chart.legend == ["Border management", "Asylum"]  # the most projects first
    assert chart.table == {"2011": [1, 1], "2015": [1, 0]}


def test_a_filter_the_count_tables_cannot_answer_joins_the_projects_to_their_topics_once(
    client, topic_projects, monkeypatch
):
    # The topic facet and the chart add up the same grouping: one join of the projects to their
    # topics for both, and the facet's numbers are the chart's. Answered from the count tables
    # (no project of both partners to subtract), none.
    eu = f.PartnerFactory(slug="eu")
    f.ProjectPartnerFactory(partner=eu, project=f.ProjectFactory(start=PD(2015), topics=[topic_projects[1]]))
    topic_links = Project.topics.through._meta.db_table
    for overlap_limit, joins in ((count_reads.OVERLAP_LIMIT, 0), (0, 1)):
        if not overlap_limit:  # a project of both, more than OVERLAP_LIMIT: counted on the fly
            monkeypatch.setattr(count_reads, "OVERLAP_LIMIT", overlap_limit)
            f.ProjectPartnerFactory(partner=eu, project=Project.objects.filter(partners__slug="iom").first())
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/projects/?partner=iom&partner=eu")
        grouped = [query["sql"] for query in captured.captured_queries if "GROUP BY" in query["sql"]]
        assert sum(1 for sql in grouped if topic_links in sql) == joins
        assert facet(response, "topic") == {"asylum": 1, "borders": 2}


def test_the_chart_is_in_the_pages_language_with_coordinates_any_svg_reads(client, topic_projects):
    response = client.get("/ru/projects/")
    html = response.content.decode()
    [chart] = charts(response)
    assert chart.svg.find(f"{SVG}title").text == "Проекты по темам во времени"
    assert "Управление границами" in html
    assert not re.search(r'(?:x|y|width|height|cx|cy)="-?\d+,\d', html)


# A topic's page ------------------------------------------------------------------------------


def test_a_topic_page_draws_its_projects_per_year_by_status(client, topic_projects):
    [chart] = charts(client.get("/topics/asylum/"))

    assert_accessible(chart.svg, "Projects per year, by status")
    assert chart.legend == ["Completed", "Ongoing"]
    assert chart.table == {"2010": [1, 0, 0, 0], "2011": [1, 1, 0, 0], "Without dates": [0, 1, 0, 0]}
    assert link_names(chart.svg)["/projects/?topic=asylum&year=2010"] == "2010: 1 project (completed 1)"
    assert link_names(chart.svg)["/projects/?topic=asylum&year=2011"] == "2011: 2 projects (completed 1, ongoing 1)"
    assert [chart.bars(f"/projects/?topic=asylum&year={year}") for year in (2010, 2011)] == [1, 2]


def test_a_topic_chart_says_when_several_years_share_the_most_and_names_an_empty_year_plainly(client):
    """Seven years of one project each are not "the most in 2017 (1)"; a year between them with
    none is "2011: 0 projects", not "2011: 0 projects ()"."""
    topic = f.TopicFactory(slug="asylum")
    f.ProjectFactory(start=PD(2010), end=PD(2010), topics=[topic], status=Project.Status.COMPLETED)
    f.ProjectFactory(start=PD(2012), end=PD(2012), topics=[topic], status=Project.Status.COMPLETED)

    [chart] = charts(client.get("/topics/asylum/"))
    description = chart.svg.find(f"{SVG}desc").text
    assert "the most (1) in more than one year, the last of them 2012." in description
    assert "the most in" not in description
    assert link_names(chart.svg)["/projects/?topic=asylum&year=2011"] == "2011: 0 projects"

    f.ProjectFactory(start=PD(2012), end=PD(2012), topics=[topic], status=Project.Status.COMPLETED)
    [chart] = charts(client.get("/topics/asylum/"))
    assert "the most in 2012 (2)." in chart.svg.find(f"{SVG}desc").text


# Partners by projects and meetings (/partners/) -----------------------------------------------


@pytest.fixture
def busy_partners():
    iom = f.PartnerFactory(slug="iom", name="International Organization for Migration")
    eu = f.PartnerFactory(slug="eu", name="European Union", scope=Partner.Scope.BILATERAL)
    f.PartnerFactory(slug="idle")
    for _ in range(3):
        f.ProjectPartnerFactory(partner=iom)
    project = f.ProjectFactory()
    f.ProjectPartnerFactory(project=project, partner=eu)
    f.ProjectPartnerFactory(project=project, partner=eu, role="funding")  # two roles: one project
    f.MeetingFactory.create_batch(5, partners=[eu])
    f.MeetingFactory(partners=[iom])
    f.MeetingFactory(partners=[iom], published=False)
    return iom, eu


def test_the_partners_list_draws_the_partners_in_the_most_projects_and_meetings(client, busy_partners):
    [chart] = charts(client.get("/partners/"))

    assert_accessible(chart.svg, "Partners by projects and meetings")
    assert chart.table == {"European Union": [1, 5], "International Organization for Migration": [3, 1]}
    assert link_names(chart.svg) == {
        "/partners/eu/": "European Union: 1 project, 5 meetings",
        "/partners/iom/": "International Organization for Migration: 3 projects, 1 meeting",
        "/projects/?partner=eu": "European Union: Projects 1",
        "/events/?partner=eu".replace("/events/", "/meetings/"): "European Union: Meetings 5",
        "/projects/?partner=iom": "International Organization for Migration: Projects 3",
        "/meetings/?partner=iom": "International Organization for Migration: Meetings 1",
    }
    assert "of 3 partners" in chart.note  # the idle partner is in the list, not in the chart


def test_the_partners_chart_labels_a_row_by_the_acronym_where_there_is_one(client, busy_partners):
    """Names cut to the same first words would look alike ("State Migration Service of the Re…"
    twice): a row says the acronym in the page's language where the partner has one, and its
    link and the table the full name."""
    iom, eu = busy_partners
    iom.acronym, iom.acronym_ru = "IOM", "МОМ"
    iom.save()
    eu.acronym, eu.name_az = "EU", "Avropa İttifaqı"
    eu.save()

    [chart] = charts(client.get("/partners/"))
    assert chart.row_labels == ["EU", "IOM"]
    assert "International Organization for Migration" in chart.table
    # In the page's language before the English, as the site names a partner short: an
    # Azerbaijani name before an English acronym.
    [chart] = charts(client.get("/ru/partners/"))
    assert chart.row_labels == ["EU", "МОМ"]
    [chart] = charts(client.get("/az/partners/"))
    assert chart.row_labels == ["Avropa İttifaqı", "IOM"]


def test_the_partners_chart_follows_the_lists_filters(client, busy_partners):
    [chart] = charts(client.get("/partners/?scope=bilateral"))
    assert chart.table == {"European Union": [1, 5]}
    [chart] = charts(client.get("/partners/?q=migration"))
    assert chart.table == {"International Organization for Migration": [3, 1]}


def test_the_partners_chart_names_as_many_as_it_draws(client, busy_partners, monkeypatch):
    from partners import selectors

    monkeypatch.setattr(selectors, "PARTNER_CHART_ROWS", 1)
    monkeypatch.setattr(selectors.partners_by_activity, "__defaults__", (1,))
    [chart] = charts(client.get("/partners/"))
    assert list(chart.table) == ["European Union"]  # 6 records before 4


def test_an_untranslated_partner_is_marked_english_in_the_chart_and_its_table(client, busy_partners):
    """On an Azerbaijani page the English name of a partner with no translation is marked
    ``lang="en"`` on its SVG label (cut short, still English) and in the table; a translated one
    is not, nor is any name on the English page."""
    iom, eu = busy_partners
    Partner.objects.filter(pk=iom.pk).update(acronym="")  # labelled by its name, cut short
    Partner.objects.filter(pk=eu.pk).update(name_az="Avropa İttifaqı")

    response = client.get("/az/partners/")

    [chart] = charts(response)
    labels = {
        text.text: text.get("lang") for text in chart.svg.iter(f"{SVG}text") if text.get("class") == "chart-row-label"
    }
    assert labels == {"International Organiza…": "en", "Avropa İttifaqı": None}
    html = response.content.decode()
    assert '<a href="/az/partners/iom/"><span lang="en">International Organization for Migration</span></a>' in html
    assert '<a href="/az/partners/eu/">Avropa İttifaqı</a>' in html
    [english] = re.findall(r'<figure class="chart .*?</figure>', client.get("/partners/").content.decode(), re.S)
    assert "lang=" not in english


def test_an_untranslated_topic_is_marked_english_in_the_legend_and_the_tables_header(client, topic_projects):
    html = client.get("/ru/projects/").content.decode()

    [figure] = re.findall(r'<figure class="chart .*?</figure>', html, re.S)
    legend = re.findall(r'<li><span class="chart-swatch [^"]*" aria-hidden="true"></span>(.*?)</li>', figure)
    headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', figure)
    assert legend == ['<span lang="en">Asylum</span>', "Управление границами"]
    assert headers[1:] == legend
