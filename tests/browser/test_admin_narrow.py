"""The staff admin on a phone (390px wide) and the slug a new record's name suggests, in headless
Chromium: no admin page is wider than the screen, no autocomplete runs past its column, the
index's "Discrepancies" stays one word (static/css/admin*.css, templates/admin/), and the
automatic slug is at most 60 characters, cut at a word (static/js/admin-slug.js)."""

import pytest

from tests.factories import AgreementFactory, ClaimFactory, PartnerFactory, ProjectFactory, ProjectPartnerFactory

pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LONG_NAME = "State Migration Service of the Republic of Azerbaijan under the Cabinet of Ministers"

# What sticks out past the right edge of the page, or past the column an autocomplete sits in.
OVERFLOW = """() => {
  const page = document.documentElement;
  const right = (element) => element.getBoundingClientRect().right;
  const width = (element) => Math.round(element.getBoundingClientRect().width);
  const autocompletes = [...document.querySelectorAll('.select2-container--admin-autocomplete')]
    .filter((box) => box.offsetParent && right(box) > right(box.parentElement) + 1)
    .map((box) => `autocomplete ${width(box)}px wide in a column of ${width(box.parentElement)}px`);
  return {page: page.scrollWidth - page.clientWidth, autocompletes};
}"""


@pytest.fixture
def records(transactional_db):
    iom = PartnerFactory(slug="iom", name="International Organization for Migration", acronym="IOM")
    host = PartnerFactory(slug="sms", name=LONG_NAME, acronym="SMS")
    agreement = AgreementFactory(title=f"Cooperation Agreement between {LONG_NAME} and IOM", parties=[iom, host])
    ClaimFactory(content_object=agreement, value="8 December 1999")
    ClaimFactory(content_object=agreement, value="9 December 1999")
    project = ProjectFactory(title="Strengthening the capacity of the migration service to manage migration flows")
    ProjectPartnerFactory(project=project, partner=host)
    return {"agreement": agreement, "project": project}


def narrow_pages(records):
    agreement, project = records["agreement"], records["project"]
    return {
        "index": "/admin/",
        "changelist": "/admin/cooperation/project/",
        "change-form": f"/admin/cooperation/agreement/{agreement.pk}/change/",
        "project-form": f"/admin/cooperation/project/{project.pk}/change/",
        "add-form": "/admin/events/meeting/add/",
        "discrepancies": "/admin/discrepancies/",
        "import": "/admin/cooperation/project/import/",
        "recent-changes": "/admin/history/",
        "record-history": f"/admin/cooperation/agreement/{agreement.pk}/history/",
    }


def test_every_admin_page_fits_a_phone(staff_page, records, screenshots):
    page = staff_page
    page.set_viewport_size(PHONE)
    problems = {}
    for name, path in narrow_pages(records).items():
        response = page.goto(path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        page.screenshot(path=screenshots / f"admin-390-{name}.png", full_page=True)
        found = page.evaluate(OVERFLOW)
        if found["page"] > 0 or found["autocompletes"]:
            problems[path] = found
    assert problems == {}


@pytest.mark.parametrize("width", [390, 1280])
def test_discrepancies_on_the_admin_index_is_one_word_on_one_line(staff_page, records, width):
    page = staff_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/admin/")
    link = page.get_by_role("link", name="Discrepancies", exact=True)
    lines = link.evaluate("(element) => element.getClientRects().length")
    height = link.evaluate("(element) => element.getBoundingClientRect().height")
    line_height = link.evaluate("(element) => parseFloat(getComputedStyle(element).fontSize) * 1.6")
    assert lines == 1 and height < line_height
    # The description beside it wraps instead of widening the page.
    assert page.evaluate("document.documentElement.scrollWidth") == width


SLUGS = [
    # (the title typed, the slug it suggests)
    ("Readmission", "readmission"),
    (
        "Agreement between the European Union and the Republic of Azerbaijan on the readmission of persons "
        "residing without authorisation",
        "agreement-between-the-european-union-and-the-republic-of",
    ),
    ("Memorandum " + "x" * 80, "memorandum"),
    ("Y" * 80, "y" * 60),
]


@pytest.mark.parametrize(("title", "slug"), SLUGS)
def test_the_automatic_slug_is_at_most_60_characters_cut_at_a_word(staff_page, title, slug):
    page = staff_page
    page.goto("/admin/cooperation/agreement/add/")
    page.fill("#id_title", title)
    page.locator("#id_title").dispatch_event("keyup")
    assert page.input_value("#id_slug") == slug
    assert len(slug) <= 60


def test_an_existing_slug_is_not_changed(staff_page, transactional_db):
    long_slug = "agreement-between-the-european-union-and-the-republic-of-azerbaijan-on-readmission"
    agreement = AgreementFactory(slug=long_slug, title="Readmission agreement")
    page = staff_page
    page.goto(f"/admin/cooperation/agreement/{agreement.pk}/change/")
    page.fill("#id_title", "Readmission agreement, as amended")
    page.locator("#id_title").dispatch_event("keyup")
    assert page.input_value("#id_slug") == long_slug
