"""Workbooks made by hand: a real workbook (openpyxl's) whose sheet, shared strings or other
parts are replaced, for what openpyxl never writes (shared strings, rich text, Excel's ways)
and for hostile files built small: repeated XML streamed into the archive and deflated as it
is written, so a file of a few kilobytes unpacks to megabytes."""

import io
import zipfile
from collections.abc import Iterable

from tests.helpers.imports import xlsx_of

SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_STRINGS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
CHUNK = 1 << 20

HEADER_ROW = b'<row r="1"><c r="A1" t="inlineStr"><is><t>slug</t></is></c></row>'


def repeated(unit: bytes, times: int) -> Iterable[bytes]:
    """``unit`` ``times`` over, in chunks of about a megabyte."""
    per_chunk = max(1, CHUNK // len(unit))
    block = unit * per_chunk
    for _ in range(times // per_chunk):
        yield block
    yield unit * (times % per_chunk)


def chained(*parts: Iterable[bytes] | bytes) -> Iterable[bytes]:
    """``parts`` (bytes, or streams of bytes) one after the other."""
    for part in parts:
        if isinstance(part, bytes):
            yield part
        else:
            yield from part


def sheet_xml(*parts: Iterable[bytes] | bytes) -> Iterable[bytes]:
    """A worksheet whose sheetData is ``parts``."""
    return chained(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode(), *parts, b"</sheetData></worksheet>")


def xlsx_with(
    sheet: Iterable[bytes], shared_strings: Iterable[bytes] | None = None, *, parts: dict | None = None
) -> bytes:
    """A workbook with ``sheet`` as its first sheet's XML (and ``shared_strings`` as its
    shared-strings part), each streamed into the archive and deflated; ``parts`` replace other
    parts by name (``{"xl/styles.xml": b"…"}``)."""
    base = zipfile.ZipFile(io.BytesIO(xlsx_of([["slug"], ["a"]])))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in base.infolist():
            data = (parts or {}).get(info.filename) or base.read(info.filename)
            if info.filename == SHEET:
                continue
            if shared_strings is not None and info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            if shared_strings is not None and info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    f'<Relationship Type="{SHARED_STRINGS_TYPE}" Target="sharedStrings.xml" Id="rId9"/>'
                    "</Relationships>".encode(),
                )
            archive.writestr(info.filename, data)
        _stream(archive, SHEET, sheet)
        if shared_strings is not None:
            _stream(archive, SHARED_STRINGS, shared_strings)
    return output.getvalue()


def _stream(archive, name, chunks):
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as member:
        for chunk in chunks:
            member.write(chunk)


def empty_rows_xlsx(rows: int) -> bytes:
    """A header, then ``rows`` empty rows (``<row/>``, as a program that formats rows writes)."""
    return xlsx_with(sheet_xml(HEADER_ROW, repeated(b"<row/>", rows)))


def wide_row_xlsx(cells: int, rows: int = 1) -> bytes:
    """A header, then ``rows`` rows of ``cells`` cells holding 1 each: megabytes of sheet XML."""
    row = b"<row>" + b"<c><v>1</v></c>" * cells + b"</row>"
    return xlsx_with(sheet_xml(HEADER_ROW, repeated(row, rows)))


def shared_strings_xlsx(strings: int, text: bytes = b"x", cells: int = 1) -> bytes:
    """A shared-strings table of ``strings`` entries of ``text``, and ``cells`` cells showing
    the first, in rows of 20."""
    table = chained(f'<sst xmlns="{MAIN}">'.encode(), repeated(b"<si><t>" + text + b"</t></si>", strings), b"</sst>")
    row = b"<row>" + b'<c t="s"><v>0</v></c>' * min(cells, 20) + b"</row>"
    return xlsx_with(sheet_xml(HEADER_ROW, repeated(row, max(1, cells // 20))), table)
