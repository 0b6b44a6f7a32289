"""The filters and sorts of the meeting list (its page, exports and API)."""

from cooperation.core.listing.filters import ChoicesFilter, ListFilterSet, RelatedFilter, YearFilter, date_sort_options
from events.models import Meeting
from partners.models import Partner


class MeetingFilterSet(ListFilterSet):
    partner = RelatedFilter(field_name="partners", model=Partner, label="Partner")
    kind = ChoicesFilter(field_name="kind", choices=Meeting.Kind.choices, label="Kind", noun="kind of meeting")
    year = YearFilter(field_name="start", label="Year")

    class Meta:
        model = Meeting
        fields = []


MEETING_SORTS = date_sort_options("start")
