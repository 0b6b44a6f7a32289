"""Dates in EDTF through the export, the import and the API: each date's ``…_edtf`` column beside
its text, ISO and precision; an export imported back changes nothing and restores qualifiers
and halves of a year; an edited EDTF cell, or an edited ISO cell, is what the record gets."""

import pytest

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.imports import UNCHANGED, UPDATE, plan_import, read_table
from cooperation.models import Project
from events.models import Meeting
from partners.models import Partner
from tests import factories as f
from tests.helpers.imports import csv_cells, export_csv, make_csv, run_import, xlsx_of
from tests.helpers.users import publisher

pytestmark = pytest.mark.django_db

ABOUT_2005 = PD(2005, qualifier="~")
MAYBE_2007 = PD(2007, qualifier="?")
H2_2007 = PD(2007, group=41)


@pytest.fixture
def projects():
    f.ProjectFactory(slug="about", title="About", start=ABOUT_2005, end=MAYBE_2007, published=True)
    f.ProjectFactory(slug="workshops", title="Workshops", start=H2_2007, end=None, published=True)
    f.ProjectFactory(slug="plain", title="Plain", start=PD(2006, 8), end=PD(2008), published=True)


def rows_of(data):
    header, *rows = csv_cells(data)
    return header, {row[header.index("slug")]: dict(zip(header, row, strict=True)) for row in rows}


def with_cells(data, changes):
    """The CSV ``data`` with ``{slug: {column: text}}`` changed."""
    header, *rows = csv_cells(data)
    for row in rows:
        for column, text in changes.get(row[header.index("slug")], {}).items():
            row[header.index(column)] = text
    return make_csv([header, *rows])


def dates(slug):
    project = Project.objects.get(slug=slug)
    return project.start, project.end


@pytest.mark.usefixtures("projects")
def test_the_export_gives_each_date_in_edtf(client):
    header, rows = rows_of(export_csv(client, "projects"))

    assert header[header.index("start") : header.index("start") + 4] == [
        "start",
        "start_iso",
        "start_edtf",
        "start_precision",
    ]
    assert [rows["about"][c] for c in ("start", "start_iso", "start_edtf", "end", "end_edtf")] == [
        "about 2005",
        "2005",
        "2005~",
        "2007 (uncertain)",
        "2007?",
    ]
    assert [rows["workshops"][c] for c in ("start", "start_iso", "start_edtf", "start_precision")] == [
        "second half of 2007",
        "2007-41",
        "2007-41",
        "half",
    ]


@pytest.mark.usefixtures("projects")
def test_an_unchanged_export_imports_back_unchanged(client):
    data = export_csv(client, "projects")

    plan = plan_import(Project, read_table("projects.csv", data), publisher())

    assert [str(issue) for issue in plan.errors] == []
    assert [row.action for row in plan.rows] == [UNCHANGED] * 3


@pytest.mark.usefixtures("projects")
def test_an_export_imported_back_restores_qualifiers_and_halves(client):
    data = export_csv(client, "projects")
    Project.objects.filter(slug="about").update(start_qualifier="", end_qualifier="")
    Project.objects.filter(slug="workshops").update(start=PD(2007, 7))

    plan = run_import(Project, "projects.csv", data, publisher())

    assert plan.counts[UPDATE] == 2
    assert dates("about") == (ABOUT_2005, MAYBE_2007)
    assert dates("workshops") == (H2_2007, None)
    assert export_csv(client, "projects") == data


@pytest.mark.usefixtures("projects")
def test_an_edited_edtf_cell_is_what_the_record_gets(client):
    data = with_cells(
        export_csv(client, "projects"),
        {"about": {"start_edtf": "2006%"}, "plain": {"start_edtf": "2006-40", "end_edtf": "2008~"}},
    )

    plan = run_import(Project, "projects.csv", data, publisher())

    changes = {row.slug: [change.summary for change in row.changes] for row in plan.rows if row.changes}
    assert changes == {
        "about": [
            "2005~ → 2006% (from start_edtf; the unchanged start “about 2005” and start_iso “2005” are overruled)"
        ],
        "plain": [
            "2006-08 → 2006-40 (from start_edtf; the unchanged start “August 2006” and start_iso “2006-08” "
            "are overruled)",
            "2008 → 2008~ (from end_edtf; the unchanged end “2008” is overruled)",
        ],
    }
    assert dates("about") == (PD(2006, qualifier="%"), MAYBE_2007)
    assert dates("plain") == (PD(2006, group=40), PD(2008, qualifier="~"))


@pytest.mark.usefixtures("projects")
def test_an_edited_iso_cell_is_not_undone_by_the_unchanged_edtf_one(client):
    data = with_cells(export_csv(client, "projects"), {"about": {"start_iso": "2004"}})

    run_import(Project, "projects.csv", data, publisher())

    assert dates("about") == (PD(2004), MAYBE_2007)


def test_a_file_with_only_edtf_or_words_is_read(client):
    f.SourceFactory(slug="sms-report")
    rows = [
        ["slug", "title", "kind", "start_edtf", "end_iso", "partner_slugs"],
        ["workshops-2007", "Workshops", "Training", "2007-41", "", ""],
        ["about-2008", "Meeting", "Conference", "2008~", "about 2009", ""],
    ]

    run_import(Meeting, "meetings.xlsx", xlsx_of(rows), publisher())

    assert Meeting.objects.get(slug="workshops-2007").start == H2_2007
    about = Meeting.objects.get(slug="about-2008")
    assert (about.start, about.end) == (PD(2008, qualifier="~"), PD(2009, qualifier="~"))


def test_a_date_without_a_qualifier_column_refuses_about_in_the_import():
    rows = [["slug", "name", "kind", "scope", "founded_edtf"], ["a", "A", "state", "bilateral", "2008~"]]

    plan = plan_import(Partner, read_table("partners.csv", make_csv(rows)), publisher())

    assert [(issue.column, issue.message) for issue in plan.errors] == [
        (
            "founded_edtf",
            "This date may be a year, month, day, half or quarter, but not approximate or uncertain: "
            "leave out “about” and “?”.",
        )
    ]


@pytest.mark.usefixtures("projects")
def test_the_api_gives_each_date_in_edtf(client):
    about = client.get("/api/projects/about/").json()
    workshops = client.get("/api/projects/workshops/").json()

    assert about["start"] == {"text": "about 2005", "iso": "2005", "edtf": "2005~", "precision": "year"}
    assert about["end"] == {"text": "2007 (uncertain)", "iso": "2007", "edtf": "2007?", "precision": "year"}
    assert workshops["start"] == {
        "text": "second half of 2007",
        "iso": "2007-41",
        "edtf": "2007-41",
        "precision": "half",
    }
