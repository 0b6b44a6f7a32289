"""The maps of the list pages (cooperation/pictures/lists.py): the offices' and meetings' place
facet is added up from the map's places, which group the same rows; what the reader sees in
both must be what counting the rows on the fly gives, whether the count tables answer for the
filters or not."""

import pytest
from django.http import QueryDict

from cooperation.core.partial_dates import PartialDate as PD
from events.filters import MeetingFilterSet
from events.selectors import meeting_list
from partners.filters import OfficeFilterSet
from partners.selectors import office_list
from tests import factories as f
from tests.helpers.listing import facet
from tests.helpers.pages import Page

pytestmark = pytest.mark.django_db


def counted_on_the_fly(filterset_class, rows, params):
    """{place slug: rows} of the place facet, counted from the list's ``rows`` every filter but
    the place leaves, as a list without a map counts it."""
    filterset = filterset_class(QueryDict(params), queryset=rows)
    place = filterset.list_filters["place"]
    rows = place.counts(filterset.filter_queryset(filterset.queryset.all(), exclude="place"))
    return {row["slug"]: row["count"] for row in place.named(rows)}


def map_places(response):
    """{place slug: the count its marker says}, from the list beside the map."""
    return {row["slug"]: row["count"] for row in response.context["view"].map_places()}


def facet_with_rows(response):
    """{place slug: rows} of the place facet's options with rows (a ticked one may have none)."""
    return {slug: count for slug, count in facet(response, "place").items() if count}


@pytest.fixture
def places():
    return {slug: f.PlaceFactory(slug=slug, name=slug.title()) for slug in ("baku", "geneva", "tbilisi")}


MEETING_QUESTIONS = (
    "",
    "partner=iom",
    "partner=iom&kind=visit&year=2016",  # the count tables know no place with these: grouped
    "partner=iom&kind=visit&year=2016&place=baku",
    "partner=iom&partner=cis",  # two partners: a meeting with both counted once
    "partner=iom&partner=cis&kind=visit&year=2016",
    "kind=visit&place=geneva&place=tbilisi",
    "year=2020",  # no rows
)


@pytest.mark.parametrize("params", MEETING_QUESTIONS)
def test_the_meetings_place_facet_is_the_places_counted_on_the_fly(client, places, params):
    iom = f.PartnerFactory(slug="iom")
    cis = f.PartnerFactory(slug="cis")
    baku, geneva, tbilisi = places["baku"], places["geneva"], places["tbilisi"]
    f.MeetingFactory(kind="visit", start=PD(2016, 3), partners=[iom, cis], location=baku)
    f.MeetingFactory(kind="visit", start=PD(2016, 5), partners=[iom], location=baku)
    f.MeetingFactory(kind="visit", start=PD(2015), end=PD(2016), partners=[cis], location=geneva)
    f.MeetingFactory(kind="summit", start=PD(2016), partners=[iom], location=tbilisi)
    f.MeetingFactory(kind="visit", start=PD(2016), partners=[iom], location=tbilisi, published=False)
    f.MeetingFactory(kind="visit", start=PD(2016), partners=[iom])  # at no place

    response = client.get(f"/meetings/?{params}")

    expected = counted_on_the_fly(MeetingFilterSet, meeting_list(), params)
    assert facet_with_rows(response) == expected
    assert map_places(response) == expected
    if params == "partner=iom&kind=visit&year=2016":
        assert expected == {"baku": 2}


@pytest.mark.parametrize("params", ["", "partner=unicef", "partner=unicef&country=ge", "place=baku&partner=iom"])
def test_the_offices_place_facet_is_the_places_counted_on_the_fly(client, places, params):
    iom = f.PartnerFactory(slug="iom")
    unicef = f.PartnerFactory(slug="unicef")
    f.OfficeFactory(partner=iom, location=places["baku"])
    f.OfficeFactory(partner=unicef, location=places["baku"])
    f.OfficeFactory(partner=unicef, location=places["tbilisi"], country="GE")
    f.OfficeFactory(partner=unicef, location=places["tbilisi"], country="GE", published=False)
    f.OfficeFactory(partner=f.PartnerFactory(published=False), location=places["geneva"])

    response = client.get(f"/offices/?{params}")

    expected = counted_on_the_fly(OfficeFilterSet, office_list(), params)
    assert facet_with_rows(response) == expected
    assert map_places(response) == expected


def test_a_new_meeting_shows_in_the_facet_and_on_the_map_at_once(client, places):
    iom = f.PartnerFactory(slug="iom")
    f.MeetingFactory(kind="visit", start=PD(2016), partners=[iom], location=places["baku"])
    url = "/meetings/?partner=iom&kind=visit&year=2016"
    assert facet(client.get(url), "place") == {"baku": 1}

    f.MeetingFactory(kind="visit", start=PD(2016), partners=[iom], location=places["baku"])
    response = client.get(url)

    assert facet(response, "place") == {"baku": 2}
    text = Page(response).text
    assert "Baku Azerbaijan 2 meetings (2016–)" in text


def test_rows_the_release_before_kept_under_the_old_name_are_not_read(client, places):
    """The release before kept a list's map rows, without the place's id, under "map": a server
    of this release, beside one of that release, reads its own ("map-rows")."""
    from cooperation.core.cache import cached

    iom = f.PartnerFactory(slug="iom")
    f.MeetingFactory(kind="visit", start=PD(2016), partners=[iom], location=places["baku"])
    params = "partner=iom&kind=visit&year=2016"
    filterset = MeetingFilterSet(QueryDict(params), queryset=meeting_list())
    old = [{"slug": "baku", "kind": "meeting", "count": 1, "first": "", "year": 2016}]  # no "pk"
    cached("map", [*filterset.cache_parts(), "place"], lambda: old)

    response = client.get(f"/meetings/?{params}&all=place")

    assert response.status_code == 200
    assert facet_with_rows(response) == {"baku": 1}
