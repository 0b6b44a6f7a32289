from cooperation.core import exports
from cooperation.core.listing.filters import date_sort_options
from cooperation.core.listing.views import FilteredListView
from cooperation.core.records import RecordDetailView
from events import selectors
from events.filters import MeetingFilterSet
from events.models import Meeting


class MeetingListView(FilteredListView):
    model = Meeting
    filterset_class = MeetingFilterSet
    template_name = "events/meeting_list.html"
    row_template = "events/meeting_row.html"
    noun_plural = "meetings"
    description = (
        "Visits, bilateral meetings, governing-body sessions, summits, conferences, trainings and working groups."
    )
    sort_options = date_sort_options("start")
    export_spec = exports.MEETINGS

    def get_base_queryset(self):
        return Meeting.objects.published().for_list()


class MeetingDetailView(RecordDetailView):
    template_name = "events/meeting_detail.html"
    detail_queryset = staticmethod(selectors.meeting_detail_queryset)
    record_context = staticmethod(selectors.meeting_context)
