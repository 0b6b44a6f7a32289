"""A list filter that matches names the way site search does."""

from cooperation.core.listing import TextFilter
from cooperation.models import SearchDocument
from cooperation.search.query import name_key


class NameFilter(TextFilter):
    """``?q=``: every word appears in the record's name or other names (acronyms, spellings),
    with case and accents folded as site search folds them ("turkiye" finds Türkiye).

    It reads the search index's ``name_keys``, so ``kind`` names the index's kind of record.
    """

    def __init__(self, *args, kind, **kwargs):
        self.kind = kind
        super().__init__(*args, fields=(), **kwargs)

    def filter(self, queryset, value):
        for word in value.split()[:10]:
            key = name_key(word)
            if key:
                names = SearchDocument.objects.filter(kind=self.kind, name_keys__contains=key)
                queryset = queryset.filter(pk__in=names.values("object_id"))
        return queryset
