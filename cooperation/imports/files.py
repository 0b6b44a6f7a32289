"""Spreadsheet files in and out: an upload (CSV or XLSX) read into a :class:`Table` of text
cells, the table carried between preview and confirm in a signed form field, and the
downloadable template files.

Everything after this module sees text only: an XLSX cell typed as a number or an Excel date
becomes the text a person would have typed (``1998``, ``2006-08``, ``1999-12-08``), so CSV and
XLSX files are planned, previewed and checked by exactly the same code; and a cell the export
quoted so that no spreadsheet runs it as a formula (``'=1+1``) is read as the text it was
(``=1+1``: cooperation.core.text.from_spreadsheet).
"""

import codecs
import csv
import io
import logging
import re
import zipfile
from contextlib import closing
from dataclasses import dataclass

import openpyxl
from django.core import signing
from django.utils.translation import gettext, gettext_noop
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from cooperation.core import workbooks
from cooperation.core.exports import csv_cell, spreadsheet_writer
from cooperation.core.text import from_spreadsheet
from cooperation.imports.limits import Budget, Limits, Refused, megabytes, refuse
from cooperation.imports.xlsx import sheet_rows

logger = logging.getLogger(__name__)

EXTENSIONS = {".csv": "csv", ".xlsx": "xlsx"}
XLSX_CONTENT_TYPE = workbooks.CONTENT_TYPE
PREVIEW_MAX_AGE = 2 * 60 * 60  # seconds a preview can be confirmed for
PAYLOAD_SALT = "cooperation.imports.preview"
SAVE_AS_CSV_UTF8 = gettext_noop(
    "In Excel choose File › Save As › “CSV UTF-8 (Comma delimited) (*.csv)”, or upload the .xlsx file."
)


class ImportFileError(Exception):
    """The upload cannot be read as a table; the message says why and what to do."""


@dataclass(frozen=True)
class Table:
    """A spreadsheet's first sheet as text: the header row and the data rows.

    ``rows`` holds ``(number, cells)`` pairs, ``number`` being the row number the spreadsheet
    shows (the header is row 1); blank rows are left out but keep their numbers counted.
    """

    filename: str
    format: str  # "csv" or "xlsx"
    headers: tuple
    rows: tuple
    delimiter: str = ""  # CSV only: "," or ";"

    def as_data(self):
        return {
            "filename": self.filename,
            "format": self.format,
            "headers": list(self.headers),
            "rows": [[number, list(cells)] for number, cells in self.rows],
            "delimiter": self.delimiter,
        }

    @classmethod
    def from_data(cls, data):
        return cls(
            filename=str(data["filename"]),
            format=str(data["format"]),
            headers=tuple(str(header) for header in data["headers"]),
            rows=tuple((int(number), tuple(str(cell) for cell in cells)) for number, cells in data["rows"]),
            delimiter=str(data.get("delimiter", "")),
        )


def file_format(filename):
    """ "csv" or "xlsx" from the file name; ImportFileError for anything else."""
    name = (filename or "").lower()
    for extension, kind in EXTENSIONS.items():
        if name.endswith(extension):
            return kind
    if name.endswith((".xls", ".ods", ".numbers")):
        raise ImportFileError(
            gettext(
                "“%(filename)s” is not a CSV or .xlsx file. Save it from your spreadsheet program as "
                "Excel Workbook (.xlsx) or CSV UTF-8, then upload that."
            )
            % {"filename": filename}
        )
    raise ImportFileError(
        gettext("“%(filename)s” is not a CSV or .xlsx file: upload a file whose name ends in .csv or .xlsx.")
        % {"filename": filename}
    )


def check_size(size: int, limits: Limits) -> None:
    """ImportFileError if an upload of ``size`` bytes is over the limit."""
    if size > limits.upload_bytes:
        raise ImportFileError(
            gettext("The file is %(size)s; one import takes at most %(limit)s. Split it into several files.")
            % {"size": megabytes(size), "limit": megabytes(limits.upload_bytes)}
        )


def read_table(filename, data, limits=None):
    """Read an uploaded file's bytes into a :class:`Table`, or raise ImportFileError. The file
    is read as a stream within ``limits`` (by default the settings' ``IMPORT_MAX_…``): past
    any of them it is refused at once, before it takes more memory or time (limits.py)."""
    kind = file_format(filename)
    limits = limits or Limits.from_settings()
    if not data:
        raise ImportFileError(gettext("The file is empty."))
    check_size(len(data), limits)
    budget = Budget(limits)
    try:
        if kind == "csv":
            records, delimiter = _csv_records(data, budget)
        else:
            records, delimiter = _xlsx_records(data, budget), ""
        with closing(records):
            return _table(filename, kind, records, delimiter, limits)
    except Refused as error:
        logger.warning("Import of %r refused after %.1f s: %s", filename, budget.elapsed(), error)
        raise ImportFileError(str(error)) from None


def _table(filename, kind, records, delimiter, limits):
    first = next(records, None)
    if first is None or first[0] != 1 or not any(cell.strip() for cell in first[1]):
        raise ImportFileError(
            gettext(
                "The first row must name the columns (slug, name, …), as in an export or the template; "
                "in this file it is empty."
            )
        )
    headers = [from_spreadsheet(cell).strip() for cell in first[1]]
    while headers and not headers[-1]:
        headers.pop()
    rows = []
    blank = 0
    for number, cells in records:
        if not any(cell.strip() for cell in cells):
            blank += 1
            if blank > limits.blank_rows:
                raise ImportFileError(
                    gettext(
                        "The file has more than %(limit)s empty rows; one import reads at most %(limit)s (they "
                        "are skipped, but each is read). Delete the empty rows below the table, or copy the table "
                        "into a new file."
                    )
                    % {"limit": f"{limits.blank_rows:,}"}
                )
            continue
        # Undo what the export did to a text that would be a formula ("'=1+1" → "=1+1").
        rows.append((number, tuple(from_spreadsheet(cell) for cell in cells)))
        if len(rows) > limits.rows:
            raise ImportFileError(
                gettext(
                    "The file has more than %(limit)s rows; one import takes at most %(limit)s. "
                    "Split it into several files."
                )
                % {"limit": f"{limits.rows:,}"}
            )
    if not rows:
        raise ImportFileError(
            gettext("The file names its columns but has no rows below them: there is nothing to import.")
        )
    return Table(filename=filename, format=kind, headers=tuple(headers), rows=tuple(rows), delimiter=delimiter)


# CSV -----------------------------------------------------------------------------------------

# A line with its end: "\r\n", "\n" or "\r", as csv.reader takes them (newline="").
_LINE = re.compile(r"[^\r\n]*(?:\r\n|[\r\n])?")


def _csv_records(data, budget):
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(
            gettext("The file is UTF-16 text (Excel's “Unicode Text”), not UTF-8 CSV. %(advice)s")
            % {"advice": gettext(SAVE_AS_CSV_UTF8)}
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFileError(
            gettext(
                "The file is not UTF-8 text (byte %(byte)s on line %(line)s is not UTF-8): "
                "it was probably saved in an older Excel encoding. %(advice)s"
            )
            % {"byte": f"0x{data[error.start]:02X}", "line": line, "advice": gettext(SAVE_AS_CSV_UTF8)}
        ) from None
    if "\x00" in text:
        raise ImportFileError(
            gettext("The file holds NUL bytes, which a CSV text file never does: is it really a CSV file?")
        )
    delimiter = _delimiter(text)
    return _csv_rows(text, delimiter, budget), delimiter


def _csv_rows(text, delimiter, budget):
    """``(row number, cells)`` of each record, each line and record checked against the limits
    before the next is read."""
    reader = csv.reader(_csv_lines(text, budget), delimiter=delimiter, strict=True)
    try:
        for number, cells in enumerate(reader, start=1):
            budget.add_cells(len(cells))
            budget.check_columns(len(cells), number)
            for cell in cells:
                budget.check_cell(len(cell), number)
                budget.add_text(len(cell))
            yield number, cells
    except csv.Error as error:
        if str(error).startswith("field larger than field limit"):
            budget.check_cell(csv.field_size_limit() + 1, reader.line_num)
        raise ImportFileError(
            gettext(
                "The CSV file is damaged on line %(line)s: %(error)s. Check the quotes around that line, "
                "or save the file again from your spreadsheet program."
            )
            % {"line": reader.line_num, "error": error}
        ) from None


def _csv_lines(text, budget):
    limit = budget.limits.line_chars
    for number, match in enumerate(_LINE.finditer(text), start=1):
        line = match.group()
        if not line:
            return  # the empty match at the end
        if len(line.rstrip("\r\n")) > limit:
            refuse(
                gettext(
                    "Line %(line)s of the file is longer than %(limit)s characters, the most one line may be: "
                    "is it really a CSV file of records? Save it again from your spreadsheet program."
                )
                % {"line": number, "limit": f"{limit:,}"}
            )
        budget.check_time()
        yield line


def _delimiter(text):
    """ "," as the exports write it; ";" when the header row has more of them (Excel in many
    European locales saves "CSV" with semicolons). Column names hold neither."""
    header = text[: text.find("\n")] if "\n" in text else text
    return ";" if header.count(";") > header.count(",") else ","


# XLSX ----------------------------------------------------------------------------------------


def _xlsx_records(data, budget):
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            gettext(
                "This is an old-style Excel file (.xls) renamed to .xlsx. Open it in Excel and save it as "
                "Excel Workbook (.xlsx) or CSV UTF-8."
            )
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFileError(gettext("The file is not a valid .xlsx workbook (it is damaged, or not an Excel file)."))
    try:
        yield from sheet_rows(data, budget)
    except (ImportFileError, Refused):
        raise
    except Exception as error:  # a damaged zip, XML or value raises many kinds of errors
        logger.info("Unreadable XLSX upload: %r", error)
        raise ImportFileError(
            gettext(
                "The .xlsx workbook is damaged and cannot be read. Open it in Excel and save it again, "
                "or save it as CSV UTF-8."
            )
        ) from None


# The table between preview and confirm ------------------------------------------------------


def sign_preview(table, model_label, fingerprint):
    """The table and the plan's fingerprint, signed and compressed for a hidden form field: the
    confirm request carries the file back, so no server keeps anything between the two."""
    return signing.dumps(
        {"table": table.as_data(), "fingerprint": fingerprint},
        salt=f"{PAYLOAD_SALT}:{model_label}",
        compress=True,
    )


def unsign_preview(payload, model_label):
    """(table, fingerprint); signing.BadSignature (or SignatureExpired) if it was altered or is old."""
    data = signing.loads(payload, salt=f"{PAYLOAD_SALT}:{model_label}", max_age=PREVIEW_MAX_AGE)
    return Table.from_data(data["table"]), data["fingerprint"]


# Writing ------------------------------------------------------------------------------------


def csv_bytes(headers, rows=()):
    """UTF-8 CSV with a byte-order mark, as the exports write it: ``rows`` of values as an
    export's columns give them, each written as the exports write a cell (csv_cell)."""
    output = io.StringIO(newline="")
    writer = spreadsheet_writer(output)
    writer.writerow([csv_cell(header) for header in headers])
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return codecs.BOM_UTF8 + output.getvalue().encode()


def _append(sheet, values):
    """A row of ``values`` at the bottom of ``sheet``, each cell as the exports write it
    (csv_cell, then workbooks.cells): a number as a number, anything else as a text cell, never a formula."""
    sheet.append(workbooks.cells(sheet, [csv_cell(value) for value in values]))


def xlsx_bytes(sheet_name, headers, rows=(), *, described=None):
    """An .xlsx workbook: one sheet of ``headers`` and ``rows`` (values as an export's columns
    give them), every text a text cell (so Excel keeps 2006-08 and slugs as typed, and runs no
    formula), the header row bold and frozen; and, with ``described`` (a list of rows with its
    own header row first), a second sheet "Columns" describing them."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_name[:31]
    _append(sheet, headers)
    for row in rows:
        _append(sheet, row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, header in enumerate(headers, start=1):
        column = sheet.column_dimensions[get_column_letter(index)]
        column.width = workbooks.column_width(header)
        column.number_format = "@"  # text: typed dates and numbers stay as typed
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.number_format = "@"
    sheet.freeze_panes = "A2"
    if described:
        about = workbook.create_sheet("Columns")
        for row in described:
            _append(about, row)
        for cell in about[1]:
            cell.font = Font(bold=True)
        for letter, width in zip("ABCDE", (22, 10, 10, 60, 60), strict=False):
            about.column_dimensions[letter].width = width
        for row in about.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        about.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
