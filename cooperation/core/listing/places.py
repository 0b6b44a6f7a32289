"""``?place=baku``: the records at a place (an office's, a meeting's location), for the lists a
map's markers lead to (cooperation/pictures/maps.py)."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from cooperation.core.listing.facets import Option
from cooperation.core.listing.notices import Notice, ignored, no_such
from cooperation.core.listing.related_filters import RelatedFilter
from cooperation.core.translation import localized_value


class PlaceFilter(RelatedFilter):
    """A :class:`RelatedFilter` of places by slug: a place is reference data, not a record with a
    published flag, so every place can be chosen and counted."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("noun", gettext_lazy("place"))
        super().__init__(*args, **kwargs)

    def resolve(self, values: list[str]) -> tuple[list[Option], list[Notice]]:
        values, notices = self._too_many(values)
        names = [self.label_field, *self.other_name_fields]
        found = {
            row["slug"]: row for row in self.related_model.objects.filter(slug__in=values).values("pk", "slug", *names)
        }
        options = []
        for value in values:
            if value in found:
                row = found[value]
                other_names = " ".join(filter(None, (row[name] for name in self.other_name_fields)))
                options.append(
                    Option(value, localized_value(row.get, self.label_field), selected=True, other_names=other_names)
                )
                options[-1].pk = row["pk"]
            else:
                notices.append(Notice(None, no_such(self.noun, value), ignored()))
        return options, notices

    def rows_of(self, queryset: QuerySet, prefix: str, count: Any) -> list[tuple[int, int]]:
        # Joined to the places (through a column of theirs): a count table holds 0 for "no place".
        places = {f"{prefix}__slug__isnull": False}
        rows = queryset.order_by().filter(**places).values_list(prefix).annotate(count=count)
        return list(rows)
