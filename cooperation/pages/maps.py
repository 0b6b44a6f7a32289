"""The home page's map: every published office, and the places of every published meeting and
agreement signing (one query, the meetings' from their count table, and one for the places with
one meeting; cached until a model it read changes, as the home page's counts)."""

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from cooperation.core.cache import cached
from cooperation.models import AgreementAction
from cooperation.models.actions import SIGNATURES
from cooperation.pictures.maps import draw_map, rendered_map
from cooperation.pictures.places import Kind, map_points, place_rows
from events.models import Meeting, MeetingPlaceYear
from partners.selectors import office_list


def home_kinds() -> list[Kind]:
    return [
        Kind(
            "office",
            office_list(),
            "opened",
            record_url=lambda slug: reverse("partners:office-detail", args=[slug]),
            list_url=lambda place: reverse("partners:office-list") + f"?place={place}",
        ),
        Kind(
            "meeting",
            Meeting.objects.published(),
            "start",
            record_url=lambda slug: reverse("events:meeting-detail", args=[slug]),
            list_url=lambda place: reverse("events:meeting-list") + f"?place={place}",
            counts=MeetingPlaceYear.objects.all(),
        ),
        Kind(
            "signing",
            AgreementAction.objects.filter(agreement__published=True, kind__in=SIGNATURES),
            "date",
            record_url=lambda slug: reverse("cooperation:agreement-detail", args=[slug]),
            list_url=lambda place: reverse("cooperation:agreement-list") + f"?place={place}",
            record="agreement",
        ),
    ]


def home_map() -> SafeString:
    """The map's HTML ("" without a place), read, drawn and rendered once until the data changes."""
    kinds = home_kinds()
    return rendered_map(
        "home",
        [],
        lambda: draw_map(map_points(cached("home-map", [], lambda: place_rows(kinds)), kinds)),
        _("Partners' offices, and where meetings were held and agreements signed"),
    )
