"""The lists' exports: every list with an export, and an export read back (the bytes of a streamed
response, its CSV rows, its JSON and its workbook)."""

import codecs
import csv
import io
import json

import openpyxl
from django.http import StreamingHttpResponse

from cooperation.core import workbooks
from cooperation.views import AgreementListView, ProjectListView, SourceListView, TopicListView
from events.views import MeetingListView
from partners.views import OfficeListView, PartnerListView, PersonListView

LIST_VIEWS = {
    "partners": PartnerListView,
    "offices": OfficeListView,
    "agreements": AgreementListView,
    "projects": ProjectListView,
    "meetings": MeetingListView,
    "topics": TopicListView,
    "people": PersonListView,
    "sources": SourceListView,
}


def streamed_body(response):
    """The bytes of a streamed response (an export is always streamed)."""
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def csv_rows(response):
    """The CSV export as a list of {column: cell}; checks the content type."""
    assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
    return parse_csv(streamed_body(response))


def parse_csv(data):
    """{column: cell} a row of UTF-8 CSV bytes that start with a byte-order mark."""
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def json_export(response):
    assert response["Content-Type"] == "application/json"
    return json.loads(streamed_body(response))


def xlsx_sheet(response):
    """The only sheet of the XLSX export, opened with openpyxl; checks the content type."""
    assert response["Content-Type"] == workbooks.CONTENT_TYPE
    workbook = openpyxl.load_workbook(io.BytesIO(streamed_body(response)))
    assert len(workbook.worksheets) == 1
    return workbook.active


def xlsx_rows(response):
    """The XLSX export as a list of {column: cell value} (None for an empty cell)."""
    header, *rows = xlsx_sheet(response).iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def export(client, path, export_format="csv"):
    separator = "&" if "?" in path else "?"
    response = client.get(f"{path}{separator}format={export_format}")
    assert response.status_code == 200
    if export_format == "xlsx":
        return xlsx_rows(response)
    return csv_rows(response) if export_format == "csv" else json_export(response)["results"]
