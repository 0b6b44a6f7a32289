from cooperation.core import exports
from cooperation.core.detail import RecordDetailView
from cooperation.core.listing import FilteredListView, date_sort_options
from events import selectors
from events.filters import MeetingFilterSet
from events.models import Meeting


class MeetingListView(FilteredListView):
    model = Meeting
    filterset_class = MeetingFilterSet
    template_name = "lists/meeting_list.html"
    row_template = "lists/rows/meeting.html"
    noun_plural = "meetings"
    description = (
        "Visits, bilateral meetings, governing-body sessions, summits, conferences, trainings and working groups."
    )
    sort_options = date_sort_options("start")
    export_spec = exports.MEETINGS

    def get_base_queryset(self):
        return Meeting.objects.published().for_list()


class MeetingDetailView(RecordDetailView):
    model = Meeting
    template_name = "events/meeting_detail.html"
    selector = staticmethod(selectors.meeting_get)
    record_context = staticmethod(selectors.meeting_context)
