from cooperation.core import exports
from cooperation.core.listing.filters import date_sort_options
from cooperation.core.listing.views import FilteredListView
from cooperation.core.records import RecordDetailView
from partners import selectors
from partners.filters import OfficeFilterSet, PartnerFilterSet
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
    sort_options = {
        "name": ("By name", ["name", "pk"]),
        "newest": ("Newest records first", ["-created_at", "name", "pk"]),
    }
    export_spec = exports.PARTNERS

    def get_base_queryset(self):
        return Partner.objects.published().for_list()


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
    sort_options = date_sort_options("opened", "name", newest_first=False)
    export_spec = exports.OFFICES

    def get_base_queryset(self):
        return Office.objects.published().filter(partner__published=True).for_list()


class OfficeDetailView(RecordDetailView):
    template_name = "partners/office_detail.html"
    detail_queryset = staticmethod(selectors.office_detail_queryset)
    record_context = staticmethod(selectors.office_context)


class PersonDetailView(RecordDetailView):
    template_name = "partners/person_detail.html"
    detail_queryset = staticmethod(selectors.person_detail_queryset)
    record_context = staticmethod(selectors.person_context)
