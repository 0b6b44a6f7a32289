"""The places a map shows, read from the database (cooperation/pictures/places.py) and on pages."""

import re
import xml.etree.ElementTree as ET

import pytest

from cooperation.core.listing import count_reads
from cooperation.core.partial_dates import PartialDate as PD
from cooperation.pages import maps
from cooperation.pages.maps import home_kinds
from cooperation.pictures.places import Kind, busiest_places, place_rows
from events.models import (
    Meeting,
    MeetingPartnerPlaceCount,
    MeetingPartnerPlaceTotal,
    MeetingPlaceCount,
    MeetingPlaceTotal,
    MeetingPlaceYear,
)
from tests import factories as f
from tests.helpers.pages import map_figure

pytestmark = pytest.mark.django_db


def test_home_places_count_published_offices_and_meetings_per_place(django_assert_num_queries):
    baku = f.PlaceFactory(slug="baku", name="Baku")
    geneva = f.PlaceFactory(slug="geneva", name="Geneva", country="CH", latitude="46.2044", longitude="6.1432")
    f.OfficeFactory(slug="iom-baku", location=baku)
    f.MeetingFactory(slug="m1", location=baku)
    f.MeetingFactory(slug="m2", location=baku)
    f.MeetingFactory(slug="draft", location=geneva, published=False)
    f.MeetingFactory(slug="m3", location=geneva, start=PD(2011, 5))
    f.MeetingFactory(slug="m4", location=geneva, start=PD(2009), published=False)
    f.AgreementActionFactory(agreement=f.AgreementFactory(slug="signed", signed=None), location=geneva)
    f.AgreementActionFactory(agreement=f.AgreementFactory(slug="draft", published=False), location=baku)

    # One query, and one each for the meeting and the signing alone at their place (both are
    # counted by their count tables, which do not know them by name).
    with django_assert_num_queries(3):
        rows = place_rows(home_kinds())

    found = sorted((row["slug"], row["kind"], row["count"], row["first"], row["year"]) for row in rows)
    assert found == [
        ("baku", "meeting", 2, "", 2016),
        ("baku", "office", 1, "iom-baku", 1998),
        ("geneva", "meeting", 1, "m3", 2011),
        ("geneva", "signing", 1, "signed", 2001),
    ]


def test_places_read_from_the_count_tables_are_those_grouped_from_the_records():
    """The count tables of meetings by place (and by partner and place) give each place's count
    and first year as a GROUP BY of the published meetings does, undated ones and drafts included."""
    baku = f.PlaceFactory(slug="baku", name="Baku")
    geneva = f.PlaceFactory(slug="geneva", name="Geneva", country="CH", latitude="46.2044", longitude="6.1432")
    iom = f.PartnerFactory(slug="iom")
    f.MeetingFactory(slug="undated", location=baku, start=None, partners=[iom])
    f.MeetingFactory(slug="later", location=baku, start=PD(2019, 5), partners=[iom])
    f.MeetingFactory(slug="earlier", location=baku, start=PD(2011), end=PD(2013))
    f.MeetingFactory(slug="alone", location=geneva, start=PD(2015, 2, 3), partners=[iom])
    f.MeetingFactory(slug="draft", location=geneva, start=PD(2001), published=False, partners=[iom])
    f.MeetingFactory(slug="nowhere", location=None, partners=[iom])

    def rows(queryset, counts):
        kind = Kind("meeting", queryset, "start", record_url=str, counts=counts)
        return sorted((row["slug"], row["count"], row["first"], row["year"]) for row in place_rows([kind]))

    everyone = Meeting.objects.published()
    assert rows(everyone, MeetingPlaceCount.objects.all()) == [("baku", 3, "", 2011), ("geneva", 1, "alone", 2015)]
    assert rows(everyone, MeetingPlaceYear.objects.all()) == [("baku", 3, "", 2011), ("geneva", 1, "alone", 2015)]
    totals = Kind(
        "meeting",
        everyone,
        "start",
        record_url=str,
        counts=MeetingPlaceTotal.objects.all(),
        first_years=MeetingPlaceYear.objects.all(),
    )
    by_total = sorted((row["slug"], row["count"], row["first"], row["year"]) for row in place_rows([totals]))
    assert by_total == [("baku", 3, "", 2011), ("geneva", 1, "alone", 2015)]
    grouped = rows(everyone, None)
    assert [(slug, count, year) for slug, count, _first, year in grouped] == [("baku", 3, 2011), ("geneva", 1, 2015)]
    of_iom = everyone.filter(partners=iom)
    assert rows(of_iom, MeetingPartnerPlaceCount.objects.filter(partner=iom)) == [
        ("baku", 2, "", 2019),
        ("geneva", 1, "alone", 2015),
    ]
    # A row a place, its first year read from the table by years (a partner's map).
    kind = Kind(
        "meeting",
        of_iom,
        "start",
        record_url=str,
        counts=MeetingPartnerPlaceTotal.objects.filter(partner=iom),
        first_years=MeetingPartnerPlaceCount.objects.filter(partner=iom),
    )
    by_total = sorted((row["slug"], row["count"], row["first"], row["year"]) for row in place_rows([kind]))
    assert by_total == [("baku", 2, "", 2019), ("geneva", 1, "alone", 2015)]
    f.MeetingFactory(slug="only-undated", location=f.PlaceFactory(slug="tbilisi"), start=None, partners=[iom])
    assert ("tbilisi", 1, "only-undated", None) in [
        (row["slug"], row["count"], row["first"], row["year"]) for row in place_rows([kind])
    ]


def test_the_meetings_map_follows_the_filters_and_links_each_marker(client):
    baku = f.PlaceFactory(slug="baku", name="Baku")
    geneva = f.PlaceFactory(slug="geneva", name="Geneva", country="CH", latitude="46.2044", longitude="6.1432")
    iom = f.PartnerFactory(slug="iom")
    f.MeetingFactory(slug="one", location=baku, partners=[iom])
    f.MeetingFactory(slug="two", location=geneva, partners=[iom])
    f.MeetingFactory(slug="three", location=geneva, partners=[iom])
    f.MeetingFactory(slug="other", location=baku)

    links = marker_links(client.get("/meetings/?partner=iom").content.decode())

    assert links == {
        "Geneva: 2 meetings (2016–)": "?partner=iom&place=geneva",
        "Baku: 1 meeting (2016)": "/meetings/one/",
    }
    filtered = client.get("/meetings/?partner=iom&place=geneva").content.decode()
    assert "/meetings/two/" in filtered and "/meetings/one/" not in filtered.split('<ol class="result-list"')[1]


def test_the_meetings_map_of_a_kind_counts_its_places_and_their_first_years_from_the_tables(client):
    """A place's meetings of the kind in all (MeetingPlaceKind) and its first year of them (by the
    key of MeetingPlaceCount), as without a filter (MeetingPlaceTotal and MeetingPlaceYear)."""
    baku = f.PlaceFactory(slug="baku", name="Baku")
    geneva = f.PlaceFactory(slug="geneva", name="Geneva", country="CH", latitude="46.2044", longitude="6.1432")
    f.MeetingFactory(slug="v1", kind="visit", location=baku, start=PD(2014))
    f.MeetingFactory(slug="v2", kind="visit", location=baku, start=PD(2011, 3), end=PD(2012))
    f.MeetingFactory(slug="undated", kind="visit", location=baku, start=None)
    f.MeetingFactory(slug="s1", kind="summit", location=baku, start=PD(2005))
    f.MeetingFactory(slug="v3", kind="visit", location=geneva, start=PD(2019))
    f.MeetingFactory(slug="draft", kind="visit", location=geneva, start=PD(2001), published=False)

    assert marker_links(client.get("/meetings/?kind=visit").content.decode()) == {
        "Baku: 3 meetings (2011–)": "?kind=visit&place=baku",
        "Geneva: 1 meeting (2019)": "/meetings/v3/",
    }
    assert marker_links(client.get("/meetings/").content.decode()) == {
        "Baku: 4 meetings (2005–)": "?place=baku",
        "Geneva: 1 meeting (2019)": "/meetings/v3/",
    }


@pytest.mark.parametrize("overlap_limit", [count_reads.OVERLAP_LIMIT, 0])
def test_the_meetings_map_of_two_partners_counts_a_meeting_of_both_once(client, monkeypatch, overlap_limit):
    """Read from the count tables (each partner's places, less the meetings of both) or, past
    OVERLAP_LIMIT, grouped from the meetings: the same markers."""
    monkeypatch.setattr(count_reads, "OVERLAP_LIMIT", overlap_limit)
    baku = f.PlaceFactory(slug="baku", name="Baku")
    geneva = f.PlaceFactory(slug="geneva", name="Geneva", country="CH", latitude="46.2044", longitude="6.1432")
    iom, eu = f.PartnerFactory(slug="iom"), f.PartnerFactory(slug="eu")
    f.MeetingFactory(slug="both", location=baku, start=PD(2014), partners=[iom, eu])
    f.MeetingFactory(slug="two", location=geneva, start=PD(2016), partners=[iom, eu])
    f.MeetingFactory(slug="three", location=geneva, start=PD(2017), partners=[eu])
    f.MeetingFactory(slug="other", location=baku)

    links = marker_links(client.get("/meetings/?partner=iom&partner=eu").content.decode())
    assert links == {
        "Geneva: 2 meetings (2016–)": "?partner=iom&partner=eu&place=geneva",
        "Baku: 1 meeting (2014)": "/meetings/both/",
    }


def marker_links(html):
    """{a marker's title: where it leads} of the first map on a page."""
    svg = ET.fromstring(html[html.index("<svg") : html.index("</svg>") + 6])
    return {
        a.find("{http://www.w3.org/2000/svg}title").text: a.get("href")
        for a in svg.iter("{http://www.w3.org/2000/svg}a")
    }


def test_the_busiest_places_have_the_first_years_read_with_every_place(django_assert_num_queries):
    """Home's and a partner's maps read the places with the most records, with their first years
    read for those alone (busiest_places, one query): the same years as read with every place
    (place_rows), an undated place with none."""
    baku, geneva, tbilisi = (f.PlaceFactory(slug=slug) for slug in ("baku", "geneva", "tbilisi"))
    f.MeetingFactory(location=baku, start=PD(2019))
    f.MeetingFactory(location=baku, start=PD(2012, 5))
    f.MeetingFactory(location=baku, start=None)
    f.MeetingFactory(location=geneva, start=None)  # only undated ones: no year
    f.MeetingFactory(location=tbilisi, start=PD(2008))
    f.AgreementActionFactory(agreement=f.AgreementFactory(signed=None), location=geneva, date=PD(2003))
    f.AgreementActionFactory(agreement=f.AgreementFactory(signed=None), location=baku, date=PD(2010, 2))
    f.AgreementActionFactory(agreement=f.AgreementFactory(signed=None), location=baku, date=PD(2006))
    f.OfficeFactory(location=tbilisi, opened=PD(1999))
    kinds = home_kinds()

    def found(rows):
        return sorted((row["slug"], row["kind"], row["count"], row["year"]) for row in rows)

    every = found(place_rows(kinds, records=False))
    assert every == [
        ("baku", "meeting", 3, 2012),
        ("baku", "signing", 2, 2006),
        ("geneva", "meeting", 1, None),
        ("geneva", "signing", 1, 2003),
        ("tbilisi", "meeting", 1, 2008),
        ("tbilisi", "office", 1, 1999),
    ]
    with django_assert_num_queries(1):
        assert found(busiest_places(kinds, 3).rows) == every
    with django_assert_num_queries(1):
        kept = busiest_places(kinds, 2).rows  # baku, and geneva before tbilisi by slug
    assert found(kept) == [row for row in every if row[0] in {"baku", "geneva"}]


def test_the_busiest_places_are_chosen_by_the_database_with_ties_by_slug_as_python_orders_them(
    django_assert_num_queries,
):
    """The places with the most records, ties by slug compared character by character (as
    Python does, whatever the database's collation: "a-z" before "ab"), with how many places
    there are in all and every kind any place has, kept or not (the map's note links the lists
    of those)."""
    # Named so that by name the other of the two tied places would come first.
    names = {"ab": "Astara", "a-z": "Zaqatala", "baku": "Baku", "tbilisi": "Tbilisi"}
    places = {slug: f.PlaceFactory(slug=slug, name=name) for slug, name in names.items()}
    for _ in range(3):
        f.MeetingFactory(location=places["baku"])
    f.MeetingFactory(location=places["ab"])
    f.MeetingFactory(location=places["a-z"])
    f.OfficeFactory(location=places["tbilisi"])
    kinds = home_kinds()

    with django_assert_num_queries(1):
        busiest = busiest_places(kinds, 2)

    assert sorted((row["slug"], row["kind"], row["count"]) for row in busiest.rows) == [
        ("a-z", "meeting", 1),
        ("baku", "meeting", 3),
    ]
    assert (busiest.places, busiest.left_out, busiest.kinds) == (4, 2, {"meeting", "office"})
    everything = busiest_places(kinds, 10)
    assert sorted(row["slug"] for row in everything.rows) == ["a-z", "ab", "baku", "tbilisi"]
    assert (everything.places, everything.left_out) == (4, 0)

    Meeting.objects.all().delete()
    only_offices = busiest_places(kinds, 1)
    assert [(row["slug"], row["kind"]) for row in only_offices.rows] == [("tbilisi", "office")]
    assert (only_offices.places, only_offices.left_out, only_offices.kinds) == (1, 0, {"office"})


def test_the_home_map_shows_the_places_with_the_most_records_and_leads_to_the_lists_for_the_others(client, monkeypatch):
    baku, geneva, tbilisi = (
        f.PlaceFactory(slug=slug, name=name)
        for slug, name in [("baku", "Baku"), ("geneva", "Geneva"), ("tbilisi", "Tbilisi")]
    )
    f.OfficeFactory(slug="iom-baku", location=baku)
    f.MeetingFactory(slug="m1", location=baku)
    f.MeetingFactory(slug="m2", location=geneva)
    f.MeetingFactory(slug="m3", location=geneva)
    f.MeetingFactory(slug="m4", location=tbilisi)
    monkeypatch.setattr(maps, "HOME_MAP_PLACES", 2)

    caption, markers, listed, note = map_figure(client.get("/").content.decode())

    assert caption.endswith("(3 places; the 2 with the most records are shown)")
    assert listed == ["baku", "geneva"] and len(markers) == 2
    # Every place is on the maps of the lists of the kinds it has, unfiltered.
    assert note.startswith("1 more place, with fewer records, is on the maps of the lists:")
    assert re.findall(r'href="([^"]+)"', note) == ["/offices/#map-caption", "/meetings/#map-caption"]
    assert 'id="map-tbilisi"' in client.get("/meetings/").content.decode()


@pytest.mark.parametrize("path", ["/agreements/?partner=iom", "/partners/iom/"])
def test_a_place_of_one_signed_agreement_leads_to_it_on_the_agreements_map_and_the_partners(client, path):
    """The slug of a place's one agreement is found after the places are read (the list's map
    groups the signings, a partner's reads them from the count tables): the same markers either
    way, an agreement signed twice at a place counted once."""
    baku = f.PlaceFactory(slug="baku", name="Baku")
    geneva = f.PlaceFactory(slug="geneva", name="Geneva", country="CH", latitude="46.2044", longitude="6.1432")
    iom = f.PartnerFactory(slug="iom", name="IOM")
    lone = f.AgreementFactory(slug="lone", signed=None, parties=[iom])
    f.AgreementActionFactory(agreement=lone, location=baku, date=PD(2001, 5, 3))
    f.AgreementActionFactory(agreement=lone, location=baku, date=PD(2002), kind="definitive-signature")
    for slug in ("first", "second"):
        f.AgreementActionFactory(agreement=f.AgreementFactory(slug=slug, signed=None, parties=[iom]), location=geneva)
    f.AgreementActionFactory(
        agreement=f.AgreementFactory(slug="draft", published=False, parties=[iom]), location=geneva
    )

    links = marker_links(client.get(path).content.decode())

    assert links["Baku: 1 agreement signed (2001)"] == "/agreements/lone/"
    assert links["Geneva: 2 agreements signed (2001–)"].endswith("?partner=iom&place=geneva")


def test_an_untranslated_place_is_marked_english_on_the_map_and_in_its_list(client):
    """On an Azerbaijani page a place's name with no translation is marked ``lang="en"`` on its
    label and in the list beside the map; a translated one is not. (The map marked them before the
    pictures shared ``lang_attribute``: this keeps it so.)"""
    baku = f.PlaceFactory(slug="baku", name="Baku", name_az="Bakı")
    geneva = f.PlaceFactory(slug="geneva", name="Geneva", country="CH", latitude="46.2044", longitude="6.1432")
    f.MeetingFactory(slug="one", location=baku)
    f.MeetingFactory(slug="two", location=geneva)

    html = client.get("/az/meetings/").content.decode()

    svg = ET.fromstring(html[html.index('<svg class="map-svg"') : html.index("</svg>") + 6])
    labels = {text.text: text.get("lang") for text in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert labels == {"Bakı": None, "Geneva": "en"}
    assert '<a href="/az/meetings/two/"><span lang="en">Geneva</span></a>' in html
    assert '<a href="/az/meetings/one/">Bakı</a>' in html


def test_the_list_beside_a_map_names_no_country_after_a_place_that_is_one(client):
    """ "Georgia" alone, in every language ("Georgia Gürcüstan" on an Azerbaijani page where the
    place has no Azerbaijani name); a city keeps its country after it."""
    georgia = f.PlaceFactory(slug="georgia", name="Georgia", country="GE", kind="country")
    tbilisi = f.PlaceFactory(slug="tbilisi", name="Tbilisi", name_az="Tbilisi", country="GE")
    f.MeetingFactory(slug="in-georgia", location=georgia, country="GE")
    f.MeetingFactory(slug="in-tbilisi", location=tbilisi, country="GE")

    html = client.get("/az/meetings/").content.decode()
    assert re.search(r'<a href="[^"]*"><span lang="en">Georgia</span></a><br>', html)
    assert re.search(r'<a href="[^"]*">Tbilisi</a> <span class="meta">Gürcüstan</span>', html)
