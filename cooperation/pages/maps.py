"""The home page's map: every published office, and the places of every published meeting and
agreement signing (one query, cached until a model it read changes, as the home page's counts)."""

from django.urls import reverse

from cooperation.core.cache import cached
from cooperation.models import AgreementAction
from cooperation.pictures.maps import MapPicture, draw_map
from cooperation.pictures.places import Kind, map_points, place_rows
from events.models import Meeting
from partners.selectors import office_list

SIGNATURES = [AgreementAction.Kind.SIGNATURE, AgreementAction.Kind.DEFINITIVE_SIGNATURE]


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
        ),
        Kind(
            "signing",
            AgreementAction.objects.filter(agreement__published=True, kind__in=SIGNATURES),
            "date",
            record_url=lambda slug: reverse("cooperation:agreement-detail", args=[slug]),
            record="agreement",
        ),
    ]


def home_map() -> MapPicture | None:
    kinds = home_kinds()
    return draw_map(map_points(cached("home-map", [], lambda: place_rows(kinds)), kinds))
