"""The charts in a real browser, on the seed dataset: no axe-core violations on a page with a
chart at desktop and phone widths in every language, no sideways scroll of the page (a chart
too wide for a phone scrolls in its own box), a year reached and opened from the keyboard, and
the charts drawn without JavaScript. Screenshots are saved under screenshots/."""

import pytest

from tests.helpers.browser import fit_and_axe_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHART_PAGES = {
    "years": "/years/",
    "projects": "/projects/?status=ongoing",
    "partners": "/partners/",
    "topic": "/topics/capacity-building/",
}


@pytest.mark.parametrize("width", [1280, 390])
def test_pages_with_a_chart_have_no_axe_violations_and_fit_the_screen(page, live_server, seeded, screenshots, width):
    problems = []
    for language in ("", "/az", "/ru"):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in CHART_PAGES.items():
            assert page.goto(language + path).status == 200
            chart = page.locator("figure.chart")
            assert chart.count() == 1, path
            chart.screenshot(path=screenshots / f"chart-{name}-{language.strip('/') or 'en'}-{width}.png")
            problems += fit_and_axe_problems(page, language + path, width)
    assert problems == []


def test_a_years_column_is_reached_from_the_keyboard_and_opens_its_year(page, live_server, seeded):
    page.goto("/years/")
    link = page.locator("figure.chart svg a").first
    name = link.get_attribute("aria-label")
    year = name.split(":")[0]
    assert page.get_by_role("link", name=name).count() == 1  # named for assistive technology
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/years/{year}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith(year)


def test_a_partners_bar_leads_to_its_projects(page, live_server, seeded):
    page.goto("/partners/")
    bar = page.locator("figure.chart svg a[href^='/projects/?partner=']").first
    href = bar.get_attribute("href")
    bar.click()
    page.wait_for_url(f"**{href}")
    assert page.locator(".result-list > li").count() >= 1


def test_charts_are_drawn_without_javascript(browser, live_server, seeded):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    for path in CHART_PAGES.values():
        tab.goto(path)
        box = tab.locator("figure.chart svg").bounding_box()
        assert box["width"] > 300 and box["height"] > 150
    tab.goto("/projects/")
    tab.locator("details.chart-table summary").click()
    assert tab.locator("details.chart-table table").is_visible()
    context.close()
