"""Pages of a list: the page size, and a paginator told the count that pages only so deep."""

import math
from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.utils.functional import cached_property

PAGE_SIZE = 25  # rows a page of a list, on the site and in the API
# How deep a list pages: OFFSET has to walk past every row before the page, so the pages past
# 10,000 rows would be slow, and nobody reads them. Filters, the other sort, or the CSV export
# (every row) reach the rest; the page says so.
MAX_PAGES = 400
# From this many rows in, a page first finds the keys of its rows, then reads those rows
# alone (a "deferred join"): OFFSET then walks past narrow index entries instead of whole
# rows with every column and annotation, which a page deep in a big list otherwise pays for.
DEFERRED_JOIN_FROM = 1_000


class RegistryPaginator(Paginator):
    """A paginator that is told the count (the FilterSet's, cached) and pages only the first
    ``max_pages`` pages: ``num_pages`` is at most that, ``all_pages`` says how many there would be."""

    def __init__(
        self,
        object_list: QuerySet | Sequence,
        per_page: int,
        *,
        count: int | None = None,
        max_pages: int = MAX_PAGES,
        **kwargs: Any,
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count
        self.max_pages = max_pages

    @cached_property
    def count(self) -> int:
        return super().count if self.known_count is None else self.known_count

    @cached_property
    def all_pages(self) -> int:
        """How many pages the rows would fill (Paginator.num_pages, uncapped)."""
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        return math.ceil(max(1, self.count - self.orphans) / self.per_page)

    @cached_property
    def num_pages(self) -> int:
        return min(self.all_pages, self.max_pages)

    def page(self, number: int | str) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.rows(bottom, top), number, self)

    def rows(self, bottom: int, top: int) -> QuerySet | Sequence:
        """The rows ``bottom`` to ``top`` of the list, in its order; past
        :data:`DEFERRED_JOIN_FROM`, a query of records reads them by the keys of that slice
        (one query either way: the keys are a subquery)."""
        rows = self.object_list
        if bottom < DEFERRED_JOIN_FROM or not reads_records(rows):
            return rows[bottom:top]
        return rows.filter(pk__in=rows.values("pk")[bottom:top])

    @property
    def capped(self) -> bool:
        """True when there are more rows than the pages show."""
        return self.all_pages > self.max_pages

    @property
    def last_row(self) -> int:
        """How many rows the pages reach."""
        return min(self.count, self.num_pages * self.per_page)

    def beyond_last_page(self, number: object) -> bool:
        """True when page ``number`` holds rows but is past the pages served."""
        try:
            number = int(number)
        except (TypeError, ValueError):
            return False
        return self.num_pages < number <= self.all_pages


def reads_records(rows: object) -> bool:
    """Whether ``rows`` is a QuerySet of model instances: not of values() or values_list() rows
    (a grouped values() query is not its rows' keys), nor one whose iterable does more than
    make the instances.

    Django has no public way to ask what a QuerySet yields: ``_iterable_class`` (set by
    values(), values_list() and the like) is read here, and nowhere else in the lists.
    """
    return isinstance(rows, QuerySet) and rows._iterable_class is ModelIterable
