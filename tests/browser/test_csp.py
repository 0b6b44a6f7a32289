"""The Content-Security-Policy holds in a real browser: no page of ours breaks it.

Every page is opened in headless Chromium with the policy the server sends, and its
``securitypolicyviolation`` events and console errors are collected while a person's actions
run on it (opening an autocomplete, adding an inline row, expanding an API operation). A page
passes when there are none. The first test shows that the watch sees a violation when there is
one, so an empty list means something.
"""

import pytest

from cooperation.models import Agreement, Project
from tests.helpers.browser import STAFF_PASSWORD, STAFF_USERNAME, PolicyWatch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_watch_sees_a_violation_and_the_policy_blocks_inline_script(page, live_server, seeded):
    watch = PolicyWatch(page)
    watch.visit("/")

    ran = page.evaluate(
        """() => { const script = document.createElement("script");
                   script.textContent = "window.__inlineRan = true";
                   document.body.append(script);
                   return window.__inlineRan === true; }"""
    )
    page.wait_for_function("window.__cspViolations.length > 0")

    assert ran is False
    assert any(problem.startswith("/: script-src-elem refused inline") for problem in watch.problems("/"))


PUBLIC_PAGES = [
    "/",
    "/partners/iom/",
    "/projects/?topic=capacity-building&year=2014",
    "/meetings/?kind=governing-body-session",
    "/search/?q=iom",
    "/years/2006/",
    # Record pages carry schema.org JSON-LD in a <script type="application/ld+json">: data, never run.
    "/agreements/azerbaijan-iom-cooperation-agreement/",
    "/meetings/cluster-meeting-2001/",
    "/about/",
]


def test_public_pages_break_no_policy(page, live_server, seeded):
    watch = PolicyWatch(page)
    problems = []
    for path in PUBLIC_PAGES:
        watch.visit(path)
        problems += watch.problems(path)
    watch.visit("/partners/no-such-partner/", expected_status=404)
    problems += watch.problems("404")

    assert problems == []


def test_api_docs_render_swagger_ui_under_the_policy(page, live_server, seeded, screenshots):
    watch = PolicyWatch(page)
    watch.visit("/api/docs/")

    # Swagger UI built the page from the schema: operations listed, one opens with its parameters.
    operations = page.locator(".opblock-summary-path")
    operations.first.wait_for()
    assert operations.count() >= 16
    page.locator(".opblock-summary", has_text="/api/projects/").first.click()
    page.get_by_text("Try it out").first.wait_for()
    page.get_by_text("Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()
    page.locator(".responses-wrapper .live-responses-table").first.wait_for()
    page.screenshot(path=str(screenshots / "api-docs.png"))

    assert watch.problems("/api/docs/") == []


def test_admin_pages_break_no_policy(staff_page, live_server, seeded):
    page = staff_page
    watch = PolicyWatch(page)
    agreement = Agreement.objects.order_by("pk").first()
    project = Project.objects.filter(project_partners__isnull=False).order_by("pk").first()
    problems = []

    for path in [
        "/admin/",
        "/admin/cooperation/agreement/",
        "/admin/cooperation/agreement/?published__exact=1&q=iom",
        "/admin/partners/partner/?kind__exact=international-organisation",
        f"/admin/cooperation/agreement/{agreement.pk}/history/",
        f"/admin/cooperation/agreement/{agreement.pk}/delete/",
    ]:
        watch.visit(path)
        problems += watch.problems(path)

    # A change list: tick a row, pick an action (the action bar's script runs).
    watch.visit("/admin/cooperation/project/")
    page.locator("input.action-select").first.check()
    page.select_option("select[name=action]", index=1)
    problems += watch.problems("project change list, action picked")

    # A change form with inlines and autocompletes: open select2, search, add inline rows.
    path = f"/admin/cooperation/project/{project.pk}/change/"
    watch.visit(path)
    page.click("#id_topics + .select2 .select2-selection")
    page.locator(".select2-container--open .select2-search__field").press_sequentially("bor")
    page.locator(".select2-results__option--highlighted").wait_for()
    page.keyboard.press("Escape")
    for add_row in page.locator(".add-row a:visible").all():
        add_row.click()
    page.locator(".inline-related .inline-deletelink").first.wait_for()
    problems += watch.problems(path)

    # The add form, and a failed save that shows its errors.
    path = "/admin/cooperation/agreement/add/"
    watch.visit(path)
    page.click("#id_parties + .select2 .select2-selection")
    page.locator(".select2-container--open .select2-search__field").press_sequentially("iom")
    page.locator(".select2-results__option--highlighted").wait_for()
    page.keyboard.press("Enter")
    page.click("input[name=_save]")
    page.locator(".errornote").wait_for()
    problems += watch.problems(f"{path} (errors shown)")

    assert problems == []


def test_admin_login_and_lockout_pages_break_no_policy(page, live_server, seeded, settings, screenshots):
    from tests.factories import StaffUserFactory

    StaffUserFactory(username=STAFF_USERNAME, password=STAFF_PASSWORD)
    watch = PolicyWatch(page)
    watch.visit("/admin/login/")
    problems = watch.problems("login")

    # The lockout page is a 429, which the browser logs as a failed load of the page itself.
    watch.expected_failure = "/admin/login/"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.fill("#id_username", STAFF_USERNAME)
        page.fill("#id_password", "not the password")
        page.click("input[type=submit]")
        page.wait_for_load_state("networkidle")

    assert page.get_by_role("heading", name="Too many failed logins").is_visible()
    page.screenshot(path=str(screenshots / "admin-locked-out.png"), full_page=True)
    problems += watch.problems("lockout page")
    assert problems == []


def test_without_its_exception_the_admin_breaks_the_policy(staff_page, live_server, seeded, settings):
    """Why the admin's paths allow inline style attributes: without that, its own pages break it."""
    settings.CONTENT_SECURITY_POLICY_ADMIN_UPDATE = None
    page = staff_page
    watch = PolicyWatch(page)
    project = Project.objects.filter(project_partners__isnull=False).order_by("pk").first()

    watch.visit(f"/admin/cooperation/project/{project.pk}/change/")
    page.click("#id_topics + .select2 .select2-selection")
    page.locator(".select2-container--open .select2-search__field").press_sequentially("bor")
    page.locator(".select2-results__option--highlighted").wait_for()

    problems = watch.problems("change form")
    assert any("style-src-attr refused inline" in problem for problem in problems), problems
