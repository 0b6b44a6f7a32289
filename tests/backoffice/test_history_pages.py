"""The admin's history pages: a record's versions, newest first and paged, and the recent changes
of every kind with their filters and pages, each at a constant number of queries
(cooperation/backoffice/history.py on cooperation/history/lists.py and versions.py).

Changes are made as staff make them, through the admin's forms and buttons, and checked on
the pages staff read and in the database. Rows written by one person less than two seconds
apart are one version, so tests that need two versions let time pass in between
(``pass_time`` in tests/helpers/history.py moves every history row back).
"""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from cooperation.models import Agreement, Topic
from partners.models import Partner
from tests.factories import AgreementFactory, CitationFactory, PartnerFactory, SourceFactory, TopicFactory
from tests.helpers.admin import admin_url
from tests.helpers.history import DELETED, change, pass_time, revert_links, table, text_of, versions_shown
from tests.helpers.users import login

pytestmark = pytest.mark.django_db

RECENT = "/admin/history/"


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

    # (its actions are children too: their rows, the rows at each version and their names: 3 more)
    with django_assert_num_queries(15):
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
        # Its signature (the factory's "signed") is an action, a row of its own; the summary
        # date, kept by the actions, is not a change staff made.
        ["no user", "added", "Agreement Readmission Agreement", "Agreement action “Signature, 8 December 1999”: added"],
        ["no user", "changed", "Agreement Readmission Agreement", "Parties: added IOM (IOM)"],
        [
            "no user",
            "created",
            "Agreement Readmission Agreement",
            f"Title: Readmission Agreement Kind: Cooperation agreement Slug: {agreement.slug} Published: yes",
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
        [
            "no user",
            "added",
            "Agreement Readmission Agreement",
            "Citation “Fact sheet, Ministry of Foreign Affairs, p. 9”: added",
        ]
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

    # One query a history table (agreements' actions, budgets, transaction totals, places …).
    with django_assert_num_queries(25):
        response = client.get(RECENT)
    assert len(table(response, "recent-changes")) == min(changes + 6, 50)  # (+ the signature action's row)


def test_history_pages_are_in_the_admin_navigation_and_need_staff():
    client, _user = login("alice")
    index = client.get(reverse("admin:index")).content.decode()
    assert f'href="{RECENT}"' in index and f'href="{DELETED}"' in index

    anonymous = Client()
    assert anonymous.get(RECENT).status_code == 302
    assert anonymous.get(DELETED).status_code == 302
