"""History in the admin: every change recorded with who and what, each record's versions,
revert (fields, links, citations), deleted records and restore, recent changes
(cooperation/backoffice/history.py, cooperation/history/).

Changes are made as staff make them, through the admin's forms and buttons, and checked on
the pages staff read and in the database. Rows written by one person less than two seconds
apart are one version, so tests that need two versions let time pass in between
(:func:`pass_time` moves every history row back).
"""

import re
from html import unescape

import pytest
import yaml
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from cooperation.core.partial_dates import PartialDate
from cooperation.history.tracking import history_of
from cooperation.history.versions import to_stamp
from cooperation.models import Agreement, Citation, Project, ProjectPartner, SearchDocument, Topic
from cooperation.seed.services import load_seed
from events.models import Meeting
from partners.models import Office, Partner, Person, Post
from tests.factories import (
    AgreementFactory,
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
from tests.helpers import (
    CITATIONS,
    DELETED,
    add_row,
    admin_url,
    change,
    form_data,
    login,
    messages_of,
    pass_time,
    revert_links,
    rows_of,
    table,
    text_of,
    versions_shown,
)

pytestmark = pytest.mark.django_db

RECENT = "/admin/history/"


# Every change is recorded, with who --------------------------------------------------------


def test_admin_add_change_and_delete_are_recorded_with_the_user_and_the_fields():
    client, _user = login("alice")
    add = client.get(admin_url(Partner, "add"))
    data = form_data(add)
    data.update(name="Council of Europe", acronym="CoE", kind="international-organisation", scope="multilateral")
    data["slug"] = "council-of-europe"
    assert client.post(admin_url(Partner, "add"), data).status_code == 302
    partner = Partner.objects.get(slug="council-of-europe")
    pass_time()
    change(client, partner, acronym="CE")
    pass_time()
    client.post(admin_url(Partner, "delete", partner.pk), {"post": "yes"})

    assert not Partner.objects.filter(pk=partner.pk).exists()
    assert rows_of(Partner, partner.pk) == [("+", "alice", None), ("~", "alice", None), ("-", "alice", None)]
    shown = versions_shown(client.get(admin_url(Partner, "history", partner.pk)))
    assert shown == [
        ["alice", "deleted", "", ""],
        ["alice", "changed", "Acronym: CoE → CE", ""],
        [
            "alice",
            "created",
            "Name: Council of Europe Acronym: CoE Kind: International organisation Scope: Multilateral "
            "Slug: council-of-europe",
            "",
        ],
    ]


def test_one_admin_save_is_one_version_with_fields_links_and_inline_rows():
    old_party, new_party = PartnerFactory(name="IOM", acronym=""), PartnerFactory(name="UNHCR", acronym="")
    agreement = AgreementFactory(title="Cooperation Agreement", parties=[old_party])
    source = SourceFactory(title="Fact sheet")
    pass_time()
    client, _user = login("alice")
    data = form_data(client.get(admin_url(Agreement, "change", agreement.pk)))
    data.update(kind="memorandum-of-understanding", signed="2006-08", parties=[str(new_party.pk)])
    add_row(data, CITATIONS, source=str(source.pk), locator="p. 4")
    assert client.post(admin_url(Agreement, "change", agreement.pk), data).status_code == 302

    shown = versions_shown(client.get(admin_url(Agreement, "history", agreement.pk)))
    assert shown[0] == [
        "alice",
        "changed",
        "Kind: Cooperation agreement → Memorandum of understanding Signed: 8 December 1999 → August 2006 "
        "Parties: added UNHCR; removed IOM Citation “Fact sheet, p. 4”: added",
        "",
    ]
    assert [row[:2] for row in shown] == [["alice", "changed"], ["no user", "created"]]


def test_history_names_foreign_keys_and_says_when_they_were_deleted():
    iom, unhcr = PartnerFactory(name="IOM", acronym=""), PartnerFactory(name="UNHCR", acronym="")
    office = OfficeFactory(partner=iom, name="Baku office", opened=PartialDate(1998, 12))
    pass_time()
    client, _user = login("alice")
    change(client, office, partner=str(unhcr.pk), opened="2001")
    pass_time()
    change(client, office, partner=str(iom.pk))
    pass_time()
    # The office moves away from UNHCR; then UNHCR is deleted: its name stays in the history.
    unhcr.delete()

    shown = versions_shown(client.get(admin_url(Office, "history", office.pk)))
    assert [row[2] for row in shown[:2]] == [
        "Partner: UNHCR (deleted) → IOM",
        "Partner: IOM → UNHCR (deleted) Opened: December 1998 → 2001",
    ]


def test_long_texts_show_the_words_that_changed():
    text = "The agreement covers " + "readmission of persons residing without authorisation " * 4
    partner = PartnerFactory(description=text)
    pass_time()
    client, _user = login("alice")
    change(client, partner, description=text.replace("covers", "no longer covers"))

    response = client.get(admin_url(Partner, "history", partner.pk))
    assert re.search(r"<ins>\s*no longer\s*</ins>", response.content.decode())
    assert versions_shown(response)[0][2].startswith("Description: The agreement no longer covers readmission")


def test_changes_outside_a_request_name_no_user_and_the_seed_loader_says_so(tmp_path):
    seed = tmp_path / "seed.yaml"
    seed.write_text(
        yaml.safe_dump(
            {
                "sources": [{"slug": "fact-sheet", "title": "Fact sheet"}],
                "topics": [{"slug": "asylum", "name": "Asylum", "cite": [{"source": "fact-sheet"}]}],
            }
        )
    )
    load_seed(path=seed)

    topic = Topic.objects.get(slug="asylum")
    assert rows_of(Topic, topic.pk) == [("+", None, "seed loader")]
    citation = Citation.objects.get()
    assert rows_of(Citation, citation.pk) == [("+", None, "seed loader")]
    # Outside the loader, no reason is made up.
    PartnerFactory(slug="shell-made")
    assert rows_of(Partner, Partner.objects.get(slug="shell-made").pk) == [("+", None, None)]


def test_publish_action_is_recorded_with_the_user():
    draft = PartnerFactory(published=False)
    client, _user = login("alice")
    client.post(admin_url(Partner, "changelist"), {"action": "publish", "_selected_action": [draft.pk]})

    assert rows_of(Partner, draft.pk)[-1] == ("~", "alice", None)
    assert versions_shown(client.get(admin_url(Partner, "history", draft.pk)))[0][:3] == [
        "alice",
        "changed",
        "Published: no → yes",
    ]


# The history page ----------------------------------------------------------------------------


def test_history_page_lists_versions_newest_first_twenty_a_page():
    topic = TopicFactory(name="Version 0")
    for number in range(1, 25):
        pass_time()
        topic.name = f"Version {number}"
        topic.save()
    client, _user = login("alice")

    first = client.get(admin_url(Topic, "history", topic.pk))
    second = client.get(admin_url(Topic, "history", topic.pk) + "?p=2")

    assert [row[2] for row in versions_shown(first)[:2]] == [
        "Name: Version 23 → Version 24",
        "Name: Version 22 → Version 23",
    ]
    assert len(versions_shown(first)) == 20
    assert [row[2] for row in versions_shown(second)][-2:] == [
        "Name: Version 0 → Version 1",
        "Name: Version 0 Slug: topic-0 Published: yes".replace("topic-0", topic.slug),
    ]
    assert "25 versions" in text_of(first)
    # A page number that means nothing shows the first page, not an error.
    assert client.get(admin_url(Topic, "history", topic.pk) + "?p=abc").status_code == 200


@pytest.mark.parametrize("edits", [1, 15])
def test_history_page_query_count_is_the_same_for_few_or_many_versions(django_assert_num_queries, edits):
    agreement = AgreementFactory(parties=[PartnerFactory()])
    CitationFactory(content_object=agreement)
    for number in range(edits):
        pass_time()
        agreement.title = f"Title {number}"
        agreement.save()
        agreement.parties.add(PartnerFactory())
    client, _user = login("alice")
    client.get(admin_url(Agreement, "history", agreement.pk))  # content types cached

    with django_assert_num_queries(12):
        response = client.get(admin_url(Agreement, "history", agreement.pk))
    assert len(versions_shown(response)) == edits + 1


def test_history_of_a_deleted_record_offers_to_restore_it():
    topic = TopicFactory(name="Asylum")
    pass_time()
    topic_pk = topic.pk
    topic.delete()
    client, _user = login("alice")

    response = client.get(admin_url(Topic, "history", topic_pk))
    assert response.status_code == 200
    assert "This topic has been deleted. Restore it" in text_of(response)
    assert admin_url(Topic, "restore", topic_pk) in response.content.decode()
    assert revert_links(response) == []
    assert client.get(admin_url(Topic, "history", 999999)).status_code == 404
    assert client.get(admin_url(Topic, "history", "abc")).status_code == 404


# Revert --------------------------------------------------------------------------------------


def test_revert_puts_back_fields_links_and_citations_as_a_new_version():
    iom, unhcr = PartnerFactory(name="IOM", acronym=""), PartnerFactory(name="UNHCR", acronym="")
    asylum = TopicFactory(name="Asylum")
    agreement = AgreementFactory(title="Cooperation Agreement", parties=[iom])
    agreement.topics.add(asylum)
    citation = CitationFactory(content_object=agreement, source=SourceFactory(title="Fact sheet"), locator="p. 1")
    ClaimFactory(content_object=agreement, field="signed", value="1999", source=citation.source)
    pass_time()
    client, _user = login("bob")
    data = form_data(client.get(admin_url(Agreement, "change", agreement.pk)))
    data.update(title="Wrong title", parties=[str(unhcr.pk)], topics=[])
    data[f"{CITATIONS}-0-DELETE"] = "on"
    data[f"{CITATIONS}-0-locator"] = "p. 1"
    assert client.post(admin_url(Agreement, "change", agreement.pk), data).status_code == 302
    assert not agreement.citations.exists()
    pass_time()

    client, _user = login("alice")
    history = client.get(admin_url(Agreement, "history", agreement.pk))
    (revert,) = revert_links(history)  # the newest version has none
    confirm = client.get(revert)
    assert text_of(confirm).startswith("Back to the version of")
    assert "Title: Wrong title → Cooperation Agreement" in text_of(confirm)
    assert "Parties: added IOM; removed UNHCR" in text_of(confirm)
    assert "Topics: added Asylum" in text_of(confirm)
    assert "Citation “Fact sheet, p. 1”: put back" in text_of(confirm)
    agreement.refresh_from_db()
    assert agreement.title == "Wrong title"  # the GET changed nothing

    done = client.post(revert, follow=True)

    agreement.refresh_from_db()
    assert agreement.title == "Cooperation Agreement"
    assert list(agreement.parties.all()) == [iom]
    assert list(agreement.topics.all()) == [asylum]
    assert [(c.pk, c.locator) for c in agreement.citations.all()] == [(citation.pk, "p. 1")]
    assert agreement.claims.count() == 1
    assert messages_of(done)[0].startswith(
        "The agreement “Cooperation Agreement” was reverted: reverted to the version of "
    )
    newest = versions_shown(done)[0]
    assert newest[0] == "alice"
    assert newest[1].startswith("changed Reverted to the version of ")
    assert "Title: Wrong title → Cooperation Agreement" in newest[2]
    # The search index follows.
    assert SearchDocument.objects.get(object_id=agreement.pk, kind="agreement").title == "Cooperation Agreement"


def test_revert_names_the_author_of_the_version_in_the_reason():
    topic = TopicFactory(name="Asylum")
    pass_time()
    carol, _user = login("carol")
    change(carol, topic, name="Asylum seekers")
    pass_time()
    change(carol, topic, name="Refugees")
    pass_time()
    client, _user = login("alice")
    links = revert_links(client.get(admin_url(Topic, "history", topic.pk)))
    client.post(links[0])

    assert Topic.objects.get(pk=topic.pk).name == "Asylum seekers"
    action, user, reason = rows_of(Topic, topic.pk)[-1]
    assert (action, user) == ("~", "alice")
    assert reason.startswith("Reverted to the version of ") and reason.endswith(" by carol")


def test_revert_to_a_version_with_a_slug_taken_since_is_refused_with_the_record_named():
    topic = TopicFactory(name="Asylum", slug="asylum")
    pass_time()
    client, _user = login("alice")
    change(client, topic, slug="asylum-and-refugees")
    TopicFactory(name="Asylum procedures", slug="asylum")
    pass_time()
    (revert,) = revert_links(client.get(admin_url(Topic, "history", topic.pk)))

    confirm = client.get(revert)
    assert "The address “asylum” is now used by the topic “Asylum procedures”" in text_of(confirm)
    assert 'value="Yes, revert"' not in confirm.content.decode()
    response = client.post(revert)
    assert response.status_code == 200
    assert Topic.objects.get(pk=topic.pk).slug == "asylum-and-refugees"


def test_editor_cannot_revert_a_published_record_but_can_revert_a_draft():
    published = PartnerFactory(name="IOM", published=True)
    draft = PartnerFactory(name="UNHCR", published=False)
    for partner in (published, draft):
        pass_time()
        partner.name += " (renamed)"
        partner.save()
    pass_time()
    editor, _user = login("eve", role="Editor")

    (revert,) = revert_links(editor.get(admin_url(Partner, "history", published.pk)))
    confirm = editor.get(revert)
    assert "only a Publisher can revert it" in text_of(confirm)
    assert 'value="Yes, revert"' not in confirm.content.decode()
    assert editor.post(revert).status_code == 403
    assert Partner.objects.get(pk=published.pk).name == "IOM (renamed)"

    (revert,) = revert_links(editor.get(admin_url(Partner, "history", draft.pk)))
    editor.post(revert)
    assert Partner.objects.get(pk=draft.pk).name == "UNHCR"


def test_editor_cannot_revert_a_draft_to_a_version_that_was_published():
    partner = PartnerFactory(name="IOM", published=True)
    pass_time()
    publisher, _user = login("pat", role="Publisher")
    change(publisher, partner, published="", name="IOM draft")
    pass_time()
    editor, _user = login("eve", role="Editor")
    (revert,) = revert_links(editor.get(admin_url(Partner, "history", partner.pk)))

    assert editor.post(revert).status_code == 403
    assert Partner.objects.get(pk=partner.pk).published is False
    publisher.post(revert)
    assert Partner.objects.values_list("name", "published").get(pk=partner.pk) == ("IOM", True)


def test_simple_history_revert_form_leads_to_the_confirmation_page():
    topic = TopicFactory(name="Asylum")
    row = topic.history.get()
    client, _user = login("alice")

    response = client.post(admin_url(Topic, "simple_history", topic.pk, row.history_id))

    assert response.status_code == 302
    assert response["Location"] == admin_url(Topic, "revert", topic.pk, to_stamp(row.history_date))
    assert Topic.objects.get(pk=topic.pk).name == "Asylum"


def test_revert_of_a_bad_version_is_not_found():
    topic = TopicFactory()
    client, _user = login("alice")
    assert client.get(admin_url(Topic, "revert", topic.pk, 1)).status_code == 404  # 1970: before it existed
    assert client.get(admin_url(Topic, "revert", 999999, to_stamp(topic.created_at))).status_code == 404


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
    assert [str(c) for c in restored.citations.all()] == ["Fact sheet, p. 2"]
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


# Recent changes ------------------------------------------------------------------------------


def test_recent_changes_lists_every_kind_newest_first_linking_to_each_history():
    partner = PartnerFactory(name="IOM", acronym="")
    pass_time(10)
    agreement = AgreementFactory(title="Readmission Agreement", parties=[partner])
    pass_time()
    client, _user = login("alice")
    change(client, partner, acronym="IOM")
    topic = TopicFactory(name="Asylum")
    pass_time(1)
    topic_pk = topic.pk
    topic.delete()

    response = client.get(RECENT)
    rows = [row[1:] for row in table(response, "recent-changes")]
    assert rows == [
        ["no user", "deleted", "Topic Asylum (deleted)", ""],
        [
            "no user",
            "created",
            "Topic Asylum (deleted)",
            "Name: Asylum Slug: topic-0 Published: yes".replace("topic-0", topic.slug),
        ],
        ["alice", "changed", "Partner IOM (IOM)", "Acronym: (empty) → IOM"],
        ["no user", "changed", "Agreement Readmission Agreement", "Parties: added IOM (IOM)"],
        [
            "no user",
            "created",
            "Agreement Readmission Agreement",
            f"Title: Readmission Agreement Kind: Cooperation agreement Signed: 8 December 1999 Slug: {agreement.slug} "
            "Published: yes",
        ],
        [
            "no user",
            "created",
            "Partner IOM",
            f"Name: IOM Kind: International organisation Scope: Multilateral Slug: {partner.slug} Published: yes",
        ],
    ]
    html = response.content.decode()
    assert admin_url(Partner, "history", partner.pk) in html
    assert admin_url(Topic, "history", topic_pk) in html
    assert f"{DELETED}?model=cooperation.topic" in html


def test_recent_changes_shows_inline_rows_under_their_record():
    agreement = AgreementFactory(title="Readmission Agreement", parties=[PartnerFactory()])
    pass_time()
    CitationFactory(content_object=agreement, source=SourceFactory(title="Fact sheet"), locator="p. 9")
    client, _user = login("alice")

    rows = table(client.get(RECENT + "?model=cooperation.citation"), "recent-changes")
    assert [row[1:] for row in rows] == [
        ["no user", "added", "Agreement Readmission Agreement", "Citation “Fact sheet, p. 9”: added"]
    ]


def test_recent_changes_filters_by_kind_user_and_action():
    client, alice = login("alice")
    topic = TopicFactory(name="Asylum")
    pass_time()
    change(client, topic, name="Asylum seekers")
    PartnerFactory(name="IOM")

    def shown(query):
        return [row[1:3] + [row[3].split(" ")[0]] for row in table(client.get(RECENT + query), "recent-changes")]

    assert shown("?model=cooperation.topic") == [["alice", "changed", "Topic"], ["no user", "created", "Topic"]]
    assert shown(f"?user={alice.pk}") == [["alice", "changed", "Topic"]]
    assert shown("?user=none&action=created") == [["no user", "created", "Partner"], ["no user", "created", "Topic"]]
    assert shown("?action=changed&model=cooperation.topic") == [["alice", "changed", "Topic"]]


@pytest.mark.parametrize(
    "query, problem",
    [
        ("?model=auth.user", "“auth.user” is not a kind of record you can see here: showing all of them."),
        ("?user=abc", "No user “abc”: showing changes by everyone."),
        ("?action=edited", "“edited” is not an action (created, changed, deleted): showing all."),
        ("?before=yesterday", "“yesterday” is not a place in this list: showing the newest entries."),
        ("?after=1~x~99999999999999999999999", "is not a place in this list"),
    ],
)
def test_recent_changes_explains_a_bad_filter_and_shows_everything(query, problem):
    TopicFactory(name="Asylum")
    client, _user = login("alice")

    response = client.get(RECENT + query)
    assert response.status_code == 200
    assert problem in text_of(response)
    assert len(table(response, "recent-changes")) == 1


def test_recent_changes_pages_older_and_newer():
    topic = TopicFactory(name="Name 0")
    for number in range(1, 60):
        topic.name = f"Name {number}"
        topic.save()
    client, _user = login("alice")

    first = client.get(RECENT)
    first_rows = table(first, "recent-changes")
    assert len(first_rows) == 50
    assert first_rows[0][4] == "Name: Name 58 → Name 59"
    older_url = re.search(r'href="(\?before=[^"]+)"', first.content.decode()).group(1)
    second = client.get(RECENT + unescape(older_url))
    second_rows = table(second, "recent-changes")
    assert [row[4] for row in second_rows][-2:] == [
        "Name: Name 0 → Name 1",
        f"Name: Name 0 Slug: {topic.slug} Published: yes",
    ]
    assert len(second_rows) == 10
    assert 'rel="next"' not in second.content.decode()
    newer_url = re.search(r'href="(\?after=[^"]+)"', second.content.decode()).group(1)
    back = client.get(RECENT + unescape(newer_url))
    assert table(back, "recent-changes") == first_rows


@pytest.mark.parametrize("changes", [1, 50])
def test_recent_changes_query_count_is_the_same_for_one_or_fifty_changes(django_assert_num_queries, changes):
    agreement = AgreementFactory()
    for number in range(changes):
        agreement.title = f"Title {number}"
        agreement.save()
    # The newest rows, on every first page: four more tables, a link, a name to look up.
    agreement.parties.add(PartnerFactory(name="IOM"))
    CitationFactory(content_object=agreement)
    client, _user = login("alice")
    client.get(RECENT)  # content types cached

    with django_assert_num_queries(21):
        response = client.get(RECENT)
    assert len(table(response, "recent-changes")) == min(changes + 5, 50)


def test_history_pages_are_in_the_admin_navigation_and_need_staff():
    client, _user = login("alice")
    index = client.get(reverse("admin:index")).content.decode()
    assert f'href="{RECENT}"' in index and f'href="{DELETED}"' in index

    anonymous = Client()
    assert anonymous.get(RECENT).status_code == 302
    assert anonymous.get(DELETED).status_code == 302
