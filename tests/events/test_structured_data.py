"""The schema.org JSON-LD of the meeting page (events/structured_data.py)."""

import pytest

from cooperation.core.partial_dates import PartialDate
from tests import factories as f
from tests.helpers.pages import json_ld

pytestmark = pytest.mark.django_db


def test_meeting_page_describes_an_event_with_its_dates_at_their_precision_place_and_attendees(client):
    iom = f.PartnerFactory(name="IOM", acronym="", slug="iom")
    swing = f.PersonFactory(name="William Lacy Swing", slug="swing")
    meeting = f.MeetingFactory(
        slug="swing-visit",
        title="Official visit of W.L. Swing",
        start=PartialDate(2014, 7, 4),
        end=PartialDate(2014, 7, 5),
        city="Baku",
        country="AZ",
        partners=[iom, f.PartnerFactory(name="Quokka Office", slug="quokka", published=False)],
    )
    meeting.participants.set([swing, f.PersonFactory(name="Quokka Person", published=False)])

    [data] = json_ld(client.get("/meetings/swing-visit/"))

    assert data["@type"] == "Event"
    assert (data["name"], data["startDate"], data["endDate"]) == (
        "Official visit of W.L. Swing",
        "2014-07-04",
        "2014-07-05",
    )
    assert data["location"] == {
        "@type": "Place",
        "name": "Baku, Azerbaijan",
        "address": {"@type": "PostalAddress", "addressLocality": "Baku", "addressCountry": "AZ"},
    }
    assert [(who["@type"], who["name"]) for who in data["attendee"]] == [
        ("Organization", "IOM"),
        ("Person", "William Lacy Swing"),
    ]
    assert "quokka" not in str(data).lower()


def test_a_meetings_data_is_in_the_pages_language_as_the_page(client):
    f.MeetingFactory(
        slug="swing-visit",
        title="Official visit of W.L. Swing",
        title_az="U.L. Svinqin rəsmi səfəri",
        description="A visit.",
        description_az="Səfər.",
        city="Baku",
        city_az="Bakı",
        country="AZ",
    )

    [az] = json_ld(client.get("/az/meetings/swing-visit/"))
    [ru] = json_ld(client.get("/ru/meetings/swing-visit/"))

    assert (az["name"], az["description"]) == ("U.L. Svinqin rəsmi səfəri", "Səfər.")
    assert az["location"]["name"] == "Bakı, Azərbaycan"
    assert az["location"]["address"]["addressLocality"] == "Bakı"
    # No Russian translation: the English, as the page shows it; the country in Russian.
    assert (ru["name"], ru["description"]) == ("Official visit of W.L. Swing", "A visit.")
    assert ru["location"]["name"] == "Baku, Азербайджан"


def test_a_meeting_known_to_the_year_only_has_a_year_and_no_place(client):
    f.MeetingFactory(slug="cluster-2001", start=PartialDate(2001), end=None, city="", country="")

    [data] = json_ld(client.get("/meetings/cluster-2001/"))

    assert data["startDate"] == "2001" and "endDate" not in data and "location" not in data
