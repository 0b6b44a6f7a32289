"""Lenient list filters: what a list's FilterSet is made of, and the sorts of a dated list.

Every public list (its page, its exports and its API) runs through a :class:`ListFilterSet`:

- a parameter may repeat (``?topic=asylum&topic=readmission`` means either);
- a value that means nothing (an unknown slug, ``year=abc``) is dropped with a :class:`Notice`
  the page shows (a 400 in the API), and the rest of the filters still apply;
- ``facets()`` counts, for every option of every filter the form shows, the rows that the *other* active
  filters leave — one query per facet, computed in the database (and one naming the options a
  facet of related records shows: it counts by the records' ids) — and ``count()`` the rows
  the filters leave; both are cached until the data changes (cooperation/core/cache.py);
- a facet of many options shows the :data:`FACET_OPTIONS` with the most rows, unless the page
  asks for it complete (``?all=partner``: the same query, every option kept);
- a facet's options keep one order whatever is ticked (a fixed set of choices in its declared
  order, years newest first, records and countries by name), so a ticked option stays where it
  was when the other filters change its count.

The filter of related records (partners, topics) is in related_filters.py, of places in places.py,
of free text in text_filters.py. Each app's ``filters.py`` declares its lists' FilterSets and, beside
them, their sorts (``{"newest": ("Newest first", [ordering…]), …}``, the first the default).
"""

from collections.abc import Callable, Iterable
from typing import Any

import django_filters
from django.db.models import CharField, Count, F, Max, Model, Q, QuerySet, Value
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.core.cache import cached, cached_entry
from cooperation.core.listing import count_reads, counts
from cooperation.core.listing.facets import Facet, Option, top_options
from cooperation.core.listing.notices import Notice, ignored, no_such
from cooperation.core.listing.text_filters import MAX_QUERY_LENGTH as MAX_QUERY_LENGTH
from cooperation.core.listing.text_filters import NameFilter as NameFilter
from cooperation.core.listing.text_filters import TextFilter as TextFilter
from cooperation.core.listing.values import MultipleValueField
from cooperation.core.listing.values import clean_text as clean_text
from cooperation.core.partial_dates import MAX_YEAR, MIN_YEAR, PartialYear
from cooperation.core.text import shorten
from cooperation.core.translation import TRANSLATION_LANGUAGES, language_code

MAX_VALUES = 20
# The options a facet of related records (partners, topics, countries) lists: those with the
# most rows, and every selected one. Ten thousand partners are a filter nobody can read.
FACET_OPTIONS = 25


class ListFilter(django_filters.Filter):
    """A repeatable filter that resolves raw values to options and reports the rest."""

    field_class = MultipleValueField
    noun = gettext_lazy("value")

    def resolve(self, values: list[str]) -> tuple[list[Option], list[Notice]]:
        """Return (selected options, :class:`Notice` s about the values it could not use)."""
        raise NotImplementedError

    def apply(self, queryset: QuerySet, options: list[Option]) -> QuerySet:
        raise NotImplementedError

    def facet_options(self, queryset: QuerySet, selected: list[Option]) -> list[Option]:
        raise NotImplementedError

    # A fixed set of choices: the facet lists every one, with rows or not (see Facet.fixed).
    fixed_options = False
    # Counted as a facet of the filter form (one query, or a read of the count tables); one that
    # is not (select_filters.SelectFilter) costs the list nothing until it is used.
    faceted = True
    # A facet the form shows only while one of its values applies (the agreements' years of
    # ratification, entry into force and end: a year page links to them; shown always, three more
    # long lists of years would crowd the panel and cost three queries a list). Its chips, the
    # address, the exports and the API carry it as any other's.
    facet_only_when_used = False

    @property
    def option_noun(self) -> str:
        """What one of the facet's options is, for its find box ("Find a partner")."""
        return self.noun

    def counted_options(self, counts: Any, selected: list[Option]) -> list[Option]:
        """The facet's options from ``counts``, as :meth:`counts` gives them (the filters whose
        facets a list's count tables can answer: see cooperation/core/listing/counts.py)."""
        raise NotImplementedError

    def facet(
        self, name: str, queryset: QuerySet, selected: list[Option], complete: bool = False, counts: Any = None
    ) -> Facet:
        """This filter's :class:`Facet`: its options with their counts on ``queryset`` (or from
        ``counts``, read from count tables), in their order (see facet_options); past
        FACET_OPTIONS options with rows, unless ``complete`` or a fixed set of choices, those
        with the most rows and the selected."""
        options = self.facet_options(queryset, selected) if counts is None else self.counted_options(counts, selected)
        return self.facet_of(name, options, complete)

    def facet_of(self, name: str, options: list[Option], complete: bool, total: int | None = None) -> Facet:
        """The :class:`Facet` of ``options`` (of ``total`` with rows: more than ``options`` hold
        when they were cut to the likely top ones first, see RelatedFilter.facet)."""
        total = sum(1 for option in options if option.count) if total is None else total
        more = 0
        if not complete and not self.fixed_options and total > FACET_OPTIONS:
            options, _ = top_options(options, FACET_OPTIONS)
            more = total - sum(1 for option in options if option.count)
        complete = complete and total > FACET_OPTIONS
        return Facet(
            name, self.label or name.title(), options, more, total, complete, self.fixed_options, self.option_noun
        )

    def filter(self, queryset: QuerySet, value: object) -> QuerySet:
        """django-filter's entry point, unused: ListFilterSet calls apply()."""
        return queryset

    def _too_many(self, values: list[str]) -> tuple[list[str], list[Notice]]:
        if len(values) > MAX_VALUES:
            return values[:MAX_VALUES], [
                Notice(
                    None,
                    _("There are more than %(max)s values") % {"max": MAX_VALUES},
                    _("only the first %(max)s were used") % {"max": MAX_VALUES},
                )
            ]
        return values, []


class ChoicesFilter(ListFilter):
    """``?kind=visit&kind=summit``: values of a TextChoices field (or annotation)."""

    fixed_options = True

    def __init__(
        self, *args: Any, choices: Iterable[tuple[str, object]], noun: str = gettext_lazy("value"), **kwargs: Any
    ) -> None:
        self.choice_labels = dict(choices)
        self.noun = noun
        super().__init__(*args, **kwargs)

    def resolve(self, values: list[str]) -> tuple[list[Option], list[Notice]]:
        values, notices = self._too_many(values)
        options = []
        for value in values:
            key = value.lower()
            if key in self.choice_labels:
                options.append(Option(key, str(self.choice_labels[key]), selected=True))
            else:
                known = ", ".join(self.choice_labels)
                problem = _("“%(value)s” is not a %(noun)s (use one of: %(known)s)")
                notices.append(
                    Notice(None, problem % {"value": shorten(value), "noun": self.noun, "known": known}, ignored())
                )
        return options, notices

    def apply(self, queryset: QuerySet, options: list[Option]) -> QuerySet:
        return queryset.filter(**{f"{self.field_name}__in": [option.value for option in options]})

    def counts(self, queryset: QuerySet) -> dict[str, int]:
        return dict(queryset.order_by().values_list(self.field_name).annotate(count=Count("pk")))

    def facet_options(self, queryset: QuerySet, selected: list[Option]) -> list[Option]:
        return self.counted_options(self.counts(queryset), selected)

    def counted_options(self, counts: dict[str, int], selected: list[Option]) -> list[Option]:
        chosen = {option.value for option in selected}
        return [
            Option(value, str(label), counts.get(value, 0), value in chosen)
            for value, label in self.choice_labels.items()
        ]


class YearFilter(ListFilter):
    """``?year=2006&year=2007``: the year of a partial-date field."""

    noun = gettext_lazy("year")

    def resolve(self, values: list[str]) -> tuple[list[Option], list[Notice]]:
        values, notices = self._too_many(values)
        options = []
        for value in values:
            if value.isascii() and value.isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR:
                options.append(Option(str(int(value)), str(int(value)), selected=True))
            else:
                notices.append(
                    Notice(
                        None,
                        _("“%(value)s” is not a year between %(first)s and %(last)s")
                        % {"value": shorten(value), "first": MIN_YEAR, "last": MAX_YEAR},
                        ignored(),
                    )
                )
        return options, notices

    def years(self, options: list[Option]) -> list[int]:
        return [int(option.value) for option in options]

    def apply(self, queryset: QuerySet, options: list[Option]) -> QuerySet:
        # One BETWEEN a year (an index range) rather than ``(start / 10000) IN (…)``, which
        # makes the database compute the year of every row.
        condition = Q()
        for year in self.years(options):
            condition |= Q(**{f"{self.field_name}__year": year})
        return queryset.filter(condition)

    def year_counts(self, queryset: QuerySet) -> dict[int, int]:
        rows = (
            queryset.order_by()
            .annotate(facet_year=PartialYear(F(self.field_name)))
            .filter(facet_year__isnull=False)
            .values("facet_year")
            .annotate(count=Count("pk"))
        )
        return {row["facet_year"]: row["count"] for row in rows}

    def facet_options(self, queryset: QuerySet, selected: list[Option]) -> list[Option]:
        return self.counted_options(self.year_counts(queryset), selected)

    def counted_options(self, counts: dict[int, int], selected: list[Option]) -> list[Option]:
        counts = {year: count for year, count in counts.items() if year}  # a count table's 0: not recorded
        for option in selected:
            counts.setdefault(int(option.value), 0)
        chosen = {int(option.value) for option in selected}
        return [
            Option(str(year), str(year), count, year in chosen) for year, count in sorted(counts.items(), reverse=True)
        ]


class FieldValueFilter(ListFilter):
    """``?publisher=IOM&language=ru``: the values of a free-text field of the published records
    of ``model``, as they are written (they have no slugs); ``labels`` names a value for the
    reader (a language code's name). The field may be a related record's (``posts__title``):
    ``shown`` then names the lookups that make that related row public
    (``{"posts__organisation__published": True}``), checked on the same row as the value.
    ``translated``: the field is kept with its translations (``posts__title_az`` …), and a value
    is labelled with its translation into the page's language where a row has one (the value is
    still the English, as the address gives it)."""

    def __init__(
        self,
        *args: Any,
        model: type[Model],
        noun: str,
        labels: Callable[[str], str] = str,
        shown: dict[str, Any] | None = None,
        translated: bool = False,
        **kwargs: Any,
    ) -> None:
        self.record_model = model
        self.noun = noun
        self.labels = labels
        self.shown = shown or {}
        self.translated = translated
        super().__init__(*args, **kwargs)

    def _grouped(self, rows: QuerySet, **columns: Any) -> QuerySet:
        """``rows`` grouped by the value, with ``columns`` and the value's ``translation`` into the
        page's language ("" for English or a field without translations)."""
        code = language_code()
        if self.translated and code in TRANSLATION_LANGUAGES:
            translation = Max(f"{self.field_name}_{code}")  # any row's: "" sorts before a word
        else:
            translation = Value("", output_field=CharField())
        return rows.order_by().values(self.field_name).annotate(**columns, translation=translation)

    def _value_label(self, row: dict) -> str:
        return row["translation"] or self.labels(row[self.field_name])

    def resolve(self, values: list[str]) -> tuple[list[Option], list[Notice]]:
        values, notices = self._too_many(values)
        rows = self.record_model.objects.published().filter(**{f"{self.field_name}__in": values}, **self.shown)
        found = {row[self.field_name]: self._value_label(row) for row in self._grouped(rows)}
        options = []
        for value in values:
            if value in found:
                options.append(Option(value, found[value], selected=True))
            else:
                notices.append(Notice(None, no_such(self.noun, value), ignored()))
        return options, notices

    def apply(self, queryset: QuerySet, options: list[Option]) -> QuerySet:
        condition = {f"{self.field_name}__in": [option.value for option in options], **self.shown}
        if "__" in self.field_name:  # a related record's field: each row once, however many match
            return queryset.filter(pk__in=queryset.model._base_manager.filter(**condition).values("pk"))
        return queryset.filter(**condition)

    def facet_options(self, queryset: QuerySet, selected: list[Option]) -> list[Option]:
        rows = queryset.filter(**{f"{self.field_name}__gt": ""}, **self.shown)
        counted = self._grouped(rows, count=Count("pk", distinct="__" in self.field_name))
        chosen = {option.value for option in selected}
        options = [
            Option(row[self.field_name], self._value_label(row), row["count"], row[self.field_name] in chosen)
            for row in counted
        ]
        counts = {option.value for option in options}
        options += [Option(o.value, o.label, 0, True) for o in selected if o.value not in counts]
        return sorted(options, key=lambda option: (-option.count, option.label.lower()))


class ListFilterSet(django_filters.FilterSet):
    """A FilterSet whose ListFilters tolerate bad values, report them, and count facets (from
    ``count_tables`` when the list has them and they can answer: see counts.py)."""

    count_tables: "counts.CountTables | None" = None

    def __init__(self, data: QueryDict | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        self.notices = []
        self._selected = None
        # {facet name: a function giving its counts in the shape of its filter's ``counts()``},
        # for a facet whose rows another part of the page groups anyway (a list's map groups its
        # places: cooperation/pictures/lists.py), so that they are grouped once.
        self.given_counts: dict[str, Callable[[], Any]] = {}

    @property
    def list_filters(self) -> dict[str, ListFilter]:
        return {name: f for name, f in self.filters.items() if isinstance(f, ListFilter)}

    @property
    def faceted_filters(self) -> dict[str, ListFilter]:
        """The filters the form shows as facets with counts (not a select_filters.SelectFilter, nor
        one shown only when used while it is not)."""
        return {
            name: f
            for name, f in self.list_filters.items()
            if f.faceted and (not f.facet_only_when_used or self.selected[name])
        }

    def one_value(self, name: str) -> str | None:
        """The value of filter ``name`` when exactly one applies (a sort that needs it), else None."""
        options = self.selected.get(name) or []
        return options[0].value if len(options) == 1 else None

    @property
    def selected(self) -> dict[str, list[Option]]:
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

    def filter_queryset(self, queryset: QuerySet, exclude: str | None = None) -> QuerySet:
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
    def qs(self) -> QuerySet:
        if not hasattr(self, "_qs"):
            self._qs = self.filter_queryset(self.queryset.all())
        return self._qs

    def cache_parts(self) -> list:
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

    def facets(self, complete: Iterable[str] = ()) -> list[Facet]:
        """Every filter's facet (one query each, and one naming a related facet's options), the
        ``complete`` ones with every option (see FACET_OPTIONS), cached until a model they read
        changes (cooperation/core/cache.py)."""
        complete = sorted(set(complete) & set(self.faceted_filters))
        entry = cached_entry("facets", [*self.cache_parts(), complete], lambda: self.compute_facets(complete))
        self.facets_version = entry.fingerprint  # for the filter form's {% cache %} fragment
        return entry.value

    def compute_facets(self, complete: Iterable[str] = ()) -> list[Facet]:
        return [
            list_filter.facet(
                name,
                self.filter_queryset(self.queryset.all(), exclude=name),
                self.selected[name],
                complete=name in complete,
                counts=self.facet_counts(name),
            )
            for name, list_filter in self.faceted_filters.items()
        ]

    def grouped_once(self, key: str, group: Callable[[QuerySet], Any], exclude: str | None = None) -> Any:
        """``group(rows)`` of the rows every filter but ``exclude`` leaves, made once a request for
        each set of rows (``key`` names the grouping). A facet whose own filter is not in use counts
        the rows the list shows, so the facets a grouping answers (a project's status and years, an
        office's years opened and closed) add up one grouping instead of each scanning the rows."""
        if exclude is not None and not self.selected.get(exclude):
            exclude = None  # the same rows
        made = self.__dict__.setdefault(f"_grouped_{key}", {})
        if exclude not in made:
            made[exclude] = group(self.filter_queryset(self.queryset.all(), exclude=exclude))
        return made[exclude]

    def facet_counts(self, name: str) -> Any:
        """The counts facet ``name`` is built from, in the shape its filter's ``counts()`` gives
        them, when they can be had without counting its rows again: from the list's count tables;
        None to count them on the fly (a list may know another way: ProjectFilterSet), or from
        ``given_counts``."""
        if name in self.given_counts:
            return self.given_counts[name]()
        return count_reads.facet_counts(self, name)

    def count(self) -> int:
        """How many rows the filters leave (one query: of the list's count tables when they can
        answer), cached until the next change to the data."""
        return cached("count", self.cache_parts(), self.compute_count)

    def compute_count(self) -> int:
        found = count_reads.result_count(self)
        return self.qs.count() if found is None else found

    @property
    def active(self) -> list[tuple[str, Option]]:
        """[(filter name, Option)] in the order the filters are declared."""
        return [(name, option) for name, options in self.selected.items() for option in options]
