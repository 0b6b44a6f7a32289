"""The API's endpoints: a list and a record for each kind of record, read-only.

A list with a page on the public site is that page as JSON: the same selector (its rows), the
same FilterSet and sorts (from the app's filters module) and the same page size
(``cooperation.core.listing.pagination.PAGE_SIZE``). A record is read through the same selector
as its page (published related records only).
"""

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from drf_spectacular.extensions import OpenApiFilterExtension
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import serializers as drf_serializers
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from cooperation import selectors as cooperation_selectors
from cooperation.api import serializers
from cooperation.api.query import (
    InvalidQuery,
    QueryErrors,
    SortBackend,
    StrictFilterBackend,
    StrictPagination,
)
from cooperation.core.listing.pagination import PAGE_SIZE
from cooperation.core.text import shorten
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
from cooperation.models import Topic
from events import selectors as event_selectors
from events.filters import MEETING_SORTS, MeetingFilterSet
from partners import selectors as partner_selectors
from partners.filters import (
    OFFICE_SORTS,
    PARTNER_SORTS,
    PERSON_SORTS,
    OfficeFilterSet,
    PartnerFilterSet,
    PersonFilterSet,
)


class StrictFilterBackendExtension(OpenApiFilterExtension):
    """Describe the filters from the FilterSet itself (django-filter's generic extension cannot
    know what a slug filter or a partial-date year filter accepts)."""

    target_class = StrictFilterBackend
    match_subclasses = True
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        return self.target.get_schema_operation_parameters(auto_schema.view)


ERRORS = OpenApiResponse(
    response=inline_serializer(
        "QueryErrors",
        {
            "errors": drf_serializers.DictField(
                child=drf_serializers.ListField(child=drf_serializers.CharField()),
                help_text="Each parameter that could not be used, with what was wrong with it.",
            )
        },
    ),
    description="A parameter is unknown, or a value means nothing (an unknown slug, a year that is not one, "
    "a sort this list does not have, a page past the last).",
)
RECORD_ERRORS = OpenApiResponse(
    response=ERRORS.response,
    description="A record takes no query parameters (but `format=json`).",
)
SLUG = OpenApiParameter(
    "slug",
    str,
    OpenApiParameter.PATH,
    description="The record's slug: the last part of its page's address, e.g. `iom` for /partners/iom/.",
)
DETAIL = inline_serializer("ErrorDetail", {"detail": drf_serializers.CharField(help_text="What went wrong.")})
NOT_FOUND = OpenApiResponse(response=DETAIL, description="No published record has this slug.")
# Every operation: the database is not answering (cooperation/pages/errors.py).
UNAVAILABLE = OpenApiResponse(
    response=DETAIL,
    description="The registry's database is not answering for a while: ask again after the `Retry-After` seconds.",
)
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    int,
    OpenApiParameter.HEADER,
    response=[503],
    description="Seconds to wait before asking again.",
)


class JSONOnlyMixin:
    """``?format=`` other than ``json`` is a 400 naming the parameter, on every endpoint (DRF's own
    answer is a 404, as if the address were wrong)."""

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            value = shorten(request.query_params.get("format", ""))
            raise InvalidQuery({"format": [f"“{value}” is not a format of this API; it answers in JSON."]}) from None


class RecordViewSet(JSONOnlyMixin, viewsets.ReadOnlyModelViewSet):
    """One kind of record: ``list`` (filtered, sorted, paginated, with facets) and ``retrieve`` by slug."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filter_backends = [StrictFilterBackend, SortBackend]
    pagination_class = StrictPagination

    # The list: its rows before the filters (the selector its page uses too, if it has one),
    # its FilterSet and its sorts (the first the default; both from the filters module).
    list_selector = None
    filterset_class = None
    sort_options = None
    page_size = PAGE_SIZE
    detail_serializer_class = None
    list_parameters = {"page", "sort", "format"}
    detail_parameters = {"format"}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        meta = cls.serializer_class.Meta.model._meta
        extend_schema_view(
            list=extend_schema(
                summary=f"List {meta.verbose_name_plural}",
                parameters=[RETRY_AFTER],
                responses={200: cls.serializer_class, 400: ERRORS, 503: UNAVAILABLE},
            ),
            retrieve=extend_schema(
                summary=f"One {meta.verbose_name}, by slug",
                parameters=[SLUG, RETRY_AFTER],
                responses={200: cls.detail_serializer_class, 400: RECORD_ERRORS, 404: NOT_FOUND, 503: UNAVAILABLE},
            ),
        )(cls)

    def get_list_queryset(self):
        return self.list_selector()

    def get_record(self, slug):
        """The record of ``slug``, read by its page's selector; the model's DoesNotExist if none."""
        raise NotImplementedError

    def get_queryset(self):
        if self.action == "list":
            return self.get_list_queryset()
        return self.detail_serializer_class.Meta.model.objects.none()  # a record is read by get_record()

    def get_serializer_class(self):
        return self.serializer_class if self.action == "list" else self.detail_serializer_class

    def filter_queryset(self, queryset):
        """On a list, the filters and the sort; every bad parameter is a 400, all named at once.
        A record takes no parameters, so any is a 400 too."""
        self.query_errors = QueryErrors()
        if self.action == "list":
            queryset = super().filter_queryset(queryset)
            self.paginator.check_page_number(self.request, self.query_errors)
            known = set(self.filterset.filters) | self.list_parameters
        else:
            known = self.detail_parameters
        for name in self.request.query_params:
            if name not in known and name not in self.query_errors:
                expected = ", ".join(sorted(known - {"format"}))
                self.query_errors[name].append(
                    f"“{shorten(name)}” is not a parameter of this "
                    + (f"list (use: {expected})." if self.action == "list" else "record; it takes none.")
                )
        self.query_errors.raise_if_any()
        return queryset

    def get_object(self):
        self.filter_queryset(self.get_queryset())  # a record takes no parameters: a 400 names any
        model = self.detail_serializer_class.Meta.model
        try:
            record = self.get_record(self.kwargs[self.lookup_field])
        except model.DoesNotExist:
            slug = shorten(self.kwargs[self.lookup_field])
            raise NotFound(f"There is no published {model._meta.verbose_name} “{slug}”.") from None
        self.check_object_permissions(self.request, record)
        return record

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        response.data["facets"] = serializers.FacetSerializer(self.filterset.facets(), many=True).data
        return response


class PartnerViewSet(RecordViewSet):
    """International organisations, states, their agencies and dialogue processes; a record is
    the whole relationship: agreements, projects (with the partner's roles), offices, meetings,
    officials and sources."""

    list_selector = staticmethod(partner_selectors.partner_list)
    filterset_class = PartnerFilterSet
    sort_options = PARTNER_SORTS
    serializer_class = serializers.PartnerSerializer
    detail_serializer_class = serializers.PartnerDetailSerializer

    def get_record(self, slug):
        return partner_selectors.partner_get(slug=slug, pictures=False)  # the API has no timeline picture


class AgreementViewSet(RecordViewSet):
    """Agreements, memoranda and declarations, with the date and place of each stage as the
    sources give them."""

    list_selector = staticmethod(cooperation_selectors.agreement_list)
    filterset_class = AgreementFilterSet
    sort_options = AGREEMENT_SORTS
    serializer_class = serializers.AgreementSerializer
    detail_serializer_class = serializers.AgreementDetailSerializer

    def get_record(self, slug):
        agreement = cooperation_selectors.agreement_get(slug=slug)
        prefetch_related_objects(
            [agreement], Prefetch("topics", queryset=Topic.objects.published(), to_attr="public_topics")
        )
        return agreement


class ProjectViewSet(RecordViewSet):
    """Projects and programmes, with their partners and roles, topics, status and dates."""

    list_selector = staticmethod(cooperation_selectors.project_list)
    filterset_class = ProjectFilterSet
    sort_options = PROJECT_SORTS
    serializer_class = serializers.ProjectSerializer
    detail_serializer_class = serializers.ProjectDetailSerializer

    def get_record(self, slug):
        return cooperation_selectors.project_get(slug=slug)


class MeetingViewSet(RecordViewSet):
    """Visits, bilateral meetings, governing-body sessions, summits, conferences, trainings and
    working groups."""

    list_selector = staticmethod(event_selectors.meeting_list)
    filterset_class = MeetingFilterSet
    sort_options = MEETING_SORTS
    serializer_class = serializers.MeetingSerializer
    detail_serializer_class = serializers.MeetingDetailSerializer

    def get_list_queryset(self):
        return super().get_list_queryset().select_related("location")

    def get_record(self, slug):
        return event_selectors.meeting_get(slug=slug)


class OfficeViewSet(RecordViewSet):
    """Where partners keep offices, with the dates they opened and closed."""

    list_selector = staticmethod(partner_selectors.office_list)
    filterset_class = OfficeFilterSet
    sort_options = OFFICE_SORTS
    serializer_class = serializers.OfficeSerializer
    detail_serializer_class = serializers.OfficeDetailSerializer

    def get_list_queryset(self):
        return super().get_list_queryset().select_related("location")

    def get_record(self, slug):
        return partner_selectors.office_get(slug=slug)


class PersonViewSet(RecordViewSet):
    """Officials and the posts they held."""

    list_selector = staticmethod(partner_selectors.person_list)
    filterset_class = PersonFilterSet
    sort_options = PERSON_SORTS
    serializer_class = serializers.PersonSerializer
    detail_serializer_class = serializers.PersonDetailSerializer

    def get_record(self, slug):
        return partner_selectors.person_get(slug=slug)


class TopicViewSet(RecordViewSet):
    """What cooperation is about: anti-trafficking, border management, readmission …"""

    list_selector = staticmethod(cooperation_selectors.topic_list)
    filterset_class = TopicFilterSet
    sort_options = TOPIC_SORTS
    serializer_class = serializers.TopicSerializer
    detail_serializer_class = serializers.TopicDetailSerializer

    def get_record(self, slug):
        return cooperation_selectors.topic_get(slug=slug)


class SourceViewSet(RecordViewSet):
    """The documents the facts come from; a record lists the published records that cite it."""

    list_selector = staticmethod(cooperation_selectors.source_list)
    filterset_class = SourceFilterSet
    sort_options = SOURCE_SORTS
    serializer_class = serializers.SourceSerializer
    detail_serializer_class = serializers.SourceDetailSerializer

    def get_record(self, slug):
        return cooperation_selectors.source_get(slug=slug)


ENDPOINTS = [
    ("partners", "partner", PartnerViewSet),
    ("agreements", "agreement", AgreementViewSet),
    ("projects", "project", ProjectViewSet),
    ("meetings", "meeting", MeetingViewSet),
    ("offices", "office", OfficeViewSet),
    ("people", "person", PersonViewSet),
    ("topics", "topic", TopicViewSet),
    ("sources", "source", SourceViewSet),
]


class RootView(JSONOnlyMixin, APIView):
    """Where everything is: each list, the OpenAPI document and its documentation."""

    @extend_schema(
        summary="The API's endpoints",
        parameters=[RETRY_AFTER],
        responses={
            200: inline_serializer(
                "Root",
                {
                    **{prefix: drf_serializers.URLField() for prefix, _basename, _viewset in ENDPOINTS},
                    "schema": drf_serializers.URLField(help_text="This API's OpenAPI 3 document."),
                    "docs": drf_serializers.URLField(help_text="The document, readable."),
                },
            ),
            503: UNAVAILABLE,
        },
    )
    def get(self, request, format=None):
        links = {prefix: reverse(f"api:{basename}-list", request=request) for prefix, basename, _viewset in ENDPOINTS}
        links["schema"] = reverse("api:schema", request=request)
        links["docs"] = reverse("api:docs", request=request)
        return Response(links)


class DocsView(SpectacularSwaggerView):
    """``/api/docs/``: Swagger UI, with the site's ``Cross-Origin-Opener-Policy: same-origin``.

    drf-spectacular's view answers ``unsafe-none``, which only an OAuth2 login popup needs; this
    API has no logins, so the page keeps the policy every other response has."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.headers.pop("Cross-Origin-Opener-Policy", None)
        return response


class SchemaView(SpectacularAPIView):
    """``/api/schema/``: the OpenAPI document. The API has one version, so ``?version=`` is ignored:
    drf-spectacular would write any text given there into the document and into the
    ``Content-Disposition`` header, where a line break (``?version=a%0Ab``) was a server error."""

    def _get_version_parameter(self, request):
        return None
