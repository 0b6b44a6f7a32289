from operator import attrgetter

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views import View

from cooperation import selectors, structured_data
from cooperation.core.detail import RecordDetailView
from cooperation.core.document_files import document_response
from cooperation.core.listing.views import FilteredListView, ListTexts, querystring
from cooperation.exports import AGREEMENTS, PROJECTS, SOURCES, TOPICS
from cooperation.filters import (
    AGREEMENT_SORTS,
    PROJECT_SORTS,
    SOURCE_SORTS,
    TOPIC_SORTS,
    AgreementFilterSet,
    ProjectFilterSet,
    SourceFilterSet,
    TopicFilterSet,
)
from cooperation.models import Agreement, Project, Source, Topic
from cooperation.pictures import figures
from cooperation.pictures.lists import ListMapMixin


class AgreementListView(ListMapMixin, FilteredListView):
    model = Agreement
    map_kind, map_date, map_record = "signing", "date", "agreement"
    map_heading = gettext_lazy("Where the agreements were signed")
    filterset_class = AgreementFilterSet
    template_name = "cooperation/agreement_list.html"
    row_template = "cooperation/agreement_row.html"
    texts = ListTexts(
        none=gettext_lazy("No agreements match these filters."),
        filter_form=gettext_lazy("Filter agreements"),
        fewer=ngettext_lazy(
            "And %(more)s more with fewer agreements.", "And %(more)s more with fewer agreements.", "more"
        ),
        most=gettext_lazy("Show only those with the most agreements"),
    )
    counted = ngettext_lazy("%(count)s agreement", "%(count)s agreements", "count")
    description = gettext_lazy(
        "Agreements, memoranda and declarations, with the date and place of each stage as the sources give them."
    )
    sort_options = AGREEMENT_SORTS
    export_spec = AGREEMENTS
    api_url_name = "api:agreement-list"

    def get_base_queryset(self):
        return selectors.agreement_list()

    def map_rows(self, queryset):
        return selectors.agreement_signatures(queryset)


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
    texts = ListTexts(
        none=gettext_lazy("No projects match these filters."),
        filter_form=gettext_lazy("Filter projects"),
        fewer=ngettext_lazy("And %(more)s more with fewer projects.", "And %(more)s more with fewer projects.", "more"),
        most=gettext_lazy("Show only those with the most projects"),
    )
    counted = ngettext_lazy("%(count)s project", "%(count)s projects", "count")
    description = gettext_lazy("Projects and programmes by topic, partner, status and the years they ran.")
    sort_options = PROJECT_SORTS
    export_spec = PROJECTS
    api_url_name = "api:project-list"

    def get_base_queryset(self):
        return selectors.project_list()

    def get_context_data(self, **kwargs):
        params, path = self.request.GET, self.request.path
        chart = figures.rendered(
            "topics",
            [*self.filterset.cache_parts(), path, querystring(params, page=None)],
            lambda: figures.topics_figure(selectors.projects_by_topic(self.filterset), params, path),
        )
        return {**super().get_context_data(**kwargs), "list_chart": chart}


class ProjectDetailView(RecordDetailView):
    model = Project
    template_name = "cooperation/project_detail.html"
    selector = staticmethod(selectors.project_get)
    record_context = staticmethod(selectors.project_context)
    structured_data = staticmethod(structured_data.project_structured_data)


class TopicListView(FilteredListView):
    model = Topic
    filterset_class = TopicFilterSet
    template_name = "cooperation/topic_list.html"
    row_template = "cooperation/topic_row.html"
    texts = ListTexts(
        none=gettext_lazy("No topics match these filters."),
        filter_form=gettext_lazy("Filter topics"),
        fewer=ngettext_lazy("And %(more)s more with fewer topics.", "And %(more)s more with fewer topics.", "more"),
        most=gettext_lazy("Show only those with the most topics"),
    )
    counted = ngettext_lazy("%(count)s topic", "%(count)s topics", "count")
    api_url_name = "api:topic-list"
    description = gettext_lazy("What the cooperation is about, with the agreements and projects on each topic.")
    sort_options = TOPIC_SORTS
    export_spec = TOPICS

    def get_base_queryset(self):
        return selectors.topic_list()


class TopicDetailView(RecordDetailView):
    model = Topic
    template_name = "cooperation/topic_detail.html"
    selector = staticmethod(selectors.topic_get)
    record_context = staticmethod(selectors.topic_context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        topic = context["topic"]
        chart = figures.rendered(
            "topic", [topic.pk], lambda: figures.topic_figure(topic.slug, selectors.topic_status_years(topic))
        )
        return {**context, "topic_chart": chart}


class SourceListView(FilteredListView):
    model = Source
    filterset_class = SourceFilterSet
    template_name = "cooperation/source_list.html"
    row_template = "cooperation/source_row.html"
    texts = ListTexts(
        none=gettext_lazy("No sources match these filters."),
        filter_form=gettext_lazy("Filter sources"),
        fewer=ngettext_lazy("And %(more)s more with fewer sources.", "And %(more)s more with fewer sources.", "more"),
        most=gettext_lazy("Show only those with the most sources"),
    )
    counted = ngettext_lazy("%(count)s source", "%(count)s sources", "count")
    api_url_name = "api:source-list"
    description = gettext_lazy(
        "The documents the registry's facts come from, each with what it is and where to read it."
    )
    sort_options = SOURCE_SORTS
    export_spec = SOURCES

    def get_base_queryset(self):
        return selectors.source_list()


class SourceDetailView(RecordDetailView):
    model = Source
    template_name = "cooperation/source_detail.html"
    selector = staticmethod(selectors.source_get)
    record_context = staticmethod(selectors.source_context)


class SourceTextView(SourceDetailView):
    """The reading view of a published source's plain-text copy: every paragraph numbered and
    anchored (``#paragraph-3``, ``#paragraph-3-item-4``), as citations count them. A 404 for a
    source without a text copy."""

    template_name = "cooperation/source_text.html"
    record_context = staticmethod(lambda source: {})

    def get_context_data(self, **kwargs):
        try:
            blocks = selectors.source_text(self.object)
        except (FileNotFoundError, OSError):
            raise Http404("This source has no text copy to read.") from None
        return {**super().get_context_data(**kwargs), "blocks": blocks}


class SourceFileView(View):
    """A published source's file, as a download with headers that keep it from running
    anything on the site (cooperation/core/document_files.py). A 404 for a draft, or a source
    without a file: a draft's file never reaches the public, by this address or any other."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        try:
            source = selectors.source_get(slug=slug)
        except Source.DoesNotExist:
            raise Http404("No source found matching the query") from None
        if not source.file:
            raise Http404("This source has no file.")
        return document_response(source.file, filename=source.slug)
