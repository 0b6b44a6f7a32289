"""An .xlsx workbook's first sheet as rows of cell values, read as a stream within the limits
(limits.py).

A workbook is a zip of XML parts: the workbook (which sheets, in which order), its
relationships (where each part is), the styles (which cells show dates), the shared strings
(the texts cells refer to by number) and each sheet. openpyxl, even in read-only mode, loads
the shared strings whole, builds a row's every cell before it hands the row over, pads a row
out to its farthest cell and yields an empty row for every row number the sheet skips: a
small, well-packed file takes gigabytes and minutes. So this module reads those parts
itself with expat, 64 kB at a time, counting what it reads (unpacked bytes, cells, columns,
characters, shared strings, time) and refusing as soon as a count goes past its limit; it
keeps only the values of the current row and the rows not yet handed over. openpyxl is
used for what a number format means (dates) and for turning Excel's serial dates into dates.

A part may not declare a document type: Excel never writes one, and without one there are no
entities to expand (the "billion laughs") and no external entities to fetch, whatever the
XML library does with them.
"""

import datetime
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

from cooperation.imports.limits import Budget, Refused, check_part, refuse

CHUNK = 64 * 1024
MAX_PARTS = 10_000  # parts in one workbook (Excel writes a few dozen); each is an entry in memory
MAX_DEPTH = 64  # elements inside elements (a sheet goes 6 deep); expat keeps every open one
MAX_STYLES = 65_000  # cell formats (Excel allows 64,000)
SAVE_AGAIN = "Copy the table into a new workbook and save that, split it into several files, or save it as CSV UTF-8."


class Damaged(Exception):
    """The workbook is not built as an .xlsx file is (files.py says it is damaged)."""


def sheet_rows(data: bytes, budget: Budget) -> Iterator[tuple[int, list[str]]]:
    """``(row number, cells)`` for each row of the first worksheet, in the file's order, each
    cell as the text a person would have typed (:func:`cell_text`), up to the row's last
    value. The number is the row's own (``r``), so skipped rows keep their numbers. Raises
    limits.Refused past a limit, and Damaged (or an error of zipfile, expat or a conversion)
    for a file that is not a workbook."""
    if data.count(b"PK\x01\x02") > MAX_PARTS:
        refuse(
            f"The workbook holds more than {MAX_PARTS:,} parts, which no spreadsheet program writes: the file is "
            "refused for safety. Open it in your spreadsheet program and save it again, or save it as CSV UTF-8."
        )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = 0
        for info in archive.infolist():
            total += info.file_size
            check_part(budget.limits, info.filename, info.file_size, info.compress_size, total=total)
        workbook = _Workbook(archive, budget)
        yield from workbook.rows()


def _local(name):
    return name.rpartition("}")[2]


def _no_doctype(*args):
    refuse(
        "The workbook declares an XML document type, which Excel and other spreadsheet programs never do: the "
        "file is refused for safety. Open it in your spreadsheet program and save it again, or save it as CSV UTF-8."
    )


def _parse(archive, name, budget, start, end=None, text=None) -> Iterator[None]:
    """Feed the part ``name`` to expat 64 kB at a time, with element handlers ``start(name,
    attributes, depth)``, ``end(name)`` and ``text(characters)`` (local names, no namespace);
    yield after each piece, so a caller can hand over what the piece completed."""
    info = archive.getinfo(name)
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _no_doctype
    parser.EntityDeclHandler = _no_doctype
    depth = 0

    def on_start(tag, attributes):
        nonlocal depth
        depth += 1
        if depth > MAX_DEPTH:
            raise Damaged(f"{name} nests elements more than {MAX_DEPTH} deep")
        start(_local(tag), attributes)

    def on_end(tag):
        nonlocal depth
        depth -= 1
        if end is not None:
            end(_local(tag))

    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    if text is not None:
        parser.CharacterDataHandler = text
    size = 0
    with archive.open(info) as stream:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            budget.add_unpacked(name, len(chunk), size, info.compress_size)
            budget.check_time()
            parser.Parse(chunk, False)
            yield
    parser.Parse(b"", True)


def _read(archive, name, budget, start, end=None, text=None) -> None:
    for _ in _parse(archive, name, budget, start, end, text):
        pass


def _attribute(attributes, local, default=None):
    """An attribute by its local name (``r:id`` is ``…/relationships}id``)."""
    for key, value in attributes.items():
        if _local(key) == local:
            return value
    return default


class _Workbook:
    def __init__(self, archive, budget):
        self.archive, self.budget = archive, budget
        self.limits = budget.limits
        self.names = set(archive.namelist())

    def rows(self):
        workbook = self._office_document()
        sheet_ids, self.epoch = self._sheets(workbook)
        parts = self._relationships(workbook)
        # openpyxl's worksheets[0]: the first sheet that is a worksheet (not a chart sheet).
        sheets = [target for sheet in sheet_ids for kind, target in parts.get(sheet, ()) if kind == "worksheet"]
        if not sheets:
            raise Refused("The workbook has no worksheet.")
        by_kind = {kind: target for targets in parts.values() for kind, target in targets}
        self.formats = self._styles(by_kind["styles"]) if "styles" in by_kind else {}
        self.strings = self._shared_strings(by_kind["sharedStrings"]) if "sharedStrings" in by_kind else []
        yield from self._sheet(sheets[0])

    # The parts, and where they are ---------------------------------------------------------

    def _targets(self, relationships_part, base):
        """{relationship id: [(kind, part name)]} of a relationships part ({} if there is none)."""
        found = {}
        if relationships_part not in self.names:
            return found

        def start(tag, attributes):
            if tag != "Relationship" or _attribute(attributes, "TargetMode") == "External":
                return
            target = _attribute(attributes, "Target", "")
            name = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            kind = _attribute(attributes, "Type", "").rpartition("/")[2]
            found.setdefault(_attribute(attributes, "Id"), []).append((kind, name))

        _read(self.archive, relationships_part, self.budget, start)
        return found

    def _office_document(self):
        package = self._targets("_rels/.rels", "")
        documents = [name for targets in package.values() for kind, name in targets if kind == "officeDocument"]
        return documents[0] if documents else "xl/workbook.xml"

    def _relationships(self, workbook):
        folder, name = posixpath.split(workbook)
        return self._targets(posixpath.join(folder, "_rels", f"{name}.rels"), folder)

    def _sheets(self, workbook):
        """The relationship ids of the workbook's sheets, in its order, and its epoch."""
        found = {"sheets": [], "epoch": WINDOWS_EPOCH}

        def start(tag, attributes):
            if tag == "sheet":
                found["sheets"].append(_attribute(attributes, "id"))
            elif tag == "workbookPr" and _attribute(attributes, "date1904", "").lower() not in ("", "0", "f", "false"):
                found["epoch"] = MAC_EPOCH

        _read(self.archive, workbook, self.budget, start)
        return found["sheets"], found["epoch"]

    def _styles(self, name):
        """{style index: number format} of the cell formats that show a date or a duration."""
        custom, formats, depth = {}, [], {"cellXfs": False}

        def start(tag, attributes):
            if tag == "numFmt":
                custom[int(_attribute(attributes, "numFmtId"))] = _attribute(attributes, "formatCode", "")
            elif tag == "cellXfs":
                depth["cellXfs"] = True
            elif tag == "xf" and depth["cellXfs"]:
                formats.append(int(_attribute(attributes, "numFmtId", 0)))
                if len(formats) > MAX_STYLES:
                    raise Damaged(f"more than {MAX_STYLES} cell formats")

        def end(tag):
            if tag == "cellXfs":
                depth["cellXfs"] = False

        _read(self.archive, name, self.budget, start, end)
        dates = {}
        for index, number_format_id in enumerate(formats):
            code = custom[number_format_id] if number_format_id in custom else BUILTIN_FORMATS.get(number_format_id)
            if is_date_format(code):
                dates[index] = (code, is_timedelta_format(code))
        return dates

    def _shared_strings(self, name):
        reader = _SharedStrings(self.limits)
        _read(self.archive, name, self.budget, reader.start, reader.end, reader.text)
        return reader.strings

    def _sheet(self, name):
        reader = _Sheet(self)
        for _ in _parse(self.archive, name, self.budget, reader.start, reader.end, reader.text):
            yield from reader.ready
            reader.ready.clear()
        yield from reader.ready


class _SharedStrings:
    """The shared-strings table: each ``si``'s text (its own ``t`` and its runs' ``t``, not the
    phonetic ``rPh``), as openpyxl reads it."""

    def __init__(self, limits):
        self.limits = limits
        self.strings = []
        self.chars = 0
        self.pieces = None  # the current si's text, or None outside one
        self.length = 0
        self.collecting = False
        self.phonetic = 0

    def start(self, tag, attributes):
        if tag == "si":
            if len(self.strings) >= self.limits.shared_strings:
                refuse(
                    f"The workbook's table of shared texts holds more than {self.limits.shared_strings:,} texts, the "
                    f"most one import reads. {SAVE_AGAIN}"
                )
            self.pieces, self.length = [], 0
        elif tag == "rPh":
            self.phonetic += 1
        elif tag == "t" and self.pieces is not None and not self.phonetic:
            self.collecting = True

    def end(self, tag):
        if tag == "t":
            self.collecting = False
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "si" and self.pieces is not None:
            self.strings.append("".join(self.pieces).replace("x005F_", ""))
            self.pieces = None

    def text(self, characters):
        if not self.collecting:
            return
        self.length += len(characters)
        self.chars += len(characters)
        if self.length > self.limits.cell_chars:
            refuse(
                f"A text in the workbook's table of shared texts holds more than {self.limits.cell_chars:,} "
                "characters, the most one cell may hold in an import."
            )
        if self.chars > self.limits.shared_string_chars:
            refuse(
                f"The workbook's table of shared texts holds more than {self.limits.shared_string_chars:,} "
                f"characters, the most one import reads. {SAVE_AGAIN}"
            )
        self.pieces.append(characters)


SAVE_AGAIN = "Copy the table into a new workbook and save that, split it into several files, or save it as CSV UTF-8."


class _Sheet:
    """The sheet's rows as expat reads them: ``ready`` holds the rows completed so far."""

    def __init__(self, workbook):
        self.budget = workbook.budget
        self.limits = workbook.limits
        self.strings, self.formats, self.epoch = workbook.strings, workbook.formats, workbook.epoch
        self.ready = []
        self.number = 0  # the current row's number
        self.values = None  # {column: value} of the current row
        self.column = 0
        self.cell = None  # (type, style) of the current cell
        self.text_of_cell = None  # the text of the cell's v, or of its inline string
        self.pieces = None  # the current v's or inline t's text, while in one
        self.length = 0
        self.inline = False
        self.phonetic = 0

    def start(self, tag, attributes):
        if tag == "row":
            number = attributes.get("r")
            self.number = int(number) if number else self.number + 1
            self.values, self.column = {}, 0
        elif tag == "c" and self.values is not None:
            self.budget.add_cells(1)
            reference = attributes.get("r")
            self.column = _column(reference, self.limits.columns) if reference else self.column + 1
            self.cell = (attributes.get("t", "n"), int(attributes.get("s") or 0))
            self.text_of_cell, self.length = None, 0
        elif self.cell is None:
            return
        elif tag == "v" and self.cell[0] != "inlineStr":
            self.pieces = []
        elif tag == "is" and self.cell[0] == "inlineStr":
            self.inline = True
            self.text_of_cell = ""
        elif tag == "rPh":
            self.phonetic += 1
        elif tag == "t" and self.inline and not self.phonetic:
            self.pieces = []

    def end(self, tag):
        if tag in ("v", "t") and self.pieces is not None:
            self.text_of_cell = (self.text_of_cell or "") + "".join(self.pieces)
            self.pieces = None
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "is":
            self.inline = False
        elif tag == "c" and self.cell is not None:
            value = self._value()
            if value:
                self.budget.check_columns(self.column, self.number)
                self.budget.add_text(len(value))
                self.values[self.column] = value
            self.cell = None
        elif tag == "row" and self.values is not None:
            cells = [""] * max(self.values, default=0)
            for column, value in self.values.items():
                cells[column - 1] = value
            self.ready.append((self.number, cells))
            self.values = None

    def text(self, characters):
        if self.pieces is None:
            return
        self.length += len(characters)
        self.budget.check_cell(self.length, self.number)
        self.pieces.append(characters)

    def _value(self):
        """The cell's text: its value as openpyxl reads it with ``data_only=True``, then as
        :func:`cell_text` writes it."""
        kind, style = self.cell
        text = self.text_of_cell
        if kind == "inlineStr" or not text:
            return text or ""
        if kind == "n":
            number = float(text) if ("." in text or "e" in text.lower()) else int(text)
            if style not in self.formats:
                return cell_text(number)
            number_format, duration = self.formats[style]
            try:
                return cell_text(from_excel(number, self.epoch, timedelta=duration), number_format)
            except (OverflowError, ValueError):
                return "#VALUE!"
        if kind == "s":
            return self.strings[int(text)]
        if kind == "b":
            return cell_text(bool(int(text)))
        if kind == "d":
            return cell_text(from_ISO8601(text), self.formats.get(style, ("",))[0])
        return text  # "str" (a formula's text), "e" (an error such as #N/A)


def _column(reference: str, limit: int) -> int:
    """The column number of a cell reference ("AB12" → 28); past ``limit``, ``limit + 1``."""
    number = 0
    for character in reference.upper():
        if not "A" <= character <= "Z":
            break
        number = number * 26 + (ord(character) - 64)
        if number > limit:
            return limit + 1
    return number


# What a cell reads as ------------------------------------------------------------------------

_FORMAT_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def date_text(value: datetime.date, number_format: str) -> str:
    """An Excel date cell as the partial date its format shows: "mmm yyyy" → 2006-08,
    "yyyy" → 2006, anything with a day → 1999-12-08."""
    shown = _FORMAT_LITERALS.sub("", (number_format or "").lower())
    if "d" in shown or "y" not in shown:
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if "m" in shown:
        return f"{value.year:04d}-{value.month:02d}"
    return f"{value.year:04d}"


def cell_text(value: object, number_format: str = "") -> str:
    """What a typed XLSX cell would read as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime | datetime.date):
        return date_text(value, number_format)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
