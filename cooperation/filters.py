"""The filters and sorts of the agreement, project, topic and source lists (their pages,
exports and API)."""

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from cooperation.core.listing.facets import Option
from cooperation.core.listing.filters import (
    ChoicesFilter,
    FieldValueFilter,
    ListFilterSet,
    RelatedFilter,
    YearFilter,
)
from cooperation.core.listing.places import PlaceFilter
from cooperation.core.listing.sorts import date_sort_options
from cooperation.core.listing.text_filters import NameFilter, TextFilter
from cooperation.core.partial_dates import PartialYear
from cooperation.core.text import language_name
from cooperation.counts import PROJECT_COUNTS
from cooperation.models import Agreement, AgreementAction, Place, Project, SearchDocument, Source, Topic
from cooperation.models.actions import SIGNATURES
from partners.models import Partner


class SigningPlaceFilter(PlaceFilter):
    """``?place=baku``: agreements signed at a place, the ``location`` of one of their signatures
    (as the maps count them: an agreement signed at two places is at both, once at each)."""

    @staticmethod
    def signatures():
        return AgreementAction.objects.filter(kind__in=SIGNATURES)

    def apply(self, queryset, options):
        places = [option.pk for option in options]
        return queryset.filter(pk__in=self.signatures().filter(location__in=places).values("agreement"))

    def counts(self, queryset):
        signed_here = self.signatures().filter(agreement__in=queryset.values("pk"))
        return self.rows_of(signed_here, "location", Count("agreement", distinct=True))


class AgreementFilterSet(ListFilterSet):
    partner = RelatedFilter(field_name="parties", model=Partner, label=_("Partner"))
    topic = RelatedFilter(field_name="topics", model=Topic, label=_("Topic"))
    kind = ChoicesFilter(
        field_name="kind", choices=Agreement.Kind.choices, label=_("Kind"), noun=_("kind of agreement")
    )
    status = ChoicesFilter(
        field_name="current_status", choices=Agreement.Status.choices, label=_("Status"), noun=_("status")
    )
    year = YearFilter(field_name="signed", label=_("Year signed"))
    place = SigningPlaceFilter(field_name="actions__location", model=Place, label=_("Place signed"))

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
    topic = RelatedFilter(field_name="topics", model=Topic, label=_("Topic"))
    partner = RelatedFilter(field_name="partners", model=Partner, label=_("Partner"))
    status = ChoicesFilter(field_name="status", choices=Project.Status.choices, label=_("Status"), noun=_("status"))
    year = ActiveYearFilter(field_name="start", label=_("Active in"))

    count_tables = PROJECT_COUNTS

    class Meta:
        model = Project
        fields = []


PROJECT_SORTS = date_sort_options("start")


# Topics -----------------------------------------------------------------------------------------


def published_on_topic(model):
    """Published ``model`` records (agreements, projects) on the outer topic, for Exists()."""
    return model.objects.published().filter(topics=OuterRef("pk"))


class TopicRecordsFilter(ChoicesFilter):
    """``?has=agreements&has=projects``: topics with at least one published record of a kind
    named (several values: any of them)."""

    KINDS = {"agreements": (_("With agreements"), Agreement), "projects": (_("With projects"), Project)}

    def __init__(self, *args, **kwargs):
        choices = [(key, label) for key, (label, _model) in self.KINDS.items()]
        super().__init__(*args, choices=choices, noun=_("kind of record"), **kwargs)

    def condition(self, key):
        return Q(Exists(published_on_topic(self.KINDS[key][1])))

    def apply(self, queryset, options):
        condition = Q()
        for option in options:
            condition |= self.condition(option.value)
        return queryset.filter(condition)

    def facet_options(self, queryset, selected):
        """How many topics have each kind of record (one query for both)."""
        counts = queryset.order_by().aggregate(**{key: Count("pk", filter=self.condition(key)) for key in self.KINDS})
        chosen = {option.value for option in selected}
        return [Option(key, str(label), counts[key], key in chosen) for key, label in self.choice_labels.items()]


class TopicFilterSet(ListFilterSet):
    has = TopicRecordsFilter(label=_("Records"))
    q = NameFilter(label=_("Name"), records_named=SearchDocument.name_lookup(SearchDocument.Kind.TOPIC))

    class Meta:
        model = Topic
        fields = []


# "records": the topic's published agreements and projects (annotated by selectors.topic_list).
TOPIC_SORTS = {
    "name": (_("By name"), ["name", "pk"]),
    "records": (_("Most records first"), [F("record_count").desc(), "name", "pk"]),
}


# Sources ----------------------------------------------------------------------------------------


class SourceFilterSet(ListFilterSet):
    kind = ChoicesFilter(field_name="kind", choices=Source.Kind.choices, label=_("Kind"), noun=_("kind of source"))
    publisher = FieldValueFilter(field_name="publisher", model=Source, noun=_("publisher"), label=_("Publisher"))
    language = FieldValueFilter(
        field_name="language", model=Source, noun=_("source in the language"), labels=language_name, label=_("Language")
    )
    year = YearFilter(field_name="date", label=_("Year published"))
    q = TextFilter(label=_("Title or publisher"), fields=["title", "label", "publisher"])

    class Meta:
        model = Source
        fields = []


SOURCE_SORTS = date_sort_options("date", "title")
