from django.views.generic import DetailView, ListView

from events.models import Meeting


class MeetingListView(ListView):
    queryset = Meeting.objects.published()
    template_name = "records/list.html"


class MeetingDetailView(DetailView):
    queryset = Meeting.objects.published()
    template_name = "records/detail.html"
