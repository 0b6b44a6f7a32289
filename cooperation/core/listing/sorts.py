"""The sorts of a list: ``{"newest": ("Newest first", [ordering…]), …}``, the first the default
(each app's filters.py declares its lists' sorts beside their FilterSets)."""

from django.db.models import F
from django.utils.translation import gettext_lazy

# A list's sorts: {"newest": ("Newest first", [ordering…]), …}, the first the default.
SortOptions = dict[str, tuple[str, list]]

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
