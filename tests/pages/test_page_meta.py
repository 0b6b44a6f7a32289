"""What every page says about itself for sharing and printing (templates/base.html,
cooperation/core/templatetags/page_meta.py): Open Graph and Twitter card tags, and the footer line
only print shows ("Printed from <address> on <date>")."""

import re
from html import unescape

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template, TemplateSyntaxError
from django.utils import dateformat, timezone

from tests import factories as f
from tests.helpers.pages import get

pytestmark = pytest.mark.django_db

IMAGE = "http://testserver/static/img/share.png"


def meta(html):
    """{property or name: content} of the page's <meta> tags, their values as text."""
    tags = re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', html)
    return {name: unescape(content) for name, content in tags}


def title(html):
    return unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))


def test_record_page_shares_the_records_title_and_description(client):
    partner = f.PartnerFactory(
        name="International Organization for Migration",
        acronym="IOM",
        slug="iom",
        description="The UN migration agency, in Baku since 1996.",
    )

    tags = meta(get(client, partner.get_absolute_url()).html)

    assert {name: value for name, value in tags.items() if name.startswith(("og:", "twitter:"))} == {
        "og:site_name": "Migration Cooperation Registry",
        "og:type": "article",
        "og:title": "International Organization for Migration (IOM)",
        "og:description": "The UN migration agency, in Baku since 1996.",
        "og:url": "http://testserver/partners/iom/",
        "og:locale": "en_GB",
        # Two alternates (az_AZ, ru_RU): the dict keeps the last.
        "og:locale:alternate": "ru_RU",
        "og:image": IMAGE,
        "og:image:width": "1200",
        "og:image:height": "630",
        "og:image:alt": "Migration Cooperation Registry: two linked rings above a timeline",
        "twitter:card": "summary",
    }
    assert tags["description"] == "The UN migration agency, in Baku since 1996."


@pytest.mark.parametrize(
    ("build", "expected_title"),
    [
        (lambda: f.AgreementFactory(title="Readmission agreement with the EU"), "Readmission agreement with the EU"),
        (lambda: f.ProjectFactory(title="Border management in the south"), "Border management in the south"),
        (lambda: f.MeetingFactory(title="Almaty Process ministerial"), "Almaty Process ministerial"),
        (lambda: f.TopicFactory(name="Readmission"), "Readmission"),
        (lambda: f.PersonFactory(name="Amy Pope"), "Amy Pope"),
        (lambda: f.OfficeFactory(name="IOM office in Ganja"), "IOM office in Ganja"),
        (lambda: f.SourceFactory(title="Annual report 2017", label="", publisher="SMS"), "Annual report 2017, SMS"),
    ],
)
def test_every_record_page_shares_its_title(client, build, expected_title):
    record = build()

    html = get(client, record.get_absolute_url()).html
    tags = meta(html)

    assert tags["og:title"] == expected_title
    assert tags["og:type"] == "article"
    assert tags["og:url"] == f"http://testserver{record.get_absolute_url()}"
    assert tags["og:description"] == tags["description"] != ""
    assert tags["og:image"] == IMAGE


@pytest.mark.parametrize("url", ["/", "/partners/", "/about/", "/years/", "/search/?q=iom"])
def test_every_page_has_sharing_tags_from_its_title_and_description(client, url):
    html = get(client, url).html
    tags = meta(html)

    assert tags["og:title"] == title(html)
    assert tags["og:description"] == tags["description"]
    assert tags["og:type"] == "website"
    assert tags["og:site_name"] == "Migration Cooperation Registry"
    assert tags["og:url"] == "http://testserver" + url.split("?")[0]
    assert tags["og:image"] == IMAGE
    assert tags["twitter:card"] == "summary"


def test_sharing_tags_escape_the_records_text_once(client):
    partner = f.PartnerFactory(name='Council "Alpha" & <Beta>', acronym="", slug="alpha", description="")

    html = get(client, partner.get_absolute_url()).html

    assert '<meta property="og:title" content="Council &quot;Alpha&quot; &amp; &lt;Beta&gt;">' in html
    assert title(html).startswith('Council "Alpha" & <Beta> – Partners')


def test_the_shared_image_is_a_static_file():
    path = finders.find("img/share.png")

    with open(path, "rb") as image:
        header = image.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(header[16:20]), int.from_bytes(header[20:24])) == (1200, 630)


def test_capture_needs_a_name():
    with pytest.raises(TemplateSyntaxError, match=r"Write \{% capture as name %\}…\{% endcapture %\}"):
        Template("{% load page_meta %}{% capture %}x{% endcapture %}")


def test_capture_keeps_its_content_for_later_and_shows_nothing_where_it_is():
    template = Template("{% load page_meta %}[{% capture as x %} <b>{{ v }}</b> {% endcapture %}]{{ x }}")

    assert template.render(Context({"v": "&"})) == "[]<b>&amp;</b>"


# Print ----------------------------------------------------------------------------------------


def test_record_page_has_a_print_footer_with_its_address_and_the_date(client):
    partner = f.PartnerFactory(name="UNHCR", acronym="", slug="unhcr")

    page = get(client, partner.get_absolute_url() + "?from=home")

    today = dateformat.format(timezone.localdate(), "j F Y")
    footer = f"Printed from http://testserver/partners/unhcr/?from=home on {today}."
    assert f'<p class="print-only">{footer}</p>' in page.html


@pytest.mark.parametrize(
    "build",
    [
        lambda: f.PersonFactory(name="Amy Pope"),
        lambda: f.OfficeFactory(name="Amy Pope"),
        lambda: f.TopicFactory(name="Amy Pope"),
        lambda: f.MeetingFactory(title="Amy Pope"),
    ],
)
def test_a_name_shown_in_english_on_a_translated_page_is_plain_text_in_og_title(client, build):
    # The page marks the English name lang="en" in its heading, never inside an attribute.
    record = build()

    html = get(client, "/az" + record.get_absolute_url()).html

    assert '<meta property="og:title" content="Amy Pope">' in html
    assert '<h1><span lang="en">Amy Pope</span></h1>' in html
