"""A list's filter form in a real browser, on the seed dataset (templates/includes/facets.html,
static/js/list-filters.js): a tick applies at once and the new count is read out, a long facet's
find box, "Show all" without JavaScript, and axe-core on the form's states at 1280 and 390 px
(screenshots under screenshots/)."""

from decimal import Decimal

import pytest

from cooperation.core.listing import filters as list_filters
from cooperation.models import Project
from events.models import Meeting
from tests.factories import BudgetFactory
from tests.helpers.browser import fit_and_axe_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed").expect

UNHCR = "United Nations High Commissioner for Refugees"


def visible_partners(page):
    return page.locator("#facet-partner-options li:not([hidden]) label").all_inner_texts()


def test_ticking_an_option_applies_it_in_place_and_the_count_is_read_out(page, live_server, seeded):
    visits = Meeting.objects.published().filter(kind="visit").count()
    everything = Meeting.objects.published().count()
    page.goto("/meetings/")
    # Marks on the window and on the count: both survive only if the page is updated in place.
    page.evaluate("window.sameDocument = true; document.getElementById('results-heading').sameNode = true")
    count = page.locator("#results-heading")
    assert count.get_attribute("aria-live") == "polite"

    visit = page.get_by_role("group", name="Kind").get_by_label("Visit", exact=True)
    visit.check()

    page.wait_for_url("**/meetings/?kind=visit")
    expect(count).to_have_text(f"{visits} meeting" + ("" if visits == 1 else "s"))
    # The same live region changed its text: what a screen reader reads out.
    assert page.evaluate("window.sameDocument && document.getElementById('results-heading').sameNode") is True
    assert len(page.locator(".result-list > li").all()) == visits
    assert page.locator(".chips").get_by_role("link", name="Kind: Visit").count() == 1
    # The ticked box kept the focus and its place among the kinds, which keep their order.
    assert page.evaluate("document.activeElement.name + '=' + document.activeElement.value") == "kind=visit"
    kinds = page.locator("#facet-kind-options label").all_inner_texts()
    assert kinds == [str(label) for _, label in Meeting.Kind.choices]

    visit.uncheck()
    page.wait_for_url("**/meetings/")
    expect(count).to_contain_text(f"{everything} meetings")

    # Back and forward follow the filters too.
    page.go_back()
    page.wait_for_url("**/meetings/?kind=visit")
    expect(count).to_contain_text(f"{visits} meeting")
    assert page.get_by_role("group", name="Kind").get_by_label("Visit", exact=True).is_checked()


def test_a_currency_chosen_and_applied_lists_its_projects_and_offers_the_budget_sort(page, live_server, seeded):
    projects = list(Project.objects.published().order_by("pk")[:2])
    for project, amount in zip(projects, ("5000", "9000"), strict=True):
        BudgetFactory(project=project, amount=Decimal(amount), currency="EUR")
    page.goto("/projects/?topic=")  # an empty value the form leaves out when it is sent again
    page.get_by_label("Currency").select_option("EUR")
    page.get_by_role("button", name="Apply filters").click()

    page.wait_for_url("**/projects/?currency=EUR")
    expect(page.locator("#results-heading")).to_have_text("2 projects")
    page.get_by_label("Sort", exact=True).select_option("budget")
    page.get_by_role("button", name="Sort", exact=True).click()
    page.wait_for_url("**/projects/?currency=EUR&sort=budget")
    first = page.locator(".result-list > li h3").first
    expect(first).to_have_text(str(projects[1]))


def test_a_long_facets_find_box_narrows_its_options(page, live_server, seeded):
    page.goto("/meetings/")
    find = page.get_by_role("searchbox", name="Find a partner")

    find.fill("unhcr")  # an acronym finds the full name
    assert visible_partners(page) == [UNHCR]
    find.fill("migracion")
    assert visible_partners(page) == []
    assert page.get_by_text("No partner listed here matches.").is_visible()
    find.fill("MIGRATION SERVICE")
    assert visible_partners(page) == [
        "Federal Migration Service of the Russian Federation",
        "State Migration Service of the Republic of Azerbaijan",
    ]
    find.press("Enter")  # narrows only: the form is not sent
    assert page.url.endswith("/meetings/")

    # Ticking a found option applies it; the box keeps what was typed.
    page.get_by_role("group", name="Partner").get_by_label(
        "State Migration Service of the Republic of Azerbaijan"
    ).check()
    page.wait_for_url("**/meetings/?partner=sms")
    assert find.input_value() == "MIGRATION SERVICE"
    find.press("Escape")
    assert len(visible_partners(page)) > 2


def test_show_all_reaches_every_option_without_javascript(browser, live_server, seeded, monkeypatch, screenshots):
    monkeypatch.setattr(list_filters, "FACET_OPTIONS", 5)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/meetings/")
    assert UNHCR not in page.locator("#facet-partner").inner_text()
    page.locator("#filters").screenshot(path=str(screenshots / "list-filters-cut-facet-no-js.png"))
    assert not page.locator(".facet-find").is_visible()  # no find box without its script

    page.get_by_role("link", name="Show all 23 (Partner)").click()
    page.wait_for_url("**/meetings/?all=partner")
    page.get_by_role("group", name="Partner").get_by_label(UNHCR).check()
    page.get_by_role("group", name="Partner").get_by_label("International Organization for Migration").check()
    page.get_by_role("button", name="Apply filters").click()

    page.wait_for_url("**/meetings/?partner=iom&partner=unhcr&all=partner")
    assert page.get_by_role("group", name="Partner (any of the 2 ticked)").count() == 1
    assert "Partner: any of" in page.locator(".chips").inner_text()
    assert page.get_by_role("link", name=f"Partner: {UNHCR}").count() == 1
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_filter_form_has_no_axe_violations_and_fits_the_screen(page, live_server, seeded, screenshots, width):
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    pages = {
        "meetings-find": "/meetings/",
        "meetings-any-of": "/meetings/?partner=iom&partner=unhcr&kind=visit&all=partner",
        "projects-ticked": "/projects/?topic=asylum&status=completed",
        "projects-no-such-currency": "/projects/?currency=EUR&sort=budget",
        "offices": "/offices/?country=az&all=country",
    }
    for name, path in pages.items():
        page.goto(path)
        if name == "meetings-find":
            page.get_by_role("searchbox", name="Find a partner").fill("migration")
        page.screenshot(path=str(screenshots / f"list-filters-{name}-{width}.png"), full_page=True)
        problems += fit_and_axe_problems(page, path, width)
    assert problems == []


@pytest.mark.parametrize("width", [1280, 390])
def test_an_option_of_a_word_longer_than_its_row_stays_inside_the_filter_panel(page, live_server, seeded, width):
    """Its word broken where it must be; the others' words whole, the counts under them where they
    do not fit beside."""
    from tests.factories import OfficeFactory, PartnerFactory

    OfficeFactory(partner=PartnerFactory(name="Migrationsforschungsinstitutsgesellschaftsverwaltung"))
    page.set_viewport_size({"width": width, "height": 900})

    page.goto("/ru/offices/")

    assert page.get_by_role("group", name="Партнёр").get_by_text("Migrationsforschungs", exact=False).count() == 1
    assert fit_and_axe_problems(page, "/ru/offices/", width) == []
