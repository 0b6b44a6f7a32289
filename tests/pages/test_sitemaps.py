"""``/sitemap.xml``, an index of one paged sitemap a kind (cooperation/pages/sitemaps.py), read back
with ``xml.etree``: every published record page, the list pages and the year pages, no draft, in
the same number of queries for 1 or 50 records of each kind; every page in each of the three
languages, with its alternates.
"""

import xml.etree.ElementTree as ET

import pytest

from cooperation.core.partial_dates import PartialDate
from cooperation.models import Project
from tests import factories as f
from tests.helpers.feeds import at, one_of_each_kind, touch
from tests.helpers.listing import DATA_VERSION

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def in_every_language(paths):
    """Each path as English (unprefixed), Azerbaijani (/az/…) and Russian (/ru/…) list it."""
    return {translated for path in paths for translated in (path, f"/az{path}", f"/ru{path}")}


LIST_PAGES = [
    "/",
    "/about/",
    "/partners/",
    "/agreements/",
    "/projects/",
    "/meetings/",
    "/offices/",
    "/people/",
    "/topics/",
    "/sources/",
    "/years/",
]


def read_sitemap(client):
    """{address: lastmod} of every page in the sitemaps that /sitemap.xml (a sitemap index) names."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    index = ET.fromstring(response.content)
    assert index.tag == f"{SITEMAP}sitemapindex"
    urls = {}
    for sitemap in index.findall(f"{SITEMAP}sitemap"):
        response = client.get(sitemap.findtext(f"{SITEMAP}loc").removeprefix("http://testserver"))
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        assert root.tag == f"{SITEMAP}urlset"
        urls.update(
            {
                url.findtext(f"{SITEMAP}loc").removeprefix("http://testserver"): url.findtext(f"{SITEMAP}lastmod")
                for url in root.findall(f"{SITEMAP}url")
            }
        )
    return urls


def test_sitemap_lists_every_published_record_page_and_list_page(client):
    partner = f.PartnerFactory()
    records = [
        partner,
        f.AgreementFactory(signed=PartialDate(1999, 12, 8), parties=[partner]),
        f.ProjectFactory(start=PartialDate(2014), end=PartialDate(2015), status=Project.Status.COMPLETED),
        f.MeetingFactory(start=PartialDate(2016, 12, 5), partners=[partner]),
        f.OfficeFactory(partner=partner, opened=PartialDate(1998)),
        f.PersonFactory(),
        f.TopicFactory(),
        f.SourceFactory(),
    ]
    touch(records[1], at(7))
    drafts = one_of_each_kind(published=False)
    f.MeetingFactory(start=PartialDate(2020), published=False)
    office_of_draft = f.OfficeFactory(partner=drafts[0])

    urls = read_sitemap(client)

    years = ["/years/1998/", "/years/1999/", "/years/2014/", "/years/2015/", "/years/2016/"]
    assert set(urls) == in_every_language([*LIST_PAGES, *years, *(record.get_absolute_url() for record in records)])
    assert urls[records[1].get_absolute_url()] == urls["/ru" + records[1].get_absolute_url()] == "2024-01-07"
    assert all(urls[page] is None for page in in_every_language(LIST_PAGES))
    assert not in_every_language([record.get_absolute_url() for record in [*drafts, office_of_draft]]) & set(urls)


def test_each_address_names_its_versions_in_every_language(client):
    partner = f.PartnerFactory(slug="iom")

    page = ET.fromstring(client.get("/sitemap-partners.xml").content)

    for url in page.iter(f"{SITEMAP}url"):
        alternates = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
        assert alternates == {
            "en-gb": f"http://testserver{partner.get_absolute_url()}",
            "az": f"http://testserver/az{partner.get_absolute_url()}",
            "ru": f"http://testserver/ru{partner.get_absolute_url()}",
            "x-default": f"http://testserver{partner.get_absolute_url()}",
        }
    assert len(list(page.iter(f"{SITEMAP}url"))) == 3


@pytest.mark.parametrize("rows", [1, 50])
def test_sitemap_query_count_is_constant(client, django_assert_num_queries, rows):
    for _ in range(rows):
        one_of_each_kind()

    # The index: a count (and latest change) for each of the eight kinds (for meetings and
    # projects the count is the tally's, the latest change another query), four for the years
    # with records, all then cached; each kind's sitemap: its page. And each of the ten requests
    # reads the data version.
    with django_assert_num_queries(22 + 10 * DATA_VERSION):
        urls = read_sitemap(client)

    # Years: offices opened 1998, agreements signed 1999, projects started 2014 (ongoing, with no
    # date of report: their start year only), meetings 2016.
    years = {1998, 1999, 2014, 2016}
    assert len(urls) == 3 * (len(LIST_PAGES) + len(years) + 8 * rows)


def test_the_sitemap_is_an_index_of_paged_sitemaps_one_a_kind(client, monkeypatch):
    for _ in range(3):
        f.MeetingFactory()
    from cooperation.pages import sitemaps

    # Three meetings in three languages: nine addresses, two pages of six.
    monkeypatch.setattr(sitemaps.MeetingSitemap, "limit", 6)

    index = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [element.text for element in index.iter(f"{SITEMAP}loc")]

    assert "http://testserver/sitemap-meetings.xml" in locations
    assert "http://testserver/sitemap-meetings.xml?p=2" in locations
    assert "http://testserver/sitemap-meetings.xml?p=3" not in locations
    first, second = (ET.fromstring(client.get(f"/sitemap-meetings.xml?p={p}").content) for p in (1, 2))
    first_urls, second_urls = (
        [url.findtext(f"{SITEMAP}loc") for url in page.iter(f"{SITEMAP}url")] for page in (first, second)
    )
    assert len(first_urls) == 6
    assert len(second_urls) == 3
    assert len(set(first_urls + second_urls)) == 9
