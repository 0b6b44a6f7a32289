"""The meeting list's export columns (events/exports.py), and the office list's
(partners/exports.py): places, people and dates to the day."""

import pytest

from cooperation.core.partial_dates import PartialDate as PD
from tests import factories as f
from tests.helpers.exports import export

pytestmark = pytest.mark.django_db


def test_meeting_and_office_exports_have_places_people_and_day_dates(client):
    iom = f.PartnerFactory(slug="iom", acronym="IOM")
    swing = f.PersonFactory(slug="william-lacy-swing", name="William Lacy Swing")
    project = f.ProjectFactory(slug="unimig", title="UNIMIG")
    meeting = f.MeetingFactory(
        slug="council-107",
        title="107th Council session",
        kind="governing-body-session",
        start=PD(2016, 12, 5),
        end=PD(2016, 12, 8),
        city="Geneva",
        country="CH",
        partners=[iom],
        participants_note="SMS employees",
    )
    meeting.participants.set([swing])
    meeting.projects.set([project])
    f.OfficeFactory(slug="iom-baku", name="IOM Baku", partner=iom, kind="country-office", opened=PD(1996))
    [row] = export(client, "/meetings/", "csv")
    assert (row["kind"], row["dates"]) == ("Governing-body session", "5–8 December 2016")
    assert (row["start"], row["start_iso"], row["start_precision"]) == ("5 December 2016", "2016-12-05", "day")
    assert (row["city"], row["country"], row["country_code"]) == ("Geneva", "Switzerland", "CH")
    assert (row["partners"], row["partner_slugs"]) == ("IOM", "iom")
    assert (row["participants"], row["participant_slugs"]) == ("William Lacy Swing", "william-lacy-swing")
    assert (row["participants_note"], row["projects"], row["project_slugs"]) == ("SMS employees", "UNIMIG", "unimig")
    assert (row["agreements"], row["agreement_slugs"]) == ("", "")
    [office] = export(client, "/offices/", "csv")
    assert (office["partner"], office["partner_slug"], office["kind"]) == ("IOM", "iom", "Country office")
    assert (office["city"], office["country"], office["country_code"]) == ("Baku", "Azerbaijan", "AZ")
    assert (office["opened"], office["opened_iso"], office["opened_precision"], office["closed"]) == (
        "1996",
        "1996",
        "year",
        "",
    )
