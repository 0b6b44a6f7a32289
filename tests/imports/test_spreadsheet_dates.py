"""Dates in an imported file as spreadsheets rewrite them: “Dec-2000”, a US-locale “2/23/2017”
and real date cells of an .xlsx are read; an ambiguous “3/4/2017” or a two-digit year “Dec-00”
is an error on its row and column that repeats the value and says what to type."""

import datetime
import io

import openpyxl
import pytest

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.imports import ERROR, plan_import, read_table
from cooperation.models import Project
from tests.helpers.imports import errors, make_csv, run_import
from tests.helpers.users import publisher

pytestmark = pytest.mark.django_db


def test_dates_a_spreadsheet_rewrote_that_mean_one_date_are_imported():
    rows = [
        ["slug", "title", "start", "start_iso", "end_iso"],
        ["us", "US Excel", "", "2/23/2017", "12/2017"],
        ["de", "German Excel", "23.02.2017", "", "Dec-2018"],
    ]

    run_import(Project, "projects.csv", make_csv(rows, delimiter=";"), publisher())

    assert {p.slug: (p.start, p.end) for p in Project.objects.all()} == {
        "us": (PD(2017, 2, 23), PD(2017, 12)),
        "de": (PD(2017, 2, 23), PD(2018, 12)),
    }


def test_ambiguous_dates_are_errors_that_say_what_to_type():
    rows = [
        ["slug", "title", "start_iso", "end_iso"],
        ["ambiguous", "Ambiguous", "3/4/2017", ""],
        ["short-year", "Short year", "Dec-00", ""],
    ]

    plan = plan_import(Project, read_table("projects.csv", make_csv(rows)), publisher())

    assert [row.action for row in plan.rows] == [ERROR, ERROR]
    assert errors(plan) == [
        (
            2,
            "start_iso",
            "“3/4/2017” may be 3 April 2017 or 4 March 2017: the order of day and month differs between "
            "countries. Write 2017-04-03 or 3 April 2017, or 2017-03-04 or 4 March 2017.",
        ),
        (
            3,
            "start_iso",
            "“Dec-00” gives the year in two digits (as a spreadsheet shows a date): write it in full, 2000-12 or "
            "December 2000 (or 1900-12 if that is meant). Formatting the column as Text keeps a spreadsheet from "
            "rewriting dates.",
        ),
    ]


def test_real_date_cells_of_a_workbook_are_read_at_the_precision_they_show():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["slug", "title", "start", "end_iso"])
    sheet.append(["cells", "Date cells", datetime.datetime(2000, 12, 1), datetime.datetime(2001, 3, 5)])
    sheet["C2"].number_format = "mmm-yy"  # what Excel makes of 2000-12: shown as Dec-00
    sheet["D2"].number_format = "m/d/yyyy"
    output = io.BytesIO()
    workbook.save(output)

    run_import(Project, "projects.xlsx", output.getvalue(), publisher())

    project = Project.objects.get(slug="cells")
    assert (project.start, project.end) == (PD(2000, 12), PD(2001, 3, 5))
