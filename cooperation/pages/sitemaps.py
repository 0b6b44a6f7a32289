"""``/sitemap.xml``: every published record page, the list pages, the home page and the year
pages (django.contrib.sitemaps).

``/sitemap.xml`` is a sitemap index: it names one sitemap per kind, ``/sitemap-<kind>.xml``,
and its pages (``?p=2`` and on) when a kind has more than :data:`PAGE_SIZE` records, so a
crawler finds every page however many records there are, and no file comes near the
protocol's 50,000 addresses or 50 MB. Each sitemap lists published records only, with
``lastmod`` from the record's last change; offices of a draft partner are left out, as the
office list leaves them out. Queries: the index counts each kind and finds its latest change
(one query a kind, and four for the years, all cached until the data changes); a sitemap page
is one query, whatever the number of records.

Every page is listed in each language (settings.LANGUAGES: /partners/iom/, /az/partners/iom/,
/ru/partners/iom/), each ``<url>`` with its ``xhtml:link`` alternates in every language and
x-default (the English), as search engines ask of a multilingual site. A sitemap page of
:data:`PAGE_SIZE` addresses reads the records it needs (PAGE_SIZE / 3) in one query.
"""

import math
import sys
from collections.abc import Sequence

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Max
from django.urls import reverse

from cooperation.core.cache import cached
from cooperation.core.listing.pagination import RegistryPaginator
from cooperation.models import Agreement, Project, Source, Topic
from cooperation.pages.selectors import TALLIED, published_count, year_index
from events.models import Meeting
from partners.models import Office, Partner, Person

PAGE_SIZE = 10_000  # addresses in one sitemap file (the protocol allows 50,000)


class InEveryLanguage(Sequence):
    """``(item, language)`` for every item of ``items`` (a queryset, read lazily) and every
    language: what Django's sitemap pages when ``i18n`` is on. Django builds that list from every
    record at once; this one reads only the slice a page shows."""

    def __init__(self, items: Sequence, count: int) -> None:
        self.items, self.count = items, count
        self.languages = [code for code, _name in settings.LANGUAGES]

    def __len__(self) -> int:
        return self.count * len(self.languages)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        per_item = len(self.languages)
        first, last = start // per_item, math.ceil(stop / per_item)
        pairs = [(item, language) for item in self.items[first:last] for language in self.languages]
        return pairs[start - first * per_item : stop - first * per_item]


class RecordSitemap(Sitemap):
    """Published records of one model: only what ``get_absolute_url`` and ``lastmod`` read."""

    model = None
    limit = PAGE_SIZE
    i18n = True
    alternates = True
    x_default = True

    def queryset(self):
        return self.model.objects.published()

    def items(self):
        return self.queryset().only("pk", "slug", "updated_at").order_by("pk")

    def lastmod(self, record):
        return record.updated_at

    def summary(self):
        """{"count", "latest"}: how many records, and the last change to any (one query, cached
        until the data changes; for meetings and projects two: the count is the tally's, the
        latest change the first entry of an index). Django's index would read every record for
        the latest."""

        def compute():
            if self.model not in TALLIED:
                return self.queryset().aggregate(count=Count("pk"), latest=Max("updated_at"))
            return {
                "count": published_count(self.model),
                "latest": self.queryset().aggregate(Max("updated_at"))["updated_at__max"],
            }

        return cached("sitemap", [self.model._meta.label_lower], compute)

    def get_latest_lastmod(self):
        return self.summary()["latest"]

    @property
    def paginator(self):
        count = self.summary()["count"]
        pairs = InEveryLanguage(self.items(), count)
        return RegistryPaginator(pairs, self.limit, count=len(pairs), max_pages=sys.maxsize)


class PartnerSitemap(RecordSitemap):
    model = Partner


class AgreementSitemap(RecordSitemap):
    model = Agreement


class ProjectSitemap(RecordSitemap):
    model = Project


class MeetingSitemap(RecordSitemap):
    model = Meeting


class OfficeSitemap(RecordSitemap):
    model = Office

    def queryset(self):
        return super().queryset().filter(partner__published=True)


class PersonSitemap(RecordSitemap):
    model = Person


class TopicSitemap(RecordSitemap):
    model = Topic


class SourceSitemap(RecordSitemap):
    model = Source


class ListPagesSitemap(Sitemap):
    """The home page, the About page, the list pages and the year index."""

    i18n = True
    alternates = True
    x_default = True

    url_names = [
        "cooperation:home",
        "cooperation:about",
        "partners:partner-list",
        "cooperation:agreement-list",
        "cooperation:project-list",
        "events:meeting-list",
        "partners:office-list",
        "partners:person-list",
        "cooperation:topic-list",
        "cooperation:source-list",
        "cooperation:year-list",
    ]

    def items(self):
        return self.url_names

    def location(self, name):
        return reverse(name)


class YearSitemap(Sitemap):
    """``/years/<yyyy>/`` for every year that holds a published record (four queries)."""

    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return list(year_index())

    def location(self, year):
        return reverse("cooperation:year-detail", kwargs={"year": str(year)})


SITEMAPS = {
    "pages": ListPagesSitemap,
    "years": YearSitemap,
    "partners": PartnerSitemap,
    "agreements": AgreementSitemap,
    "projects": ProjectSitemap,
    "meetings": MeetingSitemap,
    "offices": OfficeSitemap,
    "people": PersonSitemap,
    "topics": TopicSitemap,
    "sources": SourceSitemap,
}
