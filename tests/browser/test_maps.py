"""Maps in a real browser: axe-core finds nothing on a page with a map, at desktop and phone
widths, and a marker is a link a click (or the keyboard) follows to its record."""

import pytest

from tests import factories as f
from tests.helpers.browser import fit_and_axe_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def places():
    baku = f.PlaceFactory(slug="baku", name="Baku", name_az="Bakı", name_ru="Баку")
    geneva = f.PlaceFactory(
        slug="geneva", name="Geneva", name_ru="Женева", country="CH", latitude="46.2044", longitude="6.1432"
    )
    iom = f.PartnerFactory(slug="iom", name="International Organization for Migration", acronym="IOM")
    f.OfficeFactory(slug="iom-baku", partner=iom, location=baku)
    f.MeetingFactory(slug="geneva-talks", title="Talks in Geneva", location=geneva, partners=[iom])
    f.MeetingFactory(slug="baku-visit", title="Visit to Baku", location=baku, partners=[iom])
    f.MeetingFactory(slug="baku-summit", title="Summit in Baku", location=baku, partners=[iom])
    for slug in ("coop", "centre"):
        agreement = f.AgreementFactory(slug=slug, parties=[iom], signed=None, actions=False)
        f.AgreementActionFactory(agreement=agreement, location=baku)


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("language", ["en", "az", "ru"])
def test_pages_with_a_map_have_no_axe_violations_and_fit_the_screen(page, places, width, language):
    page.set_viewport_size({"width": width, "height": 900})
    prefix = "" if language == "en" else f"/{language}"
    problems = []
    for path in ["/", "/meetings/", "/offices/", "/partners/iom/", "/agreements/", "/agreements/?place=baku"]:
        page.goto(prefix + path)
        assert page.locator("figure.map svg a").count() >= 1, path
        problems += fit_and_axe_problems(page, prefix + path, width)
    assert problems == []


def test_a_click_on_a_marker_leads_to_its_record(page, places):
    page.goto("/meetings/")
    page.locator("figure.map svg a", has=page.locator("title", has_text="Geneva")).click()
    page.wait_for_url("**/meetings/geneva-talks/")
    assert page.locator("h1").inner_text() == "Talks in Geneva"


def test_a_marker_of_many_records_leads_to_the_list_at_its_place_by_keyboard(page, places):
    page.goto("/meetings/")
    marker = page.locator("figure.map svg a", has=page.locator("title", has_text="Baku"))
    marker.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/meetings/?place=baku")
    rows = page.locator("ol.result-list > li").all_inner_texts()
    assert len(rows) == 2 and all("Baku" in row for row in rows)


def test_the_home_maps_signatures_at_a_place_lead_to_the_agreements_signed_there(page, places):
    page.goto("/")
    page.locator("#map-baku a", has_text="2 agreements signed").click()
    page.wait_for_url("**/agreements/?place=baku")
    assert page.locator("ol.result-list > li").count() == 2
    assert page.locator("figure.map svg a").count() == 1  # the list's own map, Baku marked
