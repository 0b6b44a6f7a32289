"""Drafts of every kind among published records that relate to them (the ``world`` of tests/pages/,
in tests/pages/conftest.py), and their slugs."""

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.models import Project
from partners.models import Partner
from tests import factories as f

DRAFT_SLUGS = {
    "partners": "quokka-partner",
    "agreements": "quokka-agreement",
    "projects": "quokka-project",
    "meetings": "quokka-meeting",
    "offices": "quokka-office",
    "people": "quokka-person",
    "topics": "quokka-topic",
    "sources": "quokka-source",
}


def drafts_world():
    """Drafts of every kind (named Quokka …) among published records that relate to them: the
    registry of tests/pages/test_drafts_hidden.py and test_preview.py (the ``world`` fixture of
    tests/pages/conftest.py), by name."""
    asylum = f.TopicFactory(slug="asylum", name="Asylum", description="Wombat topic.")
    draft_topic = f.TopicFactory(slug="quokka-topic", name="Quokka Topic", description="Wombat.", published=False)

    iom = f.PartnerFactory(slug="iom", name="International Organization for Migration", acronym="IOM")
    draft_partner = f.PartnerFactory(
        slug="quokka-partner",
        name="Quokka Partner",
        acronym="QKP",
        kind=Partner.Kind.STATE,
        scope=Partner.Scope.BILATERAL,
        country="NZ",
        description="Wombat partner.",
        published=False,
    )
    # A published body whose parent is a draft, and a published office of the draft partner.
    f.PartnerFactory(slug="sub-body", name="Wombat sub-body", acronym="", parent=draft_partner)
    f.OfficeFactory(slug="quokka-partner-office", name="Quokka Partner office", partner=draft_partner, opened=PD(2006))

    draft_source = f.SourceFactory(slug="quokka-source", title="Quokka Source", published=False)
    source = f.SourceFactory(slug="mfa", title="MFA press release")

    draft_agreement = f.AgreementFactory(
        slug="quokka-agreement",
        title="Quokka Agreement",
        signed=PD(2006, 3),
        parties=[iom],
        description="Wombat agreement.",
        published=False,
    )
    draft_agreement.topics.set([asylum])
    agreement = f.AgreementFactory(
        slug="public-agreement", title="Public agreement", signed=PD(2006, 4), parties=[iom, draft_partner]
    )
    agreement.topics.set([asylum, draft_topic])
    f.CitationFactory(source=draft_source, content_object=agreement, locator="")
    f.ClaimFactory(content_object=agreement, field="signed", value="4 April 2006", source=source, preferred=True)
    f.ClaimFactory(content_object=agreement, field="signed", value="Quokka claim", source=draft_source)

    draft_project = f.ProjectFactory(
        slug="quokka-project",
        title="Quokka Project",
        start=PD(2006),
        end=PD(2006),
        status=Project.Status.COMPLETED,
        topics=[asylum],
        description="Wombat project.",
        published=False,
    )
    f.ProjectPartnerFactory(project=draft_project, partner=iom)
    project = f.ProjectFactory(
        slug="public-project",
        title="Public project",
        start=PD(2006),
        end=PD(2006),
        status=Project.Status.COMPLETED,
        topics=[asylum, draft_topic],
    )
    f.ProjectPartnerFactory(project=project, partner=iom)
    f.ProjectPartnerFactory(project=project, partner=draft_partner, role="funding")
    project.agreements.set([agreement, draft_agreement])

    draft_person = f.PersonFactory(slug="quokka-person", name="Quokka Person", published=False)
    f.PostFactory(person=draft_person, organisation=iom, title="Deputy")
    person = f.PersonFactory(slug="public-person", name="Public person", description="Wombat official.")
    f.PostFactory(person=person, organisation=iom, title="Director General")
    f.PostFactory(person=person, organisation=draft_partner, title="Adviser")

    draft_meeting = f.MeetingFactory(
        slug="quokka-meeting",
        title="Quokka Meeting",
        start=PD(2006, 5, 2),
        partners=[iom],
        description="Wombat meeting.",
        published=False,
    )
    meeting = f.MeetingFactory(slug="public-meeting", title="Public meeting", start=PD(2006, 6, 1), partners=[iom])
    meeting.partners.add(draft_partner)
    meeting.participants.set([person, draft_person])
    meeting.agreements.set([agreement, draft_agreement])
    meeting.projects.set([project, draft_project])

    f.OfficeFactory(slug="quokka-office", name="Quokka Office", partner=iom, opened=PD(2006), published=False)
    f.OfficeFactory(slug="public-office", name="Public office", partner=iom, opened=PD(2006))

    # A year that only drafts have.
    f.MeetingFactory(slug="quokka-meeting-1995", title="Quokka Meeting of 1995", start=PD(1995), published=False)
    return locals()
