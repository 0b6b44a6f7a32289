"""Deleted records and restore: the list of what was deleted, with what went with it, and bringing
a record back with its links and the rows deleted with it, or refusing to and saying why
(cooperation/history/restore.py, lists.py).

Changes are made as staff make them, through the admin's forms and buttons, and checked on
the pages staff read and in the database. Rows written by one person less than two seconds
apart are one version, so tests that need two versions let time pass in between
(``pass_time`` in tests/helpers/history.py moves every history row back).
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from cooperation.history.tracking import history_of
from cooperation.models import Project, ProjectPartner, SearchDocument, Topic
from events.models import Meeting
from partners.models import Office, Person, Post
from tests.factories import (
    CitationFactory,
    ClaimFactory,
    MeetingFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    PostFactory,
    ProjectFactory,
    ProjectPartnerFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
)
from tests.helpers.admin import admin_url, messages_of
from tests.helpers.history import DELETED, pass_time, rows_of, table, text_of
from tests.helpers.users import login

pytestmark = pytest.mark.django_db


# Deleted records and restore -----------------------------------------------------------------


def deleted_project():
    """A project with topics, a partner, a citation and a claim, linked from a meeting,
    deleted by alice in the admin."""
    icmpd = PartnerFactory(name="ICMPD", acronym="ICMPD")
    project = ProjectFactory(title="Border management", slug="border-management", topics=[TopicFactory(name="Borders")])
    ProjectPartnerFactory(project=project, partner=icmpd)
    CitationFactory(content_object=project, source=SourceFactory(title="Fact sheet"), locator="p. 2")
    ClaimFactory(content_object=project, field="start", value="2014", source=SourceFactory(title="Report"))
    meeting = MeetingFactory(title="Working group")
    meeting.projects.add(project)
    pass_time()
    client, _user = login("alice")
    assert client.post(admin_url(Project, "delete", project.pk), {"post": "yes"}).status_code == 302
    return project, meeting, client


def test_deleted_records_lists_what_was_deleted_with_it():
    project, _meeting, client = deleted_project()
    pass_time()
    TopicFactory(name="Asylum").delete()

    response = client.get(DELETED)
    rows = [row[1:4] for row in table(response, "deleted-records")]
    assert rows == [
        ["no user", "Topic Asylum", "—"],
        ["alice", "Project Border management", "1 project partner, 1 citation, 1 claim"],
    ]
    assert admin_url(Project, "restore", project.pk) in response.content.decode()
    only_projects = client.get(DELETED + "?model=cooperation.project")
    assert [row[2] for row in table(only_projects, "deleted-records")] == ["Project Border management"]


def test_restore_brings_back_the_record_its_links_and_the_rows_deleted_with_it():
    project, meeting, client = deleted_project()
    created_at = history_of(Project).objects.filter(id=project.pk, history_type="+").get().created_at
    restore = admin_url(Project, "restore", project.pk)

    confirm = client.get(restore)
    assert "Border management: restored" in text_of(confirm)
    assert "Meeting “Working group”: linked again Projects: added Border management" in text_of(confirm)
    assert "Project partner “ICMPD (implementing)”: put back" in text_of(confirm)
    done = client.post(restore, follow=True)

    restored = Project.objects.get(pk=project.pk)
    assert (restored.slug, restored.title, restored.created_at) == (
        "border-management",
        "Border management",
        created_at,
    )
    assert [topic.name for topic in restored.topics.all()] == ["Borders"]
    assert [str(row) for row in restored.project_partners.all()] == ["ICMPD (implementing)"]
    assert [str(c) for c in restored.citations.all()] == ["Fact sheet, Ministry of Foreign Affairs, p. 2"]
    assert restored.claims.count() == 1
    assert list(meeting.projects.all()) == [restored]
    assert messages_of(done)[0] == "The project “Border management” was restored, with 3 of the rows deleted with it."
    # Recorded as a new version by the user who restored it; no longer in the deleted list.
    created, linked = rows_of(Project, project.pk)[-2:]  # the fields, then its topics
    reason = created[2]
    assert reason.startswith("Restored (deleted ") and reason.endswith(" by alice)")
    assert [created, linked] == [("+", "alice", reason), ("~", "alice", reason)]
    assert rows_of(Meeting, meeting.pk)[-1][:2] == ("~", "alice")
    assert "No deleted records." in text_of(client.get(DELETED))
    assert SearchDocument.objects.filter(object_id=project.pk, kind="project").exists()
    # Restoring again: it is not deleted any more.
    again = client.post(restore, follow=True)
    assert messages_of(again) == ["The project “Border management” is not deleted."]


def test_restore_is_refused_while_another_record_has_the_slug():
    project, _meeting, client = deleted_project()
    ProjectFactory(title="Border management II", slug="border-management")
    restore = admin_url(Project, "restore", project.pk)

    assert "The address “border-management” is now used by the project “Border management II”." in text_of(
        client.get(restore)
    )
    assert client.post(restore).status_code == 200
    assert Project.objects.filter(slug="border-management").get().title == "Border management II"
    assert not ProjectPartner.objects.filter(project_id=project.pk).exists()


def test_restore_is_refused_when_what_it_points_to_is_gone():
    partner = PartnerFactory(name="IOM", acronym="")
    office = OfficeFactory(partner=partner, name="Baku office")
    office_pk = office.pk
    office.delete()
    partner.delete()
    client, _user = login("alice")

    response = client.post(admin_url(Office, "restore", office_pk))
    assert "Its partner “IOM (deleted)” has been deleted: restore that partner first" in text_of(response)
    assert not Office.objects.filter(pk=office_pk).exists()


def test_restore_of_a_published_record_by_an_editor_makes_it_a_draft():
    person = PersonFactory(name="William Swing", published=True)
    PostFactory(person=person, title="Director General")
    pass_time()
    publisher, _user = login("pat", role="Publisher")
    publisher.post(admin_url(Person, "delete", person.pk), {"post": "yes"})
    editor, _user = login("eve", role="Editor")

    confirm = editor.get(admin_url(Person, "restore", person.pk))
    assert "It was published; it comes back as a draft" in text_of(confirm)
    done = editor.post(admin_url(Person, "restore", person.pk), follow=True)

    restored = Person.objects.get(pk=person.pk)
    assert restored.published is False
    assert [post.title for post in Post.objects.filter(person=restored)] == ["Director General"]
    assert "It was published; it comes back as a draft" in " ".join(messages_of(done))


def test_restore_needs_add_permission():
    topic = TopicFactory()
    topic_pk = topic.pk
    topic.delete()
    client = Client()
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(*Group.objects.get(name="Editor").permissions.filter(codename="view_topic"))
    client.force_login(viewer)

    assert client.post(admin_url(Topic, "restore", topic_pk)).status_code == 403
    assert not Topic.objects.filter(pk=topic_pk).exists()
