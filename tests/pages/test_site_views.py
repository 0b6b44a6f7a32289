"""The site's files for machines (cooperation/pages/views.py): ``/robots.txt``, read back with
``urllib.robotparser``; ``/healthz`` for load balancers; ``/favicon.ico`` and the site's icon."""

import logging
import urllib.robotparser

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.templatetags.static import static
from django.urls import reverse

pytestmark = pytest.mark.django_db


# robots.txt -----------------------------------------------------------------------------------


def test_robots_txt_allows_the_public_site_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "User-agent: *\nDisallow: /search/\nDisallow: /healthz\nAllow: /\n\nSitemap: http://testserver/sitemap.xml\n"
    )
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(response.content.decode().splitlines())
    assert robots.can_fetch("*", "/partners/iom/")
    assert not robots.can_fetch("*", "/search/?q=iom")
    assert robots.site_maps() == ["http://testserver/sitemap.xml"]


def test_robots_txt_does_not_reveal_the_admin_path(client):
    assert reverse("admin:index") not in client.get("/robots.txt").content.decode()


# The health check -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_check_answers_ok_after_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_check_answers_head_and_refuses_post(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_health_check_says_503_when_the_database_does_not_answer(client, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    monkeypatch.setattr(connections[DEFAULT_DB_ALIAS], "cursor", refuse)
    with caplog.at_level(logging.ERROR, logger="cooperation.pages.views"):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.content == b"database unavailable\n"
    assert "Health check: the database did not answer SELECT 1." in caplog.text


@pytest.mark.django_db
def test_health_check_answers_plain_http_where_everything_else_is_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/partners/").status_code == 301


@pytest.mark.django_db
def test_health_check_is_kept_from_crawlers(client):
    robots = client.get("/robots.txt").content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()

    assert "Disallow: /healthz\n" in robots
    assert "healthz" not in sitemap


# The icon -------------------------------------------------------------------------------------


def test_favicon_ico_sends_browsers_to_the_sites_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == static("favicon.svg")
    assert "max-age=86400" in response["Cache-Control"]


@pytest.mark.django_db
def test_admin_pages_name_the_sites_icon(client, admin_client):
    icon = f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">'
    pages = [
        client.get(reverse("admin:login")),
        admin_client.get(reverse("admin:index")),
        admin_client.get(reverse("admin:cooperation_project_add")),
    ]
    for page in pages:
        assert page.status_code == 200
        assert icon in page.content.decode()
