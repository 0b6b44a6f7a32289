"""The public never sees a draft, route by route; staff preview drafts at /preview/<kind>/<slug>/.

One registry serves every test: a draft of each kind of record, each named with the word
"Quokka" (and nothing published carries that word), beside published records of the same
year, topic, partner and kind, and published records that relate to the drafts (a published
project with a draft partner, a published meeting with a draft participant …). Every public
route is fetched and must not contain "quokka" anywhere in its body, in any case; the counts
it shows must be those of the published records alone.
"""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.models import Agreement, Project, Source, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person
from tests import factories as f
from tests.helpers import admin_url

pytestmark = pytest.mark.django_db

TOKEN = "quokka"
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
LISTS = ["/partners/", "/agreements/", "/projects/", "/meetings/", "/offices/"]


@pytest.fixture
def world():
    """Drafts of every kind (named Quokka …) among published records that relate to them."""
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


def body(response):
    return response.content.decode()


def assert_no_draft(response):
    text = body(response).lower()
    assert TOKEN not in text, (response.wsgi_request.get_full_path(), re.findall(rf".{{0,80}}{TOKEN}.{{0,80}}", text))


def facets(response):
    """{facet: {option value: count}} as the list page shows them."""
    return {
        facet.name: {option.value: option.count for option in facet.visible_options}
        for facet in response.context["facets"]
    }


# A draft's own page ------------------------------------------------------------------------


def same_as_unknown(client, url, slug):
    """The answer for ``url`` (naming a draft by ``slug``) is the answer for a slug that names
    nothing: the same status and the same body, but for the address it echoes."""
    draft = client.get(url)
    unknown = client.get(url.replace(slug, "no-such-slug"))
    assert draft.status_code == unknown.status_code == 404
    assert body(draft).replace(slug, "SLUG") == body(unknown).replace("no-such-slug", "SLUG")
    assert TOKEN not in body(draft).replace(slug, "SLUG").lower()
    return draft


@pytest.mark.parametrize("kind", list(DRAFT_SLUGS))
def test_a_drafts_own_page_is_a_404(client, world, kind):
    same_as_unknown(client, f"/{kind}/{DRAFT_SLUGS[kind]}/", DRAFT_SLUGS[kind])


def test_the_page_of_a_published_office_of_a_draft_partner_is_a_404(client, world):
    same_as_unknown(client, "/offices/quokka-partner-office/", "quokka-partner-office")


# Published pages of records related to drafts ----------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/partners/iom/",
        "/partners/sub-body/",
        "/agreements/public-agreement/",
        "/projects/public-project/",
        "/meetings/public-meeting/",
        "/offices/public-office/",
        "/people/public-person/",
        "/topics/asylum/",
        "/sources/mfa/",
    ],
)
def test_a_published_page_never_shows_the_drafts_it_relates_to(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_no_draft(response)


def test_a_published_project_with_a_draft_partner_shows_only_its_published_partner(client, world):
    response = client.get("/projects/public-project/")
    assert "International Organization for Migration" in body(response)
    assert_no_draft(response)


# Lists, their facet counts and their exports -----------------------------------------------


@pytest.mark.parametrize("url", LISTS)
def test_no_list_page_shows_a_draft(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_no_draft(response)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/partners/", {"kind": {"international-organisation": 2}, "scope": {"multilateral": 2}}),
        (
            "/agreements/",
            {
                "partner": {"iom": 1},
                "topic": {"asylum": 1},
                "kind": {"cooperation-agreement": 1},
                "status": {"signed": 1},
                "year": {"2006": 1},
            },
        ),
        (
            "/projects/",
            {"topic": {"asylum": 1}, "partner": {"iom": 1}, "status": {"completed": 1}, "year": {"2006": 1}},
        ),
        ("/meetings/", {"partner": {"iom": 1}, "kind": {"bilateral-meeting": 1}, "year": {"2006": 1}}),
        ("/offices/", {"partner": {"iom": 1}, "country": {"az": 1}, "kind": {"field-office": 1}}),
    ],
)
def test_facet_counts_leave_drafts_out(client, world, url, expected):
    """Each facet option counts the published rows only; a draft is never an option."""
    shown = facets(client.get(url))
    for name, counts in expected.items():
        nonzero = {value: count for value, count in shown[name].items() if count}
        assert nonzero == counts, name


def test_a_filter_naming_a_draft_is_an_unknown_value(client, world):
    response = client.get("/projects/?partner=quokka-partner&topic=quokka-topic")
    assert [row.slug for row in response.context["object_list"]] == ["public-project"]
    assert "There is no partner" in body(response) and "There is no topic" in body(response)


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("export_format", ["csv", "json"])
def test_no_export_holds_a_draft(client, world, url, export_format):
    response = client.get(url, {"format": export_format})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode().lower()
    assert TOKEN not in text, (url, export_format)
    assert "public" in text or "international organization for migration" in text


# Search ------------------------------------------------------------------------------------


def test_search_finds_no_draft(client, world):
    response = client.get("/search/", {"q": "wombat"})
    hits = [str(hit.title) for group in response.context["result"].groups for hit in group.hits]
    assert sorted(re.sub(r"</?mark>", "", hit) for hit in hits) == ["Asylum", "Public person", "Wombat sub-body"]
    assert_no_draft(response)


def test_search_for_a_drafts_name_finds_nothing(client, world):
    response = client.get("/search/", {"q": "quokka"})
    assert [group for group in response.context["result"].groups if group.hits] == []
    assert sum(facet.count for facet in response.context["result"].facets) == 0


# The API -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(DRAFT_SLUGS))
def test_api_list_and_draft_record(client, world, kind):
    listed = client.get(f"/api/{kind}/")
    assert listed.status_code == 200
    assert listed.json()["count"] == len(listed.json()["results"]) > 0
    assert_no_draft(listed)
    same_as_unknown(client, f"/api/{kind}/{DRAFT_SLUGS[kind]}/", DRAFT_SLUGS[kind])


@pytest.mark.parametrize(
    "path",
    [
        "partners/iom",
        "partners/sub-body",
        "agreements/public-agreement",
        "projects/public-project",
        "meetings/public-meeting",
        "offices/public-office",
        "people/public-person",
        "topics/asylum",
        "sources/mfa",
    ],
)
def test_api_published_records_never_name_drafts(client, world, path):
    response = client.get(f"/api/{path}/")
    assert response.status_code == 200
    assert_no_draft(response)


# Feeds, calendars, sitemap -----------------------------------------------------------------


def test_atom_feed(client, world):
    response = client.get("/feeds/latest.atom")
    assert response.status_code == 200
    assert "Public meeting" in body(response)
    assert_no_draft(response)


def test_calendar_of_all_meetings(client, world):
    response = client.get("/meetings/calendar.ics")
    assert response.status_code == 200
    assert "Public meeting" in body(response)
    assert_no_draft(response)


def test_calendar_of_a_partner(client, world):
    response = client.get("/partners/iom/calendar.ics")
    assert response.status_code == 200
    assert body(response).count("BEGIN:VEVENT") == 1
    assert_no_draft(response)
    assert client.get("/partners/quokka-partner/calendar.ics").status_code == 404


def test_sitemap(client, world):
    """The sitemap index and every sitemap it names."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert_no_draft(index)
    sitemaps = [re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>([^<]+)</loc>", body(index))]
    assert sitemaps
    listed = ""
    for url in sitemaps:
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200, url
        assert_no_draft(response)
        listed += body(response)
    assert "/meetings/public-meeting/" in listed
    assert "/offices/quokka-partner-office/" not in listed
    assert "/years/2006/" in listed and "/years/1995/" not in listed


# Home and years ----------------------------------------------------------------------------


def test_home_page(client, world):
    response = client.get("/")
    assert response.status_code == 200
    counts = {count.label: count.count for count in response.context["counts"]}
    assert counts == {
        "Partners": 2,
        "Agreements": 1,
        "Projects": 1,
        "Meetings": 1,
        "Offices": 1,
        "People": 1,
        "Topics": 1,
        "Sources": 1,
    }
    assert_no_draft(response)


def test_year_index(client, world):
    response = client.get("/years/")
    assert response.status_code == 200
    assert [(year.year, year.total) for year in response.context["years"]] == [(2006, 4)]
    assert_no_draft(response)


def test_year_page(client, world):
    response = client.get("/years/2006/")
    assert response.status_code == 200
    assert "Public meeting" in body(response) and "Public agreement" in body(response)
    assert_no_draft(response)


def test_a_year_only_drafts_have_is_a_404(client, world):
    assert client.get("/years/1995/").status_code == 404


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


def test_preview_of_a_public_record_sends_staff_to_its_page(editor_client, world):
    response = editor_client.get(preview_url("agreements", "public-agreement"))
    assert (response.status_code, response["Location"]) == (302, "/agreements/public-agreement/")
    assert_private(response)


def not_found_page(client):
    return body(client.get("/no/such/page/"))


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
