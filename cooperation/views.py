from operator import attrgetter

from cooperation import selectors, structured_data
from cooperation.core.detail import RecordDetailView
from cooperation.core.listing.views import FilteredListView
from cooperation.exports import AGREEMENTS, PROJECTS
from cooperation.filters import AGREEMENT_SORTS, PROJECT_SORTS, AgreementFilterSet, ProjectFilterSet
from cooperation.models import Agreement, Project, Source, Topic


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
    model = Agreement
    template_name = "cooperation/agreement_detail.html"
    selector = staticmethod(selectors.agreement_get)
    record_context = staticmethod(selectors.agreement_context)
    structured_data = staticmethod(structured_data.agreement_structured_data)
    citation_title = staticmethod(attrgetter("title"))


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
    model = Project
    template_name = "cooperation/project_detail.html"
    selector = staticmethod(selectors.project_get)
    record_context = staticmethod(selectors.project_context)
    structured_data = staticmethod(structured_data.project_structured_data)


class TopicDetailView(RecordDetailView):
    model = Topic
    template_name = "cooperation/topic_detail.html"
    selector = staticmethod(selectors.topic_get)
    record_context = staticmethod(selectors.topic_context)


class SourceDetailView(RecordDetailView):
    model = Source
    template_name = "cooperation/source_detail.html"
    selector = staticmethod(selectors.source_get)
    record_context = staticmethod(selectors.source_context)
