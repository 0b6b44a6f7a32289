from django.utils.translation import ngettext_lazy

from cooperation.core.detail import RecordDetailView
from cooperation.core.listing.views import FilteredListView
from partners import selectors, structured_data
from partners.exports import OFFICES, PARTNERS, PEOPLE
from partners.filters import (
    OFFICE_SORTS,
    PARTNER_SORTS,
    PERSON_SORTS,
    OfficeFilterSet,
    PartnerFilterSet,
    PersonFilterSet,
)
from partners.models import Office, Partner, Person


class PartnerListView(FilteredListView):
    model = Partner
    filterset_class = PartnerFilterSet
    template_name = "partners/partner_list.html"
    row_template = "partners/partner_row.html"
    noun_plural = "partners"
    counted = ngettext_lazy("%(count)s partner", "%(count)s partners", "count")
    description = (
        "International organisations, states, their agencies and dialogue processes that {country} "
        "cooperates with on migration."
    )
    sort_options = PARTNER_SORTS
    export_spec = PARTNERS
    api_url_name = "api:partner-list"

    def get_base_queryset(self):
        return selectors.partner_list()


class PartnerDetailView(RecordDetailView):
    model = Partner
    template_name = "partners/partner_detail.html"
    selector = staticmethod(selectors.partner_get)
    record_context = staticmethod(selectors.partner_context)
    structured_data = staticmethod(structured_data.partner_structured_data)


class OfficeListView(FilteredListView):
    model = Office
    filterset_class = OfficeFilterSet
    template_name = "partners/office_list.html"
    row_template = "partners/office_row.html"
    noun_plural = "offices"
    counted = ngettext_lazy("%(count)s office", "%(count)s offices", "count")
    description = "Where partners keep offices, with the years they opened and closed."
    sort_options = OFFICE_SORTS
    export_spec = OFFICES
    api_url_name = "api:office-list"

    def get_base_queryset(self):
        return selectors.office_list()


class OfficeDetailView(RecordDetailView):
    model = Office
    template_name = "partners/office_detail.html"
    selector = staticmethod(selectors.office_get)
    record_context = staticmethod(selectors.office_context)


class PersonListView(FilteredListView):
    model = Person
    filterset_class = PersonFilterSet
    template_name = "partners/person_list.html"
    row_template = "partners/person_row.html"
    noun_plural = "people"
    counted = ngettext_lazy("%(count)s person", "%(count)s people", "count")
    api_url_name = "api:person-list"
    description = "Officials of the partners and of {country}'s institutions, with the posts they held."
    sort_options = PERSON_SORTS
    export_spec = PEOPLE

    def get_base_queryset(self):
        return selectors.person_list()


class PersonDetailView(RecordDetailView):
    model = Person
    template_name = "partners/person_detail.html"
    selector = staticmethod(selectors.person_get)
    record_context = staticmethod(selectors.person_context)
