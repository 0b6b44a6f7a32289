"""Files built to exhaust a worker are refused on the import page, at once and in little memory
(cooperation/imports/limits.py, read by files.py and xlsx.py): a workbook packed a thousand to
one, a million empty rows, a shared-strings bomb, a CSV with a 10 MB line or 100,000 fields;
and each limit says what it is and what to do.

Memory is what tracemalloc sees allocated while the page answers (Python's allocations, expat's
and zlib's buffers among them); the same files took the old reader to gigabytes and minutes."""

import time
import tracemalloc

import pytest

from cooperation.imports import ImportFileError, read_table
from partners.models import Partner
from tests.helpers.imports import import_url, make_csv, page_text, upload, xlsx_of
from tests.helpers.users import editor
from tests.helpers.workbooks import (
    HEADER_ROW,
    MAIN,
    empty_rows_xlsx,
    repeated,
    shared_strings_xlsx,
    sheet_xml,
    wide_row_xlsx,
    xlsx_with,
)

MB = 1024 * 1024
RATIO = (
    "The workbook's part {part} unpacks to more than 100 times its size, which no spreadsheet program writes "
    "(an export packs about 10 times): the file is refused for safety. Open it in your spreadsheet program and "
    "save it again, or save it as CSV UTF-8."
)
SPLIT = "Split it into several files, or save it as CSV UTF-8."


def refused_on_the_page(client, filename, data):
    """The import page's answer to the upload, the seconds it took, and the peak of memory
    allocated while it answers the same upload again under tracemalloc (which slows it)."""
    client.force_login(editor())
    assert client.get(import_url(Partner)).status_code == 200  # the first request's start-up is not measured
    started = time.perf_counter()
    response = upload(client, Partner, filename, data)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        traced = upload(client, Partner, filename, data)
        peak = tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()
    assert response.status_code == traced.status_code == 200
    assert response.context["plan"] is None  # nothing planned, nothing to confirm
    assert page_text(traced) == page_text(response)
    return page_text(response), seconds, peak


SHARED_TEXTS = "The workbook's table of shared texts holds more than {}, the most one import reads. Copy the table " + (
    "into a new workbook and save that, split it into several files, or save it as CSV UTF-8."
)
LONG_LINE = b"slug\n" + b"x" * 10_000_000 + b"\n"

# What each file is, the limits changed from the defaults, and what the page says.
BOMBS = {
    "zip-bomb": (
        lambda: wide_row_xlsx(2_000, rows=2_000),  # 60 MB of cells, 126 kB packed
        {},
        "The workbook is too large once unpacked: its part xl/worksheets/sheet1.xml is more than 32 MB, the "
        f"most one import reads of a part (an export of 10,000 rows is under 20 MB). {SPLIT}",
    ),
    "zip-bomb-small": (lambda: wide_row_xlsx(2_000, rows=400), {}, RATIO.format(part="xl/worksheets/sheet1.xml")),
    "cells": (
        lambda: wide_row_xlsx(100, rows=4_000),  # 6 MB: let through, it is read until the cells run out
        {"compression_ratio": 10_000, "cells": 2_000},
        "The file holds more than 2,000 cells (empty ones included); one import reads at most that many. "
        "Delete the empty rows and columns around the data, or split it into several files.",
    ),
    "empty-rows": (lambda: empty_rows_xlsx(1_000_000), {}, RATIO.format(part="xl/worksheets/sheet1.xml")),
    "empty-rows-read": (
        lambda: empty_rows_xlsx(1_000_000),
        {"compression_ratio": 10_000, "blank_rows": 2_000},
        "The file has more than 2,000 empty rows; one import reads at most 2,000 (they are skipped, but each "
        "is read). Delete the empty rows below the table, or copy the table into a new file.",
    ),
    "shared-strings": (lambda: shared_strings_xlsx(1_000_000), {}, RATIO.format(part="xl/sharedStrings.xml")),
    "shared-strings-read": (
        lambda: shared_strings_xlsx(1_000_000),
        {"compression_ratio": 10_000, "shared_strings": 2_000},
        SHARED_TEXTS.format("2,000 texts"),
    ),
    "shared-string-characters": (
        lambda: shared_strings_xlsx(300, text=b"x" * 50_000),  # 15 million characters
        {"compression_ratio": 10_000},
        SHARED_TEXTS.format("10,000,000 characters"),
    ),
    "shared-text-shown-in-every-cell": (
        # Each cell shows the same 100,000 characters: a 30 kB file, 2 billion characters as a table.
        lambda: shared_strings_xlsx(1, text=b"x" * 100_000, cells=20_000),
        {"compression_ratio": 10_000},
        "The file's cells hold more than 20,000,000 characters in all, the most one import reads. Split it "
        "into several files.",
    ),
    "csv-line": (
        lambda: LONG_LINE,
        {},
        "The file is 9.5 MB; one import takes at most 5 MB. Split it into several files.",
    ),
    "csv-line-read": (
        lambda: LONG_LINE,
        {"upload_bytes": 16 * MB},
        "Line 2 of the file is longer than 200,000 characters, the most one line may be: is it really a CSV "
        "file of records? Save it again from your spreadsheet program.",
    ),
    "csv-fields": (
        lambda: b"slug\n" + b",".join([b"x"] * 100_000) + b"\n",
        {},
        "Row 2 goes on past column 100, the last one an import reads. Delete what lies to the right of "
        "the table, or the columns not needed.",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("build", "changes", "message"), BOMBS.values(), ids=BOMBS.keys())
def test_a_file_built_to_exhaust_a_worker_is_refused_at_once(client, settings, build, changes, message):
    limited(settings, **changes)
    data = build()
    text, seconds, peak = refused_on_the_page(client, "bomb.csv" if data[:4] == b"slug" else "bomb.xlsx", data)
    assert message in text
    print(f"{len(data) / 1024:,.0f} kB refused in {seconds:.2f} s, peak {peak:.1f} MB")
    assert seconds < 2
    assert peak < 20 + 6 * len(data) / MB  # a CSV file is in memory several times (upload, bytes, text, line)


def limited(settings, **limits):
    for name, value in limits.items():
        setattr(settings, f"IMPORT_MAX_{name.upper()}", value)


def refusal(filename, data):
    with pytest.raises(ImportFileError) as raised:
        read_table(filename, data)
    return str(raised.value)


def test_a_cell_too_long_is_refused_in_csv_and_xlsx(settings):
    limited(settings, cell_chars=100)
    message = "A cell on row 2 holds more than 100 characters, the most one cell may hold in an import."
    assert refusal("p.csv", make_csv([["slug", "name"], ["a", "n" * 101]])).startswith(message)
    assert refusal("p.xlsx", xlsx_of([["slug", "name"], ["a", "n" * 101]])).startswith(message)
    assert read_table("p.csv", make_csv([["slug", "name"], ["a", "n" * 100]])).rows == ((2, ("a", "n" * 100)),)
    table = [f'<sst xmlns="{MAIN}"><si><t>{"n" * 101}</t></si></sst>'.encode()]
    assert refusal("p.xlsx", xlsx_with(sheet_xml(HEADER_ROW), table)) == (
        "A text in the workbook's table of shared texts holds more than 100 characters, the most one cell may "
        "hold in an import."
    )


def test_a_value_past_the_last_column_is_refused_and_an_empty_cell_there_is_not(settings):
    limited(settings, columns=3)
    far = b'<row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c><c r="XFD2" s="1"/></row>'
    assert read_table("p.xlsx", xlsx_with(sheet_xml(HEADER_ROW, far))).rows == ((2, ("a",)),)
    far = b'<row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c><c r="XFD2"><v>1</v></c></row>'
    assert refusal("p.xlsx", xlsx_with(sheet_xml(HEADER_ROW, far))).startswith(
        "Row 2 goes on past column 3, the last one an import reads."
    )
    assert refusal("p.csv", make_csv([["slug", "b", "c", "d"]])).startswith("Row 1 goes on past column 3")


def test_a_workbook_too_large_in_all_is_refused_before_it_is_unpacked(settings):
    limited(settings, unpacked_bytes=12_000)  # openpyxl's theme part alone is 10 kB
    assert refusal("p.xlsx", xlsx_of([["slug"], ["a"]])) == (
        "The workbook is too large once unpacked: its parts come to more than 12 kB, the most one import reads. "
        + SPLIT
    )


def test_reading_stops_when_its_time_is_up(settings):
    """Nothing else would stop this file for a long while: it is refused after a second."""
    limited(settings, read_seconds=1, compression_ratio=10**6, blank_rows=10**9, part_bytes=10**9, unpacked_bytes=10**9)
    data = xlsx_with(sheet_xml(HEADER_ROW, repeated(b"<row/>", 5_000_000)))  # 30 MB of empty rows, 30 kB packed
    started = time.perf_counter()
    message = refusal("p.xlsx", data)
    assert message == (
        "Reading the file took longer than 1 seconds, the most one import may take. Split it into several "
        "smaller files."
    )
    assert 1 <= time.perf_counter() - started < 2
