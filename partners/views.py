from django.views.generic import DetailView, ListView

from partners.models import Office, Partner, Person


class PartnerListView(ListView):
    queryset = Partner.objects.published()
    template_name = "records/list.html"


class PartnerDetailView(DetailView):
    queryset = Partner.objects.published()
    template_name = "records/detail.html"


class OfficeListView(ListView):
    queryset = Office.objects.published()
    template_name = "records/list.html"


class OfficeDetailView(DetailView):
    queryset = Office.objects.published()
    template_name = "records/detail.html"


class PersonDetailView(DetailView):
    queryset = Person.objects.published()
    template_name = "records/detail.html"
