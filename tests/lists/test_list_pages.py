import datetime
import re

import pytest
from django.utils.html import escape

from cooperation.core.partial_dates import PartialDate as PD
from tests import factories as f

pytestmark = pytest.mark.django_db


def titles(response):
    """The record titles listed on a list page, in order."""
    return [obj.title if hasattr(obj, "title") else obj.name for obj in response.context["object_list"]]


def facet(response, name):
    """{option value: count} for the visible options of one facet."""
    for item in response.context["facets"]:
        if item.name == name:
            return {option.value: option.count for option in item.visible_options}
    raise AssertionError(f"no facet {name}")


@pytest.fixture
def project_world():
    asylum = f.TopicFactory(slug="asylum", name="Asylum")
    readmission = f.TopicFactory(slug="readmission", name="Readmission")
    trafficking = f.TopicFactory(slug="anti-trafficking", name="Anti-trafficking")
    iom = f.PartnerFactory(slug="iom", acronym="IOM", name="International Organization for Migration")
    unhcr = f.PartnerFactory(slug="unhcr", acronym="UNHCR", name="UNHCR")
    a = f.ProjectFactory(
        title="Alpha", start=PD(2006), end=PD(2008), status="completed", topics=[asylum, readmission, trafficking]
    )
    b = f.ProjectFactory(title="Bravo", start=PD(2014, 3), end=None, status="ongoing", topics=[readmission])
    c = f.ProjectFactory(title="Charlie", start=PD(2010), end=None, status="completed", topics=[asylum])
    f.ProjectPartnerFactory(project=a, partner=iom, role="implementing")
    f.ProjectPartnerFactory(project=a, partner=iom, role="funding")
    f.ProjectPartnerFactory(project=b, partner=unhcr)
    f.ProjectPartnerFactory(project=c, partner=iom)
    draft = f.ProjectFactory(title="Draft project", start=PD(2006), published=False, topics=[asylum])
    f.ProjectPartnerFactory(project=draft, partner=iom)
    return locals()


def test_project_list_shows_only_published_projects_newest_first(client, project_world):
    response = client.get("/projects/")
    assert titles(response) == ["Bravo", "Charlie", "Alpha"]
    assert "Draft project" not in response.content.decode()


def test_project_topic_filter_repeated_values_mean_either(client, project_world):
    assert titles(client.get("/projects/?topic=asylum")) == ["Charlie", "Alpha"]
    assert titles(client.get("/projects/?topic=asylum&topic=readmission")) == ["Bravo", "Charlie", "Alpha"]


def test_project_filters_combine(client, project_world):
    assert titles(client.get("/projects/?topic=asylum&partner=iom&status=completed&year=2007")) == ["Alpha"]
    assert titles(client.get("/projects/?topic=readmission&partner=unhcr")) == ["Bravo"]


def test_topic_facet_counts_each_project_once_per_topic_and_hides_empty_options(client, project_world):
    counts = facet(client.get("/projects/"), "topic")
    assert counts == {"asylum": 2, "readmission": 2, "anti-trafficking": 1}


def test_partner_facet_counts_a_partner_with_two_roles_once(client, project_world):
    assert facet(client.get("/projects/"), "partner") == {"iom": 2, "unhcr": 1}


def test_facets_reflect_the_other_active_filters(client, project_world):
    response = client.get("/projects/?partner=unhcr")
    assert facet(response, "topic") == {"readmission": 1}
    # The partner facet itself ignores the partner filter, so the visitor can add IOM.
    assert facet(response, "partner") == {"iom": 2, "unhcr": 1}


def test_year_means_active_that_year(client, project_world):
    this_year = datetime.date.today().year
    assert titles(client.get("/projects/?year=2007")) == ["Alpha"]
    assert titles(client.get("/projects/?year=2008")) == ["Alpha"]
    assert titles(client.get("/projects/?year=2009")) == []
    # Completed without an end date: active only in its start year.
    assert titles(client.get("/projects/?year=2010")) == ["Charlie"]
    assert titles(client.get("/projects/?year=2011")) == []
    # Ongoing without an end date: active from its start until this year, not beyond.
    assert titles(client.get(f"/projects/?year={this_year}")) == ["Bravo"]
    assert titles(client.get(f"/projects/?year={this_year + 1}")) == []


def test_year_facet_counts_every_active_year_newest_first(client, project_world):
    this_year = datetime.date.today().year
    response = client.get("/projects/")
    years = facet(response, "year")
    assert years["2006"] == years["2007"] == years["2008"] == 1
    assert years["2010"] == 1 and "2009" not in years and "2011" not in years
    assert years[str(this_year)] == 1
    assert list(years) == sorted(years, reverse=True)


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


def test_result_count_and_pagination_links(client):
    f.ProjectFactory.create_batch(30, topics=[])
    response = client.get("/projects/?page=2&sort=title")
    body = response.content.decode()
    assert response.context["result_count"] == 30
    assert len(response.context["object_list"]) == 5
    assert "30 projects" in body and "(page 2 of 2)" in body
    assert 'href="?sort=title" rel="prev"' in body


def test_sort_by_title_and_oldest(client, project_world):
    assert titles(client.get("/projects/?sort=title")) == ["Alpha", "Bravo", "Charlie"]
    assert titles(client.get("/projects/?sort=oldest")) == ["Alpha", "Charlie", "Bravo"]


def test_drafts_are_not_counted_in_facets(client, project_world):
    f.TopicFactory(slug="draft-topic", name="Draft topic", published=False)
    response = client.get("/projects/?topic=draft-topic")
    assert facet(response, "topic")["asylum"] == 2  # the draft project with asylum is not counted
    assert "draft-topic" not in facet(response, "topic")
    assert escape("There is no topic “draft-topic”") in response.content.decode()


def test_agreement_filters_by_partner_kind_status_and_year_signed(client):
    eu = f.PartnerFactory(slug="eu", acronym="EU")
    iom = f.PartnerFactory(slug="iom", acronym="IOM")
    f.AgreementFactory(
        title="Visa facilitation", kind="visa-facilitation-agreement", signed=PD(2013, 11, 29), parties=[eu]
    )
    f.AgreementFactory(
        title="Readmission", kind="readmission-agreement", signed=PD(2014, 2, 28), in_force=PD(2014, 9), parties=[eu]
    )
    f.AgreementFactory(title="IOM cooperation", signed=PD(1999, 12, 8), ratified=PD(2000, 2, 8), parties=[iom])
    f.AgreementFactory(title="Undated declaration", kind="joint-declaration", signed=None, parties=[eu])
    assert titles(client.get("/agreements/?partner=eu")) == ["Readmission", "Visa facilitation", "Undated declaration"]
    assert titles(client.get("/agreements/?kind=readmission-agreement")) == ["Readmission"]
    assert titles(client.get("/agreements/?status=in-force")) == ["Readmission"]
    assert titles(client.get("/agreements/?status=ratified&status=signed")) == ["Visa facilitation", "IOM cooperation"]
    assert titles(client.get("/agreements/?status=unknown")) == ["Undated declaration"]
    assert titles(client.get("/agreements/?year=2013&year=2014")) == ["Readmission", "Visa facilitation"]
    response = client.get("/agreements/?partner=eu")
    assert facet(response, "status") == {"signed": 1, "in-force": 1, "unknown": 1}
    assert facet(response, "year") == {"2014": 1, "2013": 1}
    assert "In force" in response.content.decode()


def test_meeting_filters_by_partner_kind_and_year(client):
    iom = f.PartnerFactory(slug="iom")
    cis = f.PartnerFactory(slug="cis")
    f.MeetingFactory(
        title="107th Council session",
        kind="governing-body-session",
        start=PD(2016, 12, 5),
        end=PD(2016, 12, 8),
        partners=[iom],
    )
    f.MeetingFactory(title="19th CHMB meeting", kind="governing-body-session", start=PD(2016, 10, 12), partners=[cis])
    f.MeetingFactory(title="First visit", kind="visit", start=PD(2000, 10), partners=[iom])
    f.MeetingFactory(title="Undated working group", kind="working-group", start=None, partners=[cis])
    assert titles(client.get("/meetings/?partner=iom")) == ["107th Council session", "First visit"]
    assert titles(client.get("/meetings/?kind=governing-body-session&year=2016")) == [
        "107th Council session",
        "19th CHMB meeting",
    ]
    assert titles(client.get("/meetings/?year=2000&partner=cis")) == []
    response = client.get("/meetings/")
    assert facet(response, "year") == {"2016": 2, "2000": 1}
    body = response.content.decode()
    assert "5–8 December 2016" in body and "October 2000" in body and "date not recorded" in body


def test_office_filters_by_partner_and_lower_case_country(client):
    iom = f.PartnerFactory(slug="iom", acronym="IOM")
    unhcr = f.PartnerFactory(slug="unhcr", acronym="UNHCR")
    f.OfficeFactory(name="IOM Baku", partner=iom, country="AZ", opened=PD(1996))
    f.OfficeFactory(name="IOM Geneva", partner=iom, country="CH", opened=None)
    f.OfficeFactory(name="UNHCR Baku", partner=unhcr, country="AZ", opened=PD(2000))
    f.OfficeFactory(name="Office of a draft partner", partner=f.PartnerFactory(published=False), country="AZ")
    assert titles(client.get("/offices/?country=az")) == ["IOM Baku", "UNHCR Baku"]
    assert titles(client.get("/offices/?country=AZ&partner=iom")) == ["IOM Baku"]
    assert titles(client.get("/offices/")) == ["IOM Baku", "UNHCR Baku", "IOM Geneva"]
    response = client.get("/offices/?partner=iom")
    assert facet(response, "country") == {"az": 1, "ch": 1}
    assert escape("“zz” is not a country code") in client.get("/offices/?country=zz").content.decode()


def test_partner_list_filters_by_kind_and_name(client):
    f.PartnerFactory(name="International Organization for Migration", acronym="IOM", kind="international-organisation")
    f.PartnerFactory(name="Republic of Türkiye", acronym="", kind="state", other_names="Republic of Turkey")
    assert titles(client.get("/partners/?kind=state")) == ["Republic of Türkiye"]
    assert titles(client.get("/partners/?q=turkey")) == ["Republic of Türkiye"]
    assert titles(client.get("/partners/?q=TURKIYE")) == ["Republic of Türkiye"]
    assert titles(client.get("/partners/?q=Türkiye+republic")) == ["Republic of Türkiye"]
    assert titles(client.get("/partners/?q=iom&kind=state")) == []
    response = client.get("/partners/?q=organization")
    assert facet(response, "kind") == {"international-organisation": 1}
    assert [chip["label"] for chip in response.context["chips"]] == ["Name: organization"]


def test_every_filter_state_is_a_shareable_url(client, project_world):
    response = client.get("/projects/?topic=asylum&year=2006")
    body = response.content.decode()
    # The filter form is a GET form: ticking and applying makes the same kind of URL.
    assert re.search(r'<form id="filters" class="facets" method="get" action="/projects/"', body)
    assert 'name="topic" value="asylum" checked' in body
    assert 'name="year" value="2006" checked' in body
    assert 'rel="canonical" href="http://testserver/projects/?topic=asylum&amp;year=2006"' in body


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


def test_agreements_filter_by_topic_and_topic_pages_list_them(client):
    readmission = f.TopicFactory(slug="readmission", name="Readmission")
    visas = f.TopicFactory(slug="visa-facilitation", name="Visa facilitation")
    f.AgreementFactory(title="Readmission agreement", signed=PD(2014, 2, 28)).topics.set([readmission])
    f.AgreementFactory(title="Visa facilitation agreement", signed=PD(2013, 11, 29)).topics.set([visas])
    assert titles(client.get("/agreements/?topic=readmission")) == ["Readmission agreement"]
    assert facet(client.get("/agreements/"), "topic") == {"readmission": 1, "visa-facilitation": 1}
    body = client.get("/topics/visa-facilitation/").content.decode()
    assert "Visa facilitation agreement" in body and "Readmission agreement" not in body


def test_every_notice_names_its_parameter(client, project_world):
    response = client.get("/projects/?topic=nope&year=abc&page=x&sort=y&colour=blue")
    assert sorted(notice.param for notice in response.context["notices"]) == ["colour", "page", "sort", "topic", "year"]


def test_rows_that_tie_on_date_and_title_are_neither_repeated_nor_skipped_across_pages(client):
    f.MeetingFactory.create_batch(30, title="Expert meeting", start=PD(2016, 5))
    seen = []
    for page in (1, 2):
        seen += [meeting.slug for meeting in client.get(f"/meetings/?page={page}").context["object_list"]]
    assert len(seen) == len(set(seen)) == 30
