"""``/sitemap.xml``: every published record page, the list pages, the home page and the year
pages (django.contrib.sitemaps).

One sitemap per kind of record, each listing published records only, with ``lastmod`` from
the record's last change; offices of a draft partner are left out, as the office list leaves
them out. Queries: two per kind (a count and the page) and four for the years, whatever the
number of records. Django's sitemap view serves at most 50,000 addresses per kind on one
page (``?p=2`` and on for more), as the sitemaps protocol allows.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from cooperation import selectors
from cooperation.models import Agreement, Project, Source, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person


class RecordSitemap(Sitemap):
    """Published records of one model: only what ``get_absolute_url`` and ``lastmod`` read."""

    model = None

    def queryset(self):
        return self.model.objects.published()

    def items(self):
        return self.queryset().only("pk", "slug", "updated_at").order_by("pk")

    def lastmod(self, record):
        return record.updated_at


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
    """The home page, the list pages and the year index."""

    url_names = [
        "cooperation:home",
        "partners:partner-list",
        "cooperation:agreement-list",
        "cooperation:project-list",
        "events:meeting-list",
        "partners:office-list",
        "cooperation:year-list",
    ]

    def items(self):
        return self.url_names

    def location(self, name):
        return reverse(name)


class YearSitemap(Sitemap):
    """``/years/<yyyy>/`` for every year that holds a published record (four queries)."""

    def items(self):
        return list(selectors.year_index())

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
