"""The search index follows the records (cooperation/search/signals.py): drafts never in it, a
record's change, unpublishing or deletion at once, and the records that quote a renamed one.

Run on both databases: ``pytest tests/search/`` (SQLite, FTS5) and
``DATABASE_URL=postgres://… pytest tests/search/`` (PostgreSQL, tsvector).
"""

import pytest

from cooperation.models import SearchDocument
from partners.models import Partner
from tests.factories import (
    AgreementFactory,
    MeetingFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    PostFactory,
    ProjectFactory,
    ProjectPartnerFactory,
    TopicFactory,
)
from tests.helpers.pages import page_text
from tests.helpers.search import found, search, titles_by_group

pytestmark = pytest.mark.django_db


def test_search_never_shows_drafts(client):
    draft_partner = PartnerFactory(name="Quagga Secret Partner", acronym="QSP", published=False)
    OfficeFactory(name="Quagga draft office", published=False)
    AgreementFactory(title="Quagga draft agreement", published=False, parties=[draft_partner])
    project = ProjectFactory(title="Published project")
    ProjectPartnerFactory(project=project, partner=draft_partner)
    MeetingFactory(title="Published meeting", partners=[draft_partner])
    PostFactory(person=PersonFactory(name="Published official"), organisation=draft_partner)

    assert found(search(client, "quagga")) == []
    assert found(search(client, "qsp")) == []
    assert SearchDocument.objects.filter(title__icontains="quagga").count() == 0
    assert not SearchDocument.objects.filter(body__icontains="quagga").exists()


def test_search_unpublishing_removes_and_publishing_adds(client):
    partner = PartnerFactory(name="Narwhal Partner", acronym="")

    partner.published = False
    partner.save()
    assert found(search(client, "narwhal")) == []

    partner.published = True
    partner.save()
    assert found(search(client, "narwhal")) == ["Narwhal Partner"]


def test_search_hides_records_unpublished_without_signals(client):
    """Defence in depth: QuerySet.update() sends no signal, but the page checks the record."""
    partner = PartnerFactory(name="Narwhal Partner", acronym="")

    Partner.objects.filter(pk=partner.pk).update(published=False)

    assert SearchDocument.objects.filter(object_id=partner.pk, kind="partner").exists()
    response = search(client, "narwhal")
    assert found(response) == []
    assert "Narwhal" not in page_text(response).replace("“narwhal”", "")


def test_search_finds_an_edited_record_by_its_new_name(client):
    office = OfficeFactory(name="Lynx office")

    office.name = "Caracal office"
    office.save()

    assert found(search(client, "lynx")) == []
    assert found(search(client, "caracal")) == ["Caracal office"]


def test_search_forgets_a_deleted_record(client):
    topic = TopicFactory(name="Ibex topic")
    assert found(search(client, "ibex")) == ["Ibex topic"]

    topic.delete()

    assert found(search(client, "ibex")) == []
    assert not SearchDocument.objects.filter(title="Ibex topic").exists()


def test_search_follows_a_renamed_partner_into_its_records(client):
    partner = PartnerFactory(name="Marmot Agency", acronym="")
    project = ProjectFactory(title="Border project")
    ProjectPartnerFactory(project=project, partner=partner)
    OfficeFactory(name="Branch office", partner=partner)
    MeetingFactory(title="Talks", partners=[partner])
    PostFactory(person=PersonFactory(name="An official"), organisation=partner)
    assert titles_by_group(search(client, "marmot")) == {
        "Partners": ["Marmot Agency"],
        "Projects": ["Border project"],
        "Meetings": ["Talks"],
        "Offices": ["Branch office"],
        "People": ["An official"],
    }

    partner.name = "Chamois Agency"
    partner.save()

    assert found(search(client, "marmot")) == []
    assert len(found(search(client, "chamois"))) == 5


def test_search_follows_many_to_many_links(client):
    partner = PartnerFactory(name="Tapir Service", acronym="")
    topic = TopicFactory(name="Tapir topic")
    meeting = MeetingFactory(title="Annual talks")
    project = ProjectFactory(title="Training project")

    meeting.partners.add(partner)
    topic.projects.add(project)  # from the other side
    assert titles_by_group(search(client, "tapir")) == {
        "Projects": ["Training project"],
        "Meetings": ["Annual talks"],
        "Partners": ["Tapir Service"],
        "Topics": ["Tapir topic"],
    }

    partner.meetings.clear()  # from the other side
    project.topics.remove(topic)
    assert titles_by_group(search(client, "tapir")) == {"Partners": ["Tapir Service"], "Topics": ["Tapir topic"]}


def test_search_follows_project_partners_and_posts(client):
    partner = PartnerFactory(name="Gecko Fund", acronym="")
    project = ProjectFactory(title="Water project")
    person = PersonFactory(name="Some official")

    role = ProjectPartnerFactory(project=project, partner=partner)
    post = PostFactory(person=person, organisation=partner, title="Director")
    assert set(found(search(client, "gecko"))) == {"Gecko Fund", "Water project", "Some official"}

    role.delete()
    post.delete()
    assert found(search(client, "gecko")) == ["Gecko Fund"]
