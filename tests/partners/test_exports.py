"""The partner list's export columns (partners/exports.py); the office list's are tested with the
meeting list's (tests/events/test_exports.py)."""

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


def test_partner_export_has_labels_country_parent_year_dates_numbers_and_other_names(client):
    austria = f.PartnerFactory(slug="austria", name="Republic of Austria", acronym="", kind="state", scope="bilateral")
    f.PartnerFactory(
        slug="austrian-interior",
        name="Austrian Federal Ministry of the Interior",
        acronym="BMI",
        kind="state-agency",
        scope="bilateral",
        country="AT",
        parent=austria,
        founded=PD(1848),
        member_states=None,
        other_names="Bundesministerium für Inneres\nAustrian Ministry of Interior\n",
    )
    f.PartnerFactory(
        slug="iom",
        name="International Organization for Migration",
        acronym="IOM",
        headquarters="Geneva, Switzerland",
        member_states=175,
        website="https://www.iom.int/",
    )
    rows = {row["slug"]: row for row in export(client, "/partners/", "csv")}
    ministry = rows["austrian-interior"]
    assert (ministry["kind"], ministry["scope"]) == ("State agency", "Bilateral")
    assert (ministry["country"], ministry["country_code"]) == ("Austria", "AT")
    assert (ministry["parent"], ministry["parent_slug"]) == ("Republic of Austria", "austria")
    assert (ministry["founded"], ministry["founded_iso"], ministry["founded_precision"]) == ("1848", "1848", "year")
    assert ministry["other_names"] == "Bundesministerium für Inneres; Austrian Ministry of Interior"
    assert ministry["member_states"] == ""
    iom = rows["iom"]
    assert (iom["kind"], iom["scope"], iom["member_states"]) == ("International organisation", "Multilateral", "175")
    assert (iom["country"], iom["country_code"], iom["parent"], iom["parent_slug"]) == ("", "", "", "")
    results = {result["slug"]: result for result in export(client, "/partners/", "json")}
    assert results["iom"]["member_states"] == 175
    assert results["austrian-interior"]["other_names"] == [
        "Bundesministerium für Inneres",
        "Austrian Ministry of Interior",
    ]
    assert results["iom"]["other_names"] == [] and results["iom"]["parent"] is None
