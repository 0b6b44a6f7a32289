"""A public list page: FilteredListView puts a FilterSet, facets, chips, sort, pages and notices
in the context, and answers ``?format=csv`` / ``?format=json`` / ``?format=xlsx`` with every filtered row."""

from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy, override
from django.views.generic import ListView
from django_countries import countries

from cooperation.core import exports
from cooperation.core.cache import cached_many, depend_on_query
from cooperation.core.listing.facets import Facet
from cooperation.core.listing.filters import (
    ListFilter,
    YearFilter,
    clean_text,
)
from cooperation.core.listing.notices import Notice
from cooperation.core.listing.pagination import PAGE_SIZE, RegistryPaginator
from cooperation.core.listing.sorts import SortOptions, offered, sort_problem, sorted_rows
from cooperation.core.text import shorten
from cooperation.core.versions import versions


def querystring(params: QueryDict | dict[str, list[str]], **changes: str | list[str] | None) -> str:
    """Encode ``params`` (a QueryDict or dict of lists) with some keys replaced or removed."""
    data = _changed(params, changes)
    pairs = [(key, value) for key in sorted(data) for value in data[key]]
    return "?" + urlencode(pairs) if pairs else "?"


def querystring_for(
    params: QueryDict | dict[str, list[str]], name: str, **changes: str | list[str] | None
) -> Callable[[str], str]:
    """``lambda value: querystring(params, **{name: value}, **changes)``, the other parameters
    encoded once: a map links each of its hundreds of places to the same list at that place."""
    data = _changed(params, {**changes, name: None})
    before = urlencode([(key, value) for key in sorted(data) if key < name for value in data[key]])
    after = urlencode([(key, value) for key in sorted(data) if key > name for value in data[key]])

    def make(value: str) -> str:
        return "?" + "&".join(part for part in (before, urlencode([(name, value)]), after) if part)

    return make


def _changed(params: QueryDict | dict[str, list[str]], changes: dict[str, str | list[str] | None]) -> dict:
    data = {key: list(values) for key, values in params.lists()} if hasattr(params, "lists") else dict(params)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value if isinstance(value, list) else [value]
    return data


@dataclass(frozen=True)
class ListTexts:
    """The sentences of a list page that name what it lists, whole, so that each language words
    them its own way: "No agreements match these filters."."""

    none: str = gettext_lazy("No records match these filters.")
    filter_form: str = gettext_lazy("Filter records")
    # ngettext_lazy(…, "more"): "And 3 more with fewer records."
    fewer: str = ngettext_lazy("And %(more)s more with fewer records.", "And %(more)s more with fewer records.", "more")
    most: str = gettext_lazy("Show only those with the most records")


class FilteredListView(ListView):
    """A public list: FilterSet, facets, chips, sort, pagination and notices in the context.

    With ``?format=csv``, ``?format=json`` or ``?format=xlsx`` (and an ``export_spec``) it answers with every
    filtered row instead, streamed (see cooperation.core.exports).
    """

    filterset_class = None
    paginate_by = PAGE_SIZE
    # The list's sorts, from its filters module: {"newest": ("Newest first", [ordering…]), …};
    # the first is the default.
    sort_options: SortOptions = {}
    texts = ListTexts()
    # How many rows, in the page's language and plural form: "1 record", "2 records".
    counted = ngettext_lazy("%(count)s record", "%(count)s records", "count")
    description = ""  # one sentence: the page's introduction and its meta description
    known_parameters = {"page", "sort", "format", "all"}
    export_spec = None  # an exports.ExportSpec: the columns of ?format=csv, json and xlsx
    export_chunk_size = exports.CHUNK_SIZE
    api_url_name = None  # "api:project-list": the same list in the JSON API, linked beside the downloads
    # The template of one row (``object``), required. A row's HTML is cached per record until
    # the data changes (cooperation/core/cache.py): a page renders, and reads the related records
    # of (its QuerySet's ``list_prefetches()``), only the rows not cached yet.
    row_template = None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        export_format = self.get_export_format()
        if export_format:
            with override(settings.LANGUAGE_CODE):  # data, the same from every language's page (core/exports.py)
                return self.export(export_format)
        versions()  # before any data: nothing this request caches is newer than its versions
        return super().get(request, *args, **kwargs)

    def get_base_queryset(self) -> QuerySet:
        """The rows of the list before its filters: the list's selector (shared with the API)."""
        return self.model.objects.published()

    def get_queryset(self) -> QuerySet:
        self.filterset = self.filterset_class(self.request.GET, queryset=self.get_base_queryset(), request=self.request)
        self.notices = []
        queryset = self.filterset.qs
        self.sort = self.get_sort()
        return sorted_rows(queryset, self.sort_options, self.sort, self.filterset)

    def get_sort(self) -> str:
        default = next(iter(self.sort_options))
        value = clean_text(self.request.GET.get("sort", ""))
        default_label = self.sort_options[default][0].lower()
        if value and value not in self.sort_options:
            self.notices.append(
                Notice(
                    "sort",
                    _("“%(value)s” is not a way to sort this list") % {"value": shorten(value)},
                    _("showing %(sort)s") % {"sort": default_label},
                )
            )
            return default
        problem = sort_problem(self.sort_options, value, self.filterset) if value else None
        if problem:  # a sort that needs one value of a filter, without it
            self.notices.append(Notice("sort", problem, _("showing %(sort)s") % {"sort": default_label}))
            return default
        return value or default

    def paginate_queryset(self, queryset: QuerySet, page_size: int) -> tuple[RegistryPaginator, Page, Any, bool]:
        # The related records rows show are read for the rows not cached only (render_rows()):
        # the page's rows are read without them, and the QuerySet says which they are
        # (cooperation.core.models.RecordQuerySet.list_prefetches).
        self.row_prefetches = queryset.list_prefetches()
        paginator = self.get_paginator(queryset.prefetch_related(None), page_size)
        raw = clean_text(self.request.GET.get("page", "1") or "1")
        try:
            page = paginator.page(raw)
        except PageNotAnInteger:
            self.notices.append(
                Notice("page", _("“%(value)s” is not a page number") % {"value": shorten(raw)}, _("showing page 1"))
            )
            page = paginator.page(1)
        except EmptyPage:
            last = paginator.num_pages
            if paginator.beyond_last_page(raw):
                self.notices.append(
                    Notice(
                        "page",
                        _(
                            "Only the first %(last)s pages (%(reached)s of %(total)s) can be paged through; "
                            "narrow the list with filters, sort it the other way, or download every row"
                        )
                        % {
                            "last": f"{last:,}",
                            "reached": f"{paginator.last_row:,}",
                            "total": self.counted % {"count": paginator.count},
                        },
                        _("showing page %(number)s") % {"number": f"{last:,}"},
                    )
                )
            else:
                self.notices.append(
                    Notice(
                        "page",
                        _("There is no page %(number)s") % {"number": shorten(raw)},
                        _("showing page %(number)s, the last") % {"number": last},
                    )
                )
            page = paginator.page(last)
        except InvalidPage:  # a page number Python cannot hold
            self.notices.append(
                Notice("page", _("There is no page %(number)s") % {"number": shorten(raw)}, _("showing page 1"))
            )
            page = paginator.page(1)
        return paginator, page, page.object_list, page.has_other_pages()

    def render_rows(self, records: list[Model]) -> list[SafeString]:
        """The HTML of each record's row, in order: cached rows as they are, the others read
        with the related records they show (one query per prefetch, for all of them) and
        rendered."""
        template = get_template(self.row_template)

        def render(pks: list) -> dict[Any, str]:
            depend_on_query(self.filterset.qs)  # the rows' own fields, read by the page's query
            wanted = set(pks)
            missing = [record for record in records if record.pk in wanted]
            prefetch_related_objects(missing, *self.row_prefetches)
            return {record.pk: template.render({"object": record}) for record in missing}

        html = cached_many(f"row:{self.row_template}", [record.pk for record in records], render)
        return [mark_safe(html[record.pk]) for record in records]

    def get_paginator(
        self, queryset: QuerySet, per_page: int, orphans: int = 0, allow_empty_first_page: bool = True, **kwargs: Any
    ) -> RegistryPaginator:
        return RegistryPaginator(
            queryset, per_page, count=self.filterset.count(), orphans=orphans, allow_empty_first_page=True
        )

    def unknown_parameter_notices(self) -> list[Notice]:
        known = set(self.filterset.filters) | self.known_parameters
        unknown = [key for key in self.request.GET if key not in known]
        return [
            Notice(key, _("“%(name)s” is not a filter of this list") % {"name": shorten(key)}, _("it was ignored"))
            for key in unknown[:5]
        ]

    def complete_facets(self) -> list[str]:
        """The facets asked for with every option (``?all=partner``), reporting names that are no
        filter of this list."""
        names = []
        for value in self.request.GET.getlist("all")[: len(self.filterset.list_filters) + 5]:
            name = clean_text(value)
            if name in self.filterset.faceted_filters:
                names.append(name)
            elif name:
                self.notices.append(
                    Notice(
                        "all",
                        _("This list has no filter “%(name)s” to show every option of") % {"name": shorten(name)},
                        _("it was ignored"),
                    )
                )
        return names

    def facet_links(self, facets: list[Facet], params: QueryDict, complete: list[str]) -> None:
        """Give each facet its links (show all / show fewer) and each option its count as read
        aloud ("1 project") and the address that ticks or unticks it."""
        for facet in facets:
            if facet.more:
                facet.more_text = self.texts.fewer % {"more": facet.more}
                facet.show_all_url = querystring(params, all=[*complete, facet.name], page=None)
            if facet.complete:
                facet.show_fewer_url = querystring(params, all=[n for n in complete if n != facet.name], page=None)
            values = [o.value for o in self.filterset.selected[facet.name]]
            for option in facet.options:
                option.count_text = self.counted % {"count": option.count}
                new = [v for v in values if v != option.value] if option.selected else values + [option.value]
                option.toggle_url = querystring(params, **{facet.name: new, "page": None})

    def chips(self, params: QueryDict) -> list[dict[str, str]]:
        """The filters that apply, one chip a value: {"filter", "value", "label", "url"}, the
        address the page has without that value."""
        chips = []
        for name, option in self.filterset.active:
            remaining = [o.value for o in self.filterset.selected[name] if o.value != option.value]
            label = str(self.filterset.filters[name].label or name)
            chips.append(
                {
                    "filter": label,
                    "value": option.label,
                    "label": f"{label}: {option.label}",
                    "url": querystring(params, **{name: remaining, "page": None}),
                }
            )
        cleaned = getattr(self.filterset.form, "cleaned_data", {})
        for name, list_filter in self.filterset.filters.items():
            if not isinstance(list_filter, ListFilter) and cleaned.get(name):
                chips.append(
                    {
                        "filter": str(list_filter.label),
                        "value": cleaned[name],
                        "label": f"{list_filter.label}: {cleaned[name]}",
                        "url": querystring(params, **{name: None, "page": None}),
                    }
                )
        return chips

    def select_filters(self) -> list[dict[str, Any]]:
        """The filters the form offers as a select (SelectFilter: no counts, no query): {"name",
        "label", "any_label", "choices" (grouped), "value" (the one that applies, or "")}."""
        return [
            {
                "name": name,
                "label": list_filter.label or name.title(),
                "any_label": list_filter.any_label,
                "choices": list_filter.choices,  # called by the template: not when the form is cached
                "value": self.filterset.one_value(name) or "",
            }
            for name, list_filter in self.filterset.list_filters.items()
            if not list_filter.faceted
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        complete = self.complete_facets()
        facets = self.filterset.facets(complete=complete)
        self.facet_links(facets, params, complete)
        chips = self.chips(params)
        # Several values of one filter: a row is listed when it has any of them.
        chip_groups = [
            {"filter": label, "chips": list(group)} for label, group in groupby(chips, key=itemgetter("filter"))
        ]
        cleaned = getattr(self.filterset.form, "cleaned_data", {})
        page = context["page_obj"]
        context.update(
            rows=self.render_rows(list(page.object_list)),
            filterset=self.filterset,
            facets=facets,
            chips=chips,
            chip_groups=chip_groups,
            complete_facets=complete,
            notices=self.filterset.notices
            + self.notices
            + self.unknown_parameter_notices()
            + self.export_format_notices(),
            downloads=self.download_links(),
            api_link=self.api_link(),
            sort=self.sort,
            default_sort=next(iter(self.sort_options)),
            sort_choices=offered(self.sort_options, self.filterset),
            select_filters=self.select_filters(),
            result_count=page.paginator.count,
            result_count_text=self.counted % {"count": page.paginator.count},
            texts=self.texts,
            list_description=self.description.format(country=countries.name(settings.HOST_COUNTRY)),
            clear_url=self.request.path,
            page_links=self.page_links(page, params),
            query_text=cleaned.get("q", ""),
            # What the filter form shows depends on: every parameter but the page (and the data).
            filters_key=querystring(params, page=None),
            facets_version=self.filterset.facets_version,
        )
        return context

    # Exports ---------------------------------------------------------------------------

    def get_export_format(self) -> str | None:
        """The export format the request asks for (csv, json or xlsx), if this list has exports; else None."""
        value = clean_text(self.request.GET.get("format", "")).lower()
        return value if self.export_spec is not None and value in exports.FORMATS else None

    def export_format_notices(self) -> list[Notice]:
        value = clean_text(self.request.GET.get("format", ""))
        if not value or self.export_spec is None or value.lower() in exports.FORMATS:
            return []
        problem = _("“%(value)s” is not a download format (use %(formats)s or %(last)s)") % {
            "value": shorten(value),
            "formats": ", ".join(exports.FORMATS[:-1]),
            "last": exports.FORMATS[-1],
        }
        return [Notice("format", problem, _("showing the page"))]

    def applied_filters(self) -> dict[str, list]:
        """{filter name: [value, …]} of the filters that apply, in declared order, bad values left
        out: what an export holds, its file name and the download links."""
        selected = self.filterset.selected
        cleaned = getattr(self.filterset.form, "cleaned_data", {})
        applied = {}
        for name, list_filter in self.filterset.filters.items():
            if isinstance(list_filter, ListFilter):
                values = [option.value for option in selected[name]]
            else:
                values = [cleaned[name]] if cleaned.get(name) not in (None, "", []) else []
            if values:
                applied[name] = values
        return applied

    def download_parameters(self) -> dict[str, list]:
        """The filters that apply and the sort when it is not the default: what a download or the
        API link carries (not the page, not a bad value)."""
        params = dict(self.applied_filters())
        if self.sort != next(iter(self.sort_options)):
            params["sort"] = [self.sort]
        return params

    def download_links(self) -> dict[str, str]:
        """{"csv": url, "json": url, "xlsx": url}: every row of the current filters and sort, without the page."""
        if self.export_spec is None:
            return {}
        params = self.download_parameters()
        return {export_format: querystring(params, format=export_format) for export_format in exports.FORMATS}

    def api_link(self) -> str | None:
        """The API's list (``api_url_name``) with the same filters and sort, if the list has one."""
        if self.api_url_name is None:
            return None
        query = querystring(self.download_parameters())
        return reverse(self.api_url_name) + (query if query != "?" else "")

    def export(self, export_format: str) -> StreamingHttpResponse:
        """Every row of the filtered, sorted list as CSV, JSON or XLSX (bad values ignored as on the page)."""
        queryset = self.get_queryset()
        applied = self.applied_filters()
        notices = self.filterset.notices + self.notices + self.unknown_parameter_notices()
        header = {
            "list": self.export_spec.name,
            "filters": applied,
            "sort": self.sort,
            "ignored": [{"parameter": notice.param, "message": str(notice)} for notice in notices],
        }
        # The list's year as its value alone ("agreements-1999.csv"); a year of another kind named
        # ("agreements-ratified-2008.csv", "offices-opened-2010.csv"), else the two would read alike.
        years = {
            name
            for name, list_filter in self.filterset.filters.items()
            if isinstance(list_filter, YearFilter) and name == "year"
        }
        return exports.export_response(
            self.export_spec,
            export_format,
            queryset,
            context=exports.ExportContext(base_url=f"{self.request.scheme}://{self.request.get_host()}"),
            header=header,
            filename=exports.filename(self.export_spec.name, applied, bare=years, extension=export_format),
            chunk_size=self.export_chunk_size,
            count=self.filterset.count() if export_format == "json" else None,
        )

    def page_links(self, page: Page, params: QueryDict) -> dict[str, Any]:
        def link(number: int) -> str:
            return querystring(params, page=None if number == 1 else str(number))

        numbers = sorted({1, page.paginator.num_pages, *range(max(1, page.number - 2), page.number + 3)})
        numbers = [n for n in numbers if 1 <= n <= page.paginator.num_pages]
        links, previous = [], 0
        for number in numbers:
            if number - previous > 1:
                links.append({"gap": True})
            links.append({"number": number, "url": link(number), "current": number == page.number})
            previous = number
        return {
            "pages": links,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "next": link(page.next_page_number()) if page.has_next() else None,
        }
