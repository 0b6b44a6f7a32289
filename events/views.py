from django.views.generic import DetailView

from cooperation.core import exports
from cooperation.core.listing import FilteredListView, date_sort_options
from events import selectors
from events.filters import MeetingFilterSet
from events.models import Meeting


class MeetingListView(FilteredListView):
    model = Meeting
    filterset_class = MeetingFilterSet
    template_name = "lists/meeting_list.html"
    noun_plural = "meetings"
    description = (
        "Visits, bilateral meetings, governing-body sessions, summits, conferences, trainings and working groups."
    )
    sort_options = date_sort_options("start")
    export_spec = exports.MEETINGS

    def get_base_queryset(self):
        return Meeting.objects.published().for_list()


class MeetingDetailView(DetailView):
    template_name = "events/meeting_detail.html"

    def get_queryset(self):
        return selectors.meeting_detail_queryset()

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **selectors.meeting_context(self.object)}
