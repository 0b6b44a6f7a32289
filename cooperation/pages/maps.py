"""The home page's map: the places of published offices, meetings and agreement signings, those
with the most records drawn and listed, the lists' maps linked for the others (one query, the
meetings' and signings' from their count tables, the places ranked by the database, with the first
years of the meetings and signings of those it shows; and one a kind for those it shows with one
record; cached until a model it read changes, as the home page's counts)."""

from django.db.models import F
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from cooperation.core.cache import cached
from cooperation.models import Agreement, AgreementAction, AgreementPlaceTotal, AgreementPlaceYear
from cooperation.models.actions import SIGNATURES
from cooperation.pictures.maps import rendered_map
from cooperation.pictures.places import Kind, address_of, busiest_places, draw_busiest
from events.models import Meeting, MeetingPlaceTotal, MeetingPlaceYear
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
            everywhere=offices,
        ),
        Kind(
            "meeting",
            Meeting.objects.published(),
            "start",
            record_url=address_of(Meeting),
            list_url=lambda place: f"{meetings}?place={place}",
            counts=MeetingPlaceTotal.objects.all(),
            first_years=MeetingPlaceYear.objects.all(),
            everywhere=meetings,
        ),
        Kind(
            "signing",
            # Counted from the count tables; the rows only find the agreement of a place of one
            # (find_records), the published agreements' ids from an index, not joined.
            AgreementAction.objects.filter(agreement__in=Agreement.objects.published(), kind__in=SIGNATURES),
            "date",
            record_url=address_of(Agreement),
            list_url=lambda place: f"{agreements}?place={place}",
            record="agreement",
            counts=AgreementPlaceTotal.objects.annotate(location=F("place")),
            first_years=AgreementPlaceYear.objects.all(),
            everywhere=agreements,
        ),
    ]


# Home's map shows the places with the most records (places.busiest_places): the lists' maps (offices,
# meetings, agreements) have every place. At the benchmark's size, its 510 places wrote 250 KB
# of a 306 KB page.
HOME_MAP_PLACES = 100


def home_map() -> SafeString:
    """The map's HTML ("" without a place), read, drawn and rendered once until the data changes."""

    def picture():
        kinds = home_kinds()
        # The rows of the places kept, shared by the languages: not "home-map-places", every
        # place's rows without first years, which a server of the release before reads during a
        # release.
        busiest = cached("home-map-busiest", [HOME_MAP_PLACES], lambda: busiest_places(kinds, HOME_MAP_PLACES))
        return draw_busiest(busiest, kinds)

    return rendered_map("home", [], picture, _("Partners' offices, and where meetings were held and agreements signed"))
