"""Staff roles in the admin: what an Editor, a Publisher, a superuser and a staff member with no
group may do to drafts and published records (cooperation/core/permissions.py,
cooperation/backoffice/publishing.py).

Every action goes through the admin as a browser would: a GET of the page, then the POST its
form or button sends. A refusal is checked twice: the answer (403, a message, a read-only
page) and the database (nothing changed).
"""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from cooperation.models import Agreement, Project, Source, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person
from tests.factories import (
    AgreementFactory,
    MeetingFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    ProjectFactory,
    SourceFactory,
    TopicFactory,
)
from tests.helpers.admin import admin_url, agreement, changed_data, form_data, messages_of
from tests.helpers.users import client_for

pytestmark = pytest.mark.django_db

RECORD_MODELS = [Partner, Office, Person, Topic, Source, Agreement, Project, Meeting]
FACTORIES = {
    Partner: PartnerFactory,
    Office: OfficeFactory,
    Person: PersonFactory,
    Topic: TopicFactory,
    Source: SourceFactory,
    Agreement: lambda **fields: AgreementFactory(parties=[PartnerFactory()], **fields),
    Project: ProjectFactory,
    Meeting: MeetingFactory,
}
LOCKED_NOTE = "Only a Publisher can change a published record"


def action(client, model, name, objects, **extra):
    return client.post(
        admin_url(model, "changelist"),
        {"action": name, "_selected_action": [obj.pk for obj in objects], **extra},
        follow=True,
    )


# The groups --------------------------------------------------------------------------------


def codenames(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("content_type__app_label", "codename"))


def test_groups_exist_after_migrate_with_the_right_permissions():
    registry = {
        ("partners", "partner"),
        ("partners", "office"),
        ("partners", "person"),
        ("partners", "post"),
        ("cooperation", "topic"),
        ("cooperation", "source"),
        ("cooperation", "citation"),
        ("cooperation", "claim"),
        ("cooperation", "agreement"),
        ("cooperation", "agreementaction"),  # added by 0008_agreement_actions
        ("cooperation", "project"),
        ("cooperation", "projectpartner"),
        ("events", "meeting"),
        ("cooperation", "iatitopicmapping"),  # added by 0018_iati_import
    }
    editing = {(app, f"{verb}_{model}") for app, model in registry for verb in ("view", "add", "change", "delete")}
    editing.add(("cooperation", "view_iatiactivity"))  # 0018_iati_import: the imported activities, read only
    publishing = {(model._meta.app_label, f"publish_{model._meta.model_name}") for model in RECORD_MODELS}

    assert codenames("Editor") == editing
    assert codenames("Publisher") == editing | publishing
    # The permissions exist as real rows, one per record model.
    assert Permission.objects.filter(codename__startswith="publish_").count() == len(RECORD_MODELS)


# Adding a record ---------------------------------------------------------------------------


def add_agreement(client, **fields):
    """GET the add page, fill it in, POST it: the response after the redirect."""
    page = client.get(admin_url(Agreement, "add"))
    if page.status_code != 200:
        return page
    data = form_data(page)
    data.update(
        title="Memorandum on labour migration",
        slug="memorandum-labour",
        kind="memorandum-of-understanding",
        parties=[str(PartnerFactory().pk)],
    )
    data.update(fields)
    return client.post(admin_url(Agreement, "add"), data)


@pytest.mark.parametrize(
    ("role", "allowed"), [("editor", True), ("publisher", True), ("superuser", True), ("staff", False)]
)
def test_add_a_draft(role, allowed):
    response = add_agreement(client_for(role))

    if allowed:
        assert response.status_code == 302
        assert Agreement.objects.get().title == "Memorandum on labour migration"
        assert Agreement.objects.get().published is False
    else:
        assert response.status_code == 403
        assert not Agreement.objects.exists()


@pytest.mark.parametrize(("role", "published"), [("editor", False), ("publisher", True), ("superuser", True)])
def test_ticking_published_on_a_new_record_needs_the_publish_permission(role, published):
    response = add_agreement(client_for(role), published="on")

    assert response.status_code == 302
    assert Agreement.objects.get().published is published


# Changing a draft, changing a published record ---------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"), [("editor", True), ("publisher", True), ("superuser", True), ("staff", False)]
)
def test_change_a_draft(superuser_client, role, allowed):
    draft = agreement(title="Old title", published=False)
    data = changed_data(superuser_client, draft, title="New title")
    client = client_for(role)

    page = client.get(admin_url(Agreement, "change", draft.pk))
    response = client.post(admin_url(Agreement, "change", draft.pk), data)

    draft.refresh_from_db()
    if allowed:
        assert page.status_code == 200 and 'name="_save"' in page.content.decode()
        assert response.status_code == 302
        assert (draft.title, draft.published) == ("New title", False)
    else:
        assert (page.status_code, response.status_code) == (403, 403)
        assert draft.title == "Old title"


@pytest.mark.parametrize(
    ("role", "allowed"), [("editor", False), ("publisher", True), ("superuser", True), ("staff", False)]
)
def test_change_a_published_record(superuser_client, role, allowed):
    record = agreement(title="Old title")
    data = changed_data(superuser_client, record, title="New title")
    client = client_for(role)

    page = client.get(admin_url(Agreement, "change", record.pk))
    response = client.post(admin_url(Agreement, "change", record.pk), data)

    record.refresh_from_db()
    if allowed:
        assert 'name="_save"' in page.content.decode() and LOCKED_NOTE not in page.content.decode()
        assert response.status_code == 302
        assert record.title == "New title"
    elif role == "editor":
        # The page opens read-only, says why, and offers no way to save; a POST is refused.
        html = page.content.decode()
        assert page.status_code == 200
        assert LOCKED_NOTE in html
        assert 'name="_save"' not in html and 'name="title"' not in html
        assert response.status_code == 403
        assert record.title == "Old title"
    else:
        assert (page.status_code, response.status_code) == (403, 403)
        assert record.title == "Old title"


@pytest.mark.parametrize("model", RECORD_MODELS, ids=lambda model: model.__name__)
def test_an_editor_can_change_drafts_but_not_published_records_of_every_model(superuser_client, model):
    draft, published = FACTORIES[model](published=False), FACTORIES[model]()
    editor = client_for("editor")
    for record, expected in [(draft, 302), (published, 403)]:
        data = changed_data(superuser_client, record)
        assert editor.post(admin_url(model, "change", record.pk), data).status_code == expected, record
    assert LOCKED_NOTE in editor.get(admin_url(model, "change", published.pk)).content.decode()
    publisher = client_for("publisher")
    assert (
        publisher.post(admin_url(model, "change", published.pk), changed_data(superuser_client, published)).status_code
        == 302
    )


def test_an_editor_cannot_publish_a_draft_through_its_form(superuser_client):
    draft = agreement(published=False)
    data = changed_data(superuser_client, draft, published="on", title="Ready")

    response = client_for("editor").post(admin_url(Agreement, "change", draft.pk), data)

    draft.refresh_from_db()
    assert response.status_code == 302
    assert (draft.title, draft.published) == ("Ready", False)


def test_a_publisher_can_unpublish_through_the_form(superuser_client):
    record = agreement()
    data = changed_data(superuser_client, record)
    del data["published"]

    assert client_for("publisher").post(admin_url(Agreement, "change", record.pk), data).status_code == 302
    record.refresh_from_db()
    assert record.published is False


# The published checkbox --------------------------------------------------------------------


@pytest.mark.parametrize(("role", "editable"), [("editor", False), ("publisher", True), ("superuser", True)])
@pytest.mark.parametrize("view", ["add", "change"])
def test_see_the_published_checkbox(role, editable, view):
    draft = AgreementFactory(published=False)
    url = admin_url(Agreement, "add") if view == "add" else admin_url(Agreement, "change", draft.pk)

    response = client_for(role).get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert ('name="published"' in html) is editable
    assert ("published" in response.context["adminform"].form.fields) is editable
    assert "Published" in html  # shown either way: read-only for an Editor


def test_staff_without_a_group_sees_no_record_pages():
    client = client_for("staff")
    draft = AgreementFactory(published=False)
    for url in [
        admin_url(Agreement, "changelist"),
        admin_url(Agreement, "add"),
        admin_url(Agreement, "change", draft.pk),
        admin_url(Agreement, "delete", draft.pk),
    ]:
        assert client.get(url).status_code == 403, url
    index = client.get(reverse("admin:index"))
    apps = {app["app_label"] for app in index.context["app_list"]}
    assert not apps & {"partners", "cooperation", "events"}


# Publish and unpublish ---------------------------------------------------------------------


@pytest.mark.parametrize(("role", "listed"), [("editor", False), ("publisher", True), ("superuser", True)])
def test_see_the_publish_actions(role, listed):
    AgreementFactory()

    response = client_for(role).get(admin_url(Agreement, "changelist"))

    actions = {value for value, _label in response.context["action_form"].fields["action"].choices}
    assert ({"publish", "unpublish"} <= actions) is listed
    assert "delete_selected" in actions


@pytest.mark.parametrize(
    ("role", "allowed"), [("editor", False), ("publisher", True), ("superuser", True), ("staff", False)]
)
def test_publish(role, allowed):
    drafts = [AgreementFactory(published=False), AgreementFactory(published=False)]

    response = action(client_for(role), Agreement, "publish", drafts)

    published = Agreement.objects.filter(published=True).count()
    if allowed:
        assert messages_of(response) == ["2 agreements published."]
        assert published == 2
        assert LogEntry.objects.count() == 2
    else:
        assert published == 0
        assert not LogEntry.objects.exists()
        if role == "editor":
            assert messages_of(response) == ["No action selected."]
        else:
            assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "allowed"), [("editor", False), ("publisher", True), ("superuser", True), ("staff", False)]
)
def test_unpublish(role, allowed):
    record = ProjectFactory()

    response = action(client_for(role), Project, "unpublish", [record])

    record.refresh_from_db()
    assert record.published is not allowed
    if allowed:
        assert messages_of(response) == ["1 project made drafts."]
    elif role == "editor":
        assert messages_of(response) == ["No action selected."]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("model", RECORD_MODELS, ids=lambda model: model.__name__)
def test_only_a_publisher_publishes_records_of_every_model(model):
    draft = FACTORIES[model](published=False)
    action(client_for("editor"), model, "publish", [draft])
    draft.refresh_from_db()
    assert draft.published is False
    action(client_for("publisher"), model, "publish", [draft])
    draft.refresh_from_db()
    assert draft.published is True


# Deleting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"), [("editor", True), ("publisher", True), ("superuser", True), ("staff", False)]
)
def test_delete_a_draft(role, allowed):
    draft = TopicFactory(published=False)
    client = client_for(role)

    page = client.get(admin_url(Topic, "delete", draft.pk))
    response = client.post(admin_url(Topic, "delete", draft.pk), {"post": "yes"})

    assert Topic.objects.filter(pk=draft.pk).exists() is not allowed
    if allowed:
        assert page.status_code == 200
        assert response.status_code == 302
    else:
        assert (page.status_code, response.status_code) == (403, 403)


@pytest.mark.parametrize(
    ("role", "allowed"), [("editor", False), ("publisher", True), ("superuser", True), ("staff", False)]
)
def test_delete_a_published_record(role, allowed):
    record = TopicFactory()
    client = client_for(role)

    page = client.get(admin_url(Topic, "delete", record.pk))
    response = client.post(admin_url(Topic, "delete", record.pk), {"post": "yes"})

    assert Topic.objects.filter(pk=record.pk).exists() is not allowed
    if allowed:
        assert (page.status_code, response.status_code) == (200, 302)
    else:
        assert (page.status_code, response.status_code) == (403, 403)


def test_the_read_only_page_of_a_published_record_offers_no_delete_link():
    record = TopicFactory()
    html = client_for("editor").get(admin_url(Topic, "change", record.pk)).content.decode()
    assert admin_url(Topic, "delete", record.pk) not in html


def test_bulk_delete_with_a_published_record_is_refused_for_an_editor_with_a_message():
    draft, published = TopicFactory(published=False), TopicFactory(name="Asylum")
    client = client_for("editor")

    for extra in [{}, {"post": "yes"}]:  # the confirmation page, and the confirmation itself
        response = action(client, Topic, "delete_selected", [draft, published], **extra)
        assert messages_of(response) == [
            "1 of the selected topics is published, and only a Publisher can delete a published topic. "
            "Nothing was deleted: select drafts only, or ask a Publisher to delete the published topic."
        ]
        assert Topic.objects.count() == 2


def test_bulk_delete_of_drafts_works_for_an_editor():
    drafts = TopicFactory.create_batch(2, published=False)
    kept = TopicFactory()
    client = client_for("editor")

    confirm = action(client, Topic, "delete_selected", drafts)
    assert "Are you sure you want to delete the selected topics?" in confirm.content.decode()
    response = action(client, Topic, "delete_selected", drafts, post="yes")

    assert messages_of(response) == ["Successfully deleted 2 topics."]
    assert list(Topic.objects.all()) == [kept]


def test_bulk_delete_of_published_records_works_for_a_publisher():
    records = TopicFactory.create_batch(2)
    response = action(client_for("publisher"), Topic, "delete_selected", records, post="yes")
    assert messages_of(response) == ["Successfully deleted 2 topics."]
    assert not Topic.objects.exists()
