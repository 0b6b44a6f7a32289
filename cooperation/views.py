from django.http import Http404
from django.views.generic import TemplateView

from cooperation import selectors
from cooperation.core.listing.views import FilteredListView
from cooperation.core.records import RecordDetailView
from cooperation.exports import AGREEMENTS, PROJECTS
from cooperation.filters import AGREEMENT_SORTS, PROJECT_SORTS, AgreementFilterSet, ProjectFilterSet
from cooperation.models import Agreement, Project


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **selectors.home_context()}


class AgreementListView(FilteredListView):
    model = Agreement
    filterset_class = AgreementFilterSet
    template_name = "cooperation/agreement_list.html"
    row_template = "cooperation/agreement_row.html"
    noun_plural = "agreements"
    description = (
        "Agreements, memoranda and declarations, with the date and place of each stage as the sources give them."
    )
    sort_options = AGREEMENT_SORTS
    export_spec = AGREEMENTS

    def get_base_queryset(self):
        return selectors.agreement_list()


class AgreementDetailView(RecordDetailView):
    template_name = "cooperation/agreement_detail.html"
    detail_queryset = staticmethod(selectors.agreement_detail_queryset)
    record_context = staticmethod(selectors.agreement_context)


class ProjectListView(FilteredListView):
    model = Project
    filterset_class = ProjectFilterSet
    template_name = "cooperation/project_list.html"
    row_template = "cooperation/project_row.html"
    noun_plural = "projects"
    description = "Projects and programmes by topic, partner, status and the years they ran."
    sort_options = PROJECT_SORTS
    export_spec = PROJECTS

    def get_base_queryset(self):
        return selectors.project_list()


class ProjectDetailView(RecordDetailView):
    template_name = "cooperation/project_detail.html"
    detail_queryset = staticmethod(selectors.project_detail_queryset)
    record_context = staticmethod(selectors.project_context)


class TopicDetailView(RecordDetailView):
    template_name = "cooperation/topic_detail.html"
    detail_queryset = staticmethod(selectors.topic_detail_queryset)
    record_context = staticmethod(selectors.topic_context)


class SourceDetailView(RecordDetailView):
    template_name = "cooperation/source_detail.html"
    detail_queryset = staticmethod(selectors.source_detail_queryset)
    record_context = staticmethod(selectors.source_context)


class YearIndexView(TemplateView):
    """``/years/``: every year with records, newest first, with counts per kind."""

    template_name = "years/year_index.html"

    def get_context_data(self, **kwargs):
        years = list(selectors.year_index().values())[::-1]
        return {**super().get_context_data(**kwargs), "years": years}


class YearDetailView(TemplateView):
    """``/years/<yyyy>/``: everything that happened in one year; a year without records is a 404."""

    template_name = "years/year_detail.html"

    def get_context_data(self, **kwargs):
        year = selectors.parse_year(self.kwargs["year"])
        page = selectors.year_page(year) if year is not None else None
        if page is None:
            raise Http404("The registry holds no records for this year.")
        return {**super().get_context_data(**kwargs), "page": page}
