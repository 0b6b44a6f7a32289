"""The filters and sorts of the partner, office and people lists (their pages, exports and API)."""

from typing import Any

from django.db.models import Count, F, QuerySet
from django.db.models.functions import Coalesce
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cooperation.core.listing.facets import Option, by_label
from cooperation.core.listing.filters import (
    ChoicesFilter,
    FieldValueFilter,
    ListFilterSet,
    YearFilter,
)
from cooperation.core.listing.places import PlaceFilter
from cooperation.core.listing.related_filters import RelatedFilter
from cooperation.core.listing.sorts import date_sort_options
from cooperation.core.listing.text_filters import NameFilter
from cooperation.core.partial_dates import PartialYear
from cooperation.models import Place, SearchDocument
from partners.models import Office, Partner, Person, Post

country_name = lazy(countries.name, str)


class CountryFilter(ChoicesFilter):
    """``?country=az``: ISO 3166 codes, lower-case in URLs, stored upper-case. The facet lists the
    countries with rows, by name (not every country of the world)."""

    fixed_options = False
    option_noun = _("country")

    def __init__(self, *args, **kwargs):
        super().__init__(
            *args,
            # Each country's name in the page's language, read when shown.
            choices=[(code.lower(), country_name(code)) for code, _name in countries],
            noun=_("country code"),
            **kwargs,
        )

    def apply(self, queryset, options):
        return queryset.filter(**{f"{self.field_name}__in": [option.value.upper() for option in options]})

    def facet_options(self, queryset, selected):
        counts = {
            code.lower(): n
            for code, n in queryset.order_by().values_list(self.field_name).annotate(Count("pk"))
            if code
        }
        chosen = {option.value for option in selected}
        options = [Option(code, str(self.choice_labels[code]), n, code in chosen) for code, n in counts.items()]
        options += [Option(o.value, o.label, 0, True) for o in selected if o.value not in counts]
        return by_label(options)


class PartnerFilterSet(ListFilterSet):
    kind = ChoicesFilter(field_name="kind", choices=Partner.Kind.choices, label=_("Kind"), noun=_("kind of partner"))
    scope = ChoicesFilter(field_name="scope", choices=Partner.Scope.choices, label=_("Cooperation"), noun=_("scope"))
    q = NameFilter(label=_("Name"), records_named=SearchDocument.name_lookup(SearchDocument.Kind.PARTNER))

    class Meta:
        model = Partner
        fields = []


def records_of(total: str) -> Coalesce:
    """A partner's published projects (``total`` "projects_total") or meetings ("meetings_total"),
    from the count tables their lists keep: joined (LEFT OUTER JOIN on their unique partner), not
    a subquery a partner, which the database ran again for every place the sum is used in (the
    filter, the order and the columns: the chart of the partners list's 3,418 state agencies
    took 23-32 ms, joined 13-18)."""
    return Coalesce(F(f"{total}__n"), 0)


PARTNER_SORTS = {
    "name": (_("By name"), ["name", "pk"]),
    "newest": (_("Newest records first"), ["-created_at", "name", "pk"]),
    # The ranking of the list's chart and of the timeline on /years/.
    "records": (
        _("Most projects and meetings first"),
        [(records_of("projects_total") + records_of("meetings_total")).desc(), "name", "pk"],
    ),
}


class OfficeFilterSet(ListFilterSet):
    partner = RelatedFilter(field_name="partner", model=Partner, label=_("Partner"))
    country = CountryFilter(field_name="country", label=_("Country"))
    kind = ChoicesFilter(field_name="kind", choices=Office.Kind.choices, label=_("Kind"), noun=_("kind of office"))
    place = PlaceFilter(field_name="location", model=Place, label=_("Place"))
    opened = YearFilter(field_name="opened", label=_("Year opened"))
    closed = YearFilter(field_name="closed", label=_("Year closed"))

    class Meta:
        model = Office
        fields = []

    def facet_counts(self, name: str) -> Any:
        """As ListFilterSet's; the years opened and closed from one grouping by both
        (:func:`office_years`): while neither filter is used, one query for both facets."""
        if name in ("opened", "closed"):
            return self.grouped_once("years", office_years, exclude=name)[name]
        return super().facet_counts(name)


def office_years(offices: QuerySet) -> dict[str, dict[int, int]]:
    """{"opened": {year: offices}, "closed": {year: offices}} of ``offices``, undated left out (one query)."""
    years = {"opened": {}, "closed": {}}
    grouped = offices.order_by().values(opened_year=PartialYear(F("opened")), closed_year=PartialYear(F("closed")))
    for row in grouped.annotate(count=Count("pk")):
        for name in years:
            year = row[f"{name}_year"]
            if year is not None:
                years[name][year] = years[name].get(year, 0) + row["count"]
    return years


OFFICE_SORTS = date_sort_options("opened", "name", newest_first=False)


class PostOrganisationFilter(RelatedFilter):
    """``?partner=iom`` on people: those who held a post at the partner (an organisation, a state
    agency …)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, field_name="posts__organisation", model=Partner, **kwargs)

    def apply(self, queryset, options):
        posts = Post.objects.filter(organisation__in=[option.pk for option in options])
        return queryset.filter(pk__in=posts.values("person"))

    def counts_distinct(self, model):
        return True  # a person with two posts at one partner counts once


class PersonFilterSet(ListFilterSet):
    partner = PostOrganisationFilter(label=_("Partner"))
    post = FieldValueFilter(
        field_name="posts__title",
        model=Person,
        noun=_("post"),
        label=_("Post"),
        shown={"posts__organisation__published": True},
        translated=True,
    )
    q = NameFilter(label=_("Name"), records_named=SearchDocument.name_lookup(SearchDocument.Kind.PERSON))

    class Meta:
        model = Person
        fields = []


PERSON_SORTS = {"name": (_("By name"), ["name", "pk"])}
