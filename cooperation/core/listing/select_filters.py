"""Filters offered in the filter form as a select, without counts (the money filter of the
projects list): a :class:`SelectFilter` is never counted as a facet, so it costs a list no query
until it is used, and a list with count tables reads them as before while it is not."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.core.listing.filters import ListFilter
from cooperation.core.listing.notices import Notice
from cooperation.core.text import shorten


class SelectFilter(ListFilter):
    """A filter of one value, offered in the filter form as a select of ``choices()``; a second
    value is reported and left out."""

    faceted = False
    # What the select says for "no filter": "Any currency".
    any_label = gettext_lazy("Any")

    def choices(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The select's options, in groups: [(group label, [(value, label), …]), …], read from
        no table (computed per request, the list's whole cost of the filter when unused)."""
        raise NotImplementedError

    def first_only(self, values: list[str]) -> tuple[list[str], list[Notice]]:
        if len(values) <= 1:
            return values, []
        problem = _("This filter takes one value, not %(count)s") % {"count": len(values)}
        return values[:1], [
            Notice(None, problem, _("only the first, “%(value)s”, was used") % {"value": shorten(values[0])})
        ]
