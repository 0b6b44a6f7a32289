"""The public record pages: partner, agreement, project, meeting, office, topic, person and
source pages, the year pages and the home page.

Each test asserts what a reader sees (the text of the page and its links). The query-count
tests build every page with 1 and with 50 related rows of each kind and expect the same
literal number of queries.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.contrib.contenttypes.models import ContentType

from cooperation.core.partial_dates import PartialDate
from cooperation.models import Agreement, Project, ProjectPartner, Source, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person
from tests import factories as f

pytestmark = pytest.mark.django_db

THIS_YEAR = datetime.date.today().year


# Reading pages ---------------------------------------------------------------------------


class _PageParser(HTMLParser):
    """Collects the visible text of <body>, its links, and the <li> items of timelines."""

    SKIP = {"script", "style", "head", "title"}
    BLOCKS = {
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "main",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "table",
        "tr",
        "td",
        "th",
        "caption",
        "br",
        "form",
        "label",
    }

    def __init__(self):
        super().__init__()
        self.text, self.links, self.timeline, self.undated = [], [], [], []
        self._skip = 0
        self._link = None
        self._lists = []  # stack of (tag, target list or None)
        self._item = None
        self.h1 = []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._break(tag)
        if tag in self.SKIP:
            self._skip += 1
        if tag == "a":
            self._link = [attrs.get("href"), []]
        if tag == "h1":
            self._in_h1 = True
        if tag in ("ol", "ul"):
            classes = (attrs.get("class") or "").split()
            target = None
            if "timeline" in classes:
                target = self.undated if "timeline-undated" in classes else self.timeline
            self._lists.append((tag, target))
        if tag == "li" and self._lists and self._lists[-1][1] is not None:
            self._item = []

    def _break(self, tag):
        if tag in self.BLOCKS:
            for collected in [self.text, self._item]:
                if collected is not None:
                    collected.append(" ")

    def handle_endtag(self, tag):
        self._break(tag)
        if tag in self.SKIP:
            self._skip -= 1
        if tag == "a" and self._link:
            self.links.append((self._link[0], " ".join("".join(self._link[1]).split())))
            self._link = None
        if tag == "h1":
            self._in_h1 = False
        if tag == "li" and self._item is not None and self._lists and self._lists[-1][1] is not None:
            self._lists[-1][1].append(" ".join("".join(self._item).split()))
            self._item = None
        if tag in ("ol", "ul") and self._lists:
            self._lists.pop()

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._link:
            self._link[1].append(data)
        if self._item is not None:
            self._item.append(data)
        if self._in_h1:
            self.h1.append(data)


class Page:
    def __init__(self, response):
        self.status = response.status_code
        self.html = response.content.decode()
        parser = _PageParser()
        parser.feed(self.html)
        self.text = " ".join("".join(parser.text).split())
        self.links = parser.links
        self.timeline = parser.timeline
        self.undated = parser.undated
        self.h1 = " ".join("".join(parser.h1).split())
        self.h1_count = self.html.count("<h1")

    def hrefs(self):
        return {href for href, _text in self.links}

    def links_to(self, record):
        return record.get_absolute_url() in self.hrefs()

    def title(self):
        return re.search(r"<title>(.*?)</title>", self.html, re.S).group(1).strip()


def get(client, url):
    return Page(client.get(url))


@pytest.fixture
def warm_content_types():
    """Citations and claims are generic relations: fill the content-type cache first, so a
    query count does not depend on which test ran before."""
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(Partner, Office, Person, Agreement, Project, Meeting, Topic, Source)


# Partner ---------------------------------------------------------------------------------


def test_partner_page_shows_facts_offices_and_related_records(client):
    parent = f.PartnerFactory(name="United Nations", acronym="UN", slug="un")
    iom = f.PartnerFactory(
        name="International Organization for Migration",
        acronym="IOM",
        slug="iom",
        headquarters="Geneva, Switzerland",
        parent=parent,
        founded=PartialDate(1951),
        member_states=156,
        description="The UN migration agency.",
    )
    f.OfficeFactory(partner=iom, name="IOM Baku office", city="Baku", country="AZ", opened=PartialDate(1996))
    f.OfficeFactory(
        partner=iom, name="IOM Nakhchivan office", city="Nakhchivan", country="AZ", opened=PartialDate(1998)
    )
    agreement = f.AgreementFactory(title="Cooperation Agreement with IOM", parties=[iom])
    project = f.ProjectFactory(title="Kahriz Rehabilitation Project")
    f.ProjectPartnerFactory(project=project, partner=iom, role=ProjectPartner.Role.IMPLEMENTING)
    meeting = f.MeetingFactory(title="Visit of the Director General", partners=[iom])
    f.CitationFactory(content_object=iom, source=f.SourceFactory(title="Azerbaijan and IOM"), locator="paragraph 1")

    page = get(client, "/partners/iom/")

    assert page.status == 200
    assert page.h1 == "International Organization for Migration (IOM)"
    assert page.h1_count == 1
    assert page.title() == "International Organization for Migration (IOM) – Partners – Migration Cooperation Registry"
    assert "Headquarters Geneva, Switzerland" in page.text
    assert "Part of United Nations (UN)" in page.text
    assert "Founded 1951" in page.text
    assert "Member states 156" in page.text
    assert "IOM Baku office Field office Baku, Azerbaijan since 1996" in page.text
    assert "IOM Nakhchivan office Field office Nakhchivan, Azerbaijan since 1998" in page.text
    assert all(page.links_to(record) for record in [parent, agreement, project, meeting])
    assert "Kahriz Rehabilitation Project 2014 · Implementing" in page.text
    assert "Sources Azerbaijan and IOM, Ministry of Foreign Affairs — paragraph 1" in page.text
    assert '<link rel="canonical" href="http://testserver/partners/iom/">' in page.html


def test_partner_timeline_lists_every_kind_oldest_first_with_each_agreement_stage(client):
    iom = f.PartnerFactory(acronym="IOM", slug="iom")
    f.OfficeFactory(partner=iom, name="IOM Baku office", opened=PartialDate(1996), closed=PartialDate(2020, 3))
    agreement = f.AgreementFactory(
        title="Cooperation Agreement",
        parties=[iom],
        signed=PartialDate(1999, 12, 8),
        signed_place="Baku",
        ratified=PartialDate(2000, 5),
        in_force=PartialDate(2001, 6),
    )
    project = f.ProjectFactory(title="UNIMIG", start=PartialDate(2014), end=PartialDate(2017, 6))
    f.ProjectPartnerFactory(project=project, partner=iom, role=ProjectPartner.Role.FUNDING)
    f.MeetingFactory(
        title="Working visit",
        partners=[iom],
        start=PartialDate(2006, 5, 10),
        end=PartialDate(2006, 5, 11),
        city="Baku",
        country="AZ",
        kind=Meeting.Kind.VISIT,
    )
    f.MeetingFactory(title="Governing-body session, date unknown", partners=[iom], start=None)
    f.ProjectPartnerFactory(project=f.ProjectFactory(title="Undated project", start=None), partner=iom)
    f.PostFactory(organisation=iom, person=f.PersonFactory(name="Brunson McKinley"), start=PartialDate(1998, 10))

    page = get(client, "/partners/iom/")

    assert page.timeline == [
        "1996 Office opened IOM Baku office — Baku, Azerbaijan",
        "October 1998 Took office Brunson McKinley — Director General",
        "8 December 1999 Agreement signed Cooperation Agreement — in Baku",
        "May 2000 Agreement ratified Cooperation Agreement",
        "June 2001 Agreement entered into force Cooperation Agreement",
        "10–11 May 2006 Visit Working visit — Baku, Azerbaijan",
        "2014 Project started UNIMIG — Role: funding",
        "June 2017 Project ended UNIMIG — Role: funding",
        "March 2020 Office closed IOM Baku office — Baku, Azerbaijan",
    ]
    assert page.undated == [
        "Project Undated project — Role: implementing",
        "Bilateral meeting Governing-body session, date unknown — Geneva, Switzerland",
    ]
    assert "Date not recorded" in page.text
    assert page.html.count(f'href="{agreement.get_absolute_url()}"') >= 3
    assert '<time datetime="1999-12-08">8 December 1999</time>' in page.html


def test_partner_page_of_a_host_country_institution_is_a_record_like_any_other(client):
    sms = f.PartnerFactory(
        name="State Migration Service",
        acronym="SMS",
        slug="sms",
        kind=Partner.Kind.STATE_AGENCY,
        scope=Partner.Scope.DOMESTIC,
        country="AZ",
    )
    f.PostFactory(
        organisation=sms, title="Chief", person=f.PersonFactory(name="Firudin Nabiyev"), start=PartialDate(2007)
    )

    page = get(client, "/partners/sms/")

    assert page.h1 == "State Migration Service (SMS)"
    assert "Host-country institution" in page.text
    assert "Country Azerbaijan" in page.text
    assert page.timeline == ["2007 Took office Firudin Nabiyev — Chief"]


# Agreement -------------------------------------------------------------------------------


def test_agreement_page_shows_parties_stages_status_legal_notes_and_related_records(client):
    government = f.PartnerFactory(name="Government of Azerbaijan", acronym="", slug="government")
    iom = f.PartnerFactory(name="International Organization for Migration", acronym="IOM", slug="iom")
    agreement = f.AgreementFactory(
        title="Cooperation Agreement between the Government and IOM",
        slug="iom-cooperation-agreement",
        parties=[government, iom],
        signed=PartialDate(1999, 12, 8),
        signed_place="Baku",
        ratified=PartialDate(2000, 2),
        in_force=PartialDate(2000, 3, 1),
        legal_notes="Approved by Decree No. 287.",
    )
    project = f.ProjectFactory(title="Readmission management")
    project.agreements.add(agreement)
    meeting = f.MeetingFactory(title="Signing ceremony in Baku")
    meeting.agreements.add(agreement)

    page = get(client, "/agreements/iom-cooperation-agreement/")

    assert page.h1 == "Cooperation Agreement between the Government and IOM"
    assert "Parties Government of Azerbaijan International Organization for Migration (IOM)" in page.text
    assert "Signed 8 December 1999 in Baku" in page.text
    assert "Ratified February 2000" in page.text
    assert "Entered into force 1 March 2000" in page.text
    assert "Status In force" in page.text
    assert "Legal notes Approved by Decree No. 287." in page.text
    assert all(page.links_to(record) for record in [government, iom, project, meeting])
    assert "Sources No sources are recorded for this record yet." in page.text
    # Both ways: the partner, the project and the meeting link back to the agreement.
    for url in [iom.get_absolute_url(), project.get_absolute_url(), meeting.get_absolute_url()]:
        assert get(client, url).links_to(agreement)


def test_agreement_page_shows_both_disagreeing_claims_with_their_sources_and_the_preferred_one(client):
    agreement = f.AgreementFactory(slug="iom-agreement", signed=PartialDate(1999, 12, 8))
    mfa = f.SourceFactory(title="Ministry of Foreign Affairs: Azerbaijan and IOM", slug="mfa-iom")
    sms = f.SourceFactory(title="State Migration Service: International cooperation", slug="sms-cooperation")
    f.ClaimFactory(
        content_object=agreement,
        field="signed",
        value="8 December 1999",
        source=mfa,
        locator="para. 2",
        preferred=True,
        note="The signed text gives this day.",
    )
    f.ClaimFactory(content_object=agreement, field="signed", value="18 December 1999", source=sms, locator="section 3")

    page = get(client, "/agreements/iom-agreement/")

    assert (
        "Signed 8 December 1999 Sources disagree: "
        "8 December 1999 — Ministry of Foreign Affairs: Azerbaijan and IOM, para. 2 Preferred "
        "The signed text gives this day. "
        "18 December 1999 — State Migration Service: International cooperation, section 3"
    ) in page.text
    assert page.links_to(mfa) and page.links_to(sms)
    assert page.text.count("Preferred") == 1


def test_claims_about_facts_not_shown_on_their_own_appear_in_the_sources_section(client):
    iom = f.PartnerFactory(slug="iom", member_states=None)
    f.ClaimFactory(content_object=iom, field="observer_states", value="11", source=f.SourceFactory(title="MFA page"))

    page = get(client, "/partners/iom/")

    assert "What the sources say of other facts Observer states As the sources give it: 11 — MFA page" in page.text


# Project, meeting, office, topic, person, source ----------------------------------------


def test_project_page_shows_partners_by_role_topics_agreements_meetings_and_sources(client):
    iom = f.PartnerFactory(name="IOM", acronym="", slug="iom")
    eu = f.PartnerFactory(name="European Union", acronym="EU", slug="eu")
    trafficking = f.TopicFactory(name="Anti-trafficking", slug="anti-trafficking")
    project = f.ProjectFactory(
        title="Enhancing Cooperation to Combat Trafficking",
        phase="Phase III",
        slug="combat-trafficking",
        start=PartialDate(2006, 8),
        end=None,
        status=Project.Status.ONGOING,
        topics=[trafficking],
    )
    f.ProjectPartnerFactory(project=project, partner=eu, role=ProjectPartner.Role.FUNDING)
    f.ProjectPartnerFactory(project=project, partner=iom, role=ProjectPartner.Role.IMPLEMENTING)
    agreement = f.AgreementFactory(title="Cooperation Agreement")
    project.agreements.add(agreement)
    meeting = f.MeetingFactory(title="Steering committee")
    meeting.projects.add(project)
    f.CitationFactory(content_object=project, source=f.SourceFactory(title="IOM project sheet"), locator="")

    page = get(client, "/projects/combat-trafficking/")

    assert page.h1 == "Enhancing Cooperation to Combat Trafficking – Phase III"
    assert "Started August 2006 Ended Ongoing Status Ongoing" in page.text
    assert "Implementing IOM Funding European Union (EU)" in page.text
    assert "Topics Anti-trafficking" in page.text
    assert all(page.links_to(record) for record in [iom, eu, trafficking, agreement, meeting])
    assert "Sources IOM project sheet, Ministry of Foreign Affairs" in page.text
    for record in [iom, eu, trafficking, agreement, meeting]:
        assert get(client, record.get_absolute_url()).links_to(project), record


def test_meeting_page_shows_dates_as_a_range_place_partners_participants_agreements_and_projects(client):
    iom = f.PartnerFactory(acronym="IOM", slug="iom")
    person = f.PersonFactory(name="William Lacy Swing", slug="swing")
    agreement = f.AgreementFactory(title="Readmission Agreement")
    project = f.ProjectFactory(title="Readmission project")
    meeting = f.MeetingFactory(
        title="Regional conference",
        slug="regional-conference",
        kind=Meeting.Kind.CONFERENCE,
        start=PartialDate(2006, 5, 10),
        end=PartialDate(2006, 5, 11),
        city="Baku",
        country="AZ",
        partners=[iom],
        participants_note="SMS employees",
    )
    meeting.participants.add(person)
    meeting.agreements.add(agreement)
    meeting.projects.add(project)

    page = get(client, "/meetings/regional-conference/")

    assert page.h1 == "Regional conference"
    assert "Date 10–11 May 2006 Place Baku, Azerbaijan" in page.text
    assert '<time datetime="2006-05-10">10–11 May 2006</time>' in page.html
    assert "Participants William Lacy Swing SMS employees" in page.text
    assert all(page.links_to(record) for record in [iom, person, agreement, project])
    for record in [iom, person, agreement, project]:
        assert get(client, record.get_absolute_url()).links_to(meeting), record


def test_office_page_shows_its_partner_place_dates_and_the_partners_other_offices(client):
    iom = f.PartnerFactory(name="International Organization for Migration", acronym="IOM", slug="iom")
    office = f.OfficeFactory(
        partner=iom, name="IOM Mingachevir office", slug="iom-mingachevir", city="Mingachevir", opened=PartialDate(2006)
    )
    other = f.OfficeFactory(partner=iom, name="IOM Baku office", city="Baku", opened=PartialDate(1996))

    page = get(client, "/offices/iom-mingachevir/")

    assert page.h1 == "IOM Mingachevir office"
    assert "Office of International Organization for Migration (IOM)" in page.text
    assert "City Mingachevir Country Azerbaijan Opened 2006" in page.text
    assert "Other offices of IOM IOM Baku office Baku, Azerbaijan · opened 1996" in page.text
    assert page.links_to(iom) and page.links_to(other)
    assert get(client, "/partners/iom/").links_to(office)


def test_topic_page_shows_its_projects_the_agreements_they_rest_on_and_their_partners(client):
    topic = f.TopicFactory(name="Readmission", slug="readmission")
    eu = f.PartnerFactory(name="European Union", acronym="EU", slug="eu")
    project = f.ProjectFactory(title="Supporting Readmission Management", topics=[topic], start=PartialDate(2012))
    f.ProjectPartnerFactory(project=project, partner=eu, role=ProjectPartner.Role.FUNDING)
    agreement = f.AgreementFactory(title="EU–Azerbaijan Readmission Agreement", signed=PartialDate(2013, 2, 28))
    project.agreements.add(agreement)
    f.ProjectFactory(title="Unrelated project")

    page = get(client, "/topics/readmission/")

    assert page.h1 == "Readmission"
    assert (
        "Projects (1) Filter, sort and download these projects Supporting Readmission Management 2012 · Ongoing · EU"
        in page.text
    )
    assert (
        "Agreements (1) The agreements this topic's projects rest on. "
        "EU–Azerbaijan Readmission Agreement signed 28 February 2013" in page.text
    )
    assert "Partners working on it European Union (EU)" in page.text
    assert "Unrelated project" not in page.text
    assert all(page.links_to(record) for record in [project, agreement, eu])
    assert get(client, project.get_absolute_url()).links_to(topic)


def test_person_page_shows_posts_and_meetings_both_ways(client):
    iom = f.PartnerFactory(name="International Organization for Migration", acronym="IOM", slug="iom")
    person = f.PersonFactory(name="Brunson McKinley", slug="brunson-mckinley")
    f.PostFactory(
        person=person, organisation=iom, title="Director General", start=PartialDate(1998, 10), end=PartialDate(2008, 9)
    )
    meeting = f.MeetingFactory(title="Official visit to Azerbaijan", start=PartialDate(2000, 10))
    meeting.participants.add(person)

    page = get(client, "/people/brunson-mckinley/")

    assert page.h1 == "Brunson McKinley"
    assert (
        "Posts Director General, International Organization for Migration (IOM) October 1998 – September 2008"
        in page.text
    )
    assert "Meetings Official visit to Azerbaijan October 2000" in page.text
    assert page.links_to(iom) and page.links_to(meeting)
    assert get(client, "/partners/iom/").links_to(person)
    assert get(client, meeting.get_absolute_url()).links_to(person)


def test_source_page_lists_the_records_that_cite_it(client):
    source = f.SourceFactory(title="Azerbaijan and IOM", slug="azerbaijan-and-iom", publisher="MFA")
    iom = f.PartnerFactory(acronym="IOM", slug="iom")
    agreement = f.AgreementFactory(title="Cooperation Agreement")
    f.CitationFactory(content_object=iom, source=source)
    f.ClaimFactory(content_object=agreement, source=source, value="8 December 1999")

    page = get(client, "/sources/azerbaijan-and-iom/")

    assert page.h1 == "Azerbaijan and IOM"
    assert "Publisher MFA" in page.text
    assert "Records that cite it Partners" in page.text
    assert page.links_to(iom) and page.links_to(agreement)
    assert get(client, "/partners/iom/").links_to(source)


# Drafts ----------------------------------------------------------------------------------


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


def test_published_pages_never_show_draft_records_they_relate_to(client):
    iom = f.PartnerFactory(acronym="IOM", slug="iom")
    draft_parent = f.PartnerFactory(name="Draft parent body", published=False)
    iom.parent = draft_parent
    iom.save()
    drafts = [
        f.AgreementFactory(title="Draft agreement", parties=[iom], published=False),
        f.OfficeFactory(partner=iom, name="Draft office", published=False),
        f.MeetingFactory(title="Draft meeting", partners=[iom], published=False),
        f.PersonFactory(name="Draft person", published=False),
        f.SourceFactory(title="Draft source", published=False),
        draft_parent,
    ]
    f.PostFactory(organisation=iom, person=drafts[3])
    draft_project = f.ProjectFactory(title="Draft project", published=False)
    f.ProjectPartnerFactory(project=draft_project, partner=iom)
    f.CitationFactory(content_object=iom, source=drafts[4])
    agreement = f.AgreementFactory(
        title="Published agreement", parties=[iom, f.PartnerFactory(name="Draft party", published=False)]
    )
    agreement.projects.add(draft_project)
    drafts += [draft_project]

    partner_page = get(client, "/partners/iom/")
    agreement_page = get(client, agreement.get_absolute_url())

    for page in [partner_page, agreement_page]:
        assert page.status == 200
        for draft in drafts:
            assert not page.links_to(draft), draft
            assert str(draft) not in page.text, draft
    assert "Draft party" not in agreement_page.text
    assert partner_page.links_to(agreement)


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


# Not found -------------------------------------------------------------------------------


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


# Years -----------------------------------------------------------------------------------


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
            title="Open-ended ongoing project", start=PartialDate(2003), end=None, status=Project.Status.ONGOING
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
        "Ratified July 2006: Agreement ratified in 2006 "
        "Entered into force 15 January 2006: Agreement in force in 2006"
    ) in page.text
    assert "Offices Opened 2006: IOM Mingachevir office Mingachevir, Azerbaijan · IOM" in page.text
    assert "Started Project started 2006 August 2006 – 2008 · IOM" in page.text
    assert "Ended Project ended 2006 2004 – June 2006" in page.text
    assert "Running Open-ended ongoing project 2003 · Ongoing Project running 2005-2007 2005 – 2007" in page.text
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
    last = get(client, f"/years/{THIS_YEAR}/")
    assert "No later year" in last.text


def test_year_page_counts_an_open_ended_ongoing_project_until_this_year_only(client, year_2006):
    assert "Open-ended ongoing project" in get(client, f"/years/{THIS_YEAR}/").text
    assert get(client, f"/years/{THIS_YEAR + 1}/").status == 404
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
    assert counts[2009] == (0, 0, 1, 0)
    assert counts[THIS_YEAR] == (0, 0, 1, 0)
    assert sorted(counts, reverse=True) == [int(year) for year, *_ in rows]
    assert set(counts) == {1999, 2003, 2004, 2005, *range(2006, THIS_YEAR + 1)}


# Home ------------------------------------------------------------------------------------


def test_home_page_shows_counts_newest_records_and_entry_points(client, settings):
    iom = f.PartnerFactory(name="International Organization for Migration", acronym="IOM", slug="iom")
    sms = f.PartnerFactory(name="State Migration Service", acronym="SMS", slug="sms", scope=Partner.Scope.DOMESTIC)
    f.PartnerFactory(name="Draft partner", published=False)
    topic = f.TopicFactory(name="Border management", slug="border-management")
    f.ProjectFactory(title="Border project", topics=[topic], start=PartialDate(2012))
    f.AgreementFactory(title="Newest agreement", signed=PartialDate(2019, 4, 2))
    f.AgreementFactory(title="Older agreement", signed=PartialDate(1999, 12, 8))
    f.MeetingFactory(title="Newest meeting", start=PartialDate(2020, 2, 3))

    page = get(client, "/")

    assert page.status == 200
    assert page.h1 == "Migration Cooperation Registry"
    assert (
        "What the registry holds 2 partners 2 agreements 1 projects 1 meetings 0 offices 0 people 1 topics 0 sources"
    ) in page.text
    assert "Agreements Newest agreement signed 2 April 2019 Older agreement signed 8 December 1999" in page.text
    assert "Meetings Newest meeting 3 February 2020" in page.text
    assert "Azerbaijan's institutions SMS" in page.text
    assert "International organisations and processes IOM" in page.text
    assert "Border management (1 project)" in page.text
    assert page.links_to(iom) and page.links_to(sms) and page.links_to(topic)
    assert {"/years/1999/", "/years/2012/", "/years/2019/", "/years/2020/", "/years/"} <= page.hrefs()
    assert "Draft partner" not in page.text


# Query counts ----------------------------------------------------------------------------


def _cite(record, n):
    for _ in range(n):
        f.CitationFactory(content_object=record)
        f.ClaimFactory(content_object=record, field="signed", value=f"claim {_}")


def build_partner(n):
    partner = f.PartnerFactory(slug="subject", parent=f.PartnerFactory())
    for i in range(n):
        f.PartnerFactory(parent=partner)
        f.OfficeFactory(partner=partner, closed=PartialDate(2020))
        f.AgreementFactory(parties=[partner], ratified=PartialDate(2000))
        f.ProjectPartnerFactory(partner=partner, project=f.ProjectFactory(end=PartialDate(2016)))
        f.MeetingFactory(partners=[partner], start=None if i == 0 else PartialDate(2016, 12, 5))
        f.PostFactory(organisation=partner, end=PartialDate(2010))
    _cite(partner, n)
    return partner.get_absolute_url()


def build_agreement(n):
    agreement = f.AgreementFactory(slug="subject", parties=[f.PartnerFactory() for _ in range(n)])
    agreement.projects.set([f.ProjectFactory() for _ in range(n)])
    agreement.meetings.set([f.MeetingFactory() for _ in range(n)])
    _cite(agreement, n)
    return agreement.get_absolute_url()


def build_project(n):
    project = f.ProjectFactory(slug="subject", topics=[f.TopicFactory() for _ in range(n)])
    for _ in range(n):
        f.ProjectPartnerFactory(project=project)
    project.agreements.set([f.AgreementFactory() for _ in range(n)])
    project.meetings.set([f.MeetingFactory() for _ in range(n)])
    _cite(project, n)
    return project.get_absolute_url()


def build_meeting(n):
    meeting = f.MeetingFactory(slug="subject", partners=[f.PartnerFactory() for _ in range(n)])
    meeting.participants.set([f.PersonFactory() for _ in range(n)])
    meeting.agreements.set([f.AgreementFactory() for _ in range(n)])
    meeting.projects.set([f.ProjectFactory() for _ in range(n)])
    _cite(meeting, n)
    return meeting.get_absolute_url()


def build_office(n):
    partner = f.PartnerFactory()
    office = f.OfficeFactory(slug="subject", partner=partner)
    for _ in range(n):
        f.OfficeFactory(partner=partner)
    _cite(office, n)
    return office.get_absolute_url()


def build_topic(n):
    topic = f.TopicFactory(slug="subject")
    for _ in range(n):
        project = f.ProjectFactory(topics=[topic])
        f.ProjectPartnerFactory(project=project)
        project.agreements.add(f.AgreementFactory())
    _cite(topic, n)
    return topic.get_absolute_url()


def build_person(n):
    person = f.PersonFactory(slug="subject")
    for _ in range(n):
        f.PostFactory(person=person)
        f.MeetingFactory().participants.add(person)
    _cite(person, n)
    return person.get_absolute_url()


def build_source(n):
    source = f.SourceFactory(slug="subject")
    for factory in [
        f.PartnerFactory,
        f.AgreementFactory,
        f.ProjectFactory,
        f.MeetingFactory,
        f.OfficeFactory,
        f.PersonFactory,
        f.TopicFactory,
    ]:
        for _ in range(n):
            f.CitationFactory(content_object=factory(), source=source)
    _cite(source, n)
    return source.get_absolute_url()


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
        f.AgreementFactory(signed=PartialDate(1960 + i))
        f.OfficeFactory(opened=PartialDate(1960 + i))
        f.ProjectFactory(start=PartialDate(1960 + i), end=PartialDate(2010))
        f.MeetingFactory(start=PartialDate(1960 + i))
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
    # partner + parent; the numbers; children, offices, agreements, project roles, meetings, posts; citations, claims
    ("partner", build_partner, 10),
    # agreement; the numbers; projects, meetings; parties; citations, claims
    ("agreement", build_agreement, 7),
    # project; the number of meetings, meetings; partners, topics, agreements; citations, claims
    ("project", build_project, 8),
    # meeting; partners, participants, agreements, projects; citations, claims
    ("meeting", build_meeting, 7),
    # office + partner; the number of the partner's offices, its offices; citations, claims
    ("office", build_office, 5),
    # topic; the numbers; projects, their partners, their agreements; agreements; citations, claims
    ("topic", build_topic, 8),
    # person; the number of meetings, meetings; posts + organisations; citations, claims
    ("person", build_person, 6),
    # source; the numbers; 7 kinds of citing records (a source cites no sources of its own)
    ("source", build_source, 9),
    # 4 for the year index; agreements + parties, offices + partner, the year's projects' dates,
    # the projects shown + partners, meetings + partners
    ("year", build_year, 12),
    # one grouped query per kind
    ("years", build_years, 4),
    # 8 counts, 3 newest lists, partners, topics, 4 for the years
    ("home", build_home, 17),
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


def test_office_of_a_draft_partner_is_not_public(client):
    office = f.OfficeFactory(partner=f.PartnerFactory(published=False))
    assert client.get(office.get_absolute_url()).status_code == 404
