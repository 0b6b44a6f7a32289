from django.utils.translation import gettext_lazy, ngettext_lazy

from cooperation.core.detail import RecordDetailView
from cooperation.core.listing.views import FilteredListView, ListTexts
from cooperation.pictures.lists import ListMapMixin
from events import selectors, structured_data
from events.exports import MEETINGS
from events.filters import MEETING_SORTS, MeetingFilterSet
from events.models import Meeting


class MeetingListView(ListMapMixin, FilteredListView):
    model = Meeting
    map_kind, map_date = "meeting", "start"
    map_heading = gettext_lazy("Where the meetings were held")
    filterset_class = MeetingFilterSet
    template_name = "events/meeting_list.html"
    row_template = "events/meeting_row.html"
    texts = ListTexts(
        none=gettext_lazy("No meetings match these filters."),
        filter_form=gettext_lazy("Filter meetings"),
        fewer=ngettext_lazy("And %(more)s more with fewer meetings.", "And %(more)s more with fewer meetings.", "more"),
        most=gettext_lazy("Show only those with the most meetings"),
    )
    counted = ngettext_lazy("%(count)s meeting", "%(count)s meetings", "count")
    description = gettext_lazy(
        "Visits, bilateral meetings, governing-body sessions, summits, conferences, trainings and working groups."
    )
    sort_options = MEETING_SORTS
    export_spec = MEETINGS
    api_url_name = "api:meeting-list"

    def get_base_queryset(self):
        return selectors.meeting_list()


class MeetingDetailView(RecordDetailView):
    model = Meeting
    template_name = "events/meeting_detail.html"
    selector = staticmethod(selectors.meeting_get)
    record_context = staticmethod(selectors.meeting_context)
    structured_data = staticmethod(structured_data.meeting_structured_data)
