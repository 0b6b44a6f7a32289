"""The meeting list's export columns (events/exports.py), and the office list's
(partners/exports.py): places, people and dates to the day."""

import codecs
import csv
import io
import json

import pytest
from django.http import StreamingHttpResponse

from cooperation.core.partial_dates import PartialDate as PD
from tests import factories as f

pytestmark = pytest.mark.django_db


def body(response):
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def csv_rows(response):
    """The CSV export as a list of {column: cell}; checks the content type."""
    assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
    return parse_csv(body(response))


def parse_csv(data):
    """{column: cell} a row of UTF-8 CSV bytes that start with a byte-order mark."""
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def json_export(response):
    assert response["Content-Type"] == "application/json"
    return json.loads(body(response))


def export(client, path, export_format="csv"):
    separator = "&" if "?" in path else "?"
    response = client.get(f"{path}{separator}format={export_format}")
    assert response.status_code == 200
    return csv_rows(response) if export_format == "csv" else json_export(response)["results"]


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
