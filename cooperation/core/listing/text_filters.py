"""The lists' text filters: ``?q=`` words in some fields, or in a record's names (the search
index's name lookup). Their values are not options: they have no facet."""

from collections.abc import Callable, Sequence
from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from cooperation.core.text import name_key

MAX_QUERY_LENGTH = 200


class TextFilter(django_filters.CharFilter):
    """``?q=``: words that must all appear in one of ``fields`` (case-insensitive)."""

    def __init__(self, *args: Any, fields: Sequence[str], **kwargs: Any) -> None:
        self.search_fields = fields
        # Longer text is refused with a notice (a 400 in the API): no name is that long, and
        # SQLite refuses a LIKE pattern past 50,000 bytes.
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        super().__init__(*args, **kwargs)

    def filter(self, queryset: QuerySet, value: str) -> QuerySet:
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

    def __init__(self, *args: Any, records_named: Callable[[str], QuerySet], **kwargs: Any) -> None:
        self.records_named = records_named
        super().__init__(*args, fields=(), **kwargs)

    def filter(self, queryset: QuerySet, value: str) -> QuerySet:
        for word in value.split()[:10]:
            key = name_key(word)
            if key:
                queryset = queryset.filter(pk__in=self.records_named(key))
        return queryset
