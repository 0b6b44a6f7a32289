"""A partner's map: where its published offices are, its meetings were held and its agreements
signed, the places with the most of them (partners/views.py puts it on the partner's page)."""

from collections.abc import Callable

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString

from cooperation.core.prepared import Prepared
from cooperation.core.versions import model_name, record_name
from cooperation.core.words import gettext as _
from cooperation.models import (
    Agreement,
    AgreementAction,
    AgreementPartnerPlaceTotal,
    AgreementPartnerPlaceYear,
    Place,
)
from cooperation.models.actions import SIGNATURES
from cooperation.pictures.maps import rendered_map
from cooperation.pictures.places import Kind, address_of, busiest_of, busiest_sql, draw_busiest
from events.models import Meeting, MeetingPartnerPlaceCount, MeetingPartnerPlaceTotal
from partners.models import Office, Partner
from partners.selectors import office_list

# A partner's map shows the places with the most of its records, as its page shows its latest
# projects and offices (places.busiest_places): the lists' maps (offices, meetings, agreements) have
# every place.
PARTNER_MAP_PLACES = 100


def partner_map(partner: Partner) -> SafeString:
    """Where the partner's published offices are, its published meetings were held and its
    published agreements were signed, on a map: the :data:`PARTNER_MAP_PLACES` places with the
    most of them, with links to the lists' maps of every place (one query, the meetings' and
    signings' from their count tables: a row a place, the places ranked by the database, with the
    first years of the meetings and signings of those it keeps, each by the key of another count
    table; and one a kind for the meeting or agreement of each place it keeps with one). Cached
    until the partner's page changes: an office, meeting or agreement of it saved, linked or
    unlinked, any agreement's action or any place edited. A place of several leads to the list of
    them there."""
    # A signature's place may change with no save of its agreement: every action's version too.
    names = [record_name(Partner, partner.pk), model_name(Place), model_name(AgreementAction)]

    def picture():  # read, drawn and rendered once a language until the partner's page changes
        kinds = partner_map_kinds(partner.pk, partner.slug)
        found = PARTNER_BUSIEST.rows(partner=partner.pk, limit=PARTNER_MAP_PLACES)
        return draw_busiest(busiest_of(found, kinds, PARTNER_MAP_PLACES), kinds)

    return rendered_map(
        "partner",
        [partner.pk],
        picture,
        _("Where its offices are, its meetings were held and its agreements signed"),
        names,
    )


def partner_map_kinds(partner: int, slug: str) -> list[Kind]:
    """The kinds of record on the map of the partner of id ``partner`` (and ``slug``): its
    published offices, meetings and signings, each leading to the list of them at a place.

    Their querysets are made when first read (:func:`lazy`): a request whose map statement is
    built already (:data:`PARTNER_BUSIEST`) makes at most two of the seven, the meetings' and the
    signings', and only to find the record of a place of one (places.find_records)."""
    query = f"?partner={slug}&place="
    offices, meetings, agreements = (
        reverse(name) for name in ("partners:office-list", "events:meeting-list", "cooperation:agreement-list")
    )
    return [
        Kind(
            "office",
            lazy(lambda: office_list().filter(partner=partner)),
            "opened",
            record_url=address_of(Office),
            list_url=lambda place: offices + query + place,
            everywhere=f"{offices}?partner={slug}",
        ),
        Kind(
            "meeting",
            lazy(lambda: Meeting.objects.published().filter(partners=partner)),
            "start",
            record_url=address_of(Meeting),
            list_url=lambda place: meetings + query + place,
            counts=lazy(lambda: MeetingPartnerPlaceTotal.objects.filter(partner=partner)),
            first_years=lazy(lambda: MeetingPartnerPlaceCount.objects.filter(partner=partner)),
            everywhere=f"{meetings}?partner={slug}",
        ),
        Kind(
            "signing",
            lazy(
                lambda: AgreementAction.objects.filter(
                    agreement__published=True, agreement__parties=partner, kind__in=SIGNATURES
                )
            ),
            "date",
            record_url=address_of(Agreement),
            list_url=lambda place: agreements + query + place,
            record="agreement",
            counts=lazy(
                lambda: AgreementPartnerPlaceTotal.objects.filter(partner=partner).annotate(location=F("place"))
            ),
            first_years=lazy(lambda: AgreementPartnerPlaceYear.objects.filter(partner=partner)),
            everywhere=f"{agreements}?partner={slug}",
        ),
    ]


def lazy(make: Callable[[], QuerySet]) -> QuerySet:
    """The queryset ``make()`` gives, made when first used: seven made for each map took 0.7-1.9
    ms at each first request after a change, where the map's statement needs them only once a
    connection."""
    return SimpleLazyObject(make)  # stands for the queryset it makes: its methods and attributes


# The statement of a partner's map, built once a connection (cooperation/core/prepared.py): the
# same SQL for every partner (the busiest's took 2.5 ms to build, each first request after a change).
PARTNER_BUSIEST = Prepared(
    lambda partner, limit: busiest_sql(partner_map_kinds(partner, ""), limit), params=["partner"], model=Office
)
