"""The public site in a real browser, on the seed dataset: a visitor's journey, axe-core on
every page type, and screenshots at desktop and phone widths (saved under screenshots/)."""

import pytest

from tests.helpers.browser import fit_and_axe_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# One page of each type, by the seed dataset's slugs.
PAGE_TYPES = {
    "home": "/",
    "partner-list": "/partners/?kind=international-organisation",
    "partner": "/partners/iom/",
    "agreement-list": "/agreements/?partner=iom",
    "agreement": "/agreements/azerbaijan-iom-cooperation-agreement/",
    "project-list": "/projects/?topic=capacity-building&year=2014",
    "project": "/projects/migration-and-border-management-capacities/",
    "meeting-list": "/meetings/?kind=governing-body-session",
    "meeting": "/meetings/iom-council-107th-session-2016/",
    "office-list": "/offices/?country=az",
    "office": "/offices/iom-headquarters/",
    "person-list": "/people/?partner=iom",
    "person": "/people/brunson-mckinley/",
    "source-list": "/sources/?kind=web-page",
    "source": "/sources/azerbaijan-and-iom/",
    "topic-list": "/topics/?has=agreements",
    "topic": "/topics/border-management/",
    "year-list": "/years/",
    "year": "/years/2006/",
    "search": "/search/?q=mingachevir",
    "bad-input": "/projects/?year=abc&topic=nothing&page=9999",
    "not-found": "/partners/no-such-partner/",
}


def test_visitor_goes_from_home_to_a_filtered_project_list_and_removes_a_filter(page, live_server, seeded):
    page.goto("/")
    page.get_by_role("link", name="IOM", exact=True).first.click()
    page.wait_for_url("**/partners/iom/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("International Organization for Migration")

    page.get_by_role(
        "link", name="Consolidation of Migration and Border Management Capacities in Azerbaijan"
    ).first.click()
    page.wait_for_url("**/projects/migration-and-border-management-capacities/")

    page.get_by_role("link", name="Border management").first.click()
    page.wait_for_url("**/topics/border-management/")
    page.get_by_role("link", name="Filter, sort and download these projects").click()
    page.wait_for_url("**/projects/?topic=border-management")

    # Tick a year in the "Active in" facet and apply: both filters are in the URL.
    page.get_by_role("group", name="Active in").get_by_label("2014").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/projects/?**year=2014**")
    assert "topic=border-management" in page.url
    results = page.locator(".result-list > li h3")
    assert results.all_inner_texts() == ["Consolidation of Migration and Border Management Capacities in Azerbaijan"]

    # Remove the year filter with its chip: the topic stays, and its undated project is back.
    page.get_by_role("link", name="Active in: 2014").click()
    page.wait_for_url("**/projects/?topic=border-management")
    titles = page.locator(".result-list > li h3").all_inner_texts()
    assert sorted(titles) == [
        "Consolidation of Migration and Border Management Capacities in Azerbaijan",
        "Creation of Integrated State Borders Model in the South borders of Azerbaijan",
    ]
    assert page.locator(".chips").get_by_role("link", name="Topic: Border management").count() == 1


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("language", ["en", "az", "ru"])
def test_every_page_type_has_no_axe_violations_and_fits_the_screen(
    page, live_server, seeded, screenshots, width, language
):
    """In each language: longer Azerbaijani and Russian words must fit a phone's width too."""
    page.set_viewport_size({"width": width, "height": 900})
    prefix = "" if language == "en" else f"/{language}"
    problems = []
    for name, path in PAGE_TYPES.items():
        response = page.goto(prefix + path)
        expected = 404 if name == "not-found" else 200
        if response.status != expected:
            problems.append(f"{prefix}{path}: status {response.status}, expected {expected}")
        if page.locator("html").get_attribute("lang") != ("en-GB" if language == "en" else language):
            problems.append(f"{prefix}{path}: lang is {page.locator('html').get_attribute('lang')}")
        page.screenshot(path=str(screenshots / f"page-{name}-{language}-{width}.png"), full_page=True)
        problems += fit_and_axe_problems(page, prefix + path, width)
    assert problems == []


def test_pages_work_without_javascript(browser, live_server, seeded):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/projects/")
    page.get_by_role("group", name="Topic", exact=True).get_by_label("Asylum", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/projects/?**topic=asylum**")
    assert page.locator(".result-list > li").count() >= 1
    page.get_by_label("Search the registry").fill("Türkiye")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/search/?q=**")
    assert page.get_by_role("link", name="Republic of Türkiye").count() >= 1 or "Türkiye" in page.content()
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_agreement_page_with_party_actions_has_no_axe_violations_and_fits_the_screen(
    page, live_server, seeded, screenshots, width
):
    """The actions list and the party-by-party table: the seed's voluntary-return agreement, approved
    for the SMS by presidential decree."""
    from axe_playwright_python.sync_playwright import Axe

    from cooperation.models import Agreement

    agreement = Agreement.objects.get(slug="sms-iom-voluntary-return-pilot-agreement")
    page.set_viewport_size({"width": width, "height": 900})

    response = page.goto(agreement.get_absolute_url())

    assert response.status == 200
    page.screenshot(path=str(screenshots / f"page-agreement-actions-{width}.png"), full_page=True)
    table = page.locator("table[aria-labelledby='participants-heading']")
    assert table.locator("th[scope='row']").count() == 2
    assert "23 February 2017 AA" in table.inner_text().replace("\t", " ").replace("\n", " ")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
