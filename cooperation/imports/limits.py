"""How much of an uploaded file the import reads before it refuses the file: rows, blank rows,
columns, cells, characters in a cell or a CSV line, and for an .xlsx workbook its unpacked size
(every part, one part, how tightly a part is packed) and its table of shared texts; and how
long reading may take.

The readers (``files.py`` for CSV, ``xlsx.py`` for workbooks) count as they stream, so a
file is refused as soon as it goes past a limit, before it takes memory or time: a few
hundred kilobytes of .xlsx can unpack to gigabytes. Each limit is a setting
(``IMPORT_MAX_…``, docs/settings.md); past the file's size and rows (5 MB, 2,000 rows), the
defaults admit a 10,000-row export of any list with room to spare, and everything past them
is refused with a message that says which limit and what to do (docs/data-format.md).
"""

import time
from dataclasses import dataclass, fields

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

MB = 1024 * 1024


def megabytes(size: int) -> str:
    """5 MB, 9.5 MB, 32 MB; 12 kB under a megabyte."""
    if size < MB:
        return f"{size / 1024:,.0f} kB"
    return f"{size / MB:,.1f}".removesuffix(".0") + " MB"


SPLIT = gettext_noop("Split it into several files, or save it as CSV UTF-8.")


class Refused(Exception):
    """The reader refuses the file: it goes past a limit, or is built to harm; the message says
    why and what to do. files.py turns it into the import's ImportFileError."""


@dataclass(frozen=True)
class Limits:
    """The limits of one import, from the settings of the same names (``IMPORT_MAX_ROWS`` …)."""

    upload_bytes: int  # the uploaded file, as it is sent
    rows: int  # rows with something in them, below the header
    blank_rows: int  # empty rows, skipped but read
    columns: int  # the farthest column holding a value
    cells: int  # every cell read, empty ones and those of blank rows included
    cell_chars: int  # characters in one cell
    text_chars: int  # characters in all the cells together (a shared text each time a cell shows it)
    line_chars: int  # characters in one line of a CSV file
    unpacked_bytes: int  # an .xlsx workbook's parts, unpacked, together
    part_bytes: int  # one part of a workbook (its sheet, its shared texts …), unpacked
    compression_ratio: int  # unpacked size / packed size of a part, above a megabyte
    shared_strings: int  # texts in a workbook's shared-strings table
    shared_string_chars: int  # their characters together
    read_seconds: int  # reading the file (not checking or saving its rows)

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(**{field.name: getattr(settings, f"IMPORT_MAX_{field.name.upper()}") for field in fields(cls)})


class Budget:
    """What one reading of a file has used so far: cells, unpacked bytes, and the time, checked
    in the readers' loops (the request thread reads the file, so no signal could stop it)."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.cells = 0
        self.text = 0
        self.unpacked = 0
        self.started = time.monotonic()
        self.deadline = self.started + limits.read_seconds

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            refuse(
                gettext(
                    "Reading the file took longer than %(seconds)s seconds, the most one import "
                    "may take. Split it into several smaller files."
                )
                % {"seconds": self.limits.read_seconds}
            )

    def add_cells(self, count: int) -> None:
        self.cells += count
        if self.cells > self.limits.cells:
            refuse(
                gettext(
                    "The file holds more than %(limit)s cells (empty ones included); one import "
                    "reads at most that many. Delete the empty rows and columns around the data, or split it "
                    "into several files."
                )
                % {"limit": f"{self.limits.cells:,}"}
            )

    def check_columns(self, columns: int, row: int) -> None:
        if columns > self.limits.columns:
            refuse(
                gettext(
                    "Row %(row)s goes on past column %(limit)s, the last one an import reads. "
                    "Delete what lies to the right of the table, or the columns not needed."
                )
                % {"row": row, "limit": f"{self.limits.columns:,}"}
            )

    def check_cell(self, chars: int, row: int) -> None:
        if chars > self.limits.cell_chars:
            refuse(
                gettext(
                    "A cell on row %(row)s holds more than %(limit)s characters, the most one cell "
                    "may hold in an import. Shorten it, or enter that text in the record's form."
                )
                % {"row": row, "limit": f"{self.limits.cell_chars:,}"}
            )

    def add_text(self, chars: int) -> None:
        """``chars`` more characters of cell values kept: what planning, the preview and the
        confirmation's form field will hold."""
        self.text += chars
        if self.text > self.limits.text_chars:
            refuse(
                gettext(
                    "The file's cells hold more than %(limit)s characters in all, the most one import "
                    "reads. Split it into several files."
                )
                % {"limit": f"{self.limits.text_chars:,}"}
            )

    def add_unpacked(self, name: str, read: int, size: int, packed: int) -> None:
        """``read`` more bytes unpacked from the workbook part ``name``: ``size`` so far of its
        ``packed`` bytes in the file."""
        self.unpacked += read
        check_part(self.limits, name, size, packed, total=self.unpacked)


def check_part(limits: Limits, name: str, size: int, packed: int, total: int) -> None:
    """A workbook part unpacking to ``size`` bytes from ``packed``, the parts so far to ``total``."""
    if size > limits.part_bytes:
        refuse(
            gettext(
                "The workbook is too large once unpacked: its part %(part)s is more than %(limit)s, "
                "the most one import reads of a part (an export of 10,000 rows is under 20 MB). %(advice)s"
            )
            % {"part": name, "limit": megabytes(limits.part_bytes), "advice": gettext(SPLIT)}
        )
    if total > limits.unpacked_bytes:
        refuse(
            gettext(
                "The workbook is too large once unpacked: its parts come to more than %(limit)s, "
                "the most one import reads. %(advice)s"
            )
            % {"limit": megabytes(limits.unpacked_bytes), "advice": gettext(SPLIT)}
        )
    if size > MB and size > limits.compression_ratio * max(packed, 1):
        refuse(
            gettext(
                "The workbook's part %(part)s unpacks to more than %(ratio)s times its size, which "
                "no spreadsheet program writes (an export packs about 10 times): the file is refused for safety. "
                "Open it in your spreadsheet program and save it again, or save it as CSV UTF-8."
            )
            % {"part": name, "ratio": limits.compression_ratio}
        )


def refuse(message: str) -> None:
    raise Refused(message)
