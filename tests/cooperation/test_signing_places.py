"""``?place=`` on /agreements/: the agreements signed at a place (the location of one of their
signatures), with its facet, its notice for a place that does not exist, and the map of the list;
the maps of home and of a partner lead a place of several signatures to that list. The offices'
and meetings' lists say the same of a place that does not exist."""

import xml.etree.ElementTree as ET

import pytest
from django.utils.html import escape

from cooperation.core.partial_dates import PartialDate as PD
from tests import factories as f
from tests.helpers.listing import facet, titles

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def signed():
    baku = f.PlaceFactory(slug="baku", name="Baku", name_ru="Баку")
    geneva = f.PlaceFactory(slug="geneva", name="Geneva", country="CH", latitude="46.2044", longitude="6.1432")
    iom = f.PartnerFactory(slug="iom", acronym="IOM")
    eu = f.PartnerFactory(slug="eu", acronym="EU")

    def agreement(title, slug, parties, *actions):
        record = f.AgreementFactory(title=title, slug=slug, parties=parties, signed=None, actions=False)
        for kind, date, place in actions:
            f.AgreementActionFactory(agreement=record, kind=kind, date=date, location=place)
        return record

    agreement("Cooperation", "coop", [iom], ("signature", PD(1999, 12, 8), baku))
    agreement("Training centre", "centre", [iom], ("signature", None, baku))  # undated, but signed in Baku
    # Signed by one party in Baku, by the other in Geneva: at both places.
    agreement(
        "Readmission", "readmission", [eu], ("signature", PD(2013, 11), baku), ("signature", PD(2013, 12), geneva)
    )
    # Ratified in Geneva: not a signature, so not signed there.
    agreement("Visas", "visas", [eu], ("signature", PD(2013, 11, 29), None), ("ratification", PD(2014), geneva))
    draft = agreement("Draft", "draft", [eu], ("signature", PD(2010), baku))
    draft.published = False
    draft.save()
    return baku, geneva, iom, eu


def test_agreements_signed_at_a_place(client, signed):
    assert titles(client.get("/agreements/?place=baku")) == ["Readmission", "Cooperation", "Training centre"]
    assert titles(client.get("/agreements/?place=geneva")) == ["Readmission"]
    assert titles(client.get("/agreements/?place=geneva&place=baku")) == [
        "Readmission",
        "Cooperation",
        "Training centre",
    ]
    assert titles(client.get("/agreements/?place=baku&partner=iom")) == ["Cooperation", "Training centre"]


def test_the_place_facet_counts_agreements_signed_there_under_the_other_filters(client, signed):
    assert facet(client.get("/agreements/"), "place") == {"baku": 3, "geneva": 1}
    assert facet(client.get("/agreements/?partner=eu"), "place") == {"baku": 1, "geneva": 1}
    response = client.get("/agreements/?place=baku")
    assert facet(response, "partner") == {"iom": 2, "eu": 1}
    assert "Place signed" in response.content.decode()


@pytest.mark.parametrize("path", ["/agreements/", "/offices/", "/meetings/"])
def test_a_place_that_does_not_exist_is_ignored_with_a_notice(client, signed, path):
    response = client.get(f"{path}?place=atlantis")

    assert response.status_code == 200
    assert escape("There is no place “atlantis”") in response.content.decode()
    assert response.context["result_count"] == client.get(path).context["result_count"]


def test_the_agreements_map_follows_the_filters_and_leads_a_place_of_several_to_its_list(client, signed):
    html = client.get("/agreements/?partner=eu").content.decode()
    svg = ET.fromstring(html[html.index("<svg") : html.index("</svg>") + 6])
    links = {a.find(f"{SVG}title").text: a.get("href") for a in svg.iter(f"{SVG}a")}

    assert links == {
        "Baku: 1 agreement signed (2013)": "/agreements/readmission/",
        "Geneva: 1 agreement signed (2013)": "/agreements/readmission/",
    }
    html = client.get("/agreements/?place=baku").content.decode()
    assert 'href="?place=baku"' in html  # the place of 3: the list at that place
    assert "3 agreements signed (1999–)" in html


def markers(html):
    """{marker's title: its link} of the page's map."""
    svg = ET.fromstring(
        html[html.index('<svg class="map-svg"') : html.index("</svg>", html.index('<svg class="map-svg"')) + 6]
    )
    return {a.find(f"{SVG}title").text: a.get("href") for a in svg.iter(f"{SVG}a")}


def test_the_home_map_leads_a_place_of_several_signatures_to_the_agreements_signed_there(client, signed):
    assert markers(client.get("/").content.decode()) == {
        "Baku: 3 agreements signed (1999–)": "/agreements/?place=baku",
        "Geneva: 1 agreement signed (2013)": "/agreements/readmission/",
    }


def test_the_partner_map_shows_its_signatures_and_leads_to_its_agreements_signed_there(client, signed):
    assert markers(client.get("/partners/iom/").content.decode()) == {
        "Baku: 2 agreements signed (1999–)": "/agreements/?partner=iom&place=baku"
    }
    assert markers(client.get("/partners/eu/").content.decode()) == {
        "Baku: 1 agreement signed (2013)": "/agreements/readmission/",
        "Geneva: 1 agreement signed (2013)": "/agreements/readmission/",
    }
    assert titles(client.get("/agreements/?partner=iom&place=baku")) == ["Cooperation", "Training centre"]
