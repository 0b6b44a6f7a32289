"""A record page printed (templates/base.html, static/css/site.css ``@media print``) and a search
that corrects its words (cooperation/search/spelling.py), in a real browser; screenshots at 1280
and 390 px wide, on screen and as printed, are saved under screenshots/."""

import pytest

from partners.models import Partner
from tests.factories import AgreementFactory, PartnerFactory, TopicFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def after(page, selector):
    """What CSS puts after the first element ``selector`` finds (its ``::after`` content)."""
    return page.locator(selector).first.evaluate("element => getComputedStyle(element, '::after').content")


def shown(page, selector):
    return page.locator(selector).first.evaluate("element => getComputedStyle(element).display") != "none"


@pytest.fixture
def iom():
    partner = PartnerFactory(
        name="International Organization for Migration",
        acronym="IOM",
        slug="iom",
        kind=Partner.Kind.INTERNATIONAL_ORGANISATION,
        website="https://www.iom.int/",
        description="The UN migration agency.",
    )
    AgreementFactory(title="Cooperation agreement with IOM", slug="iom-agreement", parties=[partner])
    return partner


@pytest.mark.parametrize("width", [1280, 390])
def test_record_page_prints_its_links_addresses_where_and_when(page, live_server, iom, screenshots, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/agreements/iom-agreement/")

    # On screen: no addresses after links, no print footer.
    assert after(page, "main a[href='/partners/iom/']") == "none"
    assert not shown(page, ".site-footer .print-only")
    page.screenshot(path=str(screenshots / f"print-agreement-screen-{width}.png"), full_page=True)

    page.emulate_media(media="print")
    assert after(page, "main a[href='/partners/iom/']") == '" (/partners/iom/)"'
    # Navigation is not content: the breadcrumbs' links print no address, the header's are not printed.
    assert after(page, "main nav.breadcrumbs a[href]") == "none"
    for hidden in (".site-header nav", ".site-search", ".skip-link", ".cite-downloads"):
        assert not shown(page, hidden), hidden
    footer = page.locator(".site-footer .print-only")
    assert footer.is_visible()
    assert footer.inner_text().startswith(f"Printed from {live_server.url}/agreements/iom-agreement/ on ")
    page.screenshot(path=str(screenshots / f"print-agreement-print-{width}.png"), full_page=True)

    page.goto("/partners/iom/")
    assert after(page, "main a[href='https://www.iom.int/']") == '" (https://www.iom.int/)"'


@pytest.mark.parametrize("width", [1280, 390])
def test_search_shows_the_corrected_words_results_and_the_search_as_typed(page, live_server, screenshots, width):
    from axe_playwright_python.sync_playwright import Axe

    TopicFactory(name="Readmission", slug="readmission")
    page.set_viewport_size({"width": width, "height": 900})

    page.goto("/")
    page.get_by_role("search").get_by_role("searchbox").fill("redmission")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=redmission")
    assert page.locator(".search-correction").inner_text().split("\n\n") == [
        "Nothing matches “redmission”. Showing results for “readmission”.",
        "Search instead for redmission",
    ]
    assert page.locator(".result-list h4").all_inner_texts() == ["Readmission"]
    page.screenshot(path=str(screenshots / f"search-corrected-{width}.png"), full_page=True)
    assert Axe().run(page).violations_count == 0

    page.get_by_role("link", name="redmission", exact=True).click()
    page.wait_for_url("**/search/?q=redmission&spelling=exact")
    assert page.locator(".search-suggestion").inner_text() == "Did you mean readmission?"
    page.screenshot(path=str(screenshots / f"search-nothing-found-{width}.png"), full_page=True)
    assert Axe().run(page).violations_count == 0

    page.get_by_role("link", name="readmission", exact=True).click()
    page.wait_for_url("**/search/?q=readmission")
    assert page.locator(".result-list h4").all_inner_texts() == ["Readmission"]

    # Two words no record holds together: each alone is one click away.
    page.goto("/search/?q=readmission+caspian")
    tips = page.locator(".search-tips li").all_inner_texts()
    assert tips[0] == "Fewer words: every word must be found in one record. Search for readmission or caspian alone."
    page.screenshot(path=str(screenshots / f"search-fewer-words-{width}.png"), full_page=True)
    assert Axe().run(page).violations_count == 0
