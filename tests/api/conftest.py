"""The records the API tests read: a small registry with a draft beside every published record and
relation."""

import pytest

from cooperation.core.partial_dates import PartialDate as PD
from tests import factories as f


@pytest.fixture
def world():
    asylum = f.TopicFactory(slug="asylum", name="Asylum")
    readmission = f.TopicFactory(slug="readmission", name="Readmission")
    draft_topic = f.TopicFactory(slug="draft-topic", name="Draft topic", published=False)

    iom = f.PartnerFactory(slug="iom", name="International Organization for Migration", acronym="IOM")
    council = f.PartnerFactory(slug="iom-council", name="IOM Council", acronym="", kind="governing-body", parent=iom)
    turkiye = f.PartnerFactory(
        slug="turkiye", name="Republic of Türkiye", acronym="", kind="state", scope="bilateral", country="TR"
    )
    draft_partner = f.PartnerFactory(slug="draft-partner", name="Draft partner", acronym="DRAFT", published=False)
    f.PartnerFactory(slug="sub-body", name="Body of an unpublished partner", acronym="", parent=draft_partner)

    a1 = f.AgreementFactory(
        slug="iom-agreement",
        title="Agreement on Cooperation with IOM",
        short_title="IOM agreement",
        signed=PD(1999, 12, 8),
        signed_place="Baku",
        parties=[iom, draft_partner],
    )
    a1.topics.set([asylum, draft_topic])
    a2 = f.AgreementFactory(
        slug="turkiye-readmission",
        title="Readmission Agreement with Türkiye",
        kind="readmission-agreement",
        signed=PD(2005, 3),
        in_force=PD(2006),
        parties=[turkiye],
    )
    a2.topics.set([readmission])
    f.AgreementFactory(
        slug="undated-memorandum", title="Memorandum", kind="memorandum-of-understanding", signed=None, parties=[iom]
    )
    draft_agreement = f.AgreementFactory(
        slug="draft-agreement", title="Draft agreement", parties=[iom], published=False
    )
    draft_agreement.topics.set([asylum])

    p1 = f.ProjectFactory(
        slug="return-project",
        title="Voluntary Return",
        start=PD(2006),
        end=PD(2008),
        status="completed",
        topics=[asylum, draft_topic],
    )
    f.ProjectPartnerFactory(project=p1, partner=iom, role="implementing")
    f.ProjectPartnerFactory(project=p1, partner=iom, role="funding")
    f.ProjectPartnerFactory(project=p1, partner=draft_partner, role="beneficiary")
    p1.agreements.set([a1, draft_agreement])
    p2 = f.ProjectFactory(
        slug="border-project", title="Border Management", start=PD(2014, 3), status="ongoing", topics=[readmission]
    )
    f.ProjectPartnerFactory(project=p2, partner=turkiye, role="beneficiary")
    f.ProjectPartnerFactory(project=p2, partner=iom, role="implementing")
    f.ProjectFactory(slug="undated-project", title="Awareness Raising", start=None, status="unknown")
    draft_project = f.ProjectFactory(
        slug="draft-project", title="Draft project", start=PD(2007), published=False, topics=[asylum]
    )
    f.ProjectPartnerFactory(project=draft_project, partner=iom)

    person = f.PersonFactory(slug="director-general", name="Director General", other_names="D. G.\nDG")
    draft_person = f.PersonFactory(slug="draft-person", name="Draft person", published=False)
    f.PostFactory(person=person, organisation=iom, title="Director General", start=PD(2008, 10), end=PD(2018, 9))
    f.PostFactory(person=person, organisation=draft_partner, title="Draft adviser")
    f.PostFactory(person=draft_person, organisation=iom, title="Deputy")

    m1 = f.MeetingFactory(
        slug="geneva-visit",
        title="Visit to Geneva",
        kind="visit",
        start=PD(2016, 12, 5),
        end=PD(2016, 12, 6),
        partners=[iom, draft_partner],
    )
    m1.participants.set([person, draft_person])
    m1.agreements.set([a1, draft_agreement])
    m1.projects.set([p1, draft_project])
    f.MeetingFactory(
        slug="ankara-talks", title="Talks in Ankara", start=PD(2005, 3), city="Ankara", country="TR", partners=[turkiye]
    )
    f.MeetingFactory(
        slug="council-session",
        title="Council session",
        kind="governing-body-session",
        start=None,
        city="",
        country="",
        partners=[council],
    )
    f.MeetingFactory(slug="draft-meeting", title="Draft meeting", partners=[iom], published=False)

    f.OfficeFactory(slug="iom-baku", name="IOM Baku", partner=iom, kind="country-office", opened=PD(1996))
    f.OfficeFactory(slug="iom-nakhchivan", name="IOM Nakhchivan", partner=iom, city="Nakhchivan", opened=PD(1998))
    f.OfficeFactory(
        slug="ankara-office",
        name="Ankara office",
        partner=turkiye,
        kind="representation",
        city="Ankara",
        country="TR",
        opened=PD(2010),
        closed=PD(2012),
    )
    f.OfficeFactory(slug="orphan-office", name="Office of an unpublished partner", partner=draft_partner)
    f.OfficeFactory(slug="draft-office", name="Draft office", partner=iom, published=False)

    s1 = f.SourceFactory(slug="iom-web-page", title="IOM web page", date=PD(2010), url="https://example.org/iom")
    s2 = f.SourceFactory(slug="mfa-press-release", title="MFA press release", kind="press-release", date=PD(2016, 12))
    draft_source = f.SourceFactory(slug="draft-source", title="Draft source", published=False)
    f.CitationFactory(source=s1, content_object=iom, locator="paragraph 1")
    f.CitationFactory(source=draft_source, content_object=iom, locator="")
    f.CitationFactory(source=s1, content_object=a1, locator="p. 2")
    f.CitationFactory(source=s2, content_object=a1, locator="")
    f.CitationFactory(source=s1, content_object=draft_agreement, locator="")
    f.ClaimFactory(
        content_object=a1,
        field="signed",
        value="8 December 1999",
        source=s1,
        preferred=True,
        reason="the page gives the place too",
        note="Staff should confirm.",
    )
    f.ClaimFactory(content_object=a1, field="signed", value="9 December 1999", source=s2, note="A day late.")
    f.ClaimFactory(content_object=a1, field="signed", value="7 December 1999", source=draft_source)
    return locals()
