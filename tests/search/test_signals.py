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


def _partner_in_meetings(count):
    partner = PartnerFactory(name="Marmot Agency", acronym="MA")
    for number in range(count):
        MeetingFactory(title=f"Talks {number}", partners=[partner])
    return partner


@pytest.mark.parametrize("meetings", [1, 30])
def test_an_edit_that_changes_no_name_re_indexes_the_record_alone(django_assert_num_queries, meetings):
    # A partner in 200,000 meetings re-indexed them all on every save (2.5 minutes at the
    # benchmark's size): only its names and its publication are in their documents.
    partner = _partner_in_meetings(meetings)
    partner.description = "A new description."
    with django_assert_num_queries(SAVE_QUERIES):
        partner.save()
    assert SearchDocument.objects.get(object_id=partner.pk, kind="partner").body.startswith("A new description.")


# Found by measuring: the save's own, the history's, the cache's and the kept lines' queries, and
# the partner's document; the same for 1 meeting or 30 (none of theirs re-indexed).
SAVE_QUERIES = 12


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("name", "Chamois Agency", "chamois"),
        ("name_az", "Dağ keçisi agentliyi", "keçisi"),
        ("name_ru", "Агентство серны", "серны"),
        ("acronym", "CHA", "cha"),
        ("acronym_ru", "АС", "ас"),
    ],
)
def test_a_change_to_a_name_in_any_language_re_indexes_the_records_that_quote_it(client, field, value, words):
    partner = _partner_in_meetings(2)
    setattr(partner, field, value)
    partner.save()
    assert titles_by_group(search(client, words)).get("Meetings") == ["Talks 0", "Talks 1"]


def test_publishing_a_partner_re_indexes_the_records_that_quote_it(client):
    partner = _partner_in_meetings(1)
    partner.published = False
    partner.save()
    assert found(search(client, "marmot")) == []
    partner.published = True
    partner.save(update_fields=["published"])
    assert titles_by_group(search(client, "marmot")) == {"Partners": ["Marmot Agency"], "Meetings": ["Talks 0"]}


def test_a_person_or_topic_renamed_is_followed_and_one_edited_is_not_re_indexed_into_others(client):
    person = PersonFactory(name="Ada Marmot")
    MeetingFactory(title="Talks").participants.set([person])
    topic = TopicFactory(name="Marmot migration")
    ProjectFactory(title="Border project", topics=[topic])
    person.description, topic.description = "Edited.", "Edited."
    person.save()
    topic.save()
    person.name, topic.name = "Ada Chamois", "Chamois migration"
    person.save()
    topic.save()
    assert titles_by_group(search(client, "chamois")) == {
        "Projects": ["Border project"],
        "Meetings": ["Talks"],
        "People": ["Ada Chamois"],
        "Topics": ["Chamois migration"],
    }
