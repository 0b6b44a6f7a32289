"""The streaming .xlsx reader (cooperation/imports/xlsx.py): it reads what openpyxl reads, cell
for cell, in workbooks as openpyxl writes them and as Excel does (shared strings, rich text,
phonetic runs, formulas, booleans, errors, dates in both epochs, skipped rows and cells without
references); and it refuses XML that declares a document type or nests without end."""

import datetime
import io

import openpyxl
import pytest

from cooperation.imports import ImportFileError, read_table
from cooperation.imports.limits import Budget, Limits
from cooperation.imports.xlsx import cell_text, sheet_rows
from tests.helpers.workbooks import HEADER_ROW, MAIN, SHARED_STRINGS_TYPE, repeated, sheet_xml, xlsx_with

STYLES = f"""<styleSheet xmlns="{MAIN}">
<numFmts count="2"><numFmt numFmtId="164" formatCode="mmm yyyy"/><numFmt numFmtId="165" formatCode="[h]:mm"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>
<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/>
<xf numFmtId="49"/><xf numFmtId="22"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>""".encode()

SHARED = f"""<sst xmlns="{MAIN}" count="6" uniqueCount="6">
<si><t>slug</t></si><si><t>title</t></si>
<si><r><rPr><b/></rPr><t>Rich </t></r><r><t xml:space="preserve">text </t></r></si>
<si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh></si>
<si><t>line&#10;break x005F_x000D_ end</t></si><si/>
</sst>""".encode()

# What Excel writes: shared strings, references on most cells but not all, skipped rows, formulas.
EXCEL_ROWS = b"""<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>
<c r="C1" t="inlineStr"><is><t>kind</t></is></c></row>
<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c><c r="D2" t="s"><v>4</v></c></row>
<row><c><v>1998</v></c><c s="1"><v>38930</v></c><c s="2"><v>38930</v></c><c s="3"><v>1.5</v></c></row>
<row r="5"><c r="A5" t="b"><v>1</v></c><c r="B5" t="e"><v>#N/A</v></c>
<c r="C5" t="str"><f>A1&amp;"x"</f><v>slugx</v></c><c r="D5"><v>1E3</v></c><c r="E5"><v>2.50</v></c></row>
<row r="6"><c r="A6" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c>
<c r="B6" t="d" s="5"><v>2006-08-01T10:30:00</v></c><c r="C6" s="4" t="s"><v>5</v></c><c r="D6" t="b"><v>0</v></c></row>
<row r="7" spans="1:3" ht="20" customHeight="1"><c r="A7" s="1"/><c r="C7" s="2"/></row>
<row r="9"><c r="B9"><v>-0.25</v></c><c r="AA9" t="s"><v>1</v></c></row>"""


def excel_workbook(rows=EXCEL_ROWS, workbook_pr=b"<workbookPr/>", prefix=""):
    workbook = (
        b'<workbook xmlns="' + MAIN.encode() + b'" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships">' + workbook_pr + b'<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    if prefix:
        sheet = f'<{prefix}:worksheet xmlns:{prefix}="{MAIN}"><{prefix}:sheetData>'.encode()
        sheet += rows.replace(b"<", f"<{prefix}:".encode()).replace(f"<{prefix}:/".encode(), f"</{prefix}:".encode())
        sheet += f"</{prefix}:sheetData></{prefix}:worksheet>".encode()
    else:
        sheet = b"".join(sheet_xml(rows))
    return xlsx_with([sheet], [SHARED], parts={"xl/styles.xml": STYLES, "xl/workbook.xml": workbook})


def openpyxl_rows(data):
    """What the import read with openpyxl (read-only, cached values): each row that holds a
    value, by its number, without the empty cells at its end."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()
    rows = []
    for number, row in enumerate(sheet.iter_rows(), start=1):
        cells = [cell_text(cell.value, getattr(cell, "number_format", "")) for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append((number, cells))
    workbook.close()
    return rows


def streamed_rows(data):
    return [(number, cells) for number, cells in sheet_rows(data, Budget(Limits.from_settings())) if cells]


def openpyxl_written():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["slug", "start", "count", "flag", "share", "when"])
    sheet.append(["a", datetime.datetime(2006, 8, 1), 1998, True, 0.125, datetime.date(1999, 12, 8)])
    sheet.append([None, None, None])
    sheet.append(["b\nc", datetime.datetime(2016, 12, 5, 10, 30), -3, False, 1e20, datetime.time(10, 30)])
    sheet["B2"].number_format = "mmm-yy"
    sheet["F2"].number_format = "yyyy"
    sheet["H9"] = "far"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def chart_sheet_first():
    workbook = openpyxl.Workbook()
    workbook.active.append(["slug", "name"])
    workbook.active.append(["a", "A"])
    workbook.create_chartsheet("Chart", 0)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(excel_workbook(), id="excel"),
        pytest.param(excel_workbook(workbook_pr=b'<workbookPr date1904="1"/>'), id="1904"),
        pytest.param(excel_workbook(prefix="x"), id="prefixed"),
        pytest.param(openpyxl_written(), id="openpyxl"),
    ],
)
def test_the_reader_reads_what_openpyxl_reads(data):
    expected = openpyxl_rows(data)
    assert len(expected) >= 4
    assert streamed_rows(data) == expected


def test_what_excel_cells_read_as():
    assert streamed_rows(excel_workbook()) == [
        (1, ["slug", "title", "kind"]),
        (2, ["Rich text ", "漢字", "", "line\nbreak x000D_ end"]),
        (3, ["1998", "2006-08-01", "2006-08", "1 day, 12:00:00"]),
        (5, ["TRUE", "#N/A", "slugx", "1000", "2.5"]),
        (6, ["inline", "2006-08-01", "", "FALSE"]),
        (9, ["", "-0.25", *[""] * 24, "title"]),
    ]


def test_a_chart_sheet_before_the_first_worksheet_is_passed_over():
    assert streamed_rows(chart_sheet_first()) == [(1, ["slug", "name"]), (2, ["a", "A"])]


def test_a_workbook_without_a_worksheet_says_so():
    data = xlsx_with(
        [b"".join(sheet_xml(HEADER_ROW))],
        parts={"xl/workbook.xml": f'<workbook xmlns="{MAIN}"><sheets/></workbook>'.encode()},
    )
    with pytest.raises(ImportFileError, match="^The workbook has no worksheet.$"):
        read_table("p.xlsx", data)


# XML built to harm ------------------------------------------------------------------------------

DOCTYPE_REFUSED = (
    "The workbook declares an XML document type, which Excel and other spreadsheet programs never do: the file is "
    "refused for safety. Open it in your spreadsheet program and save it again, or save it as CSV UTF-8."
)

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    + b"".join(
        f'<!ENTITY {chr(99 + i)} "{("&" + chr(98 + i) + ";") * 10}">'.encode() for i in range(8)
    )  # &j; is ten to the ninth "ha"
    + b"]>"
)
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize(
    ("sheet", "shared"),
    [
        pytest.param([LAUGHS, *sheet_xml(b'<row><c t="str"><v>&j;</v></c></row>')], None, id="laughs"),
        pytest.param([EXTERNAL, *sheet_xml(b'<row r="1"><c t="str"><v>&secret;</v></c></row>')], None, id="file"),
        pytest.param(
            list(sheet_xml(b'<row r="1"><c t="s"><v>0</v></c></row>')),
            [EXTERNAL, f'<sst xmlns="{MAIN}"><si><t>&secret;</t></si></sst>'.encode()],
            id="shared-strings",
        ),
    ],
)
def test_a_document_type_is_refused_before_any_entity_is_expanded(sheet, shared):
    with pytest.raises(ImportFileError) as raised:
        read_table("p.xlsx", xlsx_with(sheet, shared))
    assert str(raised.value) == DOCTYPE_REFUSED


def test_elements_nested_without_end_are_refused_as_damaged(settings):
    settings.IMPORT_MAX_COMPRESSION_RATIO = 1000
    data = xlsx_with(sheet_xml(HEADER_ROW, repeated(b"<row>", 1_000_000)))
    with pytest.raises(ImportFileError, match="^The .xlsx workbook is damaged and cannot be read"):
        read_table("p.xlsx", data)


def test_a_relationship_outside_the_workbook_is_not_followed():
    rels = (
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        f'Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId9" Type="{SHARED_STRINGS_TYPE}" '
        f'Target="http://evil.example/strings.xml" TargetMode="External"/></Relationships>'
    ).encode()
    data = xlsx_with(
        sheet_xml(HEADER_ROW, b'<row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c></row>'),
        parts={"xl/_rels/workbook.xml.rels": rels},
    )
    assert read_table("p.xlsx", data).rows == ((2, ("a",)),)
