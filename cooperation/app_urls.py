from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path

from cooperation import preview, views
from cooperation.feeds import LatestRecordsFeed
from cooperation.search.views import SearchView
from cooperation.site_views import favicon, robots_txt
from cooperation.sitemaps import SITEMAPS

app_name = "cooperation"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement-list"),
    path("agreements/<slug:slug>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("projects/<slug:slug>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
    path("search/", SearchView.as_view(), name="search"),
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
    path("robots.txt", robots_txt, name="robots"),
    path("favicon.ico", favicon, name="favicon"),
    path("preview/<slug:kind>/<slug:slug>/", preview.preview, name="preview"),
]
