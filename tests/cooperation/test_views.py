"""The agreement, project, topic and source pages (cooperation/views.py, cooperation/selectors.py).

Each test asserts what a reader sees (the text of the page and its links). The query-count
tests build every page with 1 and with 50 related rows of each kind and expect the same
literal number of queries.
"""

from datetime import date

import pytest

from cooperation.core.partial_dates import PartialDate
from cooperation.models import Agreement, Project, ProjectPartner
from events.models import Meeting
from tests import factories as f
from tests.helpers.listing import DATA_VERSION, RECORD_VERSIONS
from tests.helpers.pages import cite, get

pytestmark = pytest.mark.django_db


# Agreement ------------------------------------------------------------------------------------


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
        legal_summary="Approved by Decree No. 287.",
        legal_notes="Stored as the ratification date; staff should confirm.",
    )
    project = f.ProjectFactory(title="Readmission management")
    project.agreements.add(agreement)
    meeting = f.MeetingFactory(title="Signing ceremony in Baku")
    meeting.agreements.add(agreement)

    page = get(client, "/agreements/iom-cooperation-agreement/")

    assert page.h1 == "Cooperation Agreement between the Government and IOM"
    assert "Parties Government of Azerbaijan International Organization for Migration (IOM)" in page.text
    assert "Status In force" in page.text
    assert (
        "Signature, consent and entry into force 8 December 1999 · Signature in Baku "
        "February 2000 · Ratification 1 March 2000 · Entry into force"
    ) in page.text
    # Two parties that act together: no party-by-party table.
    assert "Party by party" not in page.text
    assert "Legal notes Approved by Decree No. 287." in page.text
    assert "staff should confirm" not in page.text and "Stored as" not in page.text  # the staff's notes
    assert all(page.links_to(record) for record in [government, iom, project, meeting])
    assert "Sources No sources are recorded for this record yet." in page.text
    # Both ways: the partner, the project and the meeting link back to the agreement.
    for url in [iom.get_absolute_url(), project.get_absolute_url(), meeting.get_absolute_url()]:
        assert get(client, url).links_to(agreement)


def test_agreement_page_says_in_plain_words_which_sources_disagree_what_it_shows_and_why(client):
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
        reason="the page gives the place and the parties along with the date.",
        note="Preferred: staff should confirm it against the signed text.",
    )
    f.ClaimFactory(
        content_object=agreement,
        field="signed",
        value="November 8, 1999",
        source=sms,
        locator="section 3",
        note="Kept as stated.",
    )

    page = get(client, "/agreements/iom-agreement/")

    assert (
        "8 December 1999 · Signature Sources disagree on the date of signing: "
        "Ministry of Foreign Affairs: Azerbaijan and IOM, Ministry of Foreign Affairs (para. 2) gives 8 December 1999, "
        "State Migration Service: International cooperation, Ministry of Foreign Affairs (section 3) "
        "gives 8 November 1999. "
        "The registry shows 8 December 1999 because the page gives the place and the parties along with the date. "
        "Projects based on it"
    ) in page.text
    assert page.links_to(mfa) and page.links_to(sms)
    # The curator's notes, the "Preferred" badge and the source's own date wording stay in the admin.
    for staff_words in ["Preferred", "staff should confirm", "Kept as stated", "November 8, 1999"]:
        assert staff_words not in page.text
    assert '<time datetime="1999-11-08">8 November 1999</time>' in page.html


def test_without_a_reason_the_sentence_ends_with_what_the_registry_shows(client):
    agreement = f.AgreementFactory(slug="iom-agreement", signed=PartialDate(1999, 12, 8))
    mfa, sms = f.SourceFactory(title="MFA page"), f.SourceFactory(title="SMS page")
    f.ClaimFactory(content_object=agreement, field="signed", value="1999-12-08", source=mfa, preferred=True)
    f.ClaimFactory(content_object=agreement, field="signed", value="December 1999", source=sms, note="Month only.")

    text = get(client, "/agreements/iom-agreement/").text

    assert (
        "Sources disagree on the date of signing: MFA page, Ministry of Foreign Affairs gives 8 December 1999, "
        "SMS page, Ministry of Foreign Affairs gives December 1999. The registry shows 8 December 1999. Projects"
    ) in text
    assert "Month only" not in text


def disputed_signing(**reasons: str) -> Agreement:
    """An agreement whose two sources disagree on the day of signing, the first one preferred with
    ``reasons`` (reason, reason_az, reason_ru)."""
    agreement = f.AgreementFactory(slug="iom-agreement", signed=PartialDate(1999, 12, 8))
    f.ClaimFactory(
        content_object=agreement,
        field="signed",
        value="1999-12-08",
        source=f.SourceFactory(title="MFA page"),
        preferred=True,
        **reasons,
    )
    f.ClaimFactory(
        content_object=agreement, field="signed", value="1999-11-08", source=f.SourceFactory(title="SMS page")
    )
    return agreement


@pytest.mark.parametrize(
    ("prefix", "sentence"),
    [
        ("/az", "Reyestrdə göstərilən: 8 dekabr 1999 (səbəb: səhifə tarixlə birlikdə yeri və tərəfləri göstərir)."),
        ("/ru", "Реестр показывает: 8 декабря 1999 (причина: страница указывает место и стороны вместе с датой)."),
        ("", "The registry shows 8 December 1999 because the page gives the place and the parties with the date."),
    ],
    ids=["az", "ru", "en"],
)
def test_the_reason_the_registry_gives_is_in_the_page_language(client, prefix, sentence):
    disputed_signing(
        reason="the page gives the place and the parties with the date.",
        reason_az="səhifə tarixlə birlikdə yeri və tərəfləri göstərir",
        reason_ru="страница указывает место и стороны вместе с датой.",
    )

    page = get(client, f"{prefix}/agreements/iom-agreement/")

    assert sentence in page.text
    assert 'lang="en"' not in page.html.split('class="claims', 1)[1].split("</p>", 1)[0]


@pytest.mark.parametrize(("prefix", "word"), [("/az", "(səbəb:"), ("/ru", "(причина:")], ids=["az", "ru"])
def test_an_untranslated_reason_is_the_english_marked_as_english(client, prefix, word):
    disputed_signing(reason="the page gives the place too", reason_ru="", reason_az="")

    page = get(client, f"{prefix}/agreements/iom-agreement/")

    assert f'{word} <span lang="en">the page gives the place too</span>).' in page.html


def test_claims_that_say_the_same_date_in_two_styles_do_not_disagree(client):
    agreement = f.AgreementFactory(slug="iom-agreement", signed=PartialDate(1999, 12, 8))
    f.ClaimFactory(content_object=agreement, field="signed", value="8 December 1999", source=f.SourceFactory(title="A"))
    f.ClaimFactory(
        content_object=agreement, field="signed", value="December 8, 1999", source=f.SourceFactory(title="B")
    )

    text = get(client, "/agreements/iom-agreement/").text

    assert (
        "As the sources give it: A, Ministry of Foreign Affairs gives 8 December 1999, "
        "B, Ministry of Foreign Affairs gives 8 December 1999."
    ) in text
    assert "disagree" not in text


def test_agreement_page_lists_each_action_with_its_party_place_act_and_sources(client):
    sms = f.PartnerFactory(name="State Migration Service", acronym="SMS", slug="sms")
    iom = f.PartnerFactory(name="International Organization for Migration", acronym="IOM", slug="iom")
    agreement = f.AgreementFactory(
        slug="return", parties=[sms, iom], signed=PartialDate(2016, 12, 8), signed_place="Geneva"
    )
    decree = f.SourceFactory(title="SMS: International cooperation (2017)", slug="sms-2017")
    approval = f.AgreementActionFactory(
        agreement=agreement,
        kind="approval",
        party=sms,
        date=PartialDate(2017, 2, 23),
        act="Presidential Decree of 23 February 2017",
    )
    f.CitationFactory(content_object=approval, source=decree, locator="paragraph 4")
    f.AgreementActionFactory(agreement=agreement, kind="entry-into-force", date=PartialDate(2017, 3, 2))

    page = get(client, "/agreements/return/")

    assert (
        "Signature, consent and entry into force 8 December 2016 · Signature in Geneva "
        "23 February 2017 · Approval by State Migration Service (SMS) By Presidential Decree of 23 February 2017 "
        "Source: SMS: International cooperation (2017), Ministry of Foreign Affairs, paragraph 4 "
        "2 March 2017 · Entry into force"
    ) in page.text
    assert page.links_to(decree)
    assert "Status In force" in page.text
    # A party-specific action: the party-by-party table, the UNTC's columns, with the approval marked AA.
    assert (
        "Party by party Party Signature Consent to be bound In force for it Status today "
        "International Organization for Migration (IOM) 8 December 2016 2 March 2017 In force for it "
        "State Migration Service (SMS) 8 December 2016 23 February 2017 AA 2 March 2017 In force for it"
    ) in page.text
    assert '<th scope="row"><a href="/partners/sms/">' in page.html
    assert '<abbr title="Approval">AA</abbr>' in page.html
    assert "Consent to be bound: ratification, or as marked: A acceptance, AA approval, a accession" in page.text


def test_agreement_page_of_a_multilateral_instrument_shows_a_row_for_every_party(client):
    parties = [
        f.PartnerFactory(name=name, acronym="", slug=name.lower()) for name in ("Armenia", "Azerbaijan", "Georgia")
    ]
    agreement = f.AgreementFactory(slug="cis", parties=parties, signed=None, actions=False)
    f.AgreementActionFactory(agreement=agreement, kind="accession", party=parties[1], date=PartialDate(2000, 12))

    page = get(client, "/agreements/cis/")

    assert (
        "Armenia Dates not recorded Azerbaijan December 2000 a Consented to be bound Georgia Dates not recorded"
        in page.text
    )
    assert "Status Ratified, approved or acceded to" in page.text


def test_agreement_page_without_actions_says_none_is_recorded(client):
    f.AgreementFactory(slug="mou", signed=None, actions=False)

    page = get(client, "/agreements/mou/")

    assert "No signature, ratification or other action is recorded." in page.text
    assert "Status Dates not recorded" in page.text


def test_partner_timeline_shows_the_agreements_actions(client):
    azerbaijan = f.PartnerFactory(name="Azerbaijan", acronym="", slug="azerbaijan")
    iom = f.PartnerFactory(name="IOM", acronym="", slug="iom")
    agreement = f.AgreementFactory(
        title="IOM Constitution", slug="iom-constitution", parties=[azerbaijan, iom], signed=None, actions=False
    )
    f.AgreementActionFactory(agreement=agreement, kind="accession", party=azerbaijan, date=PartialDate(2000, 12))
    f.AgreementActionFactory(
        agreement=agreement, kind="entry-into-force", party=azerbaijan, date=PartialDate(2001, 6, 7)
    )

    page = get(client, "/partners/azerbaijan/")

    assert "December 2000 Agreement acceded to IOM Constitution — by Azerbaijan" in page.text
    assert "7 June 2001 Agreement entered into force IOM Constitution — by Azerbaijan" in page.text


# Project, topic, source -----------------------------------------------------------------------


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
    assert "Started August 2006 Ended Not recorded Status Reported ongoing (date of report not recorded)" in page.text
    assert "Implementing IOM Funding European Union (EU)" in page.text
    assert "Topics Anti-trafficking" in page.text
    assert all(page.links_to(record) for record in [iom, eu, trafficking, agreement, meeting])
    assert "Sources IOM project sheet, Ministry of Foreign Affairs" in page.text
    for record in [iom, eu, trafficking, agreement, meeting]:
        assert get(client, record.get_absolute_url()).links_to(project), record


@pytest.mark.parametrize(
    ("prefix", "shown"),
    [
        ("", "Recipient countries Azerbaijan Georgia Türkiye"),
        ("/az", "Alan ölkələr Azərbaycan Gürcüstan Türkiyə"),
        ("/ru", "Страны-получатели Азербайджан Грузия Турция"),
    ],
)
def test_project_page_names_its_recipient_countries_in_the_pages_language(client, prefix, shown):
    f.ProjectFactory(slug="border-management", recipient_countries=["TR", "GE", "AZ"])
    f.ProjectFactory(slug="no-countries")

    assert shown in get(client, f"{prefix}/projects/border-management/").text
    assert "Recipient countries" not in get(client, "/projects/no-countries/").text


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
        "Projects (1) Filter, sort and download these projects Supporting Readmission Management 2012 · "
        "Reported ongoing (date of report not recorded) · EU" in page.text
    )
    assert (
        "Agreements (1) The agreements this topic's projects rest on. "
        "EU–Azerbaijan Readmission Agreement signed 28 February 2013" in page.text
    )
    assert "Partners working on it The partners of its projects. European Union (EU)" in page.text
    assert "Unrelated project" not in page.text
    assert all(page.links_to(record) for record in [project, agreement, eu])
    assert get(client, project.get_absolute_url()).links_to(topic)


def test_topic_page_without_projects_speaks_of_the_agreements_on_the_topic(client):
    topic = f.TopicFactory(name="Visa facilitation", slug="visa-facilitation")
    agreement = f.AgreementFactory(title="Visa Facilitation Agreement", signed=PartialDate(2013, 11, 29))
    agreement.topics.set([topic])

    page = get(client, "/topics/visa-facilitation/")

    assert "Projects (0) No projects on this topic are recorded." in page.text
    assert "Agreements (1) Agreements on this topic. Visa Facilitation Agreement signed 29 November 2013" in page.text
    assert "projects rest on" not in page.text and "Partners working on it" not in page.text
    assert "Visa facilitation in the Migration Cooperation Registry: 1 agreement, with sources." in page.html
    empty = get(client, f.TopicFactory(slug="empty").get_absolute_url())
    assert "No projects on this topic are recorded. Agreements (0) No agreements on this topic are recorded." in (
        empty.text
    )


def test_topic_page_names_both_kinds_of_agreements_it_lists(client):
    topic = f.TopicFactory(name="Readmission", slug="readmission")
    project = f.ProjectFactory(title="Readmission project", topics=[topic])
    project.agreements.add(f.AgreementFactory(title="Framework agreement"))
    f.AgreementFactory(title="Readmission agreement").topics.set([topic])

    page = get(client, "/topics/readmission/")

    assert "Agreements (2) Agreements on this topic, and those its projects rest on." in page.text


@pytest.mark.parametrize(
    ("make", "index"),
    [
        (lambda: f.TopicFactory(name="Asylum"), ("/topics/", "Topics")),
        (lambda: f.SourceFactory(title="Annual report"), ("/sources/", "Sources")),
        (lambda: f.PersonFactory(name="William Lacy Swing"), ("/people/", "People")),
    ],
)
def test_topic_source_and_person_pages_lead_back_to_their_index_and_the_index_links_each_row(client, make, index):
    record = make()
    page = get(client, record.get_absolute_url())
    assert index in page.links  # the breadcrumb: Home › Topics › Asylum
    listed = get(client, index[0])
    assert listed.h1 == index[1]
    assert listed.links_to(record)


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


def test_source_page_says_how_many_published_records_of_a_kind_cite_it_beyond_those_it_lists(client):
    source = f.SourceFactory(slug="report", title="Annual report")
    meetings = [f.MeetingFactory(title=f"Meeting {n:02}", start=PartialDate(2000 + n)) for n in range(30)]
    for meeting in meetings:
        f.CitationFactory(content_object=meeting, source=source)
    f.ClaimFactory(content_object=meetings[0], source=source, field="title", value="Meeting 00")  # counted once
    Meeting.objects.filter(pk__in=[m.pk for m in meetings[:3]]).update(published=False)  # drafts: not counted
    f.CitationFactory(content_object=f.PartnerFactory(acronym="IOM"), source=source)

    page = get(client, "/sources/report/")

    assert "Meetings Meeting 29" in page.text
    assert "The first 25 of 27." in page.text  # the meetings; the one partner is not capped
    assert page.text.count("The first 25 of") == 1
    assert "Meeting 02" not in page.text


def test_source_page_describes_the_document_for_a_reader_and_keeps_the_staff_notes_in_the_admin(client):
    f.SourceFactory(
        slug="sms-2017",
        language="az",
        description="Overview of the Service's international cooperation, in fifteen paragraphs.",
        notes="The year in the slug is not a publication date; no URL was kept.",
    )

    page = get(client, "/sources/sms-2017/")

    assert "Language Azerbaijani" in page.text
    assert "About the document Overview of the Service's international cooperation" in page.text
    assert "the year in the slug" not in page.text.lower() and "no URL was kept" not in page.text


# Query counts ---------------------------------------------------------------------------------


def build_agreement(n):
    parties = [f.PartnerFactory() for _ in range(n)]
    agreement = f.AgreementFactory(slug="subject", parties=parties)
    for party in parties:  # each party's own ratification, citing a source: the party-by-party table
        action = f.AgreementActionFactory(agreement=agreement, party=party, kind="ratification", date=PartialDate(2001))
        f.CitationFactory(content_object=action)
    agreement.projects.set([f.ProjectFactory() for _ in range(n)])
    agreement.meetings.set([f.MeetingFactory() for _ in range(n)])
    cite(agreement, n)
    return agreement.get_absolute_url()


def build_project(n):
    project = f.ProjectFactory(slug="subject", topics=[f.TopicFactory() for _ in range(n)])
    for _ in range(n):
        f.ProjectPartnerFactory(project=project)
    project.agreements.set([f.AgreementFactory() for _ in range(n)])
    project.meetings.set([f.MeetingFactory() for _ in range(n)])
    for year in range(2000, 2000 + n):
        f.BudgetFactory(project=project, period_start=date(year, 1, 1), period_end=date(year, 12, 31))
        f.TransactionTotalFactory(project=project, year=year)
    cite(project, n)
    return project.get_absolute_url()


def build_topic(n):
    topic = f.TopicFactory(slug="subject")
    for _ in range(n):
        project = f.ProjectFactory(topics=[topic])
        f.ProjectPartnerFactory(project=project)
        project.agreements.add(f.AgreementFactory())
    cite(topic, n)
    return topic.get_absolute_url()


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
    cite(source, n)
    return source.get_absolute_url()


# (page, builder, queries): every page runs this many queries, whatever the number of rows.
# A record page lists at most 25 (RELATED_LIMIT) of each big relation and counts them all in one
# more query (cached until the data changes: these are the counts of a first, uncached request).
QUERY_COUNTS = [
    # agreement; the numbers; projects, meetings; parties; actions, their citations; citations, claims
    ("agreement", build_agreement, DATA_VERSION + RECORD_VERSIONS + 9),
    # project; the number of meetings, meetings; partners, topics, agreements; budgets,
    # transaction totals; citations, claims
    ("project", build_project, DATA_VERSION + RECORD_VERSIONS + 10),
    # topic; the numbers; projects, their partners, their agreements; agreements; citations, claims;
    # the chart of its projects per year and status
    ("topic", build_topic, DATA_VERSION + RECORD_VERSIONS + 9),
    # the versions of the records it shows (its numbers are counted with its citing records, not
    # kept under its own version); source; 7 kinds of citing records, each with how many there
    # are (a source cites no sources of its own)
    ("source", build_source, DATA_VERSION + 1 + 8),
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


def test_source_page_lists_an_agreement_that_cites_it_through_an_action(client):
    agreement = f.AgreementFactory(title="Voluntary return agreement", signed=None, actions=False)
    decree = f.SourceFactory(slug="decree", title="Decree")
    approval = f.AgreementActionFactory(agreement=agreement, kind="approval", date=PartialDate(2017, 2, 23))
    f.CitationFactory(content_object=approval, source=decree)

    page = get(client, "/sources/decree/")

    assert page.links_to(agreement)
    assert "Agreements Voluntary return agreement" in page.text


def test_topic_page_says_how_many_agreements_are_on_it_when_it_lists_only_the_latest(client, monkeypatch):
    """The number comes from the agreements list's count table (AgreementTopicTotal), kept as
    agreements are published, unpublished, deleted and tagged; the page listed the latest without
    saying there were more."""
    from cooperation.core import related

    monkeypatch.setattr(related.some, "__defaults__", (3,))
    topic = f.TopicFactory(name="Readmission", slug="readmission")
    agreements = [f.AgreementFactory(title=f"Agreement of {2000 + n}", signed=PartialDate(2000 + n)) for n in range(6)]
    for agreement in agreements:
        agreement.topics.add(topic)
    f.AgreementFactory(published=False).topics.add(topic)

    page = get(client, "/topics/readmission/")
    note = "The latest 3 of the 6 agreements on this topic, by date of signing; every agreement on this topic."
    assert "Agreement of 2005 signed 2005 Agreement of 2004 signed 2004 Agreement of 2003 signed 2003 " + note in (
        page.text
    )
    assert "/agreements/?topic=readmission" in page.hrefs()
    assert "Agreements (" not in page.text  # the page lists 3 of 6: no number of its own beside the note's

    agreements[5].published = False
    agreements[5].save()
    agreements[4].delete()
    agreements[3].topics.remove(topic)
    tagged_later = f.AgreementFactory(title="Agreement tagged later", signed=PartialDate(1999))
    tagged_later.topics.add(topic)
    page = get(client, "/topics/readmission/")
    assert "Agreement of 2002 signed 2002 Agreement of 2001 signed 2001 Agreement of 2000 signed 2000 " in page.text
    assert "The latest 3 of the 4 agreements on this topic" in page.text

    agreements[0].topics.remove(topic)
    assert "agreements on this topic, by date of signing" not in get(client, "/topics/readmission/").text


def test_topic_page_counts_its_published_projects_as_they_change(client):
    """The number comes from the count table the database keeps (ProjectTopicTotal)."""
    topic = f.TopicFactory(slug="readmission")
    projects = [f.ProjectFactory(topics=[topic]) for _ in range(3)]
    f.ProjectFactory(topics=[topic], published=False)
    f.ProjectFactory()

    assert "Projects (3)" in get(client, "/topics/readmission/").text

    projects[0].published = False
    projects[0].save()
    projects[1].topics.remove(topic)
    f.ProjectFactory().topics.add(topic)
    assert "Projects (2)" in get(client, "/topics/readmission/").text


def test_topic_page_says_its_partners_are_those_of_the_projects_it_lists(client, monkeypatch):
    """When it lists only the latest projects, its partners and the agreements they rest on are
    those of the projects listed: the page says so, and gives no number of agreements it cannot
    stand by (the busiest topic said "Agreements (35)" of 1,172)."""
    from cooperation.core import related

    monkeypatch.setattr(related.some, "__defaults__", (2,))
    topic = f.TopicFactory(slug="readmission")
    for year in (2001, 2002, 2003):
        project = f.ProjectFactory(topics=[topic], start=PartialDate(year))
        partner = f.PartnerFactory(name=f"Partner of {year}", acronym=f"P{year}")
        f.ProjectPartnerFactory(project=project, partner=partner)
        project.agreements.add(f.AgreementFactory())

    text = get(client, "/topics/readmission/").text

    assert "The partners of the 2 projects listed above. Partner of 2002 (P2002) Partner of 2003 (P2003)" in text
    assert "Partner of 2001" not in text
    assert "Agreements (" not in text and "Agreements The agreements this topic's projects rest on." in text
