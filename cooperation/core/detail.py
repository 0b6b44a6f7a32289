"""The public page of one record: what every record type's page view shares."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from cooperation.core import cite
from cooperation.core.cache import cached_entry, records_in
from cooperation.core.structured_data import json_ld_script

FRAGMENT_SECONDS = 3600  # a record page's {% cache %} fragments, kept under its record's versions


class RecordDetailView(DetailView):
    """A record's page: ``selector(slug=…, drafts=…)`` reads the record with everything its
    page shows (the app's detail selector: the record, its related records and sources in a
    fixed number of queries; ``model.DoesNotExist`` if there is none), ``record_context(record)``
    adds what the template needs besides.

    The record, read with its related records, is cached until one of the records it shows
    changes (cooperation/core/cache.py, ``records_in``): a repeated visit to a page reads only
    their versions from the database, and a change to another record of the kind leaves it
    cached. ``record_version`` in the context names the cached record's versions, for the
    ``{% cache fragment_seconds … %}`` fragments of the page. A slug that finds nothing is not
    cached (a 404 costs its query each time, and cannot fill the cache). ``as_view(drafts=True)``
    is the page of a draft too, for the staff preview (cooperation/pages/preview.py): read fresh
    each time, never from the cache, and keeping no fragment.

    Every record page says when the record was last updated and how to cite it
    (``citation``, templates/includes/cite.html); ``?format=csl-json`` and ``?format=bibtex``
    answer with the citation as a file (cooperation/core/cite.py). ``structured_data(record,
    absolute_url)`` gives the page's schema.org JSON-LD (``structured_data`` in the context, a
    ``<script type="application/ld+json">`` in the page's head), from what the page shows.
    """

    model = None  # the record's model, whose DoesNotExist is a 404
    selector = None  # staticmethod: (*, slug, drafts) -> the record with everything its page shows
    record_context = None  # staticmethod: (record) -> dict
    structured_data = None  # staticmethod: (record, absolute_url) -> a schema.org dict, or None
    citation_title = staticmethod(str)  # (record) -> the title a citation gives it
    # staticmethod: (record) -> what the cache keeps of the record, None for all of it: what only
    # a {% cache %} fragment of the page shows may be left out (the fragment is kept under the
    # versions of all of it, ``record_version``); the page's context reads it again if the
    # fragment is gone (partners.selectors.partner_kept).
    kept = None
    drafts = False

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        export_format = request.GET.get("format", "")
        if export_format in cite.FORMATS and not self.drafts:
            self.object = self.get_object()
            return self.citation().response(export_format)
        return super().get(request, *args, **kwargs)

    def absolute_url(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def citation(self) -> cite.RecordCitation:
        """How to cite this record's page (its public address, even in the staff preview)."""
        record = self.object
        return cite.RecordCitation(
            key=f"{record._meta.model_name}-{record.slug}",
            title=self.citation_title(record),
            kind=str(capfirst(record._meta.verbose_name)),  # in the page's language, as text (JSON)
            url=self.absolute_url(record.get_absolute_url()),
            site_name=_(settings.SITE_NAME),  # as the page names the site
            agency=getattr(settings, "AGENCY_NAME", ""),
            updated=timezone.localdate(record.updated_at),
            accessed=timezone.localdate(),
        )

    def get_object(self, queryset: QuerySet | None = None) -> models.Model:
        slug = self.kwargs[self.slug_url_kwarg]
        if self.drafts:
            self.record_version = "draft"
            return self.read(slug)
        view = f"{type(self).__module__}.{type(self).__qualname__}"  # one view a kind of record
        entry = cached_entry("record", [view, slug], lambda: self.read(slug), records=records_in, kept=self.kept)
        self.record_version = entry.fingerprint
        return entry.value

    def read(self, slug: str) -> models.Model:
        """The record of ``slug`` through the selector; a 404 if there is none."""
        try:
            return self.selector(slug=slug, drafts=self.drafts)
        except self.model.DoesNotExist:
            raise Http404(
                _("No %(verbose_name)s found matching the query") % {"verbose_name": self.model._meta.verbose_name}
            ) from None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        record = self.object
        builder: Callable | None = self.structured_data
        data = builder(record, self.absolute_url) if builder else None
        return {
            **super().get_context_data(**kwargs),
            **self.record_context(record),
            "citation": self.citation(),
            "record_version": self.record_version,
            # Seconds a {% cache %} fragment of the page is kept under record_version: a draft's
            # preview, read fresh, keeps none (it had one shared by every preview for an hour).
            "fragment_seconds": 0 if self.drafts else FRAGMENT_SECONDS,
            # {"csl_json": "/agreements/<slug>/?format=csl-json", "bibtex": …}; none in a draft's
            # preview, whose public address answers 404 until it is published.
            "citation_formats": {}
            if self.drafts
            else {name.replace("-", "_"): f"{record.get_absolute_url()}?format={name}" for name in cite.FORMATS},
            "structured_data": json_ld_script(data) if data else "",
        }
