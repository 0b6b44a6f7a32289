"""Strict query parameters: the list pages' FilterSets, sorts and page numbers, where a value the
page would ignore with a notice is an error.

A list page shows what it could not use and carries on; a program reading the API would not see
such a notice, so the API answers ``400`` with every bad parameter named::

    {"errors": {"year": ["“abc” is not a year between 1000 and 9999."],
                "sort": ["“best” is not a way to sort this list (use one of: newest, oldest, title)."]}}

The messages are the problems of the pages' own notices (``Notice.problem``), without what the
page did instead ("; that filter was ignored").
"""

from collections import defaultdict

from django.core.paginator import EmptyPage, PageNotAnInteger
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.plumbing import build_choice_description_list, build_parameter_type
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import APIException
from rest_framework.pagination import PageNumberPagination

from cooperation.core.listing.filters import (
    MAX_VALUES,
    ChoicesFilter,
    FieldValueFilter,
    ListFilterSet,
    TextFilter,
    YearFilter,
    clean_text,
)
from cooperation.core.listing.pagination import PAGE_SIZE, RegistryPaginator
from cooperation.core.listing.related_filters import RelatedFilter
from cooperation.core.listing.sorts import SortByValue, sort_problem, sorted_rows
from cooperation.core.partial_dates import MAX_YEAR, MIN_YEAR
from cooperation.core.text import shorten
from cooperation.filters import ActiveYearFilter, CurrencyFilter, StageYearFilter
from events.filters import MeetingYearFilter
from partners.filters import CountryFilter


class InvalidQuery(APIException):
    """400 with ``{"errors": {parameter: [message, …]}}``."""

    status_code = 400
    default_detail = "Some query parameters cannot be used."
    default_code = "invalid_query"

    def __init__(self, errors):
        super().__init__({"errors": {name: list(messages) for name, messages in errors.items()}})


class QueryErrors(defaultdict):
    """{parameter: [message, …]} collected while a list request is read, raised all at once."""

    def __init__(self):
        super().__init__(list)

    def raise_if_any(self):
        if self:
            raise InvalidQuery(self)


def slug_pattern():
    return r"^[-a-zA-Z0-9_]+$"


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend running the view's FilterSet (the list page's own) unchanged.

    The FilterSet resolves the values as on the page; its notices become errors in
    ``view.query_errors`` (the view raises them together with those of the other parameters).
    The FilterSet is kept as ``view.filterset`` for the facets.
    """

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        view.filterset = filterset
        for name in filterset.list_filters:
            if len(request.query_params.getlist(name)) > MAX_VALUES:
                view.query_errors[name].append(f"Give at most {MAX_VALUES} values of this parameter.")
        if view.query_errors:
            return queryset
        filterset.selected  # noqa: B018 -- resolves the values, recording what it could not use
        for notice in filterset.notices:
            view.query_errors[notice.param].append(notice.problem)
        return filterset.qs

    def get_schema_operation_parameters(self, view):
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is None:
            return []
        return [filter_parameter(name, item) for name, item in filterset_class.base_filters.items()]


REPEAT = "Repeat the parameter for several values: a row matches any of them."


def filter_parameter(name, list_filter):
    """The OpenAPI description of one filter of a ListFilterSet."""
    label = list_filter.label or name.title()
    many = {"explode": True, "style": "form"}

    def array(items):
        return {"type": "array", "items": items, "maxItems": MAX_VALUES}

    if isinstance(list_filter, RelatedFilter):
        noun = list_filter.noun
        return build_parameter_type(
            name,
            array({"type": "string"}),
            OpenApiParameter.QUERY,
            description=f"{label}: the slug of a published {noun} (its `slug` in this API). {REPEAT}",
            pattern=slug_pattern(),
            **many,
        )
    if isinstance(list_filter, CountryFilter):
        return build_parameter_type(
            name,
            array({"type": "string"}),
            OpenApiParameter.QUERY,
            description=f"{label}: an ISO 3166-1 alpha-2 country code, e.g. `az`, `ch`. {REPEAT}",
            pattern="^[A-Za-z]{2}$",
            **many,
        )
    if isinstance(list_filter, CurrencyFilter):
        return build_parameter_type(
            name,
            {**array({"type": "string"}), "maxItems": 1},
            OpenApiParameter.QUERY,
            description=f"{label}: an ISO 4217 code, e.g. `EUR`, `USD` (any case): projects with a budget or "
            "transactions in that currency, one currency at a time (amounts are never converted); a currency no "
            "project uses is an error naming those in use. With it, `sort=budget` sorts by the budget in it, "
            "the largest first.",
            pattern="^[A-Za-z]{3}$",
            **many,
        )
    if isinstance(list_filter, ChoicesFilter):
        choices = list(list_filter.choice_labels.items())
        return build_parameter_type(
            name,
            array({"type": "string"}),
            OpenApiParameter.QUERY,
            description=f"{label}. {REPEAT}\n\n{build_choice_description_list(choices)}",
            enum=[value for value, _label in choices],
            **many,
        )
    if isinstance(list_filter, YearFilter):
        if isinstance(list_filter, ActiveYearFilter):
            meaning = (
                "Active in: projects running that year (started in or before it and not ended "
                "before it; without an end date, an ongoing project runs until the year its status "
                "was reported as of, any other only in its start year)."
            )
        elif isinstance(list_filter, MeetingYearFilter):
            meaning = "Year: meetings on that year, from the year they start to the year they end."
        elif isinstance(list_filter, StageYearFilter):
            meaning = (
                f"{label}: agreements whose {list_filter.event} is dated in that year, a year between "
                f"{MIN_YEAR} and {MAX_YEAR}."
            )
        else:
            meaning = f"{label}: a year between {MIN_YEAR} and {MAX_YEAR}."
        return build_parameter_type(
            name,
            array({"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}),
            OpenApiParameter.QUERY,
            description=f"{meaning} {REPEAT}",
            **many,
        )
    if isinstance(list_filter, FieldValueFilter):
        return build_parameter_type(
            name,
            array({"type": "string"}),
            OpenApiParameter.QUERY,
            description=f"{label}: a value exactly as the records write it (the list's facet `{name}` "
            f"gives the values in use). {REPEAT}",
            **many,
        )
    if isinstance(list_filter, TextFilter):
        return build_parameter_type(
            name,
            {"type": "string"},
            OpenApiParameter.QUERY,
            description=f"{label}: words that must all appear (case does not matter).",
        )
    raise TypeError(f"No OpenAPI description for the filter {name!r} ({type(list_filter).__name__}).")


class SortBackend:
    """``?sort=newest``: one of the list page's sorts (``view.sort_options``); the first is the default."""

    def filter_queryset(self, request, queryset, view):
        options = view.sort_options
        value = clean_text(request.query_params.get("sort", ""))
        if value and value not in options:
            view.query_errors["sort"].append(
                f"“{shorten(value)}” is not a way to sort this list (use one of: {', '.join(options)})."
            )
            return queryset
        key = value or next(iter(options))
        filterset = getattr(view, "filterset", None)
        problem = sort_problem(options, key, filterset)
        if problem:  # a sort that needs one value of a filter (largest budget: one currency)
            view.query_errors["sort"].append(f"{problem}.")
            return queryset
        return sorted_rows(queryset, options, key, filterset)

    def get_schema_operation_parameters(self, view):
        options = view.sort_options
        default = next(iter(options))
        described = []
        for key, (label, ordering) in options.items():
            if isinstance(ordering, SortByValue):
                label = f"{label} (with one `{ordering.filter_name}` only)"
            described.append((key, label))
        return [
            build_parameter_type(
                "sort",
                {"type": "string", "default": default},
                OpenApiParameter.QUERY,
                description="The order of the rows, as on the list page.\n\n"
                + build_choice_description_list(described),
                enum=list(options),
            )
        ]


FACET_SCHEMA = {
    "type": "object",
    "required": ["name", "label", "options"],
    "properties": {
        "name": {"type": "string", "description": "The filter's parameter, e.g. `topic`."},
        "label": {"type": "string", "example": "Topic"},
        "options": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["value", "label", "count", "selected"],
                "properties": {
                    "value": {"type": "string", "description": "The parameter's value, e.g. `asylum`."},
                    "label": {"type": "string", "example": "Asylum"},
                    "count": {"type": "integer", "description": "Rows with this value and the other filters."},
                    "selected": {"type": "boolean", "description": "The query has this value."},
                },
            },
        },
    },
}


class StrictPagination(PageNumberPagination):
    """The page's page size; a page number that is not one, or is past the last page, is a 400."""

    page_size = PAGE_SIZE
    last_page_strings = ()

    def raw_page_number(self, request):
        return clean_text(request.query_params.get(self.page_query_param, "") or "1")

    def not_a_number(self, raw):
        return f"“{shorten(raw)}” is not a page number."

    def check_page_number(self, request, errors):
        """Report a page number that is not a number with the other parameters' errors (whether
        the page exists is known only once the filtered rows are counted)."""
        raw = self.raw_page_number(request)
        try:
            int(raw)
        except ValueError:
            errors[self.page_query_param].append(self.not_a_number(raw))

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        # The list page's paginator: the FilterSet's count (cached until the data changes), and
        # pages only as deep as the list page serves them (listing.pagination.MAX_PAGES).
        filterset = getattr(view, "filterset", None)
        paginator = RegistryPaginator(
            queryset,
            getattr(view, "page_size", None) or self.page_size,
            count=filterset.count() if isinstance(filterset, ListFilterSet) else None,
        )
        raw = self.raw_page_number(request)
        try:
            self.page = paginator.page(raw)
        except PageNotAnInteger:
            raise InvalidQuery({self.page_query_param: [self.not_a_number(raw)]}) from None
        except EmptyPage:
            last = paginator.num_pages
            if paginator.beyond_last_page(raw):
                problem = (
                    f"Only the first {last} pages ({paginator.last_row} of {paginator.count} rows) are served; "
                    "narrow the list with filters, sort it the other way, or download every row with format=csv."
                )
            else:
                problem = f"There is no page {shorten(raw)}; the last is {last}."
            raise InvalidQuery({self.page_query_param: [problem]}) from None
        return list(self.page)

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "next", "previous", "results", "facets"]
        response["properties"]["facets"] = {
            "type": "array",
            "description": "For each filter, its options with the rows each would give with the other "
            "filters as they are (options without rows are left out unless selected).",
            "items": FACET_SCHEMA,
        }
        return response

    def get_schema_operation_parameters(self, view):
        return [
            build_parameter_type(
                self.page_query_param,
                {"type": "integer", "minimum": 1, "default": 1},
                OpenApiParameter.QUERY,
                description=f"A page of {self.page_size} rows; `next` and `previous` link the neighbours.",
            )
        ]
