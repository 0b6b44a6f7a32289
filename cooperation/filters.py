"""The filters and sorts of the agreement, project, topic and source lists (their pages,
exports and API)."""

from collections import defaultdict
from functools import lru_cache

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from cooperation.core.cache import cached
from cooperation.core.listing import count_reads
from cooperation.core.listing.facets import Option
from cooperation.core.listing.filters import (
    ChoicesFilter,
    FieldValueFilter,
    ListFilterSet,
    YearFilter,
)
from cooperation.core.listing.notices import Notice, ignored
from cooperation.core.listing.places import PlaceFilter
from cooperation.core.listing.related_filters import RelatedFilter
from cooperation.core.listing.select_filters import SelectFilter
from cooperation.core.listing.sorts import SortByValue, date_sort_options
from cooperation.core.listing.text_filters import NameFilter, TextFilter
from cooperation.core.money import currency_name
from cooperation.core.partial_dates import PartialYear
from cooperation.core.text import language_name, shorten
from cooperation.counts import AGREEMENT_COUNTS, PROJECT_COUNTS
from cooperation.models import (
    Agreement,
    AgreementAction,
    Budget,
    Place,
    Project,
    SearchDocument,
    Source,
    Topic,
    TransactionTotal,
)
from cooperation.models.actions import SIGNATURES
from cooperation.models.money import CURRENCY_CODES, currency_choices
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


class StageYearFilter(YearFilter):
    """``?ratified=2010``, ``?in_force=2010``, ``?ended=2010``: the year of one of an agreement's
    later stages (a year page's lists link to them). Its facet is shown only while it is used: the
    year signed is the list's year, and three more lists of years would crowd the panel."""

    facet_only_when_used = True

    def __init__(self, *args, event: str, **kwargs) -> None:
        self.event = event  # what the year is of, for the API's documentation
        super().__init__(*args, **kwargs)


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
    ratified = StageYearFilter(
        field_name="ratified",
        label=_("Year ratified, approved or acceded to"),
        event="first consent to be bound (ratification, approval, acceptance, accession …)",
    )
    in_force = StageYearFilter(
        field_name="in_force", label=_("Year entered into force"), event="first entry into force"
    )
    ended = StageYearFilter(field_name="ended", label=_("Year ended"), event="end (termination) for every party")
    place = SigningPlaceFilter(field_name="actions__location", model=Place, label=_("Place signed"))

    count_tables = AGREEMENT_COUNTS

    class Meta:
        model = Agreement
        fields = []


AGREEMENT_SORTS = date_sort_options("signed")


class ActiveYearFilter(YearFilter):
    """``?year=2006`` on projects: the project was active that year (see Project.objects.active_in)."""

    def apply(self, queryset, options):
        return queryset.active_in(self.years(options))

    def year_counts(self, queryset):
        return self.years_of(status_year_groups(queryset))

    @staticmethod
    def years_of(groups):
        """{year: projects active in it} from :func:`status_year_groups`' rows (the undated in none)."""
        counts = {}
        for status, first, end, as_of, count in groups:
            if first is None:
                continue
            for year in range(first, Project.last_active_year(first, end, status, as_of) + 1):
                counts[year] = counts.get(year, 0) + count
        return counts


def project_years() -> dict[str, PartialYear]:
    """The years a project's activity is reckoned from (Project.last_active_year), to group by:
    "first" (its start's), "end_year" (its end's) and "as_of" (the year its status was reported
    as of), each None when undated."""
    return {
        name: PartialYear(F(field))
        for name, field in (("first", "start"), ("end_year", "end"), ("as_of", "status_as_of"))
    }


def status_year_groups(projects: QuerySet) -> list[tuple]:
    """``projects`` grouped by status and years: [(status, start year, end year, year its status
    was reported as of, projects)], None for a year undated (one query)."""
    rows = projects.order_by().values("status", **project_years()).annotate(count=Count("pk"))
    return [(row["status"], row["first"], row["end_year"], row["as_of"], row["count"]) for row in rows]


def topic_groups(projects: QuerySet) -> list[dict]:
    """``projects`` joined to their published topics and grouped by topic, status and years:
    [{"topics" (the topic's pk), "status", "first", "end_year", "as_of" (years, None when
    undated), "count"}] (one query).

    Grouped by the topic's id in a hash table (grouping by its names and counting distinct ids
    sorted 52,659 rows on disk). A project is on a topic once and the filters never join (each
    keeps ``id IN (…)``), so each joined row is one project on one topic."""
    grouped = projects.order_by().filter(topics__published=True).values("topics", "status", **project_years())
    return list(grouped.annotate(count=Count("pk")))


def currencies_in_use() -> list[str]:
    """The currencies of the published projects' budgets and transaction totals, sorted: one
    small query, cached until the money or the projects change. Read only when a currency is
    asked for (the filter form offers the ISO codes, read from no table)."""

    def read():
        budgets = Budget.objects.filter(project__published=True).order_by().values_list("currency")
        totals = TransactionTotal.objects.filter(project__published=True).order_by().values_list("currency")
        return sorted(currency for (currency,) in budgets.union(totals))

    return cached("project-currencies", [], read)


@lru_cache(maxsize=8)
def currency_groups(language: str | None) -> list:
    """The common currencies, then all, named in ``language`` (the active one): the choices
    without the empty one, made once a language (some 300 names)."""
    return [(str(group), options) for group, options in currency_choices()[1:]]


class CurrencyFilter(SelectFilter):
    """``?currency=EUR``: projects with a budget or a transaction total in that currency (an
    ISO 4217 code, in any case), one currency at a time: what a reader who wants to compare
    amounts needs, since amounts are never converted. The currencies the projects use are the
    values; any other is reported and the filter left out, as an unknown slug is.

    Not a facet: counting the projects of every currency would cost the list a query on every
    request (and the count tables know no money), so the form offers the codes in a select."""

    noun = _("currency")
    any_label = _("Any currency")

    def choices(self):
        return currency_groups(get_language())

    def resolve(self, values):
        values, notices = self.first_only(values)
        options = []
        used = currencies_in_use() if values else []  # no query unless a currency is asked for
        for value in values:
            code = value.upper()
            if code in used:
                options.append(Option(code, f"{code} – {currency_name(code)}", selected=True))
            elif code in CURRENCY_CODES:
                problem = (
                    gettext("No project has budgets or transactions in %(currency)s; they are in %(used)s")
                    % {"currency": code, "used": ", ".join(used)}
                    if used
                    else gettext("No project has budgets or transactions in %(currency)s") % {"currency": code}
                )
                notices.append(Notice(None, problem, ignored()))
            else:
                problem = gettext("“%(value)s” is not a currency: give its ISO 4217 code, such as EUR or USD") % {
                    "value": shorten(value)
                }
                notices.append(Notice(None, problem, ignored()))
        return options, notices

    def apply(self, queryset, options):
        codes = [option.value for option in options]
        budgets = Budget.objects.filter(project=OuterRef("pk"), currency__in=codes)
        totals = TransactionTotal.objects.filter(project=OuterRef("pk"), currency__in=codes)
        return queryset.filter(Q(Exists(budgets)) | Q(Exists(totals)))


class ProjectFilterSet(ListFilterSet):
    topic = RelatedFilter(field_name="topics", model=Topic, label=_("Topic"))
    partner = RelatedFilter(field_name="partners", model=Partner, label=_("Partner"))
    status = ChoicesFilter(field_name="status", choices=Project.Status.choices, label=_("Status"), noun=_("status"))
    year = ActiveYearFilter(field_name="start", label=_("Active in"))
    currency = CurrencyFilter(label=_("Currency"))

    count_tables = PROJECT_COUNTS

    class Meta:
        model = Project
        fields = []

    def topic_groups(self) -> list[dict]:
        """:func:`topic_groups` of the projects every filter but the topic's leaves, made once a
        request: counted on the fly (a filter the count tables do not know, such as a text
        search), the topic facet and the chart of topics over time (selectors.topic_year_rows)
        both add these rows up, so the join of some 20,000 projects to their topics is made
        once, not twice."""
        if getattr(self, "_topic_groups", None) is None:
            self._topic_groups = topic_groups(self.filter_queryset(self.queryset.all(), exclude="topic"))
        return self._topic_groups

    def status_year_groups(self, exclude: str | None = None) -> list[tuple]:
        """:func:`status_year_groups` of the projects every filter but ``exclude`` leaves, made once
        a request for each set of rows. A facet whose own filter is not in use counts the rows the
        list shows: counted on the fly (two partners), the status and year facets and the count
        of such a list add up one grouping instead of each scanning the projects again."""
        return self.grouped_once("status_years", status_year_groups, exclude)

    def facet_counts(self, name):
        """As ListFilterSet's; where the count tables cannot answer, the topic facet is added up
        from :meth:`topic_groups`, the status and year facets from :meth:`status_year_groups`."""
        found = super().facet_counts(name)
        if found is not None:
            return found
        if name == "topic":
            totals = defaultdict(int)
            for group in self.topic_groups():
                totals[group["topics"]] += group["count"]
            return list(totals.items())
        if name == "status":
            totals = defaultdict(int)
            for status, *_years, count in self.status_year_groups(exclude="status"):
                totals[status] += count
            return dict(totals)
        if name == "year":
            return self.list_filters[name].years_of(self.status_year_groups(exclude="year"))
        return None

    def compute_count(self) -> int:
        """As ListFilterSet's; counted on the fly, added up from :meth:`status_year_groups`."""
        found = count_reads.result_count(self)
        return sum(group[-1] for group in self.status_year_groups()) if found is None else found


def by_budget(queryset: QuerySet, currency: str) -> QuerySet:
    """Projects by their budget in ``currency``, the largest first (as the exports' budget_total
    adds it up: a revised budget replaces the original one for the same period); those with no
    budget in it (transactions only) last; then newest first."""
    totals = (
        Budget.objects.effective()
        .filter(project=OuterRef("pk"), currency=currency)
        .order_by()
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    budget = Subquery(totals, output_field=DecimalField(max_digits=24, decimal_places=2))
    return queryset.annotate(budget_in_currency=budget).order_by(
        F("budget_in_currency").desc(nulls_last=True), F("start").desc(nulls_last=True), "title", "pk"
    )


PROJECT_SORTS = {
    **date_sort_options("start"),
    "budget": (
        _("Largest budget first"),
        SortByValue(
            "currency",
            by_budget,
            _(
                "Sorting by the largest budget needs one currency: choose it under “Currency” (amounts in "
                "different currencies are never added up)"
            ),
        ),
    ),
}


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
