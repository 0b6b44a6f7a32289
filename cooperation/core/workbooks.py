"""Excel workbooks (.xlsx) the registry writes: the list exports (``?format=xlsx``) and the
import templates, cell by cell as the CSV files are written (cooperation.core.exports.csv_cell).

A text is a text cell in the text number format ``@``: Excel shows ``2006-08`` and ``1998`` as
they were written, never as ``Aug-06`` or a number, and keeps them so when the sheet is edited;
a text that begins like a formula is never one (it is quoted as in CSV and typed ``s``, not
``f``). A number stays a number cell.

A list export is written with openpyxl's write-only mode: each row goes to a temporary file as
it is appended, and the finished workbook (a ZIP file) to another, which is then handed to the
server a piece at a time; so memory stays flat however long the list.
"""

import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT_FORMAT = "@"  # Excel's number format "Text"
MAX_SHEET_NAME = 31  # Excel refuses a longer sheet name


def cells(sheet: Any, values: Sequence, *, bold: bool = False) -> list[Cell]:
    """A row of ``values`` for ``sheet`` (write-only or not), each value already a cell's value
    (exports.csv_cell: a number, or a text that no spreadsheet runs as a formula): a text is a
    text cell in the text format, a number a number cell, "" an empty cell."""
    text_style = _text_style(sheet, bold)
    row = []
    for column, value in enumerate(values, start=1):
        # The sheet gives the cell its row when it is appended.
        if isinstance(value, str):
            if ILLEGAL_CHARACTERS_RE.search(value):  # control characters a workbook cannot hold
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = Cell(sheet, row=1, column=column, value=value, style_array=text_style)
            cell.data_type = "s"  # openpyxl types a text that begins with "=" as a formula
        else:
            cell = Cell(sheet, row=1, column=column, value=value)
            if bold:
                cell.font = BOLD
        row.append(cell)
    return row


BOLD = Font(bold=True)


def _text_style(sheet: Any, bold: bool) -> Any:
    """The style of a text cell (the text format, bold or not) in ``sheet``'s workbook, made once."""
    prototype = Cell(sheet, row=1, column=1)
    prototype.number_format = TEXT_FORMAT
    if bold:
        prototype.font = BOLD
    return prototype._style


def column_width(header: str) -> int:
    return max(12, min(40, len(header) + 4))


def stream(sheet_name: str, headers: Sequence[str], rows: Iterable[Sequence], chunk_size: int) -> Iterator[bytes]:
    """An .xlsx file of one sheet, ``sheet_name``: ``headers`` in bold (the row frozen), then
    ``rows`` (cell values as exports.csv_cell gives them), in pieces of ``chunk_size`` bytes.
    Nothing is read from ``rows`` until the first piece is asked for."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name[:MAX_SHEET_NAME])
    for index, header in enumerate(headers, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = column_width(header)
    sheet.freeze_panes = "A2"
    sheet.append(cells(sheet, headers, bold=True))
    for values in rows:
        sheet.append(cells(sheet, values))
    with tempfile.TemporaryFile() as output:
        workbook.save(output)
        output.seek(0)
        while piece := output.read(chunk_size):
            yield piece
