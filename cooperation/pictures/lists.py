"""The map on a list page (/offices/, /meetings/, /agreements/): the places of the rows every
filter but the place leaves (as a facet counts), the place the list is filtered to marked, each
marker leading to its record or to the list at that place with the same filters. Read in one
query (from the list's count tables where they answer: cooperation/core/listing/counts.py),
cached as the facets are: until a model it read changes (cooperation/core/cache.py)."""

from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.utils.safestring import SafeString

from cooperation.core.cache import Entry, cached_entry
from cooperation.core.listing.count_reads import cube_rows
from cooperation.core.listing.views import querystring, querystring_for
from cooperation.pictures.maps import draw_map, rendered_map
from cooperation.pictures.places import Kind, address_of, map_points, place_rows


def table_rows(filterset: Any) -> tuple[QuerySet | None, list[QuerySet], QuerySet | None]:
    """What a list's map reads of its count tables: the rows of the places (None: no table
    answers, the records are grouped), the records to subtract once (overlaps), and where those
    rows have no years (a table of totals: a row a place), the table by years whose key finds each
    place's first year. The meetings of a kind: 500 rows of MeetingPlaceKind, where grouping the
    21,103 rows of MeetingPlaceCount by place took 20 ms."""
    by_years = cube_rows(filterset, exclude="place", dims=("first_year",))
    if by_years is None:
        return None, [], None
    totals = cube_rows(filterset, exclude="place")
    if totals is None or any(field.name == "first_year" for field in totals[0].model._meta.fields):
        return by_years[0], by_years[1], None
    return totals[0], totals[1], by_years[0]


class ListMapMixin:
    """For a FilteredListView whose FilterSet has a ``place`` filter: ``place_map`` in the context."""

    map_kind = ""  # "office", "meeting", "signing"
    map_date = ""  # the date field whose first year the list beside the map shows
    map_heading = ""  # the map's caption
    map_record = ""  # what a row of map_rows() stands for ("agreement": a signature's), "" itself

    def map_rows(self, queryset):
        """The rows the map groups by their ``location``: the list's own, or (an agreement's
        signatures) rows that stand for them."""
        return queryset

    @cached_property
    def map_layer(self) -> Kind:
        """What the map shows: the rows every filter but the place leaves."""
        filterset = self.filterset
        # The list's count tables, where they answer for its filters (the meetings list's places
        # by kind and years, or by partners, less the meetings of two of them): else the rows
        # are grouped.
        counts, subtract, first_years = table_rows(filterset)
        return Kind(
            self.map_kind,
            self.map_rows(filterset.filter_queryset(filterset.queryset.all(), exclude="place")),
            self.map_date,
            record_url=address_of(self.model),
            list_url=querystring_for(self.request.GET, "place", page=None),
            counts=counts,
            overlaps=tuple(subtract),
            record=self.map_record,
            first_years=first_years,
        )

    def map_places(self) -> list[dict]:
        """The map's places (:func:`~cooperation.pictures.places.place_rows`), cached as the
        facets are: the place facet's counts too, where the map's rows are the list's records
        (the busiest partner's bilateral meetings of a year: the links of its 203,000 meetings
        were hashed once for both, not once each, 35 ms). Read once a request (a cache that is
        down computed them twice, for the facet and for the map), and handed with their versions
        to what uses them (the facets, the map's HTML), which are kept with those versions."""
        return self._map_entry.use()

    @cached_property
    def _map_entry(self) -> Entry:
        # "map-rows", not "map": rows now carry the place's id, which the release before stored
        # without, under that name, and would write while the two run side by side.
        parts = [*self.filterset.cache_parts(), "place"]
        return cached_entry("map-rows", parts, lambda: place_rows([self.map_layer]))

    def place_map(self) -> SafeString:
        """The map's HTML: its places read, drawn and rendered once until the data changes."""
        filterset = self.filterset
        selected = [option.value for option in filterset.selected.get("place", [])]
        params = self.request.GET

        def picture():
            places = self.map_places()
            return draw_map(map_points(places, [self.map_layer], selected=selected[0] if len(selected) == 1 else ""))

        # Its links keep the list's other parameters (sort, …) but not the page: the HTML is kept
        # for each query string but the page (400 pages of a list share one map).
        parts = [*filterset.cache_parts(), "place", querystring(params, page=None)]
        return rendered_map(self.map_kind, parts, picture, self.map_heading)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if not self.map_record:  # the places of the list's own rows: the place facet counts them
            self.filterset.given_counts["place"] = lambda: [(row["pk"], row["count"]) for row in self.map_places()]
        context = super().get_context_data(**kwargs)
        context["place_map"] = self.place_map()
        return context
