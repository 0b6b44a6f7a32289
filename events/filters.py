"""The filters and sorts of the meeting list (its page, exports and API)."""

from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _

from cooperation.core.listing.filters import ChoicesFilter, ListFilterSet, YearFilter
from cooperation.core.listing.places import PlaceFilter
from cooperation.core.listing.related_filters import RelatedFilter
from cooperation.core.listing.sorts import date_sort_options
from cooperation.core.partial_dates import PartialYear
from cooperation.models import Place
from events.counts import MEETING_COUNTS
from events.models import Meeting
from partners.models import Partner


class MeetingYearFilter(YearFilter):
    """``?year=2006``: meetings on that year, from the year of their start to the year of their
    end (a meeting over New Year is on both; see ``Meeting.objects.in_years``)."""

    def apply(self, queryset, options):
        # No meeting on these years starts after the last of them: said outright, the list's
        # newest-first index is read from that year down instead of from the newest meeting
        # (the year's own condition is an OR the index cannot range over).
        years = self.years(options)
        return queryset.in_years(years).filter(start__year__lte=max(years))

    def year_counts(self, queryset):
        rows = (
            queryset.order_by()
            .annotate(first=PartialYear(F("start")), last=PartialYear(F("end")))
            .filter(first__isnull=False)
            .values("first", "last")
            .annotate(count=Count("pk"))
        )
        counts = {}
        for row in rows:
            for year in range(row["first"], max(row["first"], row["last"] or row["first"]) + 1):
                counts[year] = counts.get(year, 0) + row["count"]
        return counts


class MeetingFilterSet(ListFilterSet):
    partner = RelatedFilter(field_name="partners", model=Partner, label=_("Partner"))
    kind = ChoicesFilter(field_name="kind", choices=Meeting.Kind.choices, label=_("Kind"), noun=_("kind of meeting"))
    year = MeetingYearFilter(field_name="start", label=_("Year"))
    place = PlaceFilter(field_name="location", model=Place, label=_("Place"))

    count_tables = MEETING_COUNTS

    class Meta:
        model = Meeting
        fields = []


MEETING_SORTS = date_sort_options("start")
