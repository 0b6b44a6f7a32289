"""What the registry answers when a request goes wrong (cooperation/pages/errors.py): with the database
unreachable, 503 with Retry-After and a page that needs no database (JSON under /api/); a view that
fails, the 500 page (JSON under /api/); and no HTML error anywhere under /api/."""

import socket

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client

from tests import factories as f
from tests.helpers.pages import Page

pytestmark = pytest.mark.django_db

OUTAGE_PAGES = ["/", "/partners/", "/partners/iom/", "/projects/?year=2006", "/search/?q=iom", "/years/2006/"]
OUTAGE_API = ["/api/partners/", "/api/partners/iom/", "/api/projects/?year=2006"]


@pytest.fixture
def anonymous():
    """A reader's client that gets the error responses, as a browser would, instead of the exception."""
    return Client(raise_request_exception=False)


def closed_port():
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_down():
    """The default database made unreachable for real: its connection is replaced by one to a
    PostgreSQL port nothing listens on, or an SQLite file in a folder that does not exist, so each
    query fails in the driver as in an outage (``OperationalError``)."""
    working = connections[DEFAULT_DB_ALIAS]
    unreachable = dict(working.settings_dict)
    if working.vendor == "sqlite":
        unreachable["NAME"] = "/nonexistent-folder-of-the-registry/db.sqlite3"
    else:
        unreachable.update(HOST="127.0.0.1", PORT=str(closed_port()), OPTIONS={"connect_timeout": 2})
    down = working.__class__(unreachable, alias=DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = down
    yield
    down.close()
    connections[DEFAULT_DB_ALIAS] = working


@pytest.fixture
def iom():
    return f.PartnerFactory(slug="iom", name="International Organization for Migration", acronym="IOM")


# The database is down ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", OUTAGE_PAGES)
def test_a_page_says_503_with_retry_after_when_the_database_is_unreachable(anonymous, iom, database_down, url):
    response = anonymous.get(url)
    page = Page(response)

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert page.h1 == "The registry is unavailable for a moment"
    assert "Its database is not answering" in page.text
    assert "Try this page again in 1 minute" in page.text
    assert page.title() == "Unavailable for a moment – Migration Cooperation Registry"
    assert {url, "/"} <= page.hrefs()
    assert '<link rel="stylesheet" href="/static/css/site.css">' in page.html


def test_each_request_of_an_outage_is_one_error_line_not_a_traceback(anonymous, database_down, log):
    assert anonymous.get("/partners/", REMOTE_ADDR="203.0.113.7").status_code == 503

    [line] = [line for line in log.getvalue().splitlines() if "django.request" in line]
    assert "[ERROR] django.request: Service Unavailable: /partners/: " in line
    assert line.endswith("[GET /partners/ from 203.0.113.7]")
    assert "Traceback" not in log.getvalue()


def test_retry_after_follows_the_setting(anonymous, settings, database_down):
    settings.OUTAGE_RETRY_AFTER = 300

    response = anonymous.get("/partners/")

    assert response["Retry-After"] == "300"
    assert "Try this page again in 5 minutes" in Page(response).text


@pytest.mark.parametrize("url", OUTAGE_API)
def test_the_api_says_503_in_json_when_the_database_is_unreachable(anonymous, iom, database_down, url):
    response = anonymous.get(url)

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The registry's database is not answering. Try again in a minute."}


def test_the_health_check_says_503_when_the_database_is_unreachable(anonymous, database_down):
    response = anonymous.get("/healthz")

    assert (response.status_code, response.content) == (503, b"database unavailable\n")


def test_static_files_are_served_while_the_database_is_unreachable(anonymous, database_down):
    response = anonymous.get("/static/css/site.css")

    assert response.status_code == 200
    assert b".site-header" in b"".join(response.streaming_content)


# A view fails -----------------------------------------------------------------------------------


def test_a_failing_page_gives_the_500_page(anonymous, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("cooperation.pages.home.home_context", fail)

    response = anonymous.get("/")
    page = Page(response)

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert page.h1 == "Something went wrong on our side"
    assert "The error has been recorded" in page.text
    assert "/" in page.hrefs()


def test_a_failing_api_endpoint_gives_json_500(anonymous, monkeypatch):
    from cooperation.api.views import PartnerViewSet

    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(PartnerViewSet, "list_selector", staticmethod(fail))

    response = anonymous.get("/api/partners/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "The registry met an error it did not expect; it has been logged. Try again later."
    }


# No HTML under /api/ ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/api/partners/not%20a%20slug/", "/api/partners/iom.json/extra/", "/api/nothing-here/"],
)
def test_an_address_no_api_endpoint_has_is_a_json_404(anonymous, url):
    response = anonymous.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "There is nothing at this address in the API; /api/ lists its endpoints."}


def test_a_bad_host_under_the_api_is_a_json_400(anonymous):
    response = anonymous.get("/api/partners/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response.json() == {"detail": "The request could not be understood."}


def test_a_method_the_api_does_not_take_is_a_json_405(anonymous):
    response = anonymous.post("/api/partners/")

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "POST" not allowed.'}


def test_pages_outside_the_api_keep_their_html_404(anonymous):
    response = anonymous.get("/partners/not-a-partner/")

    assert response.status_code == 404
    assert Page(response).h1 == "Page not found"
