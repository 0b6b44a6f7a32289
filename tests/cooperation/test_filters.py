"""The project and agreement lists' filters, facets and sorts (cooperation/filters.py).

Through the project list, what every list does with its parameters (cooperation/core/listing/):
repeated values, facets that follow the other filters, bad values dropped with a notice, chips and
shareable URLs."""

import datetime
import re

import pytest
from django.utils.html import escape

from cooperation.core.partial_dates import PartialDate as PD
from tests import factories as f
from tests.helpers.listing import facet, titles

pytestmark = pytest.mark.django_db


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


# The project list -----------------------------------------------------------------------------


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


def test_sort_by_title_and_oldest(client, project_world):
    assert titles(client.get("/projects/?sort=title")) == ["Alpha", "Bravo", "Charlie"]
    assert titles(client.get("/projects/?sort=oldest")) == ["Alpha", "Charlie", "Bravo"]


def test_drafts_are_not_counted_in_facets(client, project_world):
    f.TopicFactory(slug="draft-topic", name="Draft topic", published=False)
    response = client.get("/projects/?topic=draft-topic")
    assert facet(response, "topic")["asylum"] == 2  # the draft project with asylum is not counted
    assert "draft-topic" not in facet(response, "topic")
    assert escape("There is no topic “draft-topic”") in response.content.decode()


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
    assert 'name="topic" value="asylum" checked' in body
    assert 'name="year" value="2006" checked' in body
    assert 'rel="canonical" href="http://testserver/projects/?topic=asylum&amp;year=2006"' in body


def test_every_notice_names_its_parameter(client, project_world):
    response = client.get("/projects/?topic=nope&year=abc&page=x&sort=y&colour=blue")
    assert sorted(notice.param for notice in response.context["notices"]) == ["colour", "page", "sort", "topic", "year"]


# The agreement list ---------------------------------------------------------------------------


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


def test_agreements_filter_by_topic_and_topic_pages_list_them(client):
    readmission = f.TopicFactory(slug="readmission", name="Readmission")
    visas = f.TopicFactory(slug="visa-facilitation", name="Visa facilitation")
    f.AgreementFactory(title="Readmission agreement", signed=PD(2014, 2, 28)).topics.set([readmission])
    f.AgreementFactory(title="Visa facilitation agreement", signed=PD(2013, 11, 29)).topics.set([visas])
    assert titles(client.get("/agreements/?topic=readmission")) == ["Readmission agreement"]
    assert facet(client.get("/agreements/"), "topic") == {"readmission": 1, "visa-facilitation": 1}
    body = client.get("/topics/visa-facilitation/").content.decode()
    assert "Visa facilitation agreement" in body and "Readmission agreement" not in body
