"""The home page's map: every published office, and the places of every published meeting and
agreement signing (one query, the meetings' from their count table, and one for the places with
one meeting; cached until a model it read changes, as the home page's counts)."""

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from cooperation.core.cache import cached
from cooperation.models import Agreement, AgreementAction
from cooperation.models.actions import SIGNATURES
from cooperation.pictures.maps import draw_map, rendered_map
from cooperation.pictures.places import Kind, address_of, map_points, place_rows
from events.models import Meeting, MeetingPlaceYear
from partners.models import Office
from partners.selectors import office_list


def home_kinds() -> list[Kind]:
    offices, meetings, agreements = (
        reverse(name) for name in ("partners:office-list", "events:meeting-list", "cooperation:agreement-list")
    )
    return [
        Kind(
            "office",
            office_list(),
            "opened",
            record_url=address_of(Office),
            list_url=lambda place: f"{offices}?place={place}",
        ),
        Kind(
            "meeting",
            Meeting.objects.published(),
            "start",
            record_url=address_of(Meeting),
            list_url=lambda place: f"{meetings}?place={place}",
            counts=MeetingPlaceYear.objects.all(),
        ),
        Kind(
            "signing",
            AgreementAction.objects.filter(agreement__published=True, kind__in=SIGNATURES),
            "date",
            record_url=address_of(Agreement),
            list_url=lambda place: f"{agreements}?place={place}",
            record="agreement",
        ),
    ]


def home_map() -> SafeString:
    """The map's HTML ("" without a place), read, drawn and rendered once until the data changes."""

    def picture():
        kinds = home_kinds()
        return draw_map(map_points(cached("home-map", [], lambda: place_rows(kinds)), kinds))

    return rendered_map("home", [], picture, _("Partners' offices, and where meetings were held and agreements signed"))
