from cooperation.core import exports
from cooperation.core.detail import RecordDetailView
from cooperation.core.listing import FilteredListView, date_sort_options
from partners import selectors
from partners.filters import OfficeFilterSet, PartnerFilterSet
from partners.models import Office, Partner, Person


class PartnerListView(FilteredListView):
    model = Partner
    filterset_class = PartnerFilterSet
    template_name = "lists/partner_list.html"
    row_template = "lists/rows/partner.html"
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
    model = Partner
    template_name = "partners/partner_detail.html"
    selector = staticmethod(selectors.partner_get)
    record_context = staticmethod(selectors.partner_context)


class OfficeListView(FilteredListView):
    model = Office
    filterset_class = OfficeFilterSet
    template_name = "lists/office_list.html"
    row_template = "lists/rows/office.html"
    noun_plural = "offices"
    description = "Where partners keep offices, with the years they opened and closed."
    sort_options = date_sort_options("opened", "name", newest_first=False)
    export_spec = exports.OFFICES

    def get_base_queryset(self):
        return Office.objects.published().filter(partner__published=True).for_list()


class OfficeDetailView(RecordDetailView):
    model = Office
    template_name = "partners/office_detail.html"
    selector = staticmethod(selectors.office_get)
    record_context = staticmethod(selectors.office_context)


class PersonDetailView(RecordDetailView):
    model = Person
    template_name = "partners/person_detail.html"
    selector = staticmethod(selectors.person_get)
    record_context = staticmethod(selectors.person_context)
