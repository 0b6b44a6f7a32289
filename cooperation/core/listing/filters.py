"""List pages: lenient filters that say what they ignored, facet counts, chips, sort, pages.

Every public list (and, later, its exports and API) runs through a :class:`ListFilterSet`:

- a parameter may repeat (``?topic=asylum&topic=readmission`` means either);
- a value that means nothing (an unknown slug, ``year=abc``) is dropped with a notice the page
  shows, and the rest of the filters still apply;
- ``facets()`` counts, for every option of every filter, the rows that the *other* active
  filters leave — one query per facet, computed in the database — and ``count()`` the rows
  the filters leave; both are cached until the data changes (cooperation/core/cache.py);
- a list pages through its first :data:`MAX_PAGES` pages (:class:`RegistryPaginator`), and a
  facet of many options shows the :data:`FACET_OPTIONS` with the most rows.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import django_filters
from django import forms
from django.conf import settings
from django.core.paginator import EmptyPage, InvalidPage, PageNotAnInteger, Paginator
from django.db.models import Count, F, ManyToManyField, Q, QuerySet, prefetch_related_objects
from django.db.models.query import ModelIterable
from django.template.loader import get_template
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.views.generic import ListView
from django_countries import countries

from cooperation.core import exports
from cooperation.core.cache import cached, cached_many
from cooperation.core.partial_dates import MAX_YEAR, MIN_YEAR, PartialYear
from cooperation.core.text import CONTROL_CHARACTERS, name_key, shorten

MAX_VALUES = 20
MAX_VALUE_LENGTH = 100
MAX_QUERY_LENGTH = 200
# The options a facet of related records (partners, topics, countries) lists: those with the
# most rows, and every selected one. Ten thousand partners are a filter nobody can read.
FACET_OPTIONS = 25
# How deep a list pages: OFFSET has to walk past every row before the page, so the pages past
# 10,000 rows would be slow, and nobody reads them. Filters, the other sort, or the CSV export
# (every row) reach the rest; the page says so.
MAX_PAGES = 400
# From this many rows in, a page first finds the keys of its rows, then reads those rows
# alone (a "deferred join"): OFFSET then walks past narrow index entries instead of whole
# rows with every column and annotation, which a page deep in a big list otherwise pays for.
DEFERRED_JOIN_FROM = 1_000


def clean_text(value, limit=MAX_VALUE_LENGTH):
    """Drop control characters and surrounding space; cut to ``limit`` characters."""
    return CONTROL_CHARACTERS.sub("", value).strip()[:limit]


class Notice(str):
    """A message about a query parameter the page could not use: a str with ``.param``, so
    pages show it as text and the API can answer 400 naming the parameter.

    It holds what was wrong (``problem``) apart from what the page did instead (``action``):
    the page says both ("There is no topic “x”; that filter was ignored."), the API, which
    refuses the request, only the problem.
    """

    def __new__(cls, param, problem, action=None):
        notice = super().__new__(cls, f"{problem}; {action}." if action else problem)
        notice.param = param
        notice.problem = problem if not action else f"{problem}."
        return notice


@dataclass
class Option:
    value: str
    label: str
    count: int = 0
    selected: bool = False


@dataclass
class Facet:
    name: str
    label: str
    options: list = field(default_factory=list)
    more: int = 0  # options with rows left out (see FACET_OPTIONS)

    @property
    def visible_options(self):
        """Options with rows, and selected ones even when the other filters leave none."""
        return [option for option in self.options if option.count or option.selected]


def top_options(options, limit=FACET_OPTIONS):
    """(the ``limit`` options with the most rows plus every selected one, how many were left
    out); ``options`` sorted most rows first."""
    shown = [option for number, option in enumerate(options) if number < limit or option.selected]
    return shown, sum(1 for option in options if option.count) - sum(1 for option in shown if option.count)


class MultipleValueField(forms.Field):
    """Every value of a repeated query parameter, cleaned of control characters."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if value in (None, ""):
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        cleaned = []
        for item in values:
            item = clean_text(str(item))
            if item and item not in cleaned:
                cleaned.append(item)
        return cleaned


IGNORED = "that filter was ignored"


class ListFilter(django_filters.Filter):
    """A repeatable filter that resolves raw values to options and reports the rest."""

    field_class = MultipleValueField
    noun = "value"

    def resolve(self, values):
        """Return (selected options, :class:`Notice` s about the values it could not use)."""
        raise NotImplementedError

    def apply(self, queryset, options):
        raise NotImplementedError

    def facet_options(self, queryset, selected):
        raise NotImplementedError

    def facet(self, name, queryset, selected):
        """This filter's :class:`Facet`: its options with their counts on ``queryset``; past
        FACET_OPTIONS options with rows (countries), those with the most rows and the selected."""
        options = self.facet_options(queryset, selected)
        if sum(1 for option in options if option.count) <= FACET_OPTIONS:
            return Facet(name, self.label or name.title(), options)
        ranked = sorted(options, key=lambda option: -option.count)  # stable: ties keep their order
        shown, more = top_options(ranked)
        kept = {id(option) for option in shown}
        return Facet(name, self.label or name.title(), [option for option in options if id(option) in kept], more)

    def filter(self, queryset, value):  # django-filter's entry point; ListFilterSet calls apply()
        return queryset

    def _too_many(self, values):
        if len(values) > MAX_VALUES:
            return values[:MAX_VALUES], [
                Notice(None, f"There are more than {MAX_VALUES} values", f"only the first {MAX_VALUES} were used")
            ]
        return values, []


class RelatedFilter(ListFilter):
    """``?partner=iom&partner=unhcr``: published related records by slug (FK or many-to-many)."""

    def __init__(self, *args, model, label_field="name", noun=None, **kwargs):
        self.related_model = model
        self.label_field = label_field
        self.noun = noun or model._meta.verbose_name
        super().__init__(*args, **kwargs)

    def resolve(self, values):
        values, notices = self._too_many(values)
        found = {
            slug: (pk, label)
            for pk, slug, label in self.related_model.objects.published()
            .filter(slug__in=values)
            .values_list("pk", "slug", self.label_field)
        }
        options = []
        for value in values:
            if value in found:
                options.append(Option(value, found[value][1], selected=True))
                options[-1].pk = found[value][0]
            else:
                notices.append(Notice(None, f"There is no {self.noun} “{shorten(value)}”", IGNORED))
        return options, notices

    def apply(self, queryset, options):
        pks = [option.pk for option in options]
        field = queryset.model._meta.get_field(self.field_name)
        if isinstance(field, ManyToManyField):
            # The link table alone: ``id IN (SELECT project_id FROM links WHERE partner_id IN …)``,
            # one index probe a row, where going through the model's own table joined it again.
            through = field.remote_field.through
            inner = through._base_manager.filter(**{f"{field.m2m_reverse_field_name()}__in": pks})
            return queryset.filter(pk__in=inner.values(field.m2m_field_name()))
        if field.many_to_many:
            inner = queryset.model._base_manager.filter(**{f"{self.field_name}__in": pks}).values("pk")
            return queryset.filter(pk__in=inner)
        return queryset.filter(**{f"{self.field_name}__in": pks})

    def facet(self, name, queryset, selected):
        options, more = top_options(self.facet_options(queryset, selected))
        return Facet(name, self.label or name.title(), options, more)

    def counts_distinct(self, model):
        """A row can be linked to the same record twice only through a table of its own (a
        project's partner in two roles): only then must the count be of distinct rows, which
        costs a sort."""
        field = model._meta.get_field(self.field_name)
        return field.many_to_many and not field.remote_field.through._meta.auto_created

    def facet_options(self, queryset, selected):
        prefix = self.field_name
        rows = (
            queryset.order_by()
            .filter(**{f"{prefix}__published": True})
            .values(f"{prefix}__slug", f"{prefix}__{self.label_field}")
            .annotate(count=Count("pk", distinct=self.counts_distinct(queryset.model)))
        )
        chosen = {option.value for option in selected}
        options = [
            Option(
                row[f"{prefix}__slug"],
                row[f"{prefix}__{self.label_field}"],
                row["count"],
                row[f"{prefix}__slug"] in chosen,
            )
            for row in rows
        ]
        seen = {option.value for option in options}
        options += [Option(o.value, o.label, 0, True) for o in selected if o.value not in seen]
        return sorted(options, key=lambda option: (-option.count, option.label.lower()))


class ChoicesFilter(ListFilter):
    """``?kind=visit&kind=summit``: values of a TextChoices field (or annotation)."""

    def __init__(self, *args, choices, noun="value", **kwargs):
        self.choice_labels = dict(choices)
        self.noun = noun
        super().__init__(*args, **kwargs)

    def resolve(self, values):
        values, notices = self._too_many(values)
        options = []
        for value in values:
            key = value.lower()
            if key in self.choice_labels:
                options.append(Option(key, str(self.choice_labels[key]), selected=True))
            else:
                known = ", ".join(self.choice_labels)
                notices.append(Notice(None, f"“{shorten(value)}” is not a {self.noun} (use one of: {known})", IGNORED))
        return options, notices

    def apply(self, queryset, options):
        return queryset.filter(**{f"{self.field_name}__in": [option.value for option in options]})

    def facet_options(self, queryset, selected):
        counts = dict(queryset.order_by().values_list(self.field_name).annotate(count=Count("pk")))
        chosen = {option.value for option in selected}
        return [
            Option(value, str(label), counts.get(value, 0), value in chosen)
            for value, label in self.choice_labels.items()
        ]


class YearFilter(ListFilter):
    """``?year=2006&year=2007``: the year of a partial-date field."""

    noun = "year"

    def resolve(self, values):
        values, notices = self._too_many(values)
        options = []
        for value in values:
            if value.isascii() and value.isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR:
                options.append(Option(str(int(value)), str(int(value)), selected=True))
            else:
                notices.append(
                    Notice(None, f"“{shorten(value)}” is not a year between {MIN_YEAR} and {MAX_YEAR}", IGNORED)
                )
        return options, notices

    def years(self, options):
        return [int(option.value) for option in options]

    def apply(self, queryset, options):
        # One BETWEEN a year (an index range) rather than ``(start / 10000) IN (…)``, which
        # makes the database compute the year of every row.
        condition = Q()
        for year in self.years(options):
            condition |= Q(**{f"{self.field_name}__year": year})
        return queryset.filter(condition)

    def year_counts(self, queryset):
        rows = (
            queryset.order_by()
            .annotate(facet_year=PartialYear(F(self.field_name)))
            .filter(facet_year__isnull=False)
            .values("facet_year")
            .annotate(count=Count("pk"))
        )
        return {row["facet_year"]: row["count"] for row in rows}

    def facet_options(self, queryset, selected):
        counts = self.year_counts(queryset)
        for option in selected:
            counts.setdefault(int(option.value), 0)
        chosen = {int(option.value) for option in selected}
        return [
            Option(str(year), str(year), count, year in chosen) for year, count in sorted(counts.items(), reverse=True)
        ]


class TextFilter(django_filters.CharFilter):
    """``?q=``: words that must all appear in one of ``fields`` (case-insensitive)."""

    def __init__(self, *args, fields, **kwargs):
        self.search_fields = fields
        # Longer text is refused with a notice (a 400 in the API): no name is that long, and
        # SQLite refuses a LIKE pattern past 50,000 bytes.
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):

        for word in value.split()[:10]:
            condition = Q()
            for name in self.search_fields:
                condition |= Q(**{f"{name}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset


class NameFilter(TextFilter):
    """``?q=``: every word appears in the record's name or other names (acronyms, spellings),
    with case and accents folded as :func:`~cooperation.core.text.name_key` folds them
    ("turkiye" finds Türkiye).

    ``records_named(key)`` gives the keys of the records one of whose names holds the word
    ``key`` (a subquery); the lists find it in the search index
    (``SearchDocument.name_lookup(kind)``). Text longer than 200 characters is refused with
    a notice (a 400 in the API), as site search takes no more: no name is that long, and SQLite
    refuses a LIKE pattern past 50,000 bytes.
    """

    def __init__(self, *args, records_named: Callable[[str], QuerySet], **kwargs):
        self.records_named = records_named
        super().__init__(*args, fields=(), **kwargs)

    def filter(self, queryset, value):
        for word in value.split()[:10]:
            key = name_key(word)
            if key:
                queryset = queryset.filter(pk__in=self.records_named(key))
        return queryset


class ListFilterSet(django_filters.FilterSet):
    """A FilterSet whose ListFilters tolerate bad values, report them, and count facets."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.notices = []
        self._selected = None

    @property
    def list_filters(self):
        return {name: f for name, f in self.filters.items() if isinstance(f, ListFilter)}

    @property
    def selected(self):
        """{filter name: [selected Option, …]} after dropping the values that mean nothing."""
        if self._selected is None:
            self._selected = {}
            self.form.is_valid()
            cleaned = getattr(self.form, "cleaned_data", {})
            for name, list_filter in self.list_filters.items():
                options, notices = list_filter.resolve(cleaned.get(name) or [])
                self._selected[name] = options
                for notice in notices:
                    notice.param = name
                self.notices += notices
            for name, errors in self.form.errors.items():
                self.notices += [Notice(name, f"{name}: {error}") for error in errors]
        return self._selected

    def filter_queryset(self, queryset, exclude=None):
        selected = self.selected
        cleaned = getattr(self.form, "cleaned_data", {})
        for name, list_filter in self.filters.items():
            if name == exclude:
                continue
            if isinstance(list_filter, ListFilter):
                if selected[name]:
                    queryset = list_filter.apply(queryset, selected[name])
            elif cleaned.get(name) not in (None, "", []):
                queryset = list_filter.filter(queryset, cleaned[name])
        return queryset

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            self._qs = self.filter_queryset(self.queryset.all())
        return self._qs

    def cache_parts(self):
        """What the filtered rows depend on, for cache keys: the list (its FilterSet and base
        query) and the values of every filter that applies."""
        cleaned = getattr(self.form, "cleaned_data", {})
        values = {name: sorted(option.value for option in options) for name, options in self.selected.items()}
        values.update(
            {
                name: cleaned.get(name)
                for name in self.filters
                if name not in values and cleaned.get(name) not in (None, "", [])
            }
        )
        return [type(self).__module__, type(self).__qualname__, str(self.queryset.query), values]

    def facets(self):
        """Every filter's facet (one query each), cached until the next change to the data."""
        return cached("facets", self.cache_parts(), self.compute_facets)

    def compute_facets(self):
        return [
            list_filter.facet(name, self.filter_queryset(self.queryset.all(), exclude=name), self.selected[name])
            for name, list_filter in self.list_filters.items()
        ]

    def count(self):
        """How many rows the filters leave (one query), cached until the next change to the data."""
        return cached("count", self.cache_parts(), self.qs.count)

    @property
    def active(self):
        """[(filter name, Option)] in the order the filters are declared."""
        return [(name, option) for name, options in self.selected.items() for option in options]


class RegistryPaginator(Paginator):
    """A paginator that is told the count (the FilterSet's, cached) and pages only the first
    ``max_pages`` pages: ``num_pages`` is at most that, ``all_pages`` says how many there would be."""

    def __init__(self, object_list, per_page, *, count=None, max_pages=MAX_PAGES, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count
        self.max_pages = max_pages

    @cached_property
    def count(self):
        return super().count if self.known_count is None else self.known_count

    @cached_property
    def all_pages(self):
        """How many pages the rows would fill (Paginator.num_pages, uncapped)."""
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        return math.ceil(max(1, self.count - self.orphans) / self.per_page)

    @cached_property
    def num_pages(self):
        return min(self.all_pages, self.max_pages)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.rows(bottom, top), number, self)

    def rows(self, bottom, top):
        """The rows ``bottom`` to ``top`` of the list, in its order; past
        :data:`DEFERRED_JOIN_FROM`, a query of records reads them by the keys of that slice
        (one query either way: the keys are a subquery)."""
        rows = self.object_list
        if bottom < DEFERRED_JOIN_FROM or not isinstance(rows, QuerySet) or rows._iterable_class is not ModelIterable:
            return rows[bottom:top]
        return rows.filter(pk__in=rows.values("pk")[bottom:top])

    @property
    def capped(self):
        """True when there are more rows than the pages show."""
        return self.all_pages > self.max_pages

    @property
    def last_row(self):
        """How many rows the pages reach."""
        return min(self.count, self.num_pages * self.per_page)

    def beyond_last_page(self, number):
        """True when page ``number`` holds rows but is past the pages served."""
        try:
            number = int(number)
        except (TypeError, ValueError):
            return False
        return self.num_pages < number <= self.all_pages


def querystring(params, **changes):
    """Encode ``params`` (a QueryDict or dict of lists) with some keys replaced or removed."""
    data = {key: list(values) for key, values in params.lists()} if hasattr(params, "lists") else dict(params)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value if isinstance(value, list) else [value]
    pairs = [(key, value) for key in sorted(data) for value in data[key]]
    return "?" + urlencode(pairs) if pairs else "?"


def date_sort_options(date_field, name_field="title", newest_first=True):
    """The sorts of a dated list: newest, oldest (undated rows last either way) and by name.

    Each ends with the primary key, so rows that tie on date and name keep one order and no row
    is skipped or repeated between pages (or export chunks)."""
    newest = ("Newest first", [F(date_field).desc(nulls_last=True), name_field, "pk"])
    oldest = ("Oldest first", [F(date_field).asc(nulls_last=True), name_field, "pk"])
    by_name = (f"By {name_field}", [name_field, "pk"])
    dated = [("newest", newest), ("oldest", oldest)] if newest_first else [("oldest", oldest), ("newest", newest)]
    return dict([*dated, (name_field, by_name)])


class FilteredListView(ListView):
    """A public list: FilterSet, facets, chips, sort, pagination and notices in the context.

    With ``?format=csv`` or ``?format=json`` (and an ``export_spec``) it answers with every
    filtered row instead, streamed (see cooperation.core.exports).
    """

    filterset_class = None
    paginate_by = 25
    sort_options = {}  # {"newest": ("Newest first", [ordering…]), …}; the first is the default
    noun_plural = "records"
    description = ""  # one sentence: the page's introduction and its meta description
    known_parameters = {"page", "sort", "format"}
    export_spec = None  # an exports.ExportSpec: the columns of ?format=csv and ?format=json
    export_chunk_size = exports.CHUNK_SIZE
    # The template of one row (``object``), required. A row's HTML is cached per record until
    # the data changes (cooperation/core/cache.py): a page renders, and reads the related records
    # of (the base queryset's prefetches), only the rows not cached yet.
    row_template = None

    def get(self, request, *args, **kwargs):
        export_format = self.get_export_format()
        if export_format:
            return self.export(export_format)
        return super().get(request, *args, **kwargs)

    def get_base_queryset(self):
        return self.model.objects.published()

    def get_queryset(self):
        self.filterset = self.filterset_class(self.request.GET, queryset=self.get_base_queryset(), request=self.request)
        self.notices = []
        queryset = self.filterset.qs
        self.sort = self.get_sort()
        return queryset.order_by(*self.sort_options[self.sort][1])

    def get_sort(self):
        default = next(iter(self.sort_options))
        value = clean_text(self.request.GET.get("sort", ""))
        if value and value not in self.sort_options:
            default_label = self.sort_options[default][0].lower()
            self.notices.append(
                Notice("sort", f"“{shorten(value)}” is not a way to sort this list", f"showing {default_label}")
            )
            return default
        return value or default

    def paginate_queryset(self, queryset, page_size):
        # The related records rows show are read for the rows not cached only (render_rows()).
        self.row_prefetches = queryset._prefetch_related_lookups
        paginator = self.get_paginator(queryset.prefetch_related(None), page_size)
        raw = clean_text(self.request.GET.get("page", "1") or "1")
        try:
            page = paginator.page(raw)
        except PageNotAnInteger:
            self.notices.append(Notice("page", f"“{shorten(raw)}” is not a page number", "showing page 1"))
            page = paginator.page(1)
        except EmptyPage:
            last = paginator.num_pages
            if paginator.beyond_last_page(raw):
                self.notices.append(
                    Notice(
                        "page",
                        f"Only the first {last:,} pages ({paginator.last_row:,} of {paginator.count:,} "
                        f"{self.noun_plural}) can be paged through; narrow the list with filters, sort it the "
                        "other way, or download every row",
                        f"showing page {last:,}",
                    )
                )
            else:
                self.notices.append(
                    Notice("page", f"There is no page {shorten(raw)}", f"showing page {last}, the last")
                )
            page = paginator.page(last)
        except InvalidPage:  # a page number Python cannot hold
            self.notices.append(Notice("page", f"There is no page {shorten(raw)}", "showing page 1"))
            page = paginator.page(1)
        return paginator, page, page.object_list, page.has_other_pages()

    def render_rows(self, records):
        """The HTML of each record's row, in order: cached rows as they are, the others read
        with the related records they show (one query per prefetch, for all of them) and
        rendered."""
        template = get_template(self.row_template)

        def render(pks):
            wanted = set(pks)
            missing = [record for record in records if record.pk in wanted]
            prefetch_related_objects(missing, *self.row_prefetches)
            return {record.pk: template.render({"object": record}) for record in missing}

        html = cached_many(f"row:{self.row_template}", [record.pk for record in records], render)
        return [mark_safe(html[record.pk]) for record in records]

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return RegistryPaginator(
            queryset, per_page, count=self.filterset.count(), orphans=orphans, allow_empty_first_page=True
        )

    def unknown_parameter_notices(self):
        known = set(self.filterset.filters) | self.known_parameters
        unknown = [key for key in self.request.GET if key not in known]
        return [Notice(key, f"“{shorten(key)}” is not a filter of this list", "it was ignored") for key in unknown[:5]]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        facets = self.filterset.facets()
        for facet in facets:
            for option in facet.options:
                values = [o.value for o in self.filterset.selected[facet.name]]
                new = [v for v in values if v != option.value] if option.selected else values + [option.value]
                option.toggle_url = querystring(params, **{facet.name: new, "page": None})
        chips = []
        for name, option in self.filterset.active:
            remaining = [o.value for o in self.filterset.selected[name] if o.value != option.value]
            label = self.filterset.filters[name].label or name
            chips.append(
                {"label": f"{label}: {option.label}", "url": querystring(params, **{name: remaining, "page": None})}
            )
        cleaned = getattr(self.filterset.form, "cleaned_data", {})
        for name, list_filter in self.filterset.filters.items():
            if not isinstance(list_filter, ListFilter) and cleaned.get(name):
                chips.append(
                    {
                        "label": f"{list_filter.label}: {cleaned[name]}",
                        "url": querystring(params, **{name: None, "page": None}),
                    }
                )
        page = context["page_obj"]
        context.update(
            rows=self.render_rows(list(page.object_list)),
            filterset=self.filterset,
            facets=facets,
            chips=chips,
            notices=self.filterset.notices
            + self.notices
            + self.unknown_parameter_notices()
            + self.export_format_notices(),
            downloads=self.download_links(),
            sort=self.sort,
            default_sort=next(iter(self.sort_options)),
            sort_choices=[(key, label) for key, (label, _) in self.sort_options.items()],
            result_count=page.paginator.count,
            noun_plural=self.noun_plural,
            list_description=self.description.format(country=countries.name(settings.HOST_COUNTRY)),
            clear_url=self.request.path,
            page_links=self.page_links(page, params),
            query_text=cleaned.get("q", ""),
            # What the filter form shows depends on: every parameter but the page (and the data).
            filters_key=querystring(params, page=None),
        )
        return context

    # Exports ---------------------------------------------------------------------------

    def get_export_format(self):
        """The export format the request asks for (csv or json), if this list has exports; else None."""
        value = clean_text(self.request.GET.get("format", "")).lower()
        return value if self.export_spec is not None and value in exports.FORMATS else None

    def export_format_notices(self):
        value = clean_text(self.request.GET.get("format", ""))
        if not value or self.export_spec is None or value.lower() in exports.FORMATS:
            return []
        known = " or ".join(exports.FORMATS)
        return [Notice("format", f"“{shorten(value)}” is not a download format (use {known})", "showing the page")]

    def applied_filters(self):
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

    def download_links(self):
        """{"csv": url, "json": url}: every row of the current filters and sort, without the page."""
        if self.export_spec is None:
            return {}
        params = dict(self.applied_filters())
        if self.sort != next(iter(self.sort_options)):
            params["sort"] = [self.sort]
        return {export_format: querystring(params, format=export_format) for export_format in exports.FORMATS}

    def export(self, export_format):
        """Every row of the filtered, sorted list as CSV or JSON (bad values ignored as on the page)."""
        queryset = self.get_queryset()
        applied = self.applied_filters()
        notices = self.filterset.notices + self.notices + self.unknown_parameter_notices()
        header = {
            "list": self.export_spec.name,
            "filters": applied,
            "sort": self.sort,
            "ignored": [{"parameter": notice.param, "message": str(notice)} for notice in notices],
        }
        years = {name for name, list_filter in self.filterset.filters.items() if isinstance(list_filter, YearFilter)}
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

    def page_links(self, page, params):
        def link(number):
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
