"""The timelines drawn as SVG in a real browser, on the seed dataset: IOM's page and /years/ in
three languages, at 1280 and 390 px wide and printed. axe-core finds nothing wrong in them, the
Content-Security-Policy holds, the page itself never scrolls sideways (the picture scrolls inside
its box on a phone), the keyboard reaches every mark, and a mark leads to its record."""

import pytest

from tests.helpers.browser import PolicyWatch, fit_and_axe_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [f"{prefix}{path}" for prefix in ("", "/az", "/ru") for path in ("/partners/iom/", "/years/")]


def test_timelines_are_accessible_at_desktop_and_phone_widths_and_in_print(page, live_server, seeded, screenshots):
    from axe_playwright_python.sync_playwright import Axe

    watch, problems = PolicyWatch(page), []
    for path in PAGES:
        name = path.strip("/").replace("/", "-")
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            watch.visit(path)
            problems += watch.problems(path)
            problems += fit_and_axe_problems(page, f"{path} at {width}", width)
            results = Axe().run(page, context=".timeline-picture")
            if results.violations_count:
                problems.append(f"{path} picture: {results.generate_report()}")
            box = page.locator(".picture-scroll")
            assert box.count() == 1, path
            box.screenshot(path=str(screenshots / f"timeline-{name}-{width}.png"))
            scrolls = page.evaluate("(b => b.scrollWidth > b.clientWidth)(document.querySelector('.picture-scroll'))")
            assert scrolls == (width == 390), f"{path} at {width}: the picture scrolls inside its box only on a phone"
        page.emulate_media(media="print")
        page.pdf(path=str(screenshots / f"timeline-{name}.pdf"), format="A4")
        printed = page.evaluate("document.querySelector('.timeline-svg').getBoundingClientRect().width")
        assert printed > 300, "printed, the picture takes the page's width"
        page.emulate_media(media="screen")

    assert problems == []


def test_the_keyboard_reaches_every_mark_and_enter_opens_its_record(page, live_server, seeded):
    page.goto("/partners/iom/")
    marks = page.locator(".timeline-svg a")
    total = marks.count()
    assert total > 5
    names = [marks.nth(index).get_attribute("aria-label") for index in range(total)]
    assert all(names)

    reached = []
    for _ in range(400):
        page.keyboard.press("Tab")
        name = page.evaluate(
            "document.activeElement.closest('svg') ? document.activeElement.getAttribute('aria-label') : null"
        )
        if name is not None:
            reached.append(name)
        elif reached:
            break  # past the picture
    assert reached == names  # every mark, in the order drawn

    # Back to the first project's bar, and Enter opens the project.
    bar = page.locator(".timeline-svg a.tl-bar").first
    href = bar.get_attribute("href")
    bar.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")
    assert page.locator("h1").count() == 1


def test_clicking_a_partners_lane_on_the_years_picture_opens_that_partner(page, live_server, seeded):
    page.goto("/years/")
    lane = page.locator(".timeline-svg a.tl-relationship").first
    href = lane.get_attribute("href")
    assert href.startswith("/partners/")
    lane.click()
    page.wait_for_url(f"**{href}")
    assert page.locator("h1").count() == 1
