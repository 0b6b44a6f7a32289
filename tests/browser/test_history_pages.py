"""History in a real browser, on the seed dataset: a staff member changes a record, reverts it
from its History, deletes a project and restores it from Deleted records. Every page keeps the
Content-Security-Policy and has no axe-core violations in its content."""

import pytest

from cooperation.models import Agreement, Project
from tests.helpers.browser import PolicyWatch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, watch, axe, label, problems, screenshots):
    problems += watch.problems(label)
    results = axe.run(page, context="#content-main")
    if results.violations_count:
        problems.append(f"{label}: {results.generate_report()}")
    page.screenshot(path=str(screenshots / f"admin-history-{label}.png"), full_page=True)


def test_change_revert_delete_and_restore(staff_page, live_server, seeded, screenshots):
    from axe_playwright_python.sync_playwright import Axe

    page, axe, problems = staff_page, Axe(), []
    watch = PolicyWatch(page)
    agreement = Agreement.objects.filter(published=True).order_by("pk").first()
    original = agreement.title

    # Change the title in the admin, then open the record's history.
    watch.visit(f"/admin/cooperation/agreement/{agreement.pk}/change/")
    page.fill("#id_title", "A wrong title")
    page.locator("input[name=_save]").first.click()
    page.wait_for_url("**/cooperation/agreement/")
    watch.visit(f"/admin/cooperation/agreement/{agreement.pk}/history/")
    newest = page.locator("#change-history tbody tr").first
    assert "Title:" in newest.inner_text() and "A wrong title" in newest.inner_text()
    check(page, watch, axe, "versions", problems, screenshots)

    # Revert: a confirmation page says what changes back, then the record is as it was.
    page.get_by_role("link", name="Revert to this version").first.click()
    page.wait_for_selector("text=What will change back")
    assert f"A wrong title → {original}" in page.locator("#content-main").inner_text()
    check(page, watch, axe, "revert", problems, screenshots)
    page.get_by_role("button", name="Yes, revert").click()
    page.wait_for_selector(".messagelist")
    agreement.refresh_from_db()
    assert agreement.title == original

    # Delete a project; it is in Deleted records; restore it.
    project = Project.objects.filter(published=True, project_partners__isnull=False).order_by("pk").first()
    watch.visit(f"/admin/cooperation/project/{project.pk}/delete/")
    page.locator("input[type=submit]").first.click()
    page.wait_for_url("**/cooperation/project/")
    assert not Project.objects.filter(pk=project.pk).exists()
    watch.visit("/admin/history/deleted/")
    assert project.title in page.locator("#deleted-records").inner_text()
    check(page, watch, axe, "deleted", problems, screenshots)
    page.locator("#deleted-records").get_by_role("link", name="Restore").first.click()
    page.wait_for_selector("text=What comes back")
    check(page, watch, axe, "restore", problems, screenshots)
    page.get_by_role("button", name="Yes, restore").click()
    page.wait_for_selector(".messagelist")
    assert Project.objects.get(pk=project.pk).project_partners.exists()

    # Recent changes shows all of it, newest first; its filters work without scripts.
    watch.visit("/admin/history/")
    first = page.locator("#recent-changes tbody tr").first.inner_text()
    assert project.title in first
    check(page, watch, axe, "recent", problems, screenshots)
    page.select_option("#h-model", "cooperation.agreement")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**model=cooperation.agreement**")
    assert agreement.title in page.locator("#recent-changes tbody tr").first.inner_text()

    assert problems == []
