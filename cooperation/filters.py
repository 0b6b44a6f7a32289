"""The filters and sorts of the agreement and project lists (their pages, exports and API)."""

from django.db.models import Count, F

from cooperation.core.listing.filters import ChoicesFilter, ListFilterSet, RelatedFilter, YearFilter, date_sort_options
from cooperation.core.partial_dates import PartialYear
from cooperation.models import Agreement, Project, Topic
from partners.models import Partner


class AgreementFilterSet(ListFilterSet):
    partner = RelatedFilter(field_name="parties", model=Partner, label="Partner")
    topic = RelatedFilter(field_name="topics", model=Topic, label="Topic")
    kind = ChoicesFilter(field_name="kind", choices=Agreement.Kind.choices, label="Kind", noun="kind of agreement")
    status = ChoicesFilter(field_name="current_status", choices=Agreement.Status.choices, label="Status", noun="status")
    year = YearFilter(field_name="signed", label="Year signed")

    class Meta:
        model = Agreement
        fields = []


AGREEMENT_SORTS = date_sort_options("signed")


class ActiveYearFilter(YearFilter):
    """``?year=2006`` on projects: the project was active that year (see Project.objects.active_in)."""

    def apply(self, queryset, options):
        return queryset.active_in(self.years(options))

    def year_counts(self, queryset):
        rows = (
            queryset.order_by()
            .annotate(first=PartialYear(F("start")), last=PartialYear(F("end")), as_of=PartialYear(F("status_as_of")))
            .filter(first__isnull=False)
            .values("first", "last", "status", "as_of")
            .annotate(count=Count("pk"))
        )
        counts = {}
        for row in rows:
            last = Project.last_active_year(row["first"], row["last"], row["status"], row["as_of"])
            for year in range(row["first"], last + 1):
                counts[year] = counts.get(year, 0) + row["count"]
        return counts


class ProjectFilterSet(ListFilterSet):
    topic = RelatedFilter(field_name="topics", model=Topic, label="Topic")
    partner = RelatedFilter(field_name="partners", model=Partner, label="Partner")
    status = ChoicesFilter(field_name="status", choices=Project.Status.choices, label="Status", noun="status")
    year = ActiveYearFilter(field_name="start", label="Active in")

    class Meta:
        model = Project
        fields = []


PROJECT_SORTS = date_sort_options("start")
