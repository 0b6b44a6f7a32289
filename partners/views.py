from cooperation.core.listing.views import FilteredListView
from cooperation.core.records import RecordDetailView
from partners import selectors
from partners.exports import OFFICES, PARTNERS
from partners.filters import OFFICE_SORTS, PARTNER_SORTS, OfficeFilterSet, PartnerFilterSet
from partners.models import Office, Partner


class PartnerListView(FilteredListView):
    model = Partner
    filterset_class = PartnerFilterSet
    template_name = "partners/partner_list.html"
    row_template = "partners/partner_row.html"
    noun_plural = "partners"
    description = (
        "International organisations, states, their agencies and dialogue processes that {country} "
        "cooperates with on migration."
    )
    sort_options = PARTNER_SORTS
    export_spec = PARTNERS

    def get_base_queryset(self):
        return selectors.partner_list()


class PartnerDetailView(RecordDetailView):
    template_name = "partners/partner_detail.html"
    detail_queryset = staticmethod(selectors.partner_detail_queryset)
    record_context = staticmethod(selectors.partner_context)


class OfficeListView(FilteredListView):
    model = Office
    filterset_class = OfficeFilterSet
    template_name = "partners/office_list.html"
    row_template = "partners/office_row.html"
    noun_plural = "offices"
    description = "Where partners keep offices, with the years they opened and closed."
    sort_options = OFFICE_SORTS
    export_spec = OFFICES

    def get_base_queryset(self):
        return selectors.office_list()


class OfficeDetailView(RecordDetailView):
    template_name = "partners/office_detail.html"
    detail_queryset = staticmethod(selectors.office_detail_queryset)
    record_context = staticmethod(selectors.office_context)


class PersonDetailView(RecordDetailView):
    template_name = "partners/person_detail.html"
    detail_queryset = staticmethod(selectors.person_detail_queryset)
    record_context = staticmethod(selectors.person_context)
