"""The places a map shows, read from the database (cooperation/pictures/places.py) and on pages."""

import xml.etree.ElementTree as ET

import pytest

from cooperation.pages.maps import home_kinds
from cooperation.pictures.places import place_rows
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_home_places_count_published_offices_and_meetings_per_place(django_assert_num_queries):
    baku = f.PlaceFactory(slug="baku", name="Baku")
    geneva = f.PlaceFactory(slug="geneva", name="Geneva", country="CH", latitude="46.2044", longitude="6.1432")
    f.OfficeFactory(slug="iom-baku", location=baku)
    f.MeetingFactory(slug="m1", location=baku)
    f.MeetingFactory(slug="m2", location=baku)
    f.MeetingFactory(slug="draft", location=geneva, published=False)
    f.MeetingFactory(slug="m3", location=geneva)

    with django_assert_num_queries(1):
        rows = place_rows(home_kinds())

    found = sorted((row["slug"], row["kind"], row["count"], row["first"]) for row in rows)
    assert found == [("baku", "meeting", 2, "m1"), ("baku", "office", 1, "iom-baku"), ("geneva", "meeting", 1, "m3")]


def test_the_meetings_map_follows_the_filters_and_links_each_marker(client):
    baku = f.PlaceFactory(slug="baku", name="Baku")
    geneva = f.PlaceFactory(slug="geneva", name="Geneva", country="CH", latitude="46.2044", longitude="6.1432")
    iom = f.PartnerFactory(slug="iom")
    f.MeetingFactory(slug="one", location=baku, partners=[iom])
    f.MeetingFactory(slug="two", location=geneva, partners=[iom])
    f.MeetingFactory(slug="three", location=geneva, partners=[iom])
    f.MeetingFactory(slug="other", location=baku)

    html = client.get("/meetings/?partner=iom").content.decode()
    svg = ET.fromstring(html[html.index("<svg") : html.index("</svg>") + 6])
    links = {
        a.find("{http://www.w3.org/2000/svg}title").text: a.get("href")
        for a in svg.iter("{http://www.w3.org/2000/svg}a")
    }

    assert links == {
        "Geneva: 2 meetings (2016–)": "?partner=iom&place=geneva",
        "Baku: 1 meeting (2016)": "/meetings/one/",
    }
    filtered = client.get("/meetings/?partner=iom&place=geneva").content.decode()
    assert "/meetings/two/" in filtered and "/meetings/one/" not in filtered.split('<ol class="result-list"')[1]
