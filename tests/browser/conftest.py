"""Browser tests: headless Debian Chromium, driven by Playwright, against pytest-django's ``live_server``.

``browser`` launches ``/usr/bin/chromium`` (or ``CHROMIUM_PATH``), never Playwright's own download,
and skips the test with the reason when Chromium or the ``playwright`` package is missing: a
browser test never pretends to pass. There is one browser per session, because Playwright's
sync API refuses to start a second instance in the same thread.

``page`` is a fresh tab whose relative URLs go to the live server (``page.goto("/partners/")``);
``staff_page`` is one logged in to the admin; ``screenshots`` is the folder to save PNGs in;
``seeded`` loads the seed dataset.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import StaffUserFactory
from tests.helpers.browser import STAFF_PASSWORD, STAFF_USERNAME

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def chromium_executable():
    candidate = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if Path(candidate).is_file() and os.access(candidate, os.X_OK):
        return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    executable = chromium_executable()
    if executable is None:
        pytest.skip("Chromium is not installed (/usr/bin/chromium or CHROMIUM_PATH; Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright Python package is not installed (pip install -r requirements-dev.txt)")

    # Playwright's sync API keeps an event loop in this thread, so Django would refuse the
    # tests' own ORM calls; those are synchronous code, not async, so allow them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab; relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


@pytest.fixture
def staff_page(page, transactional_db):
    """A tab logged in to the admin as a staff member (created in the test database)."""
    StaffUserFactory(username=STAFF_USERNAME, password=STAFF_PASSWORD)
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", STAFF_USERNAME)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


@pytest.fixture
def screenshots():
    """Where screenshots go (``/screenshots/`` is git-ignored); look at them after a run."""
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def seeded(transactional_db):
    call_command("load_seed_data", verbosity=0)
