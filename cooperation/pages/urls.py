"""The addresses of the pages about every kind of record and of the site's files for machines.

No namespace of their own: cooperation/app_urls.py includes them, so their names stay in the
``cooperation`` namespace (``cooperation:home``, ``cooperation:sitemap``,
``cooperation:preview`` …). ``/healthz`` is in the root URLconf (cooperation/urls.py), outside
any namespace.
"""

from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path

from cooperation.pages import preview, views
from cooperation.pages.feeds import LatestRecordsFeed
from cooperation.pages.sitemaps import SITEMAPS

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("years/", views.YearIndexView.as_view(), name="year-list"),
    re_path(r"^years/(?P<year>[0-9]{4})/$", views.YearDetailView.as_view(), name="year-detail"),
    path("feeds/latest.atom", LatestRecordsFeed(), name="feed-latest"),
    # An index of one sitemap a kind, each paged (?p=2 …) as the sitemaps protocol allows.
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "cooperation:sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<slug:section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("preview/<slug:kind>/<slug:slug>/", preview.preview, name="preview"),
]
