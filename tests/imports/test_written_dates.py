"""A date's three columns in the import (as written, ISO, EDTF): the one a row changes gives the
date and the preview says which unchanged ones it overrules; two changed columns that disagree
are an error naming both; an agreement's date columns are the summary of its actions, so an
edited one is refused with the advice to edit the actions (cooperation/imports/plan.py
``read_date``, relations.py ``SummaryDates``)."""

import pytest

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.imports import ERROR, UNCHANGED, UPDATE, plan_import, read_table
from cooperation.models import Agreement, Project
from partners.models import Partner
from tests import factories as f
from tests.helpers.imports import errors, export_csv, make_csv, page_text, run_import, upload
from tests.helpers.users import publisher

from .test_edtf_columns import with_cells

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return f.ProjectFactory(slug="about", title="About", start=PD(2005, qualifier="~"), end=None, published=True)


def plan_with(client, name, model, changes):
    data = with_cells(export_csv(client, name), changes)
    return plan_import(model, read_table(f"{name}.csv", data), publisher())


def changes_of(plan):
    return {row.slug: [(change.column, change.summary) for change in row.changes] for row in plan.rows}


@pytest.mark.usefixtures("project")
def test_an_edited_written_date_is_read_and_overrules_the_unchanged_columns(client):
    data = with_cells(export_csv(client, "projects"), {"about": {"start": "second half of 2007"}})

    plan = run_import(Project, "projects.csv", data, publisher())

    assert [row.action for row in plan.rows] == [UPDATE]
    assert changes_of(plan) == {
        "about": [
            (
                "start",
                "about 2005 → second half of 2007 (from start; the unchanged start_iso “2005” and "
                "start_edtf “2005~” are overruled)",
            )
        ]
    }
    assert Project.objects.get(slug="about").start == PD(2007, group=41)


@pytest.mark.usefixtures("project")
def test_a_written_date_that_drops_about_changes_the_date_and_keeps_the_agreeing_iso_cell_quiet(client):
    plan = plan_with(client, "projects", Project, {"about": {"start": "2005"}})

    assert changes_of(plan) == {
        "about": [("start", "about 2005 → 2005 (from start; the unchanged start_edtf “2005~” is overruled)")]
    }


@pytest.mark.usefixtures("project")
def test_changed_columns_that_agree_are_one_change(client):
    plan = plan_with(
        client, "projects", Project, {"about": {"start": "about 2009", "start_iso": "2009", "start_edtf": "2009~"}}
    )

    assert errors(plan) == []
    assert changes_of(plan) == {"about": [("start", "about 2005 → about 2009")]}


@pytest.mark.usefixtures("project")
def test_two_changed_columns_that_disagree_refuse_the_row_naming_both(client):
    plan = plan_with(client, "projects", Project, {"about": {"start": "second half of 2007", "start_iso": "2008"}})

    assert [row.action for row in plan.rows] == [ERROR]
    assert errors(plan) == [
        (
            2,
            "start",
            "start “second half of 2007” (second half of 2007) and start_iso “2008” (2008) give different dates; "
            "the record has about 2005. Change only one of them, or make them say the same date.",
        )
    ]


def test_a_new_record_whose_columns_disagree_is_refused_and_one_that_agrees_is_created():
    rows = [
        ["slug", "title", "start", "start_iso", "start_edtf"],
        ["agree", "Agree", "about 2008", "2008", "2008~"],
        ["disagree", "Disagree", "2008", "", "2009"],
    ]

    plan = plan_import(Project, read_table("projects.csv", make_csv(rows)), publisher())

    assert errors(plan) == [
        (
            3,
            "start",
            "start “2008” (2008) and start_edtf “2009” (2009) give different dates. "
            "Change only one of them, or make them say the same date.",
        )
    ]
    assert changes_of(plan)["agree"] == [("title", "“Agree”"), ("start", "about 2008")]


def test_a_partners_written_founding_date_is_read(client):
    f.PartnerFactory(slug="iom", name="IOM", founded=PD(1951, 12, 5))

    plan = plan_with(client, "partners", Partner, {"iom": {"founded": "6 December 1951"}})
    assert [row.action for row in plan.rows] == [UPDATE]
    assert changes_of(plan)["iom"] == [
        (
            "founded",
            "5 December 1951 → 6 December 1951 (from founded; the unchanged founded_iso “1951-12-05” and "
            "founded_edtf “1951-12-05” are overruled)",
        )
    ]
    unqualified = plan_with(client, "partners", Partner, {"iom": {"founded": "about 1951"}})
    assert errors(unqualified) == [
        (
            2,
            "founded",
            "This date may be a year, month, day, half or quarter, but not approximate or uncertain: "
            "leave out “about” and “?”.",
        )
    ]


@pytest.mark.usefixtures("project")
def test_the_preview_never_says_unchanged_for_an_edited_date_cell(client):
    client.force_login(publisher())
    data = with_cells(export_csv(client, "projects"), {"about": {"start": "second half of 2007"}})

    text = page_text(upload(client, Project, "projects.csv", data))

    assert "0 to create 1 to update 0 unchanged 0 with errors" in text
    assert (
        "about Update start: about 2005 → second half of 2007 (from start; the unchanged start_iso “2005” and "
        "start_edtf “2005~” are overruled)" in text
    )


# An agreement's dates: the summary of its actions --------------------------------------------------


@pytest.fixture
def agreement():
    iom = f.PartnerFactory(slug="iom", name="IOM")
    return f.AgreementFactory(
        slug="mou", title="MoU", parties=[iom], signed=PD(1999, 12, 8), signed_place="Baku", published=True
    )


@pytest.mark.usefixtures("agreement")
def test_an_unchanged_agreement_export_imports_back_unchanged(client):
    plan = plan_with(client, "agreements", Agreement, {})

    assert errors(plan) == []
    assert [row.action for row in plan.rows] == [UNCHANGED]


@pytest.mark.usefixtures("agreement")
@pytest.mark.parametrize(
    ("column", "text", "shown"),
    [
        ("signed", "9 December 1999", "8 December 1999"),
        ("signed_iso", "1999-12-09", "1999-12-08"),
        ("signed_precision", "year", "day (1999-12-08)"),
        ("signed_place", "Geneva", "“Baku”"),
    ],
)
def test_an_edited_agreement_date_is_refused_with_the_advice_to_edit_the_actions(client, column, text, shown):
    plan = plan_with(client, "agreements", Agreement, {"mou": {column: text}})

    assert errors(plan) == [
        (
            2,
            column,
            f"{column} is worked out from the actions cell, so it cannot be changed here: the file has “{text}”, "
            f"the actions give {shown}. Edit the actions cell instead (e.g. “signature | 2017-02-23”), "
            f"or leave {column} as it was.",
        )
    ]
    assert not {"signed", "signed_precision", "signed_place"} & set(plan.ignored_columns)
    assert "status" in plan.ignored_columns


@pytest.mark.usefixtures("agreement")
def test_an_agreement_date_edited_with_its_action_is_accepted(client):
    data = with_cells(
        export_csv(client, "agreements"),
        {"mou": {"signed": "9 December 1999", "signed_iso": "1999-12-09", "actions": "signature | 1999-12-09"}},
    )

    run_import(Agreement, "agreements.csv", data, publisher())

    assert Agreement.objects.get(slug="mou").signed == PD(1999, 12, 9)


def test_a_new_agreement_with_a_date_but_no_action_is_refused():
    f.PartnerFactory(slug="iom", name="IOM")
    rows = [["slug", "title", "kind", "party_slugs", "signed"], ["new", "New", "Other", "iom", "2017"]]

    plan = plan_import(Agreement, read_table("agreements.csv", make_csv(rows)), publisher())

    assert errors(plan) == [
        (
            2,
            "signed",
            "signed is worked out from the actions cell, so it cannot be changed here: the file has “2017”, "
            "the actions give no date. Edit the actions cell instead (e.g. “signature | 2017-02-23”), "
            "or leave signed as it was.",
        )
    ]


# A date's precision: it follows the date ----------------------------------------------------------


@pytest.mark.usefixtures("project")
def test_a_changed_precision_cell_is_refused_saying_how_to_change_the_precision(client):
    plan = plan_with(client, "projects", Project, {"about": {"start_precision": "month"}})

    assert errors(plan) == [
        (
            2,
            "start_precision",
            "start_precision follows the date, so it is not read: the file has “month”, the date is year (2005~). "
            "To change how much of the date is known, write the date at that precision in start_iso (a year: "
            "2006; a month: 2006-08; a day: 2006-08-15), or leave start_precision as it was.",
        )
    ]


@pytest.mark.usefixtures("project")
def test_a_precision_cell_left_as_it_was_gives_way_to_a_changed_date(client):
    plan = plan_with(client, "projects", Project, {"about": {"start_edtf": "2006-03"}})

    assert errors(plan) == []
    assert [row.action for row in plan.rows] == [UPDATE]
