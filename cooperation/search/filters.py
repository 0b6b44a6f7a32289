"""A list filter that matches names the way site search does."""

from cooperation.core.listing.filters import TextFilter
from cooperation.models import SearchDocument
from cooperation.search.query import MAX_LENGTH, name_key


class NameFilter(TextFilter):
    """``?q=``: every word appears in the record's name or other names (acronyms, spellings),
    with case and accents folded as site search folds them ("turkiye" finds Türkiye).

    It reads the search index's ``name_keys``, so ``kind`` names the index's kind of record.
    Text longer than site search takes (200 characters) is refused with a notice (a 400 in the
    API): no name is that long, and SQLite refuses a LIKE pattern past 50,000 bytes.
    """

    def __init__(self, *args, kind, **kwargs):
        self.kind = kind
        kwargs.setdefault("max_length", MAX_LENGTH)
        super().__init__(*args, fields=(), **kwargs)

    def filter(self, queryset, value):
        for word in value.split()[:10]:
            key = name_key(word)
            if key:
                names = SearchDocument.objects.filter(kind=self.kind, name_keys__contains=key)
                queryset = queryset.filter(pk__in=names.values("object_id"))
        return queryset
