from django.views.generic import DetailView, ListView, TemplateView
from django.db.models import F

from cooperation.core.listing import FilteredListView
from cooperation.filters import AgreementFilterSet, ProjectFilterSet

from cooperation.models import Agreement, Project, Source, Topic


class HomeView(TemplateView):
    template_name = "home.html"


class AgreementListView(FilteredListView):
    model = Agreement
    filterset_class = AgreementFilterSet
    template_name = "lists/agreement_list.html"
    noun_plural = "agreements"
    sort_options = {
        "newest": ("Newest first", [F("signed").desc(nulls_last=True), "title"]),
        "oldest": ("Oldest first", [F("signed").asc(nulls_last=True), "title"]),
        "title": ("By title", ["title"]),
    }

    def get_base_queryset(self):
        return Agreement.objects.published().for_list()


class AgreementDetailView(DetailView):
    queryset = Agreement.objects.published()
    template_name = "records/detail.html"


class ProjectListView(FilteredListView):
    model = Project
    filterset_class = ProjectFilterSet
    template_name = "lists/project_list.html"
    noun_plural = "projects"
    sort_options = {
        "newest": ("Newest first", [F("start").desc(nulls_last=True), "title"]),
        "oldest": ("Oldest first", [F("start").asc(nulls_last=True), "title"]),
        "title": ("By title", ["title"]),
    }

    def get_base_queryset(self):
        return Project.objects.published().for_list()


class ProjectDetailView(DetailView):
    queryset = Project.objects.published()
    template_name = "records/detail.html"


class TopicDetailView(DetailView):
    queryset = Topic.objects.published()
    template_name = "records/detail.html"


class SourceDetailView(DetailView):
    queryset = Source.objects.published()
    template_name = "records/detail.html"
