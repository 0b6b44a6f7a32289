"""Filters and sorts of the API lists that have no list page of their own: people, topics and
sources. They are ListFilterSets like the pages' (cooperation/filters.py …), so they behave
the same way: repeatable values, facets, and a 400 naming any value that means nothing."""

from cooperation.core.listing.filters import (
    ChoicesFilter,
    ListFilterSet,
    NameFilter,
    TextFilter,
    YearFilter,
    date_sort_options,
)
from cooperation.models import SearchDocument, Source, Topic
from partners.models import Person


class PersonFilterSet(ListFilterSet):
    q = NameFilter(label="Name", records_named=SearchDocument.name_lookup(SearchDocument.Kind.PERSON))

    class Meta:
        model = Person
        fields = []


class TopicFilterSet(ListFilterSet):
    q = NameFilter(label="Name", records_named=SearchDocument.name_lookup(SearchDocument.Kind.TOPIC))

    class Meta:
        model = Topic
        fields = []


class SourceFilterSet(ListFilterSet):
    kind = ChoicesFilter(field_name="kind", choices=Source.Kind.choices, label="Kind", noun="kind of source")
    year = YearFilter(field_name="date", label="Year published")
    q = TextFilter(label="Title or publisher", fields=["title", "publisher"])

    class Meta:
        model = Source
        fields = []


# The last key (pk) keeps pages apart when names or dates repeat.
BY_NAME = {"name": ("By name", ["name", "pk"])}
SOURCE_SORTS = {key: (label, [*order, "pk"]) for key, (label, order) in date_sort_options("date", "title").items()}
