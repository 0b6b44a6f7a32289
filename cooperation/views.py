from django.views.generic import DetailView, ListView, TemplateView

from cooperation.models import Agreement, Project, Source, Topic


class HomeView(TemplateView):
    template_name = "home.html"


class AgreementListView(ListView):
    queryset = Agreement.objects.published()
    template_name = "records/list.html"


class AgreementDetailView(DetailView):
    queryset = Agreement.objects.published()
    template_name = "records/detail.html"


class ProjectListView(ListView):
    queryset = Project.objects.published()
    template_name = "records/list.html"


class ProjectDetailView(DetailView):
    queryset = Project.objects.published()
    template_name = "records/detail.html"


class TopicDetailView(DetailView):
    queryset = Topic.objects.published()
    template_name = "records/detail.html"


class SourceDetailView(DetailView):
    queryset = Source.objects.published()
    template_name = "records/detail.html"
