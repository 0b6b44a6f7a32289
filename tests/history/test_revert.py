"""Revert: a version put back as a new version (fields, links, citations), who may revert what, and
the refusals (cooperation/history/revert.py, plans.py; the pages: cooperation/backoffice/history.py).

Changes are made as staff make them, through the admin's forms and buttons, and checked on
the pages staff read and in the database. Rows written by one person less than two seconds
apart are one version, so tests that need two versions let time pass in between
(``pass_time`` in tests/helpers/history.py moves every history row back).
"""

import pytest

from cooperation.history.versions import to_stamp
from cooperation.models import Agreement, SearchDocument, Topic
from partners.models import Partner
from tests.factories import AgreementFactory, CitationFactory, ClaimFactory, PartnerFactory, SourceFactory, TopicFactory
from tests.helpers.admin import CITATIONS, add_row, admin_url, form_data, messages_of
from tests.helpers.history import change, pass_time, revert_links, rows_of, text_of, versions_shown
from tests.helpers.users import login

pytestmark = pytest.mark.django_db


# Revert --------------------------------------------------------------------------------------


def test_revert_puts_back_an_agreements_actions_and_their_summary():
    from cooperation.core.partial_dates import PartialDate

    agreement = AgreementFactory(title="Cooperation Agreement", parties=[PartnerFactory()], signed=PartialDate(1999))
    pass_time()
    client, _user = login("bob")
    data = form_data(client.get(admin_url(Agreement, "change", agreement.pk)))
    data["actions-0-date"] = "2006"
    add_row(data, "actions", kind="ratification", date="2007")
    assert client.post(admin_url(Agreement, "change", agreement.pk), data).status_code == 302
    agreement.refresh_from_db()
    assert (agreement.signed, agreement.ratified) == (PartialDate(2006), PartialDate(2007))
    pass_time()

    client, _user = login("alice")
    (revert,) = revert_links(client.get(admin_url(Agreement, "history", agreement.pk)))
    client.post(revert, follow=True)

    agreement.refresh_from_db()
    assert [(a.kind, a.date) for a in agreement.actions.all()] == [("signature", PartialDate(1999))]
    assert (agreement.signed, agreement.ratified, agreement.status) == (PartialDate(1999), None, "signed")


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
    assert "Citation “Fact sheet, Ministry of Foreign Affairs, p. 1”: put back" in text_of(confirm)
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
