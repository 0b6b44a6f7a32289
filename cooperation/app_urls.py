"""The addresses of the cooperation app's pages (agreements, projects, topics, sources), of the
search page, and of the pages about every kind at once (cooperation/pages/urls.py), all in the
``cooperation`` namespace. The root URLconf is cooperation/urls.py."""

from django.urls import include, path

from cooperation import views
from cooperation.search.views import SearchView

app_name = "cooperation"

urlpatterns = [
    path("agreements/", views.AgreementListView.as_view(), name="agreement-list"),
    path("agreements/<slug:slug>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("projects/<slug:slug>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("topics/", views.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
    path("sources/<slug:slug>/text/", views.SourceTextView.as_view(), name="source-text"),
    path("sources/<slug:slug>/file/", views.SourceFileView.as_view(), name="source-file"),
    path("search/", SearchView.as_view(), name="search"),
    path("", include("cooperation.pages.urls")),
]
