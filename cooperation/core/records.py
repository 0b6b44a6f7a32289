"""The public page of one record: what every record type's page view shares."""

from django.views.generic import DetailView

from cooperation.core.cache import cached


class RecordDetailView(DetailView):
    """A record's page: ``detail_queryset()`` finds the record with everything its page shows
    (a selector: the record, its related records and sources in a fixed number of queries),
    ``record_context(record)`` adds what the template needs besides.

    The record, read with its related records, is cached until the data changes
    (cooperation/core/cache.py), like the figures the page shows: a repeated visit to a page
    reads nothing from the database. A slug that finds nothing is not cached (a 404 costs its
    query each time, and cannot fill the cache). The staff preview, which shows drafts, sets
    ``cache_records = False``.
    """

    detail_queryset = None  # staticmethod: () -> QuerySet of the records this page may be about
    record_context = None  # staticmethod: (record) -> dict
    cache_records = True

    def get_queryset(self):
        return self.detail_queryset()

    def get_object(self, queryset=None):
        if queryset is not None or not self.cache_records:
            return super().get_object(queryset)
        view = f"{type(self).__module__}.{type(self).__qualname__}"  # one view a kind of record
        return cached("record", [view, self.kwargs.get(self.slug_url_kwarg)], super().get_object)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.record_context(self.object)}
