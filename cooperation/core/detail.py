"""The public page of one record: what every record type's page view shares."""

from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from cooperation.core.cache import cached


class RecordDetailView(DetailView):
    """A record's page: ``selector(slug=…, drafts=…)`` reads the record with everything its
    page shows (the app's detail selector: the record, its related records and sources in a
    fixed number of queries; ``model.DoesNotExist`` if there is none), ``record_context(record)``
    adds what the template needs besides.

    The record, read with its related records, is cached until the data changes
    (cooperation/core/cache.py), like the figures the page shows: a repeated visit to a page
    reads nothing from the database. A slug that finds nothing is not cached (a 404 costs its
    query each time, and cannot fill the cache). ``as_view(drafts=True)`` is the page of a
    draft too, for the staff preview (cooperation/pages/preview.py): read fresh each time,
    never from the cache.
    """

    model = None  # the record's model, whose DoesNotExist is a 404
    selector = None  # staticmethod: (*, slug, drafts) -> the record with everything its page shows
    record_context = None  # staticmethod: (record) -> dict
    drafts = False

    def get_object(self, queryset: QuerySet | None = None) -> models.Model:
        slug = self.kwargs[self.slug_url_kwarg]
        if self.drafts:
            return self.read(slug)
        view = f"{type(self).__module__}.{type(self).__qualname__}"  # one view a kind of record
        return cached("record", [view, slug], lambda: self.read(slug))

    def read(self, slug: str) -> models.Model:
        """The record of ``slug`` through the selector; a 404 if there is none."""
        try:
            return self.selector(slug=slug, drafts=self.drafts)
        except self.model.DoesNotExist:
            raise Http404(
                _("No %(verbose_name)s found matching the query") % {"verbose_name": self.model._meta.verbose_name}
            ) from None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **self.record_context(self.object)}
