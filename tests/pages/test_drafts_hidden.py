"""The public never sees a draft, route by route (the staff preview of drafts: test_preview.py).

One registry serves every test: a draft of each kind of record, each named with the word
"Quokka" (and nothing published carries that word), beside published records of the same
year, topic, partner and kind, and published records that relate to the drafts (a published
project with a draft partner, a published meeting with a draft participant …). Every public
route is fetched and must not contain "quokka" anywhere in its body, in any case; the counts
it shows must be those of the published records alone.
"""

import re

import pytest

from tests.helpers.drafts import DRAFT_SLUGS
from tests.helpers.pages import body

pytestmark = pytest.mark.django_db

TOKEN = "quokka"
LISTS = ["/partners/", "/agreements/", "/projects/", "/meetings/", "/offices/"]


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
