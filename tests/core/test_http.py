"""Every public route reads only: GET and HEAD, OPTIONS naming them, and a 405 for any other
method; the admin keeps its forms. A HEAD gets the headers of the GET and no body, through Django's own WSGI
handler, which (unlike the test client) sends whatever body the response holds
(cooperation/core/http.py)."""

import json
from io import BytesIO

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import StaffUserFactory
from tests.helpers.drafts import drafts_world

pytestmark = pytest.mark.django_db

# One address for each public route (the URL patterns outside the admin), naming records of the
# drafts' registry (tests/helpers/drafts.py). A route added without an address here fails
# test_every_public_route_has_an_address_here.
SAMPLES = {
    "": "/",
    "agreements/": "/agreements/",
    "agreements/<slug:slug>/": "/agreements/public-agreement/",
    "projects/": "/projects/?format=csv",
    "projects/<slug:slug>/": "/projects/public-project/",
    "topics/": "/topics/?has=projects",
    "topics/<slug:slug>/": "/topics/asylum/",
    "sources/": "/sources/?format=csv",
    "sources/<slug:slug>/": "/sources/mfa/",
    "sources/<slug:slug>/file/": "/sources/mfa/file/",
    "sources/<slug:slug>/text/": "/sources/mfa/text/",
    "about/": "/about/",
    "search/": "/search/?q=asylum",
    "years/": "/years/",
    "^years/(?P<year>[0-9]{4})/$": "/years/2006/",
    "feeds/latest.atom": "/feeds/latest.atom",
    "sitemap.xml": "/sitemap.xml",
    "sitemap-<slug:section>.xml": "/sitemap-partners.xml",
    "robots.txt": "/robots.txt",
    "favicon.ico": "/favicon.ico",
    "preview/<slug:kind>/<slug:slug>/": "/preview/projects/quokka-project/",
    "partners/": "/partners/?format=json",
    "partners/<slug:slug>/": "/partners/iom/",
    "offices/": "/offices/",
    "offices/<slug:slug>/": "/offices/public-office/",
    "people/": "/people/?partner=iom",
    "people/<slug:slug>/": "/people/public-person/",
    "meetings/": "/meetings/",
    "meetings/calendar.ics": "/meetings/calendar.ics",
    "partners/<slug:slug>/calendar.ics": "/partners/iom/calendar.ics",
    "meetings/<slug:slug>/": "/meetings/public-meeting/",
    "api/": "/api/",
    "api/schema/": "/api/schema/",
    "api/docs/": "/api/docs/",
    "api/^partners/$": "/api/partners/",
    "api/^partners/(?P<slug>[-a-zA-Z0-9_]+)/$": "/api/partners/iom/",
    "api/^agreements/$": "/api/agreements/",
    "api/^agreements/(?P<slug>[-a-zA-Z0-9_]+)/$": "/api/agreements/public-agreement/",
    "api/^projects/$": "/api/projects/",
    "api/^projects/(?P<slug>[-a-zA-Z0-9_]+)/$": "/api/projects/public-project/",
    "api/^meetings/$": "/api/meetings/",
    "api/^meetings/(?P<slug>[-a-zA-Z0-9_]+)/$": "/api/meetings/public-meeting/",
    "api/^offices/$": "/api/offices/",
    "api/^offices/(?P<slug>[-a-zA-Z0-9_]+)/$": "/api/offices/public-office/",
    "api/^people/$": "/api/people/",
    "api/^people/(?P<slug>[-a-zA-Z0-9_]+)/$": "/api/people/public-person/",
    "api/^topics/$": "/api/topics/",
    "api/^topics/(?P<slug>[-a-zA-Z0-9_]+)/$": "/api/topics/asylum/",
    "api/^sources/$": "/api/sources/",
    "api/^sources/(?P<slug>[-a-zA-Z0-9_]+)/$": "/api/sources/mfa/",
    "healthz": "/healthz",
}
REFUSED = ["POST", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND", "CONNECT"]


def public_routes(patterns=None, prefix=""):
    """Every URL pattern of the site outside the admin, as its route text."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if getattr(pattern, "app_name", None) != "admin":
                yield from public_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def test_every_public_route_has_an_address_here():
    assert sorted(public_routes()) == sorted(SAMPLES)


@pytest.fixture
def world():
    drafts_world()


@pytest.mark.parametrize("url", SAMPLES.values())
def test_a_public_route_answers_get_and_head_and_refuses_every_other_method(client, world, url):
    answered = client.get(url)
    head = client.head(url)
    options = client.options(url)
    refused = {method: client.generic(method, url) for method in REFUSED}

    assert answered.status_code in (200, 302, 404)  # the preview of a draft is a 404 to the public
    assert head.status_code == answered.status_code
    assert (options.status_code, options["Allow"], options.content) == (200, "GET, HEAD, OPTIONS", b"")
    assert {method: response.status_code for method, response in refused.items()} == dict.fromkeys(REFUSED, 405)
    assert {response["Allow"] for response in refused.values()} == {"GET, HEAD, OPTIONS"}


def test_a_refused_method_under_the_api_is_told_in_json(client, world):
    response = client.put("/api/partners/iom/", data="{}", content_type="application/json")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"detail": 'Method "PUT" not allowed.'}


def test_a_post_to_a_feed_is_a_405_not_a_csrf_failure(world):
    response = Client(enforce_csrf_checks=True).post("/feeds/latest.atom")
    assert response.status_code == 405


def test_an_address_that_names_no_route_stays_a_404(client):
    assert client.generic("TRACE", "/no-such-page/").status_code == 404


def test_the_admin_keeps_its_forms(client):
    StaffUserFactory(username="alice", password="a long password 1")

    logged_in = client.post(
        "/admin/login/", {"username": "alice", "password": "a long password 1", "next": "/admin/cooperation/topic/"}
    )
    logout = client.post("/admin/logout/")

    assert (logged_in.status_code, logged_in["Location"]) == (302, "/admin/cooperation/topic/")
    assert logout.status_code == 200


# HEAD through Django's WSGI handler, as gunicorn calls it ----------------------------------


@pytest.fixture
def keep_connection():
    """The test's database connection stays open across requests, as the test client keeps it:
    a WSGI request closes old connections when it starts and ends, the test's transaction too."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def wsgi(method, url):
    """(status, headers, body) of ``url`` through ``WSGIHandler``: what a WSGI server would send."""
    path, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(),
        "wsgi.errors": BytesIO(),
    }
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    chunks = WSGIHandler()(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        chunks.close()
    return answer["status"], answer["headers"], body


@pytest.mark.parametrize(
    "url",
    [
        "/partners/iom/",  # a page
        "/feeds/latest.atom",
        "/api/partners/",
        "/healthz",
        "/projects/?format=csv",  # streamed
        "/projects/?format=json",  # streamed
        "/meetings/calendar.ics",
        "/no-such-page/",  # the 404 page
    ],
)
def test_a_head_gets_the_headers_of_the_get_and_no_body(world, keep_connection, url):
    get_status, get_headers, get_body = wsgi("GET", url)
    head_status, head_headers, head_body = wsgi("HEAD", url)

    assert get_body
    assert head_body == b""
    assert head_status == get_status
    assert head_headers.get("Content-Type") == get_headers.get("Content-Type")
    assert head_headers.get("Content-Length") == get_headers.get("Content-Length")
    if not url.endswith(("csv", "json")):  # a streamed export's length is not known beforehand
        assert head_headers["Content-Length"] == str(len(get_body))
