"""The admin's import in a real browser: upload → preview → confirm, with axe-core on the upload
page and on both kinds of preview, and no Content-Security-Policy violation on the way."""

import pytest

from partners.models import Partner
from tests.factories import PartnerFactory

pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")

pytestmark = pytest.mark.browser

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.effectiveDirective} refused ${event.blockedURI || "inline"}`);
});
"""

GOOD = (
    "slug,name,kind,scope,country_code,founded_iso\r\n"
    "new-state,New State,State,Bilateral,DE,1990-10-03\r\n"
    "iom,International Organization for Migration (IOM),International organisation,Multilateral,,\r\n"
)
BAD = "slug,name,kind,scope\r\nbad,Bad,Planet,Bilateral\r\nNot A Slug,X,State,Bilateral\r\n"


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{violation['id']}: {violation['help']}" for violation in results.response["violations"]]


def choose_file(page, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    page.set_input_files("#id_file", str(path))
    page.click("input[value='Preview the import']")


def test_import_upload_preview_confirm_is_accessible_and_keeps_to_the_policy(staff_page, tmp_path, screenshots):
    page = staff_page
    page.add_init_script(WATCH_VIOLATIONS)
    PartnerFactory(slug="iom", name="International Organization for Migration", acronym="IOM")

    page.goto("/admin/partners/partner/")
    page.click("text=Import partners")
    page.wait_for_url("**/admin/partners/partner/import/")
    assert axe_violations(page) == []

    choose_file(page, tmp_path, "bad.csv", BAD)
    page.locator(".import-error-summary").wait_for()
    page.screenshot(path=screenshots / "admin-import-errors.png", full_page=True)
    assert axe_violations(page) == []
    assert page.locator("#import-rows tbody tr").count() == 2

    choose_file(page, tmp_path, "partners.csv", GOOD)
    page.locator("input[value='Confirm the import']").wait_for()
    assert page.locator(".import-counts").inner_text().split() == [
        "1", "to", "create", "1", "to", "update", "0", "unchanged", "0", "with", "errors",
    ]  # fmt: skip
    page.screenshot(path=screenshots / "admin-import-preview.png", full_page=True)
    assert axe_violations(page) == []
    page.click("input[value='Confirm the import']")
    page.wait_for_url("**/admin/partners/partner/")
    assert (
        "Imported partners.csv: 1 partner created (as drafts), 1 updated." in page.locator(".messagelist").inner_text()
    )
    assert page.evaluate("window.__cspViolations") == []
    assert Partner.objects.get(slug="new-state").published is False
    assert Partner.objects.get(slug="iom").name == "International Organization for Migration (IOM)"
