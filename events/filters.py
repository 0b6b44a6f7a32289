from cooperation.core.listing.filters import ChoicesFilter, ListFilterSet, RelatedFilter, YearFilter
from events.models import Meeting
from partners.models import Partner


class MeetingFilterSet(ListFilterSet):
    partner = RelatedFilter(field_name="partners", model=Partner, label="Partner")
    kind = ChoicesFilter(field_name="kind", choices=Meeting.Kind.choices, label="Kind", noun="kind of meeting")
    year = YearFilter(field_name="start", label="Year")

    class Meta:
        model = Meeting
        fields = []
