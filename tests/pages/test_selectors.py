"""What the home and year pages show of a long list (cooperation/pages/selectors.py): the first few,
how many there are in all, and a link to the rest."""

import random
import re

import pytest
from django.utils import translation

from cooperation.core.cache import cached
from cooperation.core.partial_dates import PartialDate as PD
from cooperation.models import Agreement, Project
from cooperation.pages import home
from cooperation.pages import selectors as pages_selectors
from events.models import Meeting
from partners.models import Office, Partner
from tests import factories as f
from tests.helpers.pages import get

pytestmark = pytest.mark.django_db


def test_the_year_page_lists_the_first_meetings_and_links_to_all_of_them(client, monkeypatch):
    monkeypatch.setattr(pages_selectors, "RELATED_LIMIT", 2)
    for day in range(1, 5):
        f.MeetingFactory(start=PD(2016, 3, day), title=f"Meeting {day}")

    response = client.get("/years/2016/")

    page = response.context["page"]
    assert [meeting.title for meeting in page.meetings] == ["Meeting 1", "Meeting 2"]
    assert page.meetings.total == 4
    assert 'The first 2 of 4; <a href="/meetings/?year=2016">every meeting of 2016' in response.content.decode()


@pytest.fixture
def crowded_2010(monkeypatch):
    """More agreements at each later stage, and offices opened and closed, in 2010 than a year
    page lists (2 a list here), with drafts and records of other years that neither counts."""
    monkeypatch.setattr(pages_selectors, "RELATED_LIMIT", 2)
    for n, date in enumerate([PD(2010), PD(2010, 3), PD(2010, 12, 31)]):
        f.AgreementFactory(title=f"Ratified {n}", signed=PD(2009), ratified=date)
        f.AgreementFactory(title=f"In force {n}", signed=PD(2008), ratified=PD(2009), in_force=date)
        f.AgreementFactory(title=f"Ended {n}", signed=PD(2001), in_force=PD(2002), ended=date)
        f.OfficeFactory(name=f"Opened {n}", opened=date)
        f.OfficeFactory(name=f"Closed {n}", opened=PD(2001), closed=date)
    f.AgreementFactory(title="Draft", signed=PD(2009), ratified=PD(2010), in_force=PD(2010), published=False)
    f.AgreementFactory(title="Ratified 2011", signed=PD(2010, 5), ratified=PD(2011))
    f.OfficeFactory(name="Draft office", opened=PD(2010), closed=PD(2010), published=False)
    draft_partner = f.PartnerFactory(published=False)
    f.OfficeFactory(name="Office of a draft partner", partner=draft_partner, opened=PD(2010), closed=PD(2010))


YEAR_LINKS = [
    ("every agreement ratified, approved or acceded to in 2010", "/agreements/?ratified=2010"),
    ("every agreement that entered into force in 2010", "/agreements/?in_force=2010"),
    ("every agreement that ended in 2010", "/agreements/?ended=2010"),
    ("every office opened in 2010", "/offices/?opened=2010"),
    ("every office closed in 2010", "/offices/?closed=2010"),
]


@pytest.mark.parametrize(("words", "address"), YEAR_LINKS)
def test_the_year_page_links_each_capped_list_to_a_list_of_as_many(client, crowded_2010, words, address):
    """ "The first 2 of 3; every agreement ratified, approved or acceded to in 2010.": the list
    it links to shows the 3."""
    page = get(client, "/years/2010/")
    assert (address, words) in page.links
    assert f"The first 2 of 3; {words}." in page.text

    listed = client.get(address)
    assert listed.context["result_count"] == 3
    assert listed.context["notices"] == []
    assert len(listed.context["object_list"]) == 3


def test_the_year_page_says_the_totals_its_lists_link_to(client, crowded_2010):
    """Each capped list's total is the count of the list it links to, whatever the records."""
    html = client.get("/years/2010/").content.decode()
    found = re.findall(r"The first (\d+) of (\d+); <a href=\"([^\"]+)\">", html)
    assert len(found) == 5
    for shown, total, address in found:
        assert int(shown) == 2
        assert client.get(address.replace("&amp;", "&")).context["result_count"] == int(total), address


def test_the_year_page_links_the_rest_in_azerbaijani_and_russian(client, crowded_2010):
    az = get(client, "/az/years/2010/")
    ru = get(client, "/ru/years/2010/")
    assert (
        "/az/agreements/?ratified=2010",
        "2010-cu ildə ratifikasiya olunmuş, təsdiqlənmiş və ya qoşulunmuş bütün sazişlər",
    ) in az.links
    assert ("/az/offices/?closed=2010", "2010-cu ildə bağlanmış bütün ofislər") in az.links
    assert "3 sazişdən ilk 2; 2010-cu ildə qüvvəyə minmiş bütün sazişlər." in az.text
    assert ("/ru/agreements/?ended=2010", "все соглашения, прекратившие действие в 2010 году") in ru.links
    assert "Первые 2 из 3; все офисы, открытые в 2010 году." in ru.text


def test_an_agreement_acceded_to_is_not_called_ratified(client):
    """The stage a year page lists and the list filters by is the first consent to be bound, of
    whatever kind: an accession in 2012 is under "Ratified, approved or acceded to", and the
    list's filter it links to names the same."""
    action = f.AgreementActionFactory(kind="accession", date=PD(2012, 3), agreement__title="Convention acceded to")
    f.AgreementActionFactory(agreement=action.agreement, kind="signature", date=PD(1990))

    html = client.get("/years/2012/").content.decode()
    assert '<h3 id="agreements-ratified">Ratified, approved or acceded to</h3>' in html
    listed = get(client, "/agreements/?ratified=2012")
    assert "Convention acceded to" in listed.text
    assert "Year ratified, approved or acceded to" in listed.text


def test_the_years_say_which_stages_they_count_without_calling_every_consent_ratified(client):
    """The summary of a year, the year index's note and a year without agreements name the stage
    as the year page's heading does, in each language."""
    action = f.AgreementActionFactory(kind="accession", date=PD(2012, 3), agreement__title="Convention acceded to")
    f.AgreementActionFactory(agreement=action.agreement, kind="signature", date=PD(1990))
    f.OfficeFactory(opened=PD(2013))

    assert "In 2012: 1 agreement signed, ratified (or approved or acceded to), entered into force or ended;" in (
        get(client, "/years/2012/").text
    )
    assert "Each year counts the agreements signed, ratified (or approved or acceded to), entered into force" in (
        get(client, "/years/").text
    )
    assert "No agreement was signed, ratified (or approved or acceded to), entered into force or ended this year." in (
        get(client, "/years/2013/").text
    )
    az, ru = get(client, "/az/years/2012/").text, get(client, "/ru/years/2012/").text
    assert "1 saziş imzalanıb, ratifikasiya olunub (yaxud təsdiqlənib və ya ona qoşulunub), qüvvəyə minib" in az
    assert "1 соглашение подписано, ратифицировано (или утверждено, или к нему присоединились), вступило" in ru
    assert "heç bir saziş imzalanmayıb, ratifikasiya olunmayıb və ya təsdiqlənməyib, heç bir sazişə qoşulunmayıb" in (
        get(client, "/az/years/2013/").text
    )
    assert "ни одно соглашение не было подписано, ратифицировано или утверждено, ни к одному не присоединились" in (
        get(client, "/ru/years/2013/").text
    )
    assert "ratifikasiya olunmuş (yaxud təsdiqlənmiş və ya qoşulunmuş)" in get(client, "/az/years/").text
    assert "ратифицированные (или утверждённые, или те, к которым присоединились)" in get(client, "/ru/years/").text


def test_the_year_page_lists_meetings_running_into_it_first_from_whichever_year_they_began(client):
    """Meetings begun in an earlier year and running into it come first, in date order, read from
    the years the tally says they began in (a draft's or an undated start's years aside)."""
    f.MeetingFactory(title="In the year", start=PD(2016, 1, 2))
    f.MeetingFactory(title="Since 2009", start=PD(2009, 6), end=PD(2016, 2))
    f.MeetingFactory(title="Since 2015", start=PD(2015, 12, 28), end=PD(2016, 1, 3))
    f.MeetingFactory(title="Ended before", start=PD(2005), end=PD(2015))
    f.MeetingFactory(title="Draft since 2001", start=PD(2001), end=PD(2016), published=False)
    f.MeetingFactory(title="Later", start=PD(2017), end=PD(2018))

    def titles(year):
        return [meeting.title for meeting in client.get(f"/years/{year}/").context["page"].meetings]

    assert titles(2016) == ["Since 2009", "Since 2015", "In the year"]
    assert titles(2015) == ["Ended before", "Since 2009", "Since 2015"]
    assert titles(2005) == ["Ended before"]
    assert titles(2018) == ["Later"]
    f.MeetingFactory(title="Since 2003", start=PD(2003), end=PD(2016), published=True)
    assert titles(2016) == ["Since 2003", "Since 2009", "Since 2015", "In the year"]


def test_the_year_page_lists_projects_from_whichever_year_they_began(client):
    """The projects of a year are read from the first year the tally has one of them begin in:
    one begun long before and running into it, one ongoing as reported that year, one without a
    start that ended in it; not a draft's years, nor a project reported ongoing only until before."""
    f.ProjectFactory(title="Started", start=PD(2016, 2))
    f.ProjectFactory(title="Since 2009", start=PD(2009), end=PD(2017))
    f.ProjectFactory(title="Ongoing since 2003", start=PD(2003), status="ongoing", status_as_of=PD(2016, 5))
    f.ProjectFactory(title="Ongoing until 2015", start=PD(2001), status="ongoing", status_as_of=PD(2015))
    f.ProjectFactory(title="Ended", start=PD(2012), end=PD(2016, 6), status="completed")
    f.ProjectFactory(title="Ended, start unknown", start=None, end=PD(2016), status="completed")
    f.ProjectFactory(title="Draft since 2000", start=PD(2000), end=PD(2016), published=False)
    f.ProjectFactory(title="Later", start=PD(2017))

    def lists(year):
        page = client.get(f"/years/{year}/").context["page"]
        return [
            [str(project) for project in found]
            for found in (page.projects_started, page.projects_ended, page.projects_ran)
        ]

    assert lists(2016) == [["Started"], ["Ended, start unknown", "Ended"], ["Ongoing since 2003", "Since 2009"]]
    assert lists(2015) == [[], [], ["Ongoing until 2015", "Ongoing since 2003", "Since 2009", "Ended"]]
    f.ProjectFactory(title="Since 1999", start=PD(1999), end=PD(2016), status="completed")
    assert lists(2016)[1] == ["Ended, start unknown", "Since 1999", "Ended"]


def test_the_home_page_names_the_partners_in_most_projects_and_links_to_the_rest(client, monkeypatch):
    monkeypatch.setattr(home, "HOME_PARTNERS", 2)
    busy = [f.PartnerFactory(name=f"Busy {n}", scope=Partner.Scope.BILATERAL) for n in range(2)]
    f.PartnerFactory(name="Quiet", scope=Partner.Scope.BILATERAL)
    for partner in busy:
        f.ProjectPartnerFactory(partner=partner)

    response = client.get("/")

    group = next(group for group in response.context["partner_groups"] if group.scope == "bilateral")
    assert [partner.name for partner in group.partners] == ["Busy 0", "Busy 1"]
    assert group.total == 3
    assert "The 2 of 3 in the most projects" in response.content.decode()


def stage(page, name):
    return next(records for _label, stage_name, records in page.agreement_stages if stage_name == name)


def test_the_year_page_lists_the_first_agreements_and_offices_by_date_then_name_in_the_pages_language(
    client, monkeypatch
):
    monkeypatch.setattr(pages_selectors, "RELATED_LIMIT", 2)
    f.AgreementFactory(title="Omega accord", signed=PD(2016, 2, 1))
    f.AgreementFactory(title="beta accord", signed=PD(2016, 3, 1))
    f.AgreementFactory(title="Alpha accord", signed=PD(2016, 3, 1))
    f.AgreementFactory(title="Zeta accord", title_az="Alfa saziş", signed=PD(2016, 3, 1))
    f.AgreementFactory(title="Signed another year", signed=PD(2015, 1, 1))
    for name, name_az in (("b office", ""), ("A office", ""), ("c office", "A birinci ofis")):
        f.OfficeFactory(name=name, name_az=name_az, opened=PD(2016))

    english = client.get("/years/2016/").context["page"]
    azerbaijani = client.get("/az/years/2016/").context["page"]

    assert [agreement.title for agreement in stage(english, "signed")] == ["Omega accord", "Alpha accord"]
    assert stage(english, "signed").total == 4
    assert [agreement.title for agreement in stage(azerbaijani, "signed")] == ["Omega accord", "Zeta accord"]
    assert [office.name for office in english.offices_opened] == ["A office", "b office"]
    assert english.offices_opened.total == 3
    assert [office.name for office in azerbaijani.offices_opened] == ["c office", "A office"]


def test_the_year_page_lists_the_first_projects_by_date_then_name_ties_and_all(client, monkeypatch):
    """Many projects share a date (a year alone, "2016"): the first of each list are those dated
    earliest, then by name (their title and phase), whatever order the database gives them in."""
    monkeypatch.setattr(pages_selectors, "RELATED_LIMIT", 2)
    for title, phase in (("delta", ""), ("Beta", "Phase II"), ("beta", "Phase I"), ("Alpha", "")):
        f.ProjectFactory(title=title, phase=phase, start=PD(2016), end=PD(2018))
    f.ProjectFactory(title="Aardvark, later", start=PD(2016, 1, 5), end=PD(2018))
    f.ProjectFactory(title="A draft", start=PD(2016), end=PD(2018), published=False)
    for title in ("Zulu", "Echo", "echo"):
        f.ProjectFactory(title=title, start=PD(2014), end=PD(2016))
    f.ProjectFactory(title="Earlier", start=PD(2012), end=PD(2017))
    f.ProjectFactory(title="Later", start=PD(2015, 6), end=PD(2017))

    page = client.get("/years/2016/").context["page"]

    assert [str(project) for project in page.projects_started] == ["Alpha", "beta – Phase I"]
    assert page.projects_started.total == 5
    assert [str(project) for project in page.projects_ended] == ["Echo", "echo"]  # the same name: by creation
    assert page.projects_ended.total == 3
    assert [str(project) for project in page.projects_ran] == ["Earlier", "Later"]
    assert page.projects_ran.total == 2


def test_a_years_project_dates_have_a_covering_index_on_postgresql():
    """Migration cooperation.0026: the columns a year page reads of every project that counts in
    the year (and those its filter reads) are in a covering index of the published projects, so
    that PostgreSQL answers from the index alone (docs/performance.md, the thirteenth round: 24 ms
    from the table, 10 from the index). Its plan is not asserted here: on a test's table of a
    few rows the planner picks any index, and did once in CI."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a covering index is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'project_year_cover'")
        (definition,) = cursor.fetchone()
    assert definition.endswith('(start) INCLUDE (id, "end", status, status_as_of) WHERE published')
    dates = (
        pages_selectors.projects_active_in([2016]) | Project.objects.published().filter(end__year=2016)
    ).values_list("pk", "start", "end")
    sql = str(dates.order_by().query)  # as read: in no order
    read = {field.column for field in Project._meta.concrete_fields if f'"cooperation_project"."{field.column}"' in sql}
    assert read <= {"id", "start", "end", "status", "status_as_of", "published"}  # every one in the index


def sorted_year_lists(year):
    """The year's lists of projects as sorting every published project gives them: [pks] and
    [totals] of those that started, ended and ran in it."""
    projects = list(Project.objects.published())

    def first(found):
        return [pk for *_key, pk in sorted(found)[: pages_selectors.RELATED_LIMIT]]

    started = [(p.start, str(p).casefold(), p.pk) for p in projects if p.start and p.start.year == year]
    ended = [(p.end, str(p).casefold(), p.pk) for p in projects if p.end and p.end.year == year]
    ran = [
        (p.start, str(p).casefold(), p.pk)
        for p in projects
        if p.start and year in p.active_years() and p.start.year != year and not (p.end and p.end.year == year)
    ]
    return [first(found) for found in (started, ended, ran)], [len(found) for found in (started, ended, ran)]


@pytest.mark.parametrize("seed", range(3))
def test_the_year_pages_projects_are_those_sorting_every_project_gives(seed, monkeypatch):
    """Names are read only for the projects dated no later than a list's last: the lists are
    still those of sorting every project (dates of a year alone, a month, a day; no dates;
    drafts; names that differ only in case)."""
    rng = random.Random(seed)
    monkeypatch.setattr(pages_selectors, "RELATED_LIMIT", 5)
    for _number in range(60):
        year = rng.choice([2014, 2015, 2016])
        start = rng.choice([PD(year), PD(year, rng.randint(1, 3)), PD(year, 1, rng.randint(1, 3)), None])
        end = rng.choice([None, PD(2016), PD(2016, 2), PD(2017)]) if start else rng.choice([None, PD(2016)])
        f.ProjectFactory(
            title=rng.choice(["a", "A", "b", "B b"]),
            phase=rng.choice(["", "I", "ii"]),
            start=start,
            end=PD(2017) if start and end and end < start else end,
            status=rng.choice(["ongoing", "completed"]),
            status_as_of=rng.choice([None, PD(2017)]),
            published=rng.random() > 0.2,
        )
    page = pages_selectors.year_page(2016)
    lists = (page.projects_started, page.projects_ended, page.projects_ran)
    assert ([[p.pk for p in found] for found in lists], [found.total for found in lists]) == sorted_year_lists(2016)


def test_the_year_pages_lists_follow_a_renamed_partner_and_a_published_meeting(client):
    """Kept as HTML until a table they read changes."""
    iom = f.PartnerFactory(acronym="OLD", slug="iom")
    f.ProjectPartnerFactory(project=f.ProjectFactory(start=PD(2016), end=PD(2018)), partner=iom)
    meeting = f.MeetingFactory(title="Hidden meeting", start=PD(2016, 3), published=False)
    html = client.get("/years/2016/").content.decode()
    assert "OLD" in html and "Hidden meeting" not in html
    iom.acronym = "NEW"
    iom.save()
    meeting.published = True
    meeting.save()
    html = client.get("/years/2016/").content.decode()
    assert "NEW" in html and "OLD" not in html and "Hidden meeting" in html


def test_the_year_pages_lists_are_not_read_from_what_the_release_before_kept(client):
    """The release before kept the lists' records under "year-lists"; written into the page as
    HTML while the two releases run side by side, they showed as YearLists(…)."""
    f.ProjectFactory(title="Visible project", start=PD(2016), end=PD(2018))
    with translation.override("en-gb"):
        cached("year-lists", [2016], lambda: pages_selectors.compute_year_lists(2016, pages_selectors.year_index()))
    html = client.get("/years/2016/").content.decode()
    assert "YearLists(" not in html and "Visible project" in html


@pytest.mark.parametrize("seed", range(3))
def test_the_year_index_counts_each_record_in_every_year_it_has(seed):
    """As counting every published record year by year: an agreement in each year of a stage, an
    office in those it opened and closed, a project in its active years and the year it ended, a
    meeting from its start's year to its end's (random records: dates of a year or a month,
    none, drafts; the index adds up spans of years, not one year at a time)."""
    rng = random.Random(seed)

    def dates(count):
        """``count`` dates in order, some of them missing."""
        chosen = sorted(
            rng.choice([PD(year), PD(year, rng.randint(1, 12))])
            for year in (rng.randint(2008, 2016) for _ in range(count))
        )
        return [date if rng.random() > 0.3 else None for date in chosen]

    for _number in range(12):
        published = rng.random() > 0.2
        signed, ratified, in_force, ended = dates(4)
        agreement = f.AgreementFactory(signed=signed, actions=False, published=published)
        Agreement.objects.filter(pk=agreement.pk).update(ratified=ratified, in_force=in_force, ended=ended)
        opened, closed = dates(2)
        f.OfficeFactory(opened=opened, closed=closed, published=published)
        start, end = dates(2)
        f.ProjectFactory(
            start=start,
            end=end,
            status=rng.choice(["ongoing", "completed", "planned"]),
            status_as_of=rng.choice([None, PD(2013), PD(2018)]),
            published=rng.random() > 0.2,
        )
        start, end = dates(2)
        f.MeetingFactory(start=start, end=end if start else None, published=rng.random() > 0.2)

    expected = {}

    def count(years, kind):
        for year in years:
            expected.setdefault(year, {"agreements": 0, "offices": 0, "projects": 0, "meetings": 0})[kind] += 1

    for agreement in Agreement.objects.published():
        stages = (agreement.signed, agreement.ratified, agreement.in_force, agreement.ended)
        count({date.year for date in stages if date}, "agreements")
    for office in Office.objects.published():
        count({date.year for date in (office.opened, office.closed) if date}, "offices")
    for project in Project.objects.published():
        count(set(project.active_years()) | ({project.end.year} if project.end else set()), "projects")
    for meeting in Meeting.objects.published():
        count(meeting.years(), "meetings")

    index = pages_selectors.compute_year_index()
    assert list(index) == sorted(expected)
    assert {
        year: {kind: getattr(counts, kind) for kind in ("agreements", "offices", "projects", "meetings")}
        for year, counts in index.items()
    } == expected


def test_a_year_pages_first_meetings_are_read_in_the_index_order_on_postgresql(client):
    """Migration events.0018: a year's meetings oldest first, then by title, are read from the
    index of published meetings by date, title and id, without sorting the year's meetings of the
    same date (3,301 dated only "2010" at the benchmark's size: 7 ms to sort, 0.3 to read)."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    for title in ("Zonal talks", "Annual talks", "Bilateral talks"):
        f.MeetingFactory(title=title, start=PD(2010))
    first = Meeting.objects.published().order_by("start", "title", "pk").filter(start__year=2010)[:25]
    with transaction.atomic(), connection.cursor() as cursor:
        # Three rows cost the same to sort as to read in order, so the planner may take either; with
        # sorting priced out, a plan without a Sort exists only if an index gives this order.
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort", "enable_incremental_sort"):
            cursor.execute(f"SET LOCAL {setting} = off")
        plan = first.explain()
    assert "Index Scan using meeting_published_start" in plan and "Sort" not in plan, plan
    page = client.get("/years/2010/").content.decode()
    assert page.index("Annual talks") < page.index("Bilateral talks") < page.index("Zonal talks")
