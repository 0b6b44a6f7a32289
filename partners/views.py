from django.views.generic import DetailView, ListView
from django.db.models import F

from cooperation.core.listing import FilteredListView
from partners.filters import OfficeFilterSet, PartnerFilterSet

from partners.models import Office, Partner, Person


class PartnerListView(FilteredListView):
    model = Partner
    filterset_class = PartnerFilterSet
    template_name = "lists/partner_list.html"
    noun_plural = "partners"
    sort_options = {"name": ("By name", ["name"]), "newest": ("Newest records first", ["-created_at", "name"])}

    def get_base_queryset(self):
        return Partner.objects.published().for_list()


class PartnerDetailView(DetailView):
    queryset = Partner.objects.published()
    template_name = "records/detail.html"


class OfficeListView(FilteredListView):
    model = Office
    filterset_class = OfficeFilterSet
    template_name = "lists/office_list.html"
    noun_plural = "offices"
    sort_options = {
        "oldest": ("Oldest first", [F("opened").asc(nulls_last=True), "name"]),
        "newest": ("Newest first", [F("opened").desc(nulls_last=True), "name"]),
        "name": ("By name", ["name"]),
    }

    def get_base_queryset(self):
        return Office.objects.published().filter(partner__published=True).for_list()


class OfficeDetailView(DetailView):
    queryset = Office.objects.published()
    template_name = "records/detail.html"


class PersonDetailView(DetailView):
    queryset = Person.objects.published()
    template_name = "records/detail.html"
