"""The staff preview of a draft at /preview/<kind>/<slug>/ (cooperation/pages/preview.py): on the
record's public template, showing no other draft, private and not indexed, and for staff allowed
to view that model only; everyone else gets the ordinary 404.

The registry is the one of test_drafts_hidden.py (the ``world`` fixture of tests/pages/conftest.py):
a draft of each kind of record, each named with the word "Quokka", among published records.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.models import Agreement, Project, Source, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person
from tests import factories as f
from tests.helpers.admin import admin_url
from tests.helpers.drafts import DRAFT_SLUGS
from tests.helpers.pages import body

pytestmark = pytest.mark.django_db

MODELS = {
    "partners": Partner,
    "agreements": Agreement,
    "projects": Project,
    "meetings": Meeting,
    "offices": Office,
    "people": Person,
    "topics": Topic,
    "sources": Source,
}


# The staff preview -------------------------------------------------------------------------


def staff(*groups, **fields):
    user = f.UserFactory(**{"is_staff": True, **fields})
    user.groups.set(Group.objects.filter(name__in=groups))
    client = Client()
    client.force_login(user)
    return client


def preview_url(kind, slug):
    return reverse("cooperation:preview", kwargs={"kind": kind, "slug": slug})


def assert_private(response):
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.parametrize("kind", list(DRAFT_SLUGS))
def test_staff_preview_a_draft_on_its_public_template(editor_client, world, kind):
    draft = MODELS[kind].objects.get(slug=DRAFT_SLUGS[kind])

    response = editor_client.get(preview_url(kind, draft.slug))

    html = body(response)
    assert response.status_code == 200
    assert "Draft — not public." in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert str(draft) in html
    assert admin_url(MODELS[kind], "change", draft.pk) in html
    assert_private(response)


def test_a_preview_uses_the_records_public_template(editor_client, world):
    response = editor_client.get(preview_url("agreements", "quokka-agreement"))
    assert [template.name for template in response.templates][0] == "cooperation/agreement_detail.html"


def test_a_preview_shows_the_draft_itself_but_no_other_draft(editor_client, world):
    project = Project.objects.get(slug="quokka-project")
    project.agreements.set(Agreement.objects.all())
    project.topics.add(Topic.objects.get(slug="quokka-topic"))
    f.ProjectPartnerFactory(project=project, partner=Partner.objects.get(slug="quokka-partner"), role="funding")

    html = body(editor_client.get(preview_url("projects", "quokka-project")))

    assert "Quokka Project" in html
    assert "Public agreement" in html and "International Organization for Migration" in html
    for other in ["Quokka Agreement", "Quokka Topic", "Quokka Partner", "quokka-agreement", "quokka-partner"]:
        assert other not in html, other


def test_preview_of_a_published_office_of_a_draft_partner_says_why_it_is_hidden(editor_client, world):
    response = editor_client.get(preview_url("offices", "quokka-partner-office"))
    assert response.status_code == 200
    assert "stays hidden from the public while its partner, Quokka Partner (QKP), is a draft" in body(response)


def test_a_drafts_preview_shows_its_relations_as_they_are_now(editor_client):
    """The page's relations (its timeline …) are a fragment that the public page keeps with its
    record's versions: a preview, read fresh, renders them fresh too."""
    partner = f.PartnerFactory(published=False, slug="draft-partner")
    f.MeetingFactory(partners=[partner], start=PD(2016), title="A first visit")
    url = f"/preview/partners/{partner.slug}/"
    assert "A first visit" in editor_client.get(url).content.decode()

    f.MeetingFactory(partners=[partner], start=PD(2017), title="A second visit")

    assert "A second visit" in editor_client.get(url).content.decode()


def test_a_draft_topics_preview_shows_its_projects_as_they_are_now(editor_client):
    topic = f.TopicFactory(published=False, slug="draft-topic")
    f.ProjectFactory(title="A first project", topics=[topic])
    url = f"/preview/topics/{topic.slug}/"
    assert "A first project" in editor_client.get(url).content.decode()

    f.ProjectFactory(title="A second project", topics=[topic])

    assert "A second project" in editor_client.get(url).content.decode()


def test_preview_of_a_public_record_sends_staff_to_its_page(editor_client, world):
    response = editor_client.get(preview_url("agreements", "public-agreement"))
    assert (response.status_code, response["Location"]) == (302, "/agreements/public-agreement/")
    assert_private(response)


@pytest.mark.parametrize(
    "who",
    ["anonymous", "not staff", "staff without permissions", "inactive editor"],
)
def test_anyone_but_staff_allowed_to_view_gets_the_ordinary_404(world, who):
    client = {
        "anonymous": Client,
        "not staff": lambda: staff(is_staff=False),
        "staff without permissions": lambda: staff(),
        "inactive editor": lambda: staff("Editor", is_active=False),
    }[who]()

    for url in [preview_url("agreements", "quokka-agreement"), preview_url("agreements", "no-such-record")]:
        response = client.get(url)
        assert response.status_code == 404
        assert "Page not found" in body(response)
        assert "Quokka" not in body(response)
        assert_private(response)


def test_a_preview_needs_the_view_permission_on_that_model(world):
    user = f.UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_project"))
    client = Client()
    client.force_login(user)
    assert client.get(preview_url("projects", "quokka-project")).status_code == 200
    assert client.get(preview_url("agreements", "quokka-agreement")).status_code == 404


def test_unknown_kind_or_slug_is_a_404_for_staff_too(editor_client, world):
    for url in [preview_url("widgets", "quokka-agreement"), preview_url("agreements", "no-such-record")]:
        response = editor_client.get(url)
        assert response.status_code == 404
        assert_private(response)


def test_admin_change_form_links_a_draft_to_its_preview_only(editor_client, world):
    draft = Agreement.objects.get(slug="quokka-agreement")
    published = Agreement.objects.get(slug="public-agreement")

    draft_page = body(editor_client.get(admin_url(Agreement, "change", draft.pk)))
    published_page = body(editor_client.get(admin_url(Agreement, "change", published.pk)))

    assert (
        f'<a href="{preview_url("agreements", "quokka-agreement")}" class="previewlink">Preview draft</a>' in draft_page
    )
    assert "previewlink" not in published_page
    assert 'class="viewsitelink"' in published_page
