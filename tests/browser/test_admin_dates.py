"""Dates in the admin, in a real browser: a saved date comes back in the site's words with
“Understood as …” under it, and an import whose written date cell was edited previews as an
update that names the column it read (screenshots at 1280 and 390 px)."""

import pytest

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.models import Project
from tests.factories import ProjectFactory

pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)


def test_a_saved_date_is_shown_as_it_was_typed(staff_page, screenshots):
    page = staff_page
    project = ProjectFactory(slug="dated", title="Dated", start=PD(2007), end=None)

    page.goto(f"/admin/cooperation/project/{project.pk}/change/")
    page.fill("#id_start", "8.12.1999")
    page.fill("#id_end", "second half of 2007")
    page.click("input[name=_continue]")
    page.locator(".messagelist").wait_for()

    assert page.input_value("#id_start") == "8 December 1999"
    assert page.input_value("#id_end") == "second half of 2007"
    understood = page.locator(".understood-as").all_inner_texts()
    assert "Understood as 8 December 1999 (EDTF 1999-12-08)." in understood
    project.refresh_from_db()
    assert (project.start, project.end) == (PD(1999, 12, 8), PD(2007, group=41))
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.locator("#id_start").scroll_into_view_if_needed()
        page.screenshot(path=screenshots / f"admin-date-as-typed-{width}.png")


def test_an_edited_written_date_previews_as_an_update(staff_page, tmp_path, screenshots):
    page = staff_page
    ProjectFactory(slug="about", title="About", start=PD(2005, qualifier="~"), end=None, published=True)
    path = tmp_path / "projects.csv"
    path.write_text(
        "slug,title,start,start_iso,start_edtf\r\nabout,About,second half of 2007,2005,2005~\r\n", encoding="utf-8"
    )

    page.goto("/admin/cooperation/project/import/")
    page.set_input_files("#id_file", str(path))
    page.click("input[value='Preview the import']")
    page.locator("input[value='Confirm the import']").wait_for()

    assert "1 to update" in page.locator(".import-counts").inner_text()
    assert (
        "about 2005 → second half of 2007 (from start; the unchanged start_iso “2005” and start_edtf “2005~” "
        "are overruled)" in page.locator("#import-rows").inner_text()
    )
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=screenshots / f"admin-import-written-date-{width}.png", full_page=True)
    page.click("input[value='Confirm the import']")
    page.wait_for_url("**/admin/cooperation/project/")
    assert Project.objects.get(slug="about").start == PD(2007, group=41)
