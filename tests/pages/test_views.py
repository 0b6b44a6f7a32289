"""The home page and the year pages (cooperation/pages/views.py), and the page a visitor gets for a
record or page that is not there (a draft's page among them).

Each test asserts what a reader sees (the text of the page and its links). The query-count
tests build every page with 1 and with 50 related rows of each kind and expect the same
literal number of queries.
"""

import datetime
import re

import pytest

from cooperation.core.partial_dates import PartialDate
from cooperation.models import Project
from partners.models import Partner
from tests import factories as f
from tests.helpers.listing import DATA_VERSION
from tests.helpers.pages import Page, get, json_ld

pytestmark = pytest.mark.django_db

THIS_YEAR = datetime.date.today().year


# Years ----------------------------------------------------------------------------------------


@pytest.fixture
def year_2006():
    """Records around 2006, the year the tests open."""
    iom = f.PartnerFactory(name="International Organization for Migration", acronym="IOM", slug="iom")
    records = {
        "signed": f.AgreementFactory(
            title="Agreement signed in 2006", signed=PartialDate(2006, 3, 1), signed_place="Baku", parties=[iom]
        ),
        "ratified": f.AgreementFactory(
            title="Agreement ratified in 2006", signed=PartialDate(2005), ratified=PartialDate(2006, 7)
        ),
        "in_force": f.AgreementFactory(
            title="Agreement in force in 2006", signed=PartialDate(2005, 1), in_force=PartialDate(2006, 1, 15)
        ),
        "old_agreement": f.AgreementFactory(title="Agreement of 1999", signed=PartialDate(1999, 12, 8)),
        "office": f.OfficeFactory(
            partner=iom, name="IOM Mingachevir office", city="Mingachevir", opened=PartialDate(2006)
        ),
        "started": f.ProjectFactory(
            title="Project started 2006",
            start=PartialDate(2006, 8),
            end=PartialDate(2008),
            status=Project.Status.COMPLETED,
        ),
        "ended": f.ProjectFactory(
            title="Project ended 2006",
            start=PartialDate(2004),
            end=PartialDate(2006, 6),
            status=Project.Status.COMPLETED,
        ),
        "ran": f.ProjectFactory(
            title="Project running 2005-2007",
            start=PartialDate(2005),
            end=PartialDate(2007),
            status=Project.Status.COMPLETED,
        ),
        "open_ended": f.ProjectFactory(
            title="Open-ended ongoing project",
            start=PartialDate(2003),
            end=None,
            status=Project.Status.ONGOING,
            status_as_of=PartialDate(2007, 4),
        ),
        "one_year": f.ProjectFactory(
            title="Project known only by its start", start=PartialDate(2003), end=None, status=Project.Status.UNKNOWN
        ),
        "later": f.ProjectFactory(
            title="Project of 2010", start=PartialDate(2010), end=PartialDate(2011), status=Project.Status.COMPLETED
        ),
        "meeting": f.MeetingFactory(
            title="IOM Director General in Baku",
            start=PartialDate(2006, 6, 20),
            partners=[iom],
            city="Baku",
            country="AZ",
        ),
        "meeting_may": f.MeetingFactory(
            title="Regional conference", start=PartialDate(2006, 5, 10), end=PartialDate(2006, 5, 11)
        ),
        "iom": iom,
    }
    f.ProjectPartnerFactory(project=records["started"], partner=iom)
    return records


def test_year_page_lists_agreement_stages_offices_projects_and_meetings_of_the_year(client, year_2006):
    page = get(client, "/years/2006/")

    assert page.h1 == "2006"
    assert page.title() == "2006 – Years – Migration Cooperation Registry"
    assert (
        "Agreements Signed 1 March 2006: Agreement signed in 2006 in Baku · IOM "
        "Ratified, approved or acceded to July 2006: Agreement ratified in 2006 "
        "Entered into force 15 January 2006: Agreement in force in 2006"
    ) in page.text
    assert "Offices Opened 2006: IOM Mingachevir office Mingachevir, Azerbaijan · IOM" in page.text
    assert "Started Project started 2006 August 2006 – 2008 · IOM" in page.text
    assert "Ended Project ended 2006 2004 – June 2006" in page.text
    assert (
        "Running Open-ended ongoing project 2003 · Reported ongoing as of April 2007 "
        "Project running 2005-2007 2005 – 2007"
    ) in page.text
    assert (
        "Meetings 10–11 May 2006: Regional conference Bilateral meeting · Geneva, Switzerland "
        "20 June 2006: IOM Director General in Baku Bilateral meeting · Baku, Azerbaijan · IOM"
    ) in page.text
    for absent in ["Agreement of 1999", "Project known only by its start", "Project of 2010"]:
        assert absent not in page.text
    assert all(page.links_to(year_2006[key]) for key in ["signed", "ratified", "in_force", "office", "meeting"])


def test_year_page_links_to_the_previous_and_next_years_with_records(client, year_2006):
    page = get(client, "/years/2006/")

    assert ("/years/2005/", "‹ 2005 (previous year with records)") in page.links
    assert ("/years/2007/", "2007 › (next year with records)") in page.links
    first = get(client, "/years/1999/")
    assert "No earlier year" in first.text
    assert ("/years/2003/", "2003 › (next year with records)") in first.links
    last = get(client, "/years/2011/")
    assert "No later year" in last.text


def test_year_page_counts_an_open_ended_ongoing_project_until_the_year_it_was_reported_ongoing(client, year_2006):
    assert "Open-ended ongoing project" in get(client, "/years/2007/").text
    assert "Open-ended ongoing project" not in get(client, "/years/2010/").text
    assert get(client, "/years/2009/").status == 404
    assert get(client, f"/years/{THIS_YEAR}/").status == 404
    assert "Project known only by its start" in get(client, "/years/2003/").text
    assert "Project known only by its start" not in get(client, "/years/2004/").text


def test_years_page_lists_every_year_with_counts_per_kind(client, year_2006):
    page = get(client, "/years/")

    assert page.h1 == "Years"
    rows = re.findall(
        r'<th scope="row"><a href="/years/(\d{4})/">\d{4}</a></th>\s*'
        r'<td class="num">(\d+)</td>\s*<td class="num">(\d+)</td>\s*'
        r'<td class="num">(\d+)</td>\s*<td class="num">(\d+)</td>',
        page.html,
    )
    counts = {int(year): tuple(map(int, numbers)) for year, *numbers in rows}
    # (agreements, offices, projects, meetings)
    assert counts[1999] == (1, 0, 0, 0)
    assert counts[2003] == (0, 0, 2, 0)
    assert counts[2005] == (2, 0, 3, 0)
    assert counts[2006] == (3, 1, 4, 2)
    assert counts[2007] == (0, 0, 3, 0)
    assert counts[2008] == (0, 0, 1, 0)
    assert counts[2010] == (0, 0, 1, 0)
    assert sorted(counts, reverse=True) == [int(year) for year, *_ in rows]
    # The ongoing project was reported as of 2007: no year after it counts it (2009 has nothing).
    assert set(counts) == {1999, 2003, 2004, 2005, 2006, 2007, 2008, 2010, 2011}


# Home -----------------------------------------------------------------------------------------


def test_home_page_shows_counts_newest_records_and_entry_points(client, settings):
    iom = f.PartnerFactory(name="International Organization for Migration", acronym="IOM", slug="iom")
    sms = f.PartnerFactory(name="State Migration Service", acronym="SMS", slug="sms", scope=Partner.Scope.DOMESTIC)
    f.PartnerFactory(name="Draft partner", published=False)
    topic = f.TopicFactory(name="Border management", slug="border-management")
    f.ProjectFactory(title="Border project", topics=[topic], start=PartialDate(2012))
    f.AgreementFactory(title="Agreement entered first", signed=PartialDate(2019, 4, 2))
    f.AgreementFactory(title="Agreement entered last", signed=PartialDate(1999, 12, 8)).topics.set([topic])
    f.MeetingFactory(title="Newest meeting", start=PartialDate(2020, 2, 3))

    page = get(client, "/")

    assert page.status == 200
    assert page.h1 == "Migration Cooperation Registry"
    assert (
        "What the registry holds 2 partners 2 agreements 1 project 1 meeting 0 offices 0 people 1 topic 0 sources"
    ) in page.text
    assert {
        "/partners/",
        "/agreements/",
        "/projects/",
        "/meetings/",
        "/offices/",
        "/people/",
        "/topics/",
        "/sources/",
    } <= page.hrefs()  # every counter leads to its list
    assert (
        "Agreements Agreement entered last signed 8 December 1999 Agreement entered first signed 2 April 2019"
        in page.text
    )
    assert "Meetings Newest meeting 3 February 2020" in page.text
    assert "Azerbaijan's institutions SMS" in page.text
    assert "International organisations and processes IOM" in page.text
    assert "Border management (1 project, 1 agreement)" in page.text
    assert page.links_to(iom) and page.links_to(sms) and page.links_to(topic)
    assert {"/years/1999/", "/years/2012/", "/years/2019/", "/years/2020/", "/years/"} <= page.hrefs()
    assert "Draft partner" not in page.text


def test_home_newest_records_are_those_added_or_changed_last_dated_or_not(client):
    old = f.AgreementFactory(title="Agreement of 1999", signed=PartialDate(1999, 12, 8))
    f.AgreementFactory(title="Undated agreement", signed=None)
    draft = f.ProjectFactory(title="Project published today", start=PartialDate(2004), published=False)
    f.ProjectFactory(title="Undated project", start=None)
    f.MeetingFactory(title="Undated meeting", start=None)

    old.description = "Corrected"
    old.save()
    draft.published = True
    draft.save()
    page = get(client, "/")

    assert "Newest records Those added or changed most recently." in page.text
    assert "Agreements Agreement of 1999 signed 8 December 1999 Undated agreement date not recorded" in page.text
    assert "Projects Project published today 2004 Undated project dates not recorded" in page.text
    assert "Meetings Undated meeting date not recorded" in page.text


def test_home_topics_count_their_projects_and_agreements_and_lead_to_the_topic_list(client):
    f.TopicFactory(name="Asylum")
    f.AgreementFactory().topics.set([f.TopicFactory(name="Readmission")])
    f.ProjectFactory(topics=[f.TopicFactory(name="Education")], published=False)

    page = get(client, "/")

    assert "By topic Asylum (none yet) Education (none yet) Readmission (1 agreement) All topics" in page.text
    assert ("/topics/", "All topics, with filters") in page.links


# Drafts ---------------------------------------------------------------------------------------


def test_year_and_home_pages_never_show_draft_records(client):
    f.AgreementFactory(title="Draft agreement", signed=PartialDate(2006, 3), published=False)
    f.MeetingFactory(title="Draft meeting", start=PartialDate(2006, 5), published=False)
    f.MeetingFactory(
        title="Published meeting",
        start=PartialDate(2006, 6),
        partners=[f.PartnerFactory(name="Draft partner", published=False)],
    )

    year = get(client, "/years/2006/")
    home = get(client, "/")

    assert "Published meeting" in year.text and "Published meeting" in home.text
    for page in [year, home]:
        assert "Draft agreement" not in page.text
        assert "Draft meeting" not in page.text
        assert "Draft partner" not in page.text


def test_year_page_items_escape_what_records_hold_in_each_language_and_name_only_published_partners(client):
    hidden = f.PartnerFactory(name="Hidden body", acronym="HB", published=False)
    shown = f.PartnerFactory(name="Shown <b>body</b>", acronym="", slug="shown")
    f.AgreementFactory(
        title='Pact <script>alert(1)</script> & "co"',
        signed=PartialDate(2006, 3, 1),
        signed_place="Baku <i>",
        parties=[hidden, shown],
    )
    f.OfficeFactory(partner=shown, name="Office <of> a body", city="", country="GE", closed=PartialDate(2006))
    f.MeetingFactory(title="Talks & <more>", start=PartialDate(2006, 6), city="", country="FR", partners=[shown])
    project = f.ProjectFactory(title="Project <u>", start=PartialDate(2006), end=None, status=Project.Status.PLANNED)
    f.ProjectPartnerFactory(project=project, partner=hidden)

    english = get(client, "/years/2006/")
    azerbaijani = get(client, "/az/years/2006/")

    assert "<script>" not in english.html and "<b>body" not in english.html and "<u>" not in english.html
    assert "Pact &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;" in english.html
    assert 'Pact <script>alert(1)</script> & "co" in Baku <i> · Shown <b>body</b>' in english.text
    assert "Closed 2006: Office <of> a body Georgia · Shown <b>body</b> Projects" in english.text
    assert "Started Project <u> 2006 · Planned (date of report not recorded) All projects" in english.text
    assert "June 2006: Talks & <more> Bilateral meeting · France · Shown <b>body</b>" in english.text
    assert "Hidden body" not in english.text and "HB" not in english.text
    assert ("/partners/shown/", "Shown <b>body</b>") in english.links
    assert "yer: Baku &lt;i&gt;" in azerbaijani.html  # "in Baku", in Azerbaijani


# Not found ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "factory",
    [
        f.PartnerFactory,
        f.OfficeFactory,
        f.PersonFactory,
        f.AgreementFactory,
        f.ProjectFactory,
        f.MeetingFactory,
        f.TopicFactory,
        f.SourceFactory,
    ],
)
def test_draft_record_page_is_a_404(client, factory):
    draft = factory(published=False)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 404
    assert "Page not found" in Page(response).text


@pytest.mark.parametrize(
    "url",
    [
        "/partners/nobody/",
        "/agreements/nothing/",
        "/projects/nothing/",
        "/meetings/nothing/",
        "/offices/nowhere/",
        "/topics/nothing/",
        "/people/nobody/",
        "/sources/nothing/",
        "/no-such-section/",
    ],
)
def test_unknown_record_is_a_404_with_a_helpful_page(client, url, settings):
    assert settings.DEBUG is False

    page = get(client, url)

    assert page.status == 404
    assert page.h1 == "Page not found"
    assert f"There is no published record or page at {url}" in page.text
    assert {"/partners/", "/agreements/", "/projects/", "/meetings/", "/years/"} <= page.hrefs()
    assert '<label for="not-found-q">Search the registry instead</label>' in page.html


@pytest.mark.parametrize(
    "url",
    ["/years/abc/", "/years/99999999999999999999/", "/years/0999/", "/years/-1/", "/years/1850/", "/years/2006x/"],
)
def test_bad_or_empty_year_is_a_404_not_a_server_error(client, url):
    f.AgreementFactory(signed=PartialDate(2006))

    page = get(client, url)

    assert page.status == 404
    assert page.h1 == "Page not found"


# Query counts ---------------------------------------------------------------------------------


def build_year(n):
    for _ in range(n):
        partner = f.PartnerFactory()
        f.AgreementFactory(signed=PartialDate(2006, 3), ratified=PartialDate(2006, 9), parties=[partner])
        f.OfficeFactory(partner=partner, opened=PartialDate(2006), closed=PartialDate(2006, 12))
        f.ProjectPartnerFactory(
            partner=partner, project=f.ProjectFactory(start=PartialDate(2006), end=PartialDate(2007))
        )
        f.ProjectPartnerFactory(partner=partner, project=f.ProjectFactory(start=PartialDate(2005)))
        f.MeetingFactory(start=PartialDate(2006, 5, 10), partners=[partner])
    return "/years/2006/"


def build_years(n):
    for i in range(n):
        partner = f.PartnerFactory()
        f.AgreementFactory(signed=PartialDate(1960 + i), parties=[partner])
        f.OfficeFactory(opened=PartialDate(1960 + i), partner=partner)
        project = f.ProjectFactory(start=PartialDate(1960 + i), end=PartialDate(2010))
        f.ProjectPartnerFactory(partner=partner, project=project)
        f.MeetingFactory(start=PartialDate(1960 + i), partners=[partner])
    return "/years/"


def build_home(n):
    for _ in range(n):
        f.ProjectFactory(topics=[f.TopicFactory()])
        f.AgreementFactory(parties=[f.PartnerFactory(scope=Partner.Scope.BILATERAL)])
        f.MeetingFactory(partners=[f.PartnerFactory()])
        f.OfficeFactory()
        f.PostFactory()
        f.CitationFactory()
    return "/"


# (page, builder, queries): every page runs this many queries, whatever the number of rows.
# A record page lists at most 25 (RELATED_LIMIT) of each big relation and counts them all in one
# more query (cached until the data changes: these are the counts of a first, uncached request).
QUERY_COUNTS = [
    # 4 for the year index; the year's agreements' dates and names, those shown + parties; the
    # offices' dates and names, those shown with their partner; the year's projects' dates, the
    # names of the first by date, the projects shown + partners; meetings running into the year,
    # meetings starting in it, their partners
    ("year", build_year, DATA_VERSION + 16),
    # one query per kind; the timeline's partners (the most records first), their rows of the count
    # tables with their signatures by year, and the agreement of each year in which one signed one
    ("years", build_years, DATA_VERSION + 7),
    # 8 counts (of meetings and projects: the tally's), 3 newest lists, partners (their projects,
    # every scope and name, the ones shown), topics (their projects, their agreements, the
    # topics), 4 for the years; the map's places
    ("home", build_home, DATA_VERSION + 22),
]


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(("page", "build", "queries"), QUERY_COUNTS, ids=[name for name, *_ in QUERY_COUNTS])
def test_page_runs_the_same_number_of_queries_for_1_or_50_related_rows(
    client, django_assert_num_queries, warm_content_types, page, build, queries, rows
):
    url = build(rows)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.count(b"<h1") == 1


# About ----------------------------------------------------------------------------------------


def test_about_page_says_what_the_registry_is_who_keeps_it_its_licence_and_where_to_report_errors(
    client, settings, django_assert_num_queries
):
    settings.AGENCY_NAME = "State Migration Service of the Republic of Azerbaijan"
    settings.CONTACT_EMAIL = "registry@example.org"
    settings.DATA_LICENCE = "CC BY 4.0"
    settings.DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

    with django_assert_num_queries(0):
        page = get(client, "/about/")

    assert page.h1 == "About the registry"
    assert "Migration Cooperation Registry is the public record of Azerbaijan's international cooperation" in page.text
    assert "The registry is kept by State Migration Service of the Republic of Azerbaijan." in page.text
    assert "How records are sourced Every record cites its sources" in page.text
    assert "How records are corrected When a source shows that a record is wrong" in page.text
    assert ("https://creativecommons.org/licenses/by/4.0/", "CC BY 4.0") in page.links
    assert ("mailto:registry@example.org", "registry@example.org") in page.links


def test_about_page_without_the_settings_invents_no_agency_licence_or_address(client, settings):
    settings.AGENCY_NAME = settings.CONTACT_EMAIL = settings.DATA_LICENCE = settings.DATA_LICENCE_URL = ""

    page = get(client, "/about/")

    assert "kept by the staff of the agency responsible for migration in Azerbaijan" in page.text
    assert "No licence has been stated for the registry's data. Ask the agency that keeps it" in page.text
    assert "Write to the agency that keeps the registry through its official contact channels." in page.text
    assert "mailto:" not in page.html and 'rel="license"' not in page.html


@pytest.mark.parametrize("url", ["/", "/about/", "/partners/", "/years/", "/search/?q=iom"])
def test_every_page_links_to_the_about_page_from_its_footer(client, url):
    html = client.get(url).content.decode()

    footer = html.split('<footer class="site-footer">', 1)[1]
    assert '<a href="/about/">About the registry</a>' in footer


def test_home_page_describes_the_site_and_its_data_for_machines(client, settings):
    settings.AGENCY_NAME = "State Migration Service"
    settings.DATA_LICENCE, settings.DATA_LICENCE_URL = "CC BY 4.0", ""

    [data] = json_ld(client.get("/"))

    website, dataset = data["@graph"]
    assert data["@context"] == "https://schema.org"
    assert (website["@type"], website["name"], website["url"]) == (
        "WebSite",
        "Migration Cooperation Registry",
        "http://testserver/",
    )
    assert website["potentialAction"]["target"] == "http://testserver/search/?q={search_term_string}"
    assert (dataset["@type"], dataset["license"]) == ("Dataset", "CC BY 4.0")
    assert dataset["creator"] == {"@type": "Organization", "name": "State Migration Service"}
    assert dataset["description"].startswith("The public record of Azerbaijan's international cooperation")


@pytest.mark.parametrize(
    ("prefix", "name", "description"),
    [
        ("/az", "Miqrasiya Əməkdaşlığı Reyestri", "Azərbaycan tərəfindən miqrasiya sahəsində"),
        ("/ru", "Реестр сотрудничества в сфере миграции", "Открытый реестр международного сотрудничества"),
    ],
)
def test_home_page_describes_the_site_for_machines_in_the_pages_language(client, prefix, name, description):
    [data] = json_ld(client.get(f"{prefix}/"))

    website, dataset = data["@graph"]
    assert website["name"] == dataset["name"] == name
    assert dataset["description"].startswith(description)
    assert "'s" not in dataset["description"]
