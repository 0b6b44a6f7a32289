"""The sorts of a list: ``{"newest": ("Newest first", [ordering…]), …}``, the first the default
(each app's filters.py declares its lists' sorts beside their FilterSets)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy

# A list's sorts: {"newest": ("Newest first", [ordering…]), …}, the first the default; an
# ordering may be a SortByValue (a sort that needs one value of a filter).
SortOptions = dict[str, tuple[str, "list | SortByValue"]]

# The "by name" sort of a list, by the field it sorts on.
BY_NAME = {"title": gettext_lazy("By title"), "name": gettext_lazy("By name")}


def date_sort_options(date_field: str, name_field: str = "title", newest_first: bool = True) -> SortOptions:
    """The sorts of a dated list: newest, oldest (undated rows last either way) and by name.

    Each ends with the primary key, so rows that tie on date and name keep one order and no row
    is skipped or repeated between pages (or export chunks)."""
    newest = (gettext_lazy("Newest first"), [F(date_field).desc(nulls_last=True), name_field, "pk"])
    oldest = (gettext_lazy("Oldest first"), [F(date_field).asc(nulls_last=True), name_field, "pk"])
    by_name = (BY_NAME.get(name_field, gettext_lazy("By name")), [name_field, "pk"])
    dated = [("newest", newest), ("oldest", oldest)] if newest_first else [("oldest", oldest), ("newest", newest)]
    return dict([*dated, (name_field, by_name)])


@dataclass(frozen=True)
class SortByValue:
    """A sort that needs one value of a filter: "largest budget first" sorts by the budget in
    the one currency selected (amounts in different currencies are never added up). In a list's
    sorts in place of an ordering: ``"budget": (label, SortByValue("currency", order, needs))``.
    The list offers it only while exactly one value of ``filter_name`` applies; asked for
    without, the page says ``needs`` and sorts its default way (the API answers 400).

    ``order(queryset, value)`` gives the sorted queryset (with what it annotates)."""

    filter_name: str
    order: Callable[[QuerySet, str], QuerySet]
    needs: str  # why the sort is not available without it, a whole sentence (no final stop)


def sort_problem(options: SortOptions, key: str, filterset: Any) -> str | None:
    """Why ``key`` cannot sort the list of ``filterset`` now (a SortByValue without its one
    value), or None."""
    ordering = options[key][1]
    if isinstance(ordering, SortByValue) and filterset.one_value(ordering.filter_name) is None:
        return str(ordering.needs)
    return None


def sorted_rows(queryset: QuerySet, options: SortOptions, key: str, filterset: Any) -> QuerySet:
    """``queryset`` in the order of the sort ``key`` (one :func:`sort_problem` allows)."""
    ordering = options[key][1]
    if isinstance(ordering, SortByValue):
        return ordering.order(queryset, filterset.one_value(ordering.filter_name))
    return queryset.order_by(*ordering)


def offered(options: SortOptions, filterset: Any) -> list[tuple[str, str]]:
    """(key, label) of the sorts the list offers with the filters that apply."""
    return [
        (key, label) for key, (label, _ordering) in options.items() if sort_problem(options, key, filterset) is None
    ]
