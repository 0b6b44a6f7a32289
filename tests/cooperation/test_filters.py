"""The project and agreement lists' filters, facets and sorts (cooperation/filters.py): repeated
values, facets that follow the other filters. What every list does with bad parameters, its chips
and shareable URLs is tested through the project list in tests/core/test_listing.py (the
``project_world`` fixture is in tests/conftest.py)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils.html import escape

from cooperation.core.partial_dates import PartialDate as PD
from tests import factories as f
from tests.helpers.exports import export
from tests.helpers.listing import facet, form_options, titles
from tests.helpers.pages import get

pytestmark = pytest.mark.django_db


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
    # Ongoing without an end date or a date of report: only its start year, never to today.
    assert titles(client.get("/projects/?year=2014")) == ["Bravo"]
    assert titles(client.get("/projects/?year=2015")) == []
    assert titles(client.get(f"/projects/?year={this_year}")) == []


def test_year_facet_counts_every_active_year_newest_first(client, project_world):
    this_year = datetime.date.today().year
    response = client.get("/projects/")
    years = facet(response, "year")
    assert years["2006"] == years["2007"] == years["2008"] == 1
    assert years["2010"] == 1 and "2009" not in years and "2011" not in years
    assert years["2014"] == 1 and "2015" not in years and str(this_year) not in years
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


def test_agreement_status_and_year_follow_the_actions_of_every_kind(client):
    """Approval, accession and definitive signature are consents (status "ratified"); the year
    is the first signature's; a denunciation by one party leaves it in force; a termination ends it."""
    sms, iom = f.PartnerFactory(slug="sms"), f.PartnerFactory(slug="iom")

    def agreement(title, *actions):
        record = f.AgreementFactory(title=title, parties=[sms, iom], signed=None, actions=False)
        for kind, date, party in actions:
            f.AgreementActionFactory(agreement=record, kind=kind, date=date, party=party)
        return record

    agreement("Approved", ("signature", PD(2016, 12, 8), None), ("approval", PD(2017, 2, 23), sms))
    agreement("Acceded", ("accession", PD(2000, 12), sms))
    agreement("Definitive", ("definitive-signature", PD(2005), None))
    agreement(
        "Denounced",
        ("signature", PD(2001), None),
        ("entry-into-force", PD(2002), None),
        ("denunciation", PD(2010), iom),
    )
    agreement("Terminated", ("signature", PD(2001), None), ("termination", PD(2009), None))
    agreement("Only applied", ("provisional-application", PD(2019), None))

    assert titles(client.get("/agreements/?status=ratified")) == ["Approved", "Definitive", "Acceded"]
    assert titles(client.get("/agreements/?status=in-force")) == ["Denounced"]
    assert titles(client.get("/agreements/?status=ended")) == ["Terminated"]
    assert titles(client.get("/agreements/?status=unknown")) == ["Only applied"]
    assert titles(client.get("/agreements/?year=2016")) == ["Approved"]
    assert titles(client.get("/agreements/?year=2001")) == ["Denounced", "Terminated"]
    response = client.get("/agreements/")
    assert facet(response, "status") == {"ratified": 3, "in-force": 1, "ended": 1, "unknown": 1}
    assert "Ratified, approved or acceded to" in response.content.decode()


@pytest.fixture
def stage_world():
    eu = f.PartnerFactory(slug="eu", acronym="EU")
    iom = f.PartnerFactory(slug="iom", acronym="IOM")
    f.AgreementFactory(
        title="Readmission", signed=PD(2007, 10), ratified=PD(2008, 1), in_force=PD(2008, 1), parties=[eu]
    )
    f.AgreementFactory(title="Visas", signed=PD(2007, 10), ratified=PD(2008, 5), in_force=PD(2009), parties=[eu])
    f.AgreementFactory(title="Framework", signed=PD(1999), in_force=PD(2008, 3), ended=PD(2015), parties=[iom])
    f.AgreementFactory(title="Draft", signed=PD(2007), ratified=PD(2008), published=False, parties=[iom])


def test_agreements_filter_by_the_year_ratified_entered_into_force_and_ended(client, stage_world):
    assert titles(client.get("/agreements/?ratified=2008")) == ["Readmission", "Visas"]
    assert titles(client.get("/agreements/?in_force=2008")) == ["Readmission", "Framework"]
    assert titles(client.get("/agreements/?in_force=2008&in_force=2009")) == ["Readmission", "Visas", "Framework"]
    assert titles(client.get("/agreements/?ended=2015")) == ["Framework"]
    assert titles(client.get("/agreements/?in_force=2008&partner=eu")) == ["Readmission"]
    assert titles(client.get("/agreements/?in_force=2008&year=1999")) == ["Framework"]
    assert client.get("/agreements/?ratified=2008").context["paginator"].count == 2


def test_a_stage_year_facet_is_shown_while_it_is_used_with_its_chip(client, stage_world):
    unused = client.get("/agreements/")
    assert {item.name for item in unused.context["facets"]} == {"partner", "topic", "kind", "status", "year", "place"}
    assert 'id="facet-in_force"' not in unused.content.decode()

    response = client.get("/agreements/?in_force=2008&partner=eu")
    # The facet counts the rows of the other filters, as every facet does, and keeps the year ticked.
    assert facet(response, "in_force") == {"2009": 1, "2008": 1}
    assert form_options(response, "in_force") == [("2009", ""), ("2008", "checked")]
    assert facet(response, "year") == {"2007": 1}
    page = get(client, "/agreements/?in_force=2008&partner=eu")
    assert "Year entered into force: Year entered into force: 2008 × (remove this filter)" in page.text
    assert ("?partner=eu", "Year entered into force: 2008 × (remove this filter)") in page.links
    assert [name for name in ("ratified", "ended") if f'id="facet-{name}"' in response.content.decode()] == []


@pytest.mark.parametrize("name", ["ratified", "in_force", "ended"])
def test_a_bad_stage_year_is_reported_and_the_other_filters_kept(client, stage_world, name):
    response = client.get(f"/agreements/?{name}=abc&partner=eu")
    assert response.status_code == 200
    assert [str(notice) for notice in response.context["notices"]] == [
        "“abc” is not a year between 1000 and 9999; that filter was ignored."
    ]
    assert titles(response) == ["Readmission", "Visas"]


def test_the_stage_year_filters_in_the_exports(client, stage_world):
    assert [row["title"] for row in export(client, "/agreements/?ratified=2008")] == ["Readmission", "Visas"]
    assert [row["title"] for row in export(client, "/agreements/?ended=2015", "json")] == ["Framework"]
    response = client.get("/agreements/?in_force=2009&format=csv")
    assert response["Content-Disposition"] == 'attachment; filename="agreements-in-force-2009.csv"'


def test_agreements_filter_by_topic_and_topic_pages_list_them(client):
    readmission = f.TopicFactory(slug="readmission", name="Readmission")
    visas = f.TopicFactory(slug="visa-facilitation", name="Visa facilitation")
    f.AgreementFactory(title="Readmission agreement", signed=PD(2014, 2, 28)).topics.set([readmission])
    f.AgreementFactory(title="Visa facilitation agreement", signed=PD(2013, 11, 29)).topics.set([visas])
    assert titles(client.get("/agreements/?topic=readmission")) == ["Readmission agreement"]
    assert facet(client.get("/agreements/"), "topic") == {"readmission": 1, "visa-facilitation": 1}
    body = client.get("/topics/visa-facilitation/").content.decode()
    assert "Visa facilitation agreement" in body and "Readmission agreement" not in body


# The topic list -------------------------------------------------------------------------------


def test_topic_list_counts_each_topics_projects_and_agreements_and_filters_those_that_have_them(client):
    asylum = f.TopicFactory(slug="asylum", name="Asylum")
    readmission = f.TopicFactory(slug="readmission", name="Readmission")
    f.TopicFactory(slug="education", name="Education")
    f.TopicFactory(name="Draft topic", published=False)
    f.ProjectFactory(topics=[asylum])
    f.ProjectFactory(topics=[asylum])
    f.ProjectFactory(topics=[asylum], published=False)
    f.AgreementFactory(title="Readmission agreement").topics.set([readmission, asylum])
    f.AgreementFactory(title="Draft agreement", published=False).topics.set([readmission])

    response = client.get("/topics/")
    assert titles(response) == ["Asylum", "Education", "Readmission"]
    assert [(t.project_count, t.agreement_count) for t in response.context["object_list"]] == [(2, 1), (0, 0), (0, 1)]
    assert facet(response, "has") == {"agreements": 2, "projects": 1}
    assert titles(client.get("/topics/?has=projects")) == ["Asylum"]
    assert titles(client.get("/topics/?has=agreements&has=projects")) == ["Asylum", "Readmission"]
    assert titles(client.get("/topics/?sort=records")) == ["Asylum", "Readmission", "Education"]
    assert titles(client.get("/topics/?q=readm")) == ["Readmission"]
    assert escape("“meetings” is not a kind of record (use one of: agreements, projects)") in (
        client.get("/topics/?has=meetings").content.decode()
    )


# The source list ------------------------------------------------------------------------------


def test_source_list_filters_by_kind_publisher_language_and_year_with_their_facets(client):
    f.SourceFactory(title="IOM report", kind="report", publisher="IOM", language="en", date=PD(2006, 5))
    f.SourceFactory(title="SMS news", kind="web-page", publisher="State Migration Service", language="az")
    f.SourceFactory(
        title="Russian news", kind="web-page", publisher="State Migration Service", language="ru", date=PD(2008)
    )
    f.SourceFactory(title="Undated note", kind="other", publisher="", language="en")
    f.SourceFactory(title="Draft report", kind="report", publisher="UNHCR", published=False)

    response = client.get("/sources/")
    assert titles(response) == ["Russian news", "IOM report", "SMS news", "Undated note"]
    assert facet(response, "publisher") == {"State Migration Service": 2, "IOM": 1}
    assert facet(response, "language") == {"en": 2, "az": 1, "ru": 1}
    assert [option.label for option in response.context["facets"][2].options] == ["English", "Azerbaijani", "Russian"]
    assert facet(response, "year") == {"2008": 1, "2006": 1}
    assert titles(client.get("/sources/?publisher=State+Migration+Service&language=az")) == ["SMS news"]
    assert titles(client.get("/sources/?kind=report&kind=other&sort=title")) == ["IOM report", "Undated note"]
    assert titles(client.get("/sources/?year=2006")) == ["IOM report"]
    assert titles(client.get("/sources/?q=news+russian")) == ["Russian news"]
    page = client.get("/sources/?publisher=UNHCR&publisher=IOM").content.decode()
    assert escape("There is no publisher “UNHCR”; that filter was ignored.") in page
    assert facet(client.get("/sources/?publisher=IOM"), "language") == {"en": 1}


# Money: the currency filter and the largest budget first --------------------------------------


@pytest.fixture
def money_world():
    """Projects with money in EUR, USD or none; a draft's NOK is no currency in use."""
    big = f.ProjectFactory(title="Big", start=PD(2010))
    f.BudgetFactory(project=big, amount=Decimal("900000"), currency="EUR")
    # Revised for 2020: replaces the original of that period (not added to it).
    f.BudgetFactory(project=big, amount=Decimal("1000000"), currency="EUR", kind="revised")
    f.BudgetFactory(project=big, amount=Decimal("5000"), currency="USD", period_start=datetime.date(2021, 1, 1))
    middle = f.ProjectFactory(title="Middle", start=PD(2012))
    f.BudgetFactory(project=middle, amount=Decimal("300000"), currency="EUR")
    f.BudgetFactory(project=middle, amount=Decimal("400000"), currency="EUR", period_start=datetime.date(2021, 1, 1))
    dollars = f.ProjectFactory(title="Dollars", start=PD(2016))
    f.BudgetFactory(project=dollars, amount=Decimal("9000000"), currency="USD")
    spent = f.ProjectFactory(title="Spent only", start=PD(2014))
    f.TransactionTotalFactory(project=spent, currency="EUR")
    f.ProjectFactory(title="No money", start=PD(2018))
    draft = f.ProjectFactory(title="Draft", published=False)
    f.BudgetFactory(project=draft, currency="NOK")


def notices(response):
    return [str(notice) for notice in response.context["notices"]]


def test_currency_filter_lists_projects_with_a_budget_or_transactions_in_it(client, money_world):
    assert titles(client.get("/projects/?currency=EUR")) == ["Spent only", "Middle", "Big"]
    response = client.get("/projects/?currency=usd")  # any case
    assert titles(response) == ["Dollars", "Big"]
    assert notices(response) == []
    body = response.content.decode()
    assert "Currency: USD – US Dollar" in " ".join(re.sub(r"<[^>]+>", " ", body).split())
    assert '<option value="USD" selected>USD – US Dollar</option>' in body


@pytest.mark.parametrize(
    ("value", "notice"),
    [
        ("EURO", "“EURO” is not a currency: give its ISO 4217 code, such as EUR or USD; that filter was ignored."),
        ("NOK", "No project has budgets or transactions in NOK; they are in EUR, USD; that filter was ignored."),
    ],
)
def test_currency_filter_reports_a_currency_no_project_uses_and_lists_every_project(client, money_world, value, notice):
    response = client.get(f"/projects/?currency={value}")
    assert notices(response) == [notice]
    assert len(titles(response)) == 5


def test_currency_filter_takes_one_currency(client, money_world):
    response = client.get("/projects/?currency=USD&currency=EUR")
    assert notices(response) == ["This filter takes one value, not 2; only the first, “USD”, was used."]
    assert titles(response) == ["Dollars", "Big"]


def test_largest_budget_first_sorts_by_the_budget_in_the_one_currency(client, money_world):
    # Big: 1,000,000 (revised 2020) and no USD added; Middle: 700,000; Spent only has no budget: last.
    assert titles(client.get("/projects/?currency=EUR&sort=budget")) == ["Big", "Middle", "Spent only"]
    assert titles(client.get("/projects/?currency=USD&sort=budget")) == ["Dollars", "Big"]


def test_largest_budget_first_is_offered_only_with_one_currency(client, money_world):
    def sorts(response):
        return [key for key, _label in response.context["sort_choices"]]

    assert sorts(client.get("/projects/")) == ["newest", "oldest", "title"]
    response = client.get("/projects/?currency=EUR")
    assert sorts(response) == ["newest", "oldest", "title", "budget"]
    assert '<option value="budget">Largest budget first</option>' in response.content.decode()
    # Asked for without a currency: said, and the list is sorted its default way (never summed across currencies).
    response = client.get("/projects/?sort=budget")
    assert notices(response) == [
        "Sorting by the largest budget needs one currency: choose it under “Currency” (amounts in different "
        "currencies are never added up); showing newest first."
    ]
    assert titles(response) == ["No money", "Dollars", "Spent only", "Middle", "Big"]


def test_the_currency_filter_is_a_select_of_currencies_without_counts(client, money_world):
    body = client.get("/projects/").content.decode()
    select = re.search(r'<select id="filter-currency" name="currency">(.*?)</select>', body, re.S).group(1)
    assert select.startswith('\n      <option value="">Any currency</option>')
    assert '<optgroup label="Common"><option value="AZN">AZN – Azerbaijani Manat</option>' in select
    assert 'id="facet-currency"' not in body


def test_the_currency_filter_and_budget_sort_in_the_exports(client, money_world):
    rows = export(client, "/projects/?currency=EUR&sort=budget", "json")
    assert [row["title"] for row in rows] == ["Big", "Middle", "Spent only"]
    assert [row["budget_total"] for row in rows] == [["1000000.00 EUR", "5000.00 USD"], ["700000.00 EUR"], []]
    assert [row["title"] for row in export(client, "/projects/?currency=USD", "csv")] == ["Dollars", "Big"]
