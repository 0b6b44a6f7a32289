"""The partner and office lists' filters and facets (partners/filters.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from cooperation.core.partial_dates import PartialDate as PD
from tests import factories as f
from tests.helpers.exports import export
from tests.helpers.listing import facet, form_options, titles
from tests.helpers.pages import get

pytestmark = pytest.mark.django_db


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


@pytest.fixture
def dated_offices():
    iom = f.PartnerFactory(slug="iom", acronym="IOM")
    unhcr = f.PartnerFactory(slug="unhcr", acronym="UNHCR")
    f.OfficeFactory(name="IOM Baku", partner=iom, opened=PD(1996), closed=PD(2010, 6))
    f.OfficeFactory(name="IOM Ganja", partner=iom, opened=PD(2010, 3))
    f.OfficeFactory(name="UNHCR Baku", partner=unhcr, opened=PD(2010), closed=PD(2012))
    f.OfficeFactory(name="IOM Geneva", partner=iom, opened=None)
    f.OfficeFactory(name="Draft office", partner=iom, opened=PD(2010), published=False)
    f.OfficeFactory(name="Office of a draft partner", partner=f.PartnerFactory(published=False), opened=PD(2010))


def test_offices_filter_by_the_year_opened_and_closed_with_their_facets(client, dated_offices):
    assert titles(client.get("/offices/?opened=2010")) == [
        "UNHCR Baku",
        "IOM Ganja",
    ]  # oldest first: 2010, then March 2010
    assert titles(client.get("/offices/?closed=2010")) == ["IOM Baku"]
    assert titles(client.get("/offices/?closed=2010&closed=2012")) == ["IOM Baku", "UNHCR Baku"]
    assert titles(client.get("/offices/?opened=2010&partner=iom")) == ["IOM Ganja"]

    response = client.get("/offices/")
    assert facet(response, "opened") == {"2010": 2, "1996": 1}
    assert facet(response, "closed") == {"2012": 1, "2010": 1}
    # Each counts the rows the other filters leave, and keeps its own year ticked.
    response = client.get("/offices/?opened=2010")
    assert facet(response, "closed") == {"2012": 1}
    assert form_options(response, "opened") == [("2010", "checked"), ("1996", "")]
    page = get(client, "/offices/?opened=2010&partner=iom")
    assert "Year opened: Year opened: 2010 × (remove this filter)" in page.text
    assert ("?partner=iom", "Year opened: 2010 × (remove this filter)") in page.links


@pytest.mark.parametrize("name", ["opened", "closed"])
def test_a_bad_office_year_is_reported_and_the_other_filters_kept(client, dated_offices, name):
    response = client.get(f"/offices/?{name}=20101&partner=unhcr")
    assert response.status_code == 200
    assert [str(notice) for notice in response.context["notices"]] == [
        "“20101” is not a year between 1000 and 9999; that filter was ignored."
    ]
    assert titles(response) == ["UNHCR Baku"]


def test_the_office_year_filters_in_the_exports(client, dated_offices):
    assert [row["name"] for row in export(client, "/offices/?closed=2010")] == ["IOM Baku"]
    response = client.get("/offices/?opened=2010&format=json")
    assert response["Content-Disposition"] == 'attachment; filename="offices-opened-2010.json"'


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


def facet_labels(response, name):
    """{option value: the label the reader sees} of one facet's visible options."""
    [item] = [item for item in response.context["facets"] if item.name == name]
    return {option.value: option.label for option in item.visible_options}


def test_the_post_facet_names_each_post_in_the_pages_language_and_filters_by_its_english(client):
    iom = f.PartnerFactory(slug="iom")
    f.PostFactory(organisation=iom, title="Director General", title_az="Baş direktor", title_ru="Генеральный директор")
    f.PostFactory(organisation=iom, title="Director General", title_az="", title_ru="")  # untranslated: one option
    f.PostFactory(organisation=iom, title="Chief", title_az="", title_ru="")

    assert facet_labels(client.get("/az/people/"), "post") == {"Director General": "Baş direktor", "Chief": "Chief"}
    response = client.get("/ru/people/?post=Director+General")
    assert facet_labels(response, "post") == {"Director General": "Генеральный директор", "Chief": "Chief"}
    assert facet(response, "post") == {"Director General": 2, "Chief": 1}
    assert len(titles(response)) == 2
    assert "Генеральный директор" in [option.label for option in response.context["filterset"].selected["post"]]
    assert facet_labels(client.get("/people/"), "post") == {"Director General": "Director General", "Chief": "Chief"}


def test_people_filter_by_the_partner_and_the_post_they_held(client):
    iom = f.PartnerFactory(slug="iom", name="International Organization for Migration", acronym="IOM")
    sms = f.PartnerFactory(slug="sms", name="State Migration Service", acronym="SMS")
    swing = f.PersonFactory(name="William Lacy Swing")
    f.PostFactory(person=swing, organisation=iom, title="Director General", start=PD(2008, 10))
    f.PostFactory(person=swing, organisation=iom, title="Special Representative", start=PD(2003))
    chief = f.PersonFactory(name="Firudin Nabiyev")
    f.PostFactory(person=chief, organisation=sms, title="Chief", start=PD(2006))
    f.PersonFactory(name="Someone without a post")
    f.PostFactory(person=f.PersonFactory(name="Draft official", published=False), organisation=iom)

    response = client.get("/people/")
    assert titles(response) == ["Firudin Nabiyev", "Someone without a post", "William Lacy Swing"]
    assert facet(response, "partner") == {"iom": 1, "sms": 1}  # Swing's two posts count him once
    assert facet(response, "post") == {"Chief": 1, "Director General": 1, "Special Representative": 1}
    assert titles(client.get("/people/?partner=iom")) == ["William Lacy Swing"]
    assert titles(client.get("/people/?post=Director+General&post=Chief")) == ["Firudin Nabiyev", "William Lacy Swing"]
    assert titles(client.get("/people/?q=swing")) == ["William Lacy Swing"]
    assert facet(client.get("/people/?partner=sms"), "post") == {"Chief": 1}
    assert (
        escape("There is no post “Pope”; that filter was ignored.") in client.get("/people/?post=Pope").content.decode()
    )


def test_partners_sorted_by_their_projects_and_meetings_most_first(client, django_assert_num_queries):
    """The ranking of the partners list's chart and of the timeline on /years/, for every partner."""
    quiet, busy, middle = (f.PartnerFactory(name=name) for name in ("Quiet", "Busy", "Middle"))
    for _ in range(3):
        f.MeetingFactory(partners=[busy])
    f.ProjectPartnerFactory(partner=busy)
    f.ProjectPartnerFactory(partner=middle)
    f.MeetingFactory(partners=[middle], published=False)  # a draft counts for nothing

    response = client.get("/partners/?sort=records")

    assert titles(response) == ["Busy", "Middle", "Quiet"]
    assert "Most projects and meetings first" in response.content.decode()


def test_partners_totals_are_joined_once_a_query(client):
    """The sort by records and the list's chart read each partner's totals as its one row of
    their count tables, joined by the partner (a LEFT JOIN: a partner with no projects has none).
    Read by a subquery instead, the database ran it again for each place the sum is used in (the
    filter, the order and the columns): the chart of 3,418 partners took 23-32 ms, not 13-18; and
    with the tables' default ordering each read joined the partners and sorted them."""
    f.ProjectPartnerFactory(partner=f.PartnerFactory(name="Busy"))

    with CaptureQueriesContext(connection) as captured:
        client.get("/partners/?sort=records")

    totals = [
        query["sql"] for query in captured.captured_queries if '"cooperation_projectpartnertotal"' in query["sql"]
    ]
    assert len(totals) == 2  # the list's rows and its chart
    for sql in totals:
        for table in ("cooperation_projectpartnertotal", "events_meetingpartnertotal"):
            join = f'LEFT OUTER JOIN "{table}" ON ("partners_partner"."id" = "{table}"."partner_id")'
            assert sql.count(f'"{table}"') == sql.count(f'"{table}".') + 1 and sql.count(join) == 1, sql
        assert "SELECT U0" not in sql, sql
