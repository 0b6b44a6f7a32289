from django.urls import path, re_path

from cooperation import views
from cooperation.search.views import SearchView

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
]
