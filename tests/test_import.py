"""The spreadsheet import (cooperation/imports/): exports read back losslessly, the dry run, all
or nothing, every kind of error, who may import what, and the admin's upload → preview →
confirm pages."""

import codecs
import csv
import datetime
import io
import re
import zipfile

import openpyxl
import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils.html import strip_tags

from cooperation.core import exports
from cooperation.core.partial_dates import PartialDate as PD
from cooperation.imports import (
    CREATE,
    ERROR,
    SCHEMAS,
    UNCHANGED,
    UPDATE,
    ImportFileError,
    ImportRefused,
    apply_import,
    plan_import,
    read_table,
)
from cooperation.imports import files as import_files
from cooperation.imports.formats import SPECS
from cooperation.models import Agreement, Citation, Project, ProjectPartner
from events.models import Meeting
from partners.models import Partner
from tests import factories as f

pytestmark = pytest.mark.django_db

LISTS = {"partners": Partner, "agreements": Agreement, "projects": Project, "meetings": Meeting}


# Data ----------------------------------------------------------------------------------------


def seed_like():
    """A small registry shaped like the seed: every kind of value an export writes, drafts
    among the related records, citations with and without a page."""
    s1 = f.SourceFactory(slug="sms-report", title="SMS annual report")
    s2 = f.SourceFactory(slug="iom-page", title="IOM country page")
    s3 = f.SourceFactory(slug="internal-memo", title="Internal memo", published=False)
    asylum = f.TopicFactory(slug="asylum", name="Asylum")
    readmission = f.TopicFactory(slug="readmission", name="Readmission")
    iom = f.PartnerFactory(
        slug="iom",
        name="International Organization for Migration",
        acronym="IOM",
        headquarters="Geneva, Switzerland",
        founded=PD(1951, 12, 5),
        member_states=175,
        website="https://www.iom.int",
        other_names="Organisation internationale pour les migrations\nOIM",
        description='Works on "migration", with governments; since 1951.\r\nSecond line.',
    )
    council = f.PartnerFactory(
        slug="iom-council", name="IOM Council", acronym="", kind="governing-body", parent=iom, founded=PD(1953)
    )
    eu = f.PartnerFactory(slug="eu", name="European Union", acronym="EU", kind="eu-body", founded=PD(1993, 11))
    turkiye = f.PartnerFactory(
        slug="turkiye", name="Republic of Türkiye", acronym="", kind="state", scope="bilateral", country="TR"
    )
    draft = f.PartnerFactory(slug="draft-agency", name="Draft agency", acronym="DA", published=False)
    f.PartnerFactory(slug="sub-agency", name="Sub-agency", acronym="", kind="state-agency", parent=draft)
    f.CitationFactory(content_object=iom, source=s1, locator="p. 3")
    f.CitationFactory(content_object=iom, source=s1, locator="p. 9")
    f.CitationFactory(content_object=iom, source=s3, locator="")
    f.CitationFactory(content_object=council, source=s2, locator="")
    official = f.PersonFactory(slug="director", name="A. Director")
    agreement = f.AgreementFactory(
        slug="cooperation-1999",
        title='Agreement on cooperation, with quotes "and" commas',
        short_title="Cooperation agreement",
        kind="memorandum-of-understanding",
        parties=[iom, draft],
        signed=PD(1999, 12, 8),
        signed_place="Baku",
        ratified=PD(2000),
        in_force=PD(2000, 5),
        legal_notes="Decree No. 1.\nSecond line.",
    )
    agreement.topics.set([asylum])
    f.CitationFactory(content_object=agreement, source=s1, locator="")
    readmission_agreement = f.AgreementFactory(
        slug="readmission-2014",
        title="Readmission agreement",
        kind="readmission-agreement",
        parties=[eu],
        signed=PD(2013, 12),
    )
    project = f.ProjectFactory(
        slug="unimig",
        title="Capacity building in migration management",
        short_title="UNIMIG",
        phase="Phase II",
        start=PD(2006),
        end=PD(2008, 6),
        status="completed",
        topics=[asylum, readmission],
        description="Ran with the SMS.",
    )
    project.agreements.set([agreement])
    f.ProjectPartnerFactory(project=project, partner=iom, role="implementing", note="lead")
    f.ProjectPartnerFactory(project=project, partner=eu, role="funding")
    f.ProjectPartnerFactory(project=project, partner=draft, role="beneficiary", note="kept")
    f.CitationFactory(content_object=project, source=s2, locator="")
    other = f.ProjectFactory(slug="awareness", title="Awareness raising", start=PD(2014, 3, 1), status="ongoing")
    f.ProjectPartnerFactory(project=other, partner=turkiye, role="beneficiary")
    meeting = f.MeetingFactory(
        slug="geneva-2016",
        title="Working meeting in Geneva",
        kind="bilateral-meeting",
        start=PD(2016, 12, 5),
        end=PD(2016, 12, 8),
        city="Geneva",
        country="CH",
        partners=[iom, draft],
        participants_note="SMS employees",
    )
    meeting.participants.set([official])
    meeting.agreements.set([agreement, readmission_agreement])
    meeting.projects.set([project])
    f.CitationFactory(content_object=meeting, source=s1, locator="")
    f.MeetingFactory(slug="visit-2000", title="Visit", kind="visit", start=PD(2000), end=None, country="", city="")


def snapshot(model):
    """Everything the registry holds about each record of ``model``, by slug: fields, links
    (drafts too), a project's partner roles with notes, citations with their pages."""
    rows = {}
    for obj in model.objects.order_by("slug"):
        values = {
            field.name: getattr(obj, field.attname)
            for field in model._meta.concrete_fields
            if field.name not in ("id", "created_at", "updated_at")
        }
        for field in model._meta.many_to_many:
            values[field.name] = sorted(getattr(obj, field.name).values_list("slug", flat=True))
        if model is Project:
            values["roles"] = sorted((r.partner.slug, r.role, r.note) for r in obj.project_partners.all())
        values["citations"] = sorted((c.source.slug, c.locator) for c in Citation.objects.for_object(obj))
        rows[obj.slug] = values
    return rows


def lf(value):
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def export_csv(client, name):
    response = client.get(f"/{name}/?format=csv")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def csv_rows(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def make_csv(rows, delimiter=","):
    output = io.StringIO(newline="")
    csv.writer(output, delimiter=delimiter).writerows(rows)
    return codecs.BOM_UTF8 + output.getvalue().encode()


def as_excel_would(data):
    """The CSV opened in Excel and saved as .xlsx: numbers become numbers and ISO dates become
    date cells, formatted at the precision they had (2006-08 → "mmm yyyy")."""
    rows = csv_rows(data)
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


def run_import(model, filename, data, user=None):
    plan = plan_import(model, read_table(filename, data), user)
    assert [str(issue) for issue in plan.errors] == []
    apply_import(plan, user)
    return plan


def plan_of(model, rows, user=None, filename="file.csv"):
    return plan_import(model, read_table(filename, make_csv(rows)), user)


def errors(plan):
    return [(issue.row, issue.column, issue.message) for issue in plan.errors]


def publisher():
    user = f.UserFactory(username="publisher", is_staff=True)
    user.groups.add(Group.objects.get(name="Publisher"))
    return user


def editor():
    user = f.UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


# The import reads what the export writes -----------------------------------------------------


@pytest.mark.parametrize("name", LISTS)
def test_schema_reads_every_key_and_read_column_of_the_export_and_nothing_else(name):
    schema = SCHEMAS[LISTS[name]]
    spec = SPECS[name]
    assert schema.spec is spec
    assert schema.columns == [column.name for column in spec.columns if column.use != exports.DERIVED]
    assert schema.columns[0] == "slug"
    assert sorted(reader.column for reader in schema.readers) == sorted(schema.columns[1:])
    assert schema.derived == [column.name for column in spec.columns if column.use == exports.DERIVED]


def test_partial_dates_are_read_from_their_iso_column_only():
    for spec in SPECS.values():
        for column in spec.columns:
            if column.name.endswith("_iso"):
                assert column.use == exports.READ
            if column.name.endswith("_precision"):
                assert column.use == exports.DERIVED


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
        agreement.title, agreement.kind, agreement.signed, agreement.ratified = "Other", "other", PD(1998), None
        agreement.in_force, agreement.ended, agreement.legal_notes = PD(1999), PD(2020), ""
        agreement.save()
        agreement.parties.set([Partner.objects.get(slug="eu"), Partner.objects.get(slug="draft-agency")])
        agreement.topics.clear()
        Citation.objects.for_object(agreement).delete()
    elif name == "projects":
        project = Project.objects.get(slug="unimig")
        project.title, project.short_title, project.phase, project.status = "Other", "", "", "ongoing"
        project.start, project.end = PD(2005, 1, 1), None
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


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("name", LISTS)
def test_an_export_imported_back_restores_changed_records_exactly(client, name, file_format):
    seed_like()
    model = LISTS[name]
    before = snapshot(model)
    original = export_csv(client, name)
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
        assert csv_rows(export_csv(client, name)) == [[lf(cell) for cell in row] for row in csv_rows(original)]


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
        apply_import(plan, user)


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


# What a plan says ------------------------------------------------------------------------------


def test_a_plan_lists_each_row_with_its_action_and_changes_old_to_new():
    seed_like()
    rows = [
        ["slug", "title", "kind", "party_slugs", "topic_slugs", "signed_iso", "ratified_iso", "source_slugs"],
        ["readmission-2014", "Readmission agreement", "Readmission agreement", "eu", "", "2013-12", "", ""],
        ["readmission-2014-protocol", "Protocol", "Other", "eu; iom", "asylum", "2014", "", ""],
        ["cooperation-1999", "New title", "cooperation-agreement", "iom; eu", "", "1999-12", "2000", "iom-page"],
    ]
    plan = plan_of(Agreement, rows)
    assert [(row.number, row.slug, row.action) for row in plan.rows] == [
        (2, "readmission-2014", UNCHANGED),
        (3, "readmission-2014-protocol", CREATE),
        (4, "cooperation-1999", UPDATE),
    ]
    assert [(change.column, change.summary) for change in plan.rows[1].changes] == [
        ("title", "“Protocol”"),
        ("kind", "Other"),
        ("party_slugs", "+ eu; + iom"),
        ("topic_slugs", "+ asylum"),
        ("signed_iso", "2014"),
    ]
    assert [(change.column, change.summary) for change in plan.rows[2].changes] == [
        ("title", '“Agreement on cooperation, with quotes "and" commas” → “New title”'),
        ("kind", "Memorandum of understanding → Cooperation agreement"),
        ("party_slugs", "+ eu"),  # the draft party stays, and is not shown as removed
        ("topic_slugs", "− asylum"),
        ("signed_iso", "1999-12-08 → 1999-12"),
        ("source_slugs", "+ iom-page; − sms-report"),
    ]
    assert plan.counts == {CREATE: 1, UPDATE: 1, UNCHANGED: 1, ERROR: 0}
    assert plan.ignored_columns == []


def test_derived_columns_are_listed_as_ignored_and_do_not_change_anything():
    seed_like()
    rows = [
        ["slug", "name", "kind", "scope", "country", "url"],
        ["turkiye", "Republic of Türkiye", "State", "Bilateral", "Atlantis", "http://elsewhere/"],
    ]
    plan = plan_of(Partner, rows)
    assert plan.ignored_columns == ["country", "url"]
    assert [row.action for row in plan.rows] == [UNCHANGED]


def test_a_dry_run_writes_nothing(client, django_assert_num_queries):
    seed_like()
    before = {model: snapshot(model) for model in LISTS.values()}
    entries, history = LogEntry.objects.count(), Partner.history.count()
    rows = [
        ["slug", "name", "kind", "scope", "parent_slug"],
        ["brand-new", "Brand new", "State", "Bilateral", "iom"],
        ["iom", "Changed name", "State", "Bilateral", ""],
    ]
    plan = plan_of(Partner, rows, publisher())
    assert [row.action for row in plan.rows] == [CREATE, UPDATE]
    assert {model: snapshot(model) for model in LISTS.values()} == before
    assert (LogEntry.objects.count(), Partner.history.count()) == (entries, history)


def test_planning_costs_the_same_queries_for_one_row_and_for_thirty(django_assert_num_queries):
    seed_like()
    existing = [meeting.slug for meeting in f.MeetingFactory.create_batch(15)]
    header = [
        "slug",
        "title",
        "kind",
        "start_iso",
        "country_code",
        "partner_slugs",
        "participant_slugs",
        "agreement_slugs",
        "project_slugs",
        "source_slugs",
    ]

    def table(slugs):
        rows = [
            [
                slug,
                f"Meeting {slug}",
                "Visit",
                "2001-05",
                "AZ",
                "iom; eu",
                "director",
                "cooperation-1999",
                "unimig",
                "sms-report",
            ]
            for slug in slugs
        ]
        return read_table("meetings.csv", make_csv([header, *rows]))

    one, thirty = table(existing[:1]), table([*existing, *(f"new-{n}" for n in range(15))])
    ContentType.objects.get_for_model(Meeting)  # cached for the process, as in a running server
    # The records by slug; the partners, people, agreements, projects and sources the slug
    # columns name; the current links of each relation column (partners, participants,
    # agreements, projects, citations): the same queries whatever the number of rows.
    with django_assert_num_queries(11):
        assert plan_import(Meeting, one).counts == {CREATE: 0, UPDATE: 1, UNCHANGED: 0, ERROR: 0}
    with django_assert_num_queries(11):
        assert plan_import(Meeting, thirty).counts == {CREATE: 15, UPDATE: 15, UNCHANGED: 0, ERROR: 0}


def test_a_file_may_create_a_partner_and_its_parent_in_any_order():
    rows = [
        ["slug", "name", "kind", "scope", "parent_slug"],
        ["child", "Child agency", "State agency", "Bilateral", "parent"],
        ["parent", "Parent state", "State", "Bilateral", ""],
    ]
    run_import(Partner, "partners.csv", make_csv(rows), publisher())
    assert Partner.objects.get(slug="child").parent == Partner.objects.get(slug="parent")


def test_labels_codes_and_names_are_read_generously():
    seed_like()
    rows = [
        ["slug", "name", "kind", "scope", "country_code", "website", "other_names", "member_states"],
        ["x", " Spaced  name ", "STATE", "bilateral", "Switzerland", "example.org", "A;B ; ;C", "1,000"],
    ]
    run_import(Partner, "partners.csv", make_csv(rows))
    partner = Partner.objects.get(slug="x")
    assert (partner.name, partner.kind, partner.scope, partner.country.code) == (
        "Spaced  name",
        "state",
        "bilateral",
        "CH",
    )
    assert (partner.website, partner.other_names, partner.member_states) == ("https://example.org", "A\nB\nC", 1000)
    assert partner.published is False


def test_a_semicolon_separated_csv_from_a_european_excel_is_read():
    seed_like()
    rows = [
        ["slug", "title", "kind", "start_iso", "end_iso", "partner_slugs"],
        ["new-meeting", "Semicolons", "Visit", "05.03.2001", "2001-03", "iom; eu"],
    ]
    table = read_table("meetings.csv", make_csv(rows, delimiter=";"))
    assert table.delimiter == ";"
    plan = plan_import(Meeting, table)
    assert [row.action for row in plan.rows] == [CREATE]
    apply_import(plan)
    meeting = Meeting.objects.get(slug="new-meeting")
    assert (meeting.start, meeting.end) == (PD(2001, 3, 5), PD(2001, 3))
    assert sorted(meeting.partners.values_list("slug", flat=True)) == ["eu", "iom"]


def test_excel_date_and_number_cells_are_read_at_the_precision_their_format_shows():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["slug", "title", "kind", "start_iso", "end_iso"])
    sheet.append(["day", "A", "Visit", datetime.datetime(2006, 8, 1), None])
    sheet.append(["month", "B", "Visit", datetime.datetime(2006, 8, 1), datetime.datetime(2006, 9, 1)])
    sheet.append(["year", "C", "Visit", 1998, datetime.datetime(1999, 1, 1)])
    sheet.append(["text", "D", "Visit", "2006-08", "8 December 2006"])
    sheet["D2"].number_format = "dd/mm/yyyy"
    sheet["D3"].number_format = "mmm-yy"
    sheet["E3"].number_format = "mmmm yyyy"
    sheet["E4"].number_format = "yyyy"
    output = io.BytesIO()
    workbook.save(output)
    run_import(Meeting, "meetings.xlsx", output.getvalue())
    dates = {meeting.slug: (meeting.start, meeting.end) for meeting in Meeting.objects.all()}
    assert dates == {
        "day": (PD(2006, 8, 1), None),
        "month": (PD(2006, 8), PD(2006, 9)),
        "year": (PD(1998), PD(1999)),
        "text": (PD(2006, 8), PD(2006, 12, 8)),
    }


def test_a_blank_row_keeps_the_numbering_of_the_rows_after_it():
    rows = [
        ["slug", "name", "kind", "scope"],
        ["a", "A", "State", "Bilateral"],
        [],
        ["", "", "", ""],
        ["b", "B", "Nowhere", "Bilateral"],
    ]
    plan = plan_of(Partner, rows)
    assert [(row.number, row.action) for row in plan.rows] == [(2, CREATE), (5, ERROR)]


# Errors: one bad row saves nothing -------------------------------------------------------------


def test_one_bad_row_saves_nothing_and_the_error_names_row_column_and_problem():
    seed_like()
    before = snapshot(Partner)
    rows = [
        ["slug", "name", "kind", "scope", "founded_iso"],
        ["good-one", "Good one", "State", "Bilateral", "2001"],
        ["iom", "Renamed IOM", "International organisation", "Multilateral", ""],
        ["bad-one", "Bad one", "State", "Bilateral", "2019-02-30"],
    ]
    plan = plan_of(Partner, rows, publisher())
    assert [row.action for row in plan.rows] == [CREATE, UPDATE, ERROR]
    assert errors(plan) == [(4, "founded_iso", "February 2019 has no day 30.")]
    assert str(plan.errors[0]) == "row 4, column founded_iso: February 2019 has no day 30."
    with pytest.raises(ValueError):
        apply_import(plan)
    assert snapshot(Partner) == before


def test_a_row_the_database_refuses_while_saving_rolls_back_the_rows_before_it():
    seed_like()
    before = snapshot(Partner)
    rows = [
        ["slug", "name", "kind", "scope"],
        ["first", "First", "State", "Bilateral"],
        ["second", "Second", "State", "Bilateral"],
    ]
    plan = plan_of(Partner, rows, publisher())
    assert not plan.has_errors
    someone_else = f.PartnerFactory(slug="someone-else", name="Second")  # between the preview and the save
    with pytest.raises(ImportRefused, match="nothing was saved"):
        apply_import(plan, publisher())
    assert snapshot(Partner) == {**before, "someone-else": snapshot(Partner)["someone-else"]}
    assert not Partner.objects.filter(slug__in=["first", "second"]).exists()
    assert someone_else.name == "Second"


PARTNER_HEADER = [
    "slug",
    "name",
    "kind",
    "scope",
    "country_code",
    "parent_slug",
    "founded_iso",
    "member_states",
    "website",
    "source_slugs",
]
PARTNER_ROW = ["new", "New partner", "State", "Bilateral", "AZ", "", "2001", "", "", ""]


def partner_row(**cells):
    row = list(PARTNER_ROW)
    for name, value in cells.items():
        row[PARTNER_HEADER.index(name)] = value
    return row


ROW_ERRORS = [
    ({"slug": ""}, "slug", "Every row needs a slug: it says which record the row is."),
    ({"slug": "not a slug"}, "slug", "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
    ({"slug": "Upper"}, "slug", "Slugs are lower-case: write “upper”."),
    ({"slug": "x" * 121}, "slug", "A slug has at most 120 characters (this one has 121)."),
    ({"name": ""}, "name", "This field cannot be blank."),
    ({"name": "n" * 201}, "name", "Ensure this value has at most 200 characters (it has 201)."),
    (
        {"name": "International Organization for Migration"},
        "name",
        "Another partner, “iom”, already has the name “International Organization for Migration”.",
    ),
    (
        {"kind": "Planet"},
        "kind",
        "“Planet” is not a kind: use one of International organisation, Governing body, "
        "EU body, State, State agency, Dialogue process, Non-governmental organisation, Other.",
    ),
    ({"scope": ""}, "scope", "This field cannot be blank."),
    (
        {"country_code": "XX"},
        "country_code",
        "“XX” is not a country: give its ISO 3166-1 alpha-2 code, such as AZ or CH.",
    ),
    ({"parent_slug": "nobody"}, "parent_slug", "No partner has the slug “nobody”."),
    ({"parent_slug": "new"}, "parent_slug", "A partner cannot be its own parent body."),
    (
        {"founded_iso": "sometime"},
        "founded_iso",
        "“sometime” is not a date this registry understands. Enter a year "
        "(1998), a month (2006-08 or August 2006) or a day (1999-12-08 or 8 December 1999).",
    ),
    ({"founded_iso": "1999-13"}, "founded_iso", "The month must be between 1 and 12."),
    ({"member_states": "many"}, "member_states", "“many” is not a whole number."),
    ({"member_states": "2.5"}, "member_states", "“2.5” is not a whole number."),
    ({"member_states": "-3"}, "member_states", "Ensure this value is greater than or equal to 0."),
    ({"website": "http://"}, "website", "Enter a valid URL."),
    ({"source_slugs": "sms-report; nothing; none"}, "source_slugs", "No sources have the slugs “nothing”, “none”."),
    ({"source_slugs": "sms-report; sms-report"}, "source_slugs", "“sms-report” is listed twice."),
]


@pytest.mark.parametrize(
    ("cells", "column", "message"), ROW_ERRORS, ids=[e[1] + str(i) for i, e in enumerate(ROW_ERRORS)]
)
def test_every_kind_of_bad_value_is_an_error_naming_the_row_and_column(cells, column, message):
    seed_like()
    plan = plan_of(
        Partner, [PARTNER_HEADER, ["ok", "Fine", "State", "Bilateral", "", "", "", "", "", ""], partner_row(**cells)]
    )
    assert errors(plan) == [(3, column, message)]
    assert [row.action for row in plan.rows] == [CREATE, ERROR]


def test_errors_that_span_rows():
    seed_like()
    rows = [
        PARTNER_HEADER,
        partner_row(slug="one", name="Same name"),
        partner_row(slug="two", name="Same name"),
        partner_row(slug="one", name="Again"),
        partner_row(
            slug="iom",
            name="International Organization for Migration",
            kind="International organisation",
            scope="Multilateral",
            country_code="",
            founded_iso="1951-12-05",
            member_states="175",
            website="https://www.iom.int",
            parent_slug="iom-council",
        ),
    ]
    plan = plan_of(Partner, rows)
    assert errors(plan) == [
        (3, "name", "“Same name” is also the name on row 2."),
        (4, "slug", "“one” is also on row 2: each record may appear only once in a file."),
        (5, "parent_slug", "This would make the partner a parent of itself: iom → iom-council → iom."),
    ]


def test_errors_of_agreements_projects_and_meetings():
    seed_like()
    agreements = plan_of(
        Agreement,
        [
            ["slug", "title", "kind", "party_slugs", "signed_iso", "ratified_iso", "in_force_iso", "ended_iso"],
            ["a", "No parties", "Other", "", "", "", "", ""],
            ["b", "Backwards", "Other", "iom", "2001", "2000", "", ""],
            ["c", "Ends before force", "Other", "eu", "2001", "", "2005", "2003-04"],
        ],
    )
    assert errors(agreements) == [
        (2, "party_slugs", "This agreement needs parties: give at least one slug."),
        (3, "ratified_iso", "It cannot be ratified before it was signed."),
        (4, "ended_iso", "It cannot end before it entered into force."),
    ]
    projects = plan_of(
        Project,
        [
            ["slug", "title", "status", "start_iso", "end_iso", "partner_slugs"],
            ["p", "No role", "Ongoing", "", "", "iom"],
            ["q", "Bad role", "Finished", "", "", "iom:sponsor"],
            ["r", "Twice", "", "2008", "2007", "iom:funding; iom:Funding"],
        ],
    )
    assert errors(projects) == [
        (
            2,
            "partner_slugs",
            "“iom” has no role: write slug:role, e.g. iom:implementing (roles: implementing, "
            "funding, beneficiary, other).",
        ),
        (3, "status", "“Finished” is not a status: use one of Planned, Ongoing, Completed, Not known."),
        (3, "partner_slugs", "“sponsor” is not a role: use implementing, funding, beneficiary, other."),
        (4, "end_iso", "A project cannot end before it started."),
        (4, "partner_slugs", "“iom:Funding” is listed twice."),
    ]
    meetings = plan_of(
        Meeting,
        [
            ["slug", "title", "kind", "start_iso", "end_iso", "participant_slugs", "project_slugs"],
            ["m", "Only an end", "Visit", "", "2001", "nobody", "unimig"],
        ],
    )
    assert errors(meetings) == [
        (2, "start_iso", "Give the start date too, or leave both empty."),
        (2, "participant_slugs", "No person has the slug “nobody”."),
    ]


HEADER_ERRORS = [
    (
        ["slug", "name", "kind", "scope", "colour"],
        (
            None,
            "colour",
            "Unknown column “colour”. The partners import reads "
            "slug, name, acronym, kind, scope, country_code, headquarters, parent_slug, founded_iso, member_states, "
            "website, other_names, description, source_slugs.",
        ),
    ),
    (["slug", "name", "kind"], (None, "scope", "The file has no “scope” column; every partners import needs one.")),
    (["name", "kind", "scope"], (None, "slug", "The file has no “slug” column; every partners import needs one.")),
    (["slug", "name", "kind", "scope", "Name"], (None, "name", "The column “name” appears twice (columns 2 and 5).")),
    (
        ["slug", "", "name", "kind", "scope"],
        (None, "column 2", "This column has no name in row 1 but holds values (row 2). Name it, or delete the column."),
    ),
]


@pytest.mark.parametrize(("header", "error"), HEADER_ERRORS)
def test_unknown_missing_repeated_and_unnamed_columns_are_errors_naming_the_column(header, error):
    plan = plan_of(Partner, [header, ["a", "A", "State", "Bilateral", "x"][: len(header)]])
    assert errors(plan) == [error]
    assert plan.rows == []


def test_headers_are_read_without_case_or_spaces_and_empty_trailing_columns_are_ignored():
    plan = plan_of(Partner, [[" Slug", "NAME ", "kind", "scope", "", ""], ["a", "A", "State", "Bilateral", "", ""]])
    assert errors(plan) == []


def test_a_csv_row_with_cells_missing_or_extra_is_an_error():
    plan = plan_of(
        Partner, [["slug", "name", "kind", "scope"], ["a", "A", "State"], ["b", "B", "State", "Bilateral", "", "extra"]]
    )
    assert errors(plan) == [
        (2, "", "This row has 3 cells but row 1 names 4 columns: a separator or a quote is probably missing."),
        (3, "column 6", "This row has a value in column 6, but row 1 names only 4 columns."),
    ]


def xlsx_of(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def not_an_xlsx_zip():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return output.getvalue()


FILE_ERRORS = [
    (
        "partners.txt",
        b"slug\n",
        "“partners.txt” is not a CSV or .xlsx file: upload a file whose name ends in .csv or .xlsx.",
    ),
    (
        "partners.xls",
        b"\xd0\xcf\x11\xe0",
        "“partners.xls” is not a CSV or .xlsx file. Save it from your spreadsheet "
        "program as Excel Workbook (.xlsx) or CSV UTF-8, then upload that.",
    ),
    ("partners.csv", b"", "The file is empty."),
    (
        "partners.csv",
        "slug,name\nt\xfcrkiye,T\xfcrkiye\n".encode("cp1252"),
        "The file is not UTF-8 text (byte 0xFC on "
        "line 2 is not UTF-8): it was probably saved in an older Excel encoding. " + import_files.SAVE_AS_CSV_UTF8,
    ),
    (
        "partners.csv",
        "slug,name\n".encode("utf-16"),
        "The file is UTF-16 text (Excel's “Unicode Text”), not UTF-8 CSV. " + import_files.SAVE_AS_CSV_UTF8,
    ),
    (
        "partners.csv",
        b'slug,name\r\na,"A" b\r\n',
        "The CSV file is damaged on line 2: ',' expected after '\"'. Check "
        "the quotes around that line, or save the file again from your spreadsheet program.",
    ),
    (
        "partners.csv",
        b"slug,name\x00\n",
        "The file holds NUL bytes, which a CSV text file never does: is it really a CSV file?",
    ),
    (
        "partners.csv",
        b"\xef\xbb\xbf\r\n\r\n",
        "The first row must name the columns (slug, name, …), as in an export or "
        "the template; in this file it is empty.",
    ),
    (
        "partners.csv",
        b"slug,name\r\n,\r\n",
        "The file names its columns but has no rows below them: there is nothing to import.",
    ),
    (
        "partners.xlsx",
        b"PK\x03\x04 truncated",
        "The file is not a valid .xlsx workbook (it is damaged, or not an Excel file).",
    ),
    (
        "partners.xlsx",
        not_an_xlsx_zip(),
        "The .xlsx workbook is damaged and cannot be read. Open it in Excel and save "
        "it again, or save it as CSV UTF-8.",
    ),
    (
        "partners.xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest",
        "This is an old-style Excel file (.xls) renamed to "
        ".xlsx. Open it in Excel and save it as Excel Workbook (.xlsx) or CSV UTF-8.",
    ),
    (
        "partners.xlsx",
        xlsx_of([["slug", "name"]]),
        "The file names its columns but has no rows below them: there is nothing to import.",
    ),
]


@pytest.mark.parametrize(("filename", "data", "message"), FILE_ERRORS)
def test_a_file_that_cannot_be_read_says_why(filename, data, message):
    with pytest.raises(ImportFileError) as raised:
        read_table(filename, data)
    assert str(raised.value) == message


def test_too_many_rows_or_bytes(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_ROWS", 2)
    data = make_csv([["slug"], ["a"], ["b"], ["c"]])
    with pytest.raises(ImportFileError, match="more than 2 rows; one import takes at most 2"):
        read_table("p.csv", data)
    with pytest.raises(ImportFileError, match="more than 2 rows"):
        read_table("p.xlsx", xlsx_of([["slug"], ["a"], ["b"], ["c"]]))
    monkeypatch.setattr(import_files, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(ImportFileError, match="one import takes at most 0 MB"):
        read_table("p.csv", data)


# Who may import what --------------------------------------------------------------------------


def test_an_editor_may_create_drafts_and_change_drafts_but_not_published_records():
    seed_like()
    Partner.objects.filter(slug="turkiye").update(published=False)
    rows = [
        ["slug", "name", "kind", "scope", "acronym"],
        ["new-state", "New State", "State", "Bilateral", ""],
        ["turkiye", "Republic of Türkiye", "State", "Bilateral", "TR"],  # a draft: may change
        ["iom", "International Organization for Migration", "International organisation", "Multilateral", "IOM"],
        ["eu", "European Union", "EU body", "Multilateral", "E.U."],  # published: may not change
    ]
    plan = plan_of(Partner, rows, editor())
    assert [row.action for row in plan.rows] == [CREATE, UPDATE, UNCHANGED, ERROR]
    assert errors(plan) == [
        (
            5,
            "",
            "This partner is published: only staff who may publish partners can change it. Leave the row as it "
            "is, or ask a publisher.",
        ),
    ]
    publishers_plan = plan_of(Partner, rows, publisher())
    assert [row.action for row in publishers_plan.rows] == [CREATE, UPDATE, UNCHANGED, UPDATE]


def test_a_user_with_only_the_publish_permission_of_another_model_is_still_an_editor_here():
    seed_like()
    user = editor()
    user.user_permissions.add(Permission.objects.get(codename="publish_meeting"))
    plan = plan_of(Partner, [["slug", "name", "kind", "scope"], ["eu", "EU", "EU body", "Multilateral"]], user)
    assert [row.action for row in plan.rows] == [ERROR]


# The admin ------------------------------------------------------------------------------------


def import_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import")


def upload(client, model, filename, data):
    return client.post(import_url(model), {"file": _file(filename, data)})


def _file(filename, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(filename, data)


def page_text(response):
    return " ".join(strip_tags(response.content.decode()).split())


def payload_of(response):
    match = re.search(r'name="payload" value="([^"]+)"', response.content.decode())
    return match and match[1]


@pytest.mark.parametrize("model", LISTS.values())
def test_the_changelist_has_an_import_button_for_those_who_may_import(client, model):
    client.force_login(publisher())
    response = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    assert f'href="{import_url(model)}"' in response.content.decode()
    assert f"Import {model._meta.verbose_name_plural}" in page_text(response)


def test_without_add_and_change_permissions_there_is_no_import(client):
    viewer = f.UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_partner"))
    client.force_login(viewer)
    changelist = client.get(reverse("admin:partners_partner_changelist"))
    assert changelist.status_code == 200
    assert import_url(Partner) not in changelist.content.decode()
    assert client.get(import_url(Partner)).status_code == 403
    assert upload(client, Partner, "p.csv", make_csv([["slug"], ["a"]])).status_code == 403
    assert client.get(import_url(Partner) + "template.csv").status_code == 403
    viewer.user_permissions.add(Permission.objects.get(codename="change_partner"))
    assert client.get(import_url(Partner)).status_code == 403  # adding is needed too
    client.logout()
    assert client.get(import_url(Partner)).status_code == 302  # to the login page


def test_the_upload_page_explains_the_file(client):
    client.force_login(editor())
    response = client.get(import_url(Meeting))
    assert response.status_code == 200
    text = page_text(response)
    assert "Import meetings" in text
    assert "Required columns: slug, title, kind." in text
    assert "Download the template as an Excel workbook (.xlsx)" in text
    html = response.content.decode()
    assert '<label for="id_file">Spreadsheet file:</label>' in html
    assert 'aria-describedby="id_file_helptext"' in html
    assert 'id="id_file_helptext"' in html
    assert "<script" not in html.split('id="content-main"')[1]
    assert "style=" not in html.split('id="content-main"')[1]


def test_the_admin_flow_upload_preview_confirm(client):
    seed_like()
    user = publisher()
    client.force_login(user)
    rows = [
        ["slug", "title", "kind", "start_iso", "end_iso", "partner_slugs", "country_code"],
        ["geneva-2016", "Working meeting in Geneva", "Bilateral meeting", "2016-12-05", "2016-12-08", "iom", "CH"],
        ["baku-2020", "Conference in Baku", "Conference", "2020-10", "", "iom; eu", "AZ"],
        ["visit-2000", "Visit", "Visit", "2000", "", "", ""],
    ]
    response = upload(client, Meeting, "meetings.csv", make_csv(rows))

    assert response.status_code == 200
    text = page_text(response)
    assert "Preview of meetings.csv" in text
    assert "Nothing has been saved yet." in text
    assert "1 to create 0 to update 2 unchanged 0 with errors" in text
    assert "baku-2020 Create title: “Conference in Baku” kind: Conference start_iso: 2020-10" in text
    assert "geneva-2016 Unchanged No change" in text
    assert not Meeting.objects.filter(slug="baku-2020").exists()
    payload = payload_of(response)
    assert payload

    confirmed = client.post(import_url(Meeting), {"payload": payload}, follow=True)

    assert confirmed.redirect_chain == [(reverse("admin:events_meeting_changelist"), 302)]
    assert [str(m) for m in confirmed.context["messages"]] == [
        "Imported meetings.csv: 1 meeting created (as drafts), 2 unchanged."
    ]
    meeting = Meeting.objects.get(slug="baku-2020")
    assert (meeting.published, meeting.start, meeting.country.code) == (False, PD(2020, 10), "AZ")
    assert sorted(meeting.partners.values_list("slug", flat=True)) == ["eu", "iom"]
    entry = LogEntry.objects.get(object_id=str(meeting.pk))
    assert (entry.user, entry.action_flag, entry.change_message) == (
        user,
        ADDITION,
        "Imported from meetings.csv, row 3: added as a draft.",
    )
    history = meeting.history.earliest()
    assert (history.history_user, history.history_change_reason) == (user, "Imported from meetings.csv")


def test_an_update_through_the_admin_is_logged_with_the_changed_columns(client):
    seed_like()
    user = publisher()
    client.force_login(user)
    rows = [["slug", "title", "kind", "party_slugs"], ["readmission-2014", "Renamed", "Readmission agreement", "eu"]]
    response = upload(client, Agreement, "agreements.xlsx", xlsx_of(rows))
    assert "readmission-2014 Update title: “Readmission agreement” → “Renamed”" in page_text(response)
    client.post(import_url(Agreement), {"payload": payload_of(response)})
    agreement = Agreement.objects.get(slug="readmission-2014")
    assert agreement.title == "Renamed"
    entry = LogEntry.objects.get(object_id=str(agreement.pk))
    assert (entry.user, entry.action_flag, entry.change_message) == (
        user,
        CHANGE,
        "Imported from agreements.xlsx, row 2: changed title.",
    )
    assert agreement.history.latest().history_user == user


def test_a_preview_with_errors_lists_them_and_offers_no_confirmation(client):
    seed_like()
    client.force_login(publisher())
    rows = [
        ["slug", "name", "kind", "scope"],
        ["fine", "Fine", "State", "Bilateral"],
        ["bad", "Bad", "Moon", "Bilateral"],
    ]
    response = upload(client, Partner, "partners.csv", make_csv(rows))
    text = page_text(response)
    assert "1 to create 0 to update 0 unchanged 1 with errors" in text
    assert "Nothing from this file can be imported until this problem is fixed." in text
    assert "Row 3, column kind: “Moon” is not a kind" in text
    assert 'href="#row-3"' in response.content.decode()
    assert 'id="row-3"' in response.content.decode()
    assert payload_of(response) is None
    assert not Partner.objects.filter(slug="fine").exists()


def test_a_preview_where_nothing_changes_offers_no_confirmation(client):
    seed_like()
    client.force_login(publisher())
    response = upload(client, Partner, "partners.csv", export_csv(client, "partners"))
    assert "Nothing to import: every row matches what the registry already holds." in page_text(response)
    assert payload_of(response) is None


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("partners.pdf", b"%PDF", "“partners.pdf” is not a CSV or .xlsx file"),
        ("partners.csv", b"", "The file is empty."),
        ("partners.csv", "slug\nt\xfcrkiye\n".encode("latin-1"), "The file is not UTF-8 text"),
        ("partners.xlsx", b"PK\x03\x04nothing", "The file is not a valid .xlsx workbook"),
    ],
)
def test_an_upload_that_cannot_be_read_shows_the_reason_on_the_form(client, filename, data, message):
    client.force_login(editor())
    response = upload(client, Partner, filename, data)
    assert response.status_code == 200
    assert message in page_text(response)
    assert 'aria-invalid="true"' in response.content.decode()
    assert response.context["plan"] is None


def test_an_upload_too_big_is_refused_before_it_is_read(client, monkeypatch):
    monkeypatch.setattr("cooperation.imports.admin.MAX_UPLOAD_BYTES", 20)
    client.force_login(editor())
    response = upload(
        client, Partner, "partners.csv", make_csv([["slug", "name", "kind", "scope"], ["a", "A", "S", "B"]])
    )
    assert "one import takes at most 0 MB" in page_text(response)


def test_no_file_chosen(client):
    client.force_login(editor())
    response = client.post(import_url(Partner), {})
    assert "Choose a file to import." in page_text(response)


def test_a_confirmation_after_the_records_changed_shows_the_new_preview_and_saves_nothing(client):
    seed_like()
    client.force_login(publisher())
    rows = [["slug", "name", "kind", "scope"], ["eu", "European Union (EU)", "EU body", "Multilateral"]]
    preview = upload(client, Partner, "partners.csv", make_csv(rows))
    assert "eu Update name: “European Union” → “European Union (EU)”" in page_text(preview)
    Partner.objects.filter(slug="eu").update(name="Union européenne")  # someone else, meanwhile

    response = client.post(import_url(Partner), {"payload": payload_of(preview)})

    assert response.status_code == 200
    text = page_text(response)
    assert "Nothing was saved: the records changed after your preview." in text
    assert "eu Update name: “Union européenne” → “European Union (EU)”" in text
    assert Partner.objects.get(slug="eu").name == "Union européenne"
    # Confirming the new preview saves.
    client.post(import_url(Partner), {"payload": payload_of(response)})
    assert Partner.objects.get(slug="eu").name == "European Union (EU)"


def test_an_altered_or_old_preview_is_refused(client, monkeypatch):
    seed_like()
    client.force_login(publisher())
    rows = [["slug", "name", "kind", "scope"], ["new", "New", "State", "Bilateral"]]
    payload = payload_of(upload(client, Partner, "partners.csv", make_csv(rows)))
    altered = client.post(import_url(Partner), {"payload": payload[:-3] + "abc"})
    assert "The preview could not be read back. Upload the file again." in page_text(altered)
    other_list = client.post(import_url(Meeting), {"payload": payload})
    assert "The preview could not be read back." in page_text(other_list)
    monkeypatch.setattr(import_files, "PREVIEW_MAX_AGE", -1)
    old = client.post(import_url(Partner), {"payload": payload})
    assert "This preview is more than two hours old. Upload the file again." in page_text(old)
    assert not Partner.objects.filter(slug="new").exists()


def test_an_editor_sees_which_published_rows_they_may_not_change(client):
    seed_like()
    client.force_login(editor())
    rows = [["slug", "name", "kind", "scope"], ["eu", "EU", "EU body", "Multilateral"]]
    text = page_text(upload(client, Partner, "partners.csv", make_csv(rows)))
    assert "Row 2: This partner is published: only staff who may publish partners can change it." in text


# Templates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", LISTS.values())
def test_the_csv_template_is_the_header_row_of_the_columns_the_import_reads(client, model):
    client.force_login(editor())
    response = client.get(import_url(model) + "template.csv")
    schema = SCHEMAS[model]
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert response["Content-Disposition"] == f'attachment; filename="{schema.name}-import-template.csv"'
    assert response.content.startswith(codecs.BOM_UTF8)
    assert csv_rows(response.content) == [schema.columns]


@pytest.mark.parametrize("model", LISTS.values())
def test_the_xlsx_template_has_the_columns_and_a_sheet_describing_them(client, model):
    client.force_login(editor())
    response = client.get(import_url(model) + "template.xlsx")
    schema = SCHEMAS[model]
    assert response["Content-Type"] == import_files.XLSX_CONTENT_TYPE
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [schema.name, "Columns"]
    assert [cell.value for cell in workbook[schema.name][1]] == schema.columns
    described = [[cell.value for cell in row] for row in workbook["Columns"].iter_rows()]
    assert described[0] == ["column", "required", "what it holds", "what to write"]
    assert [row[0] for row in described[1:]] == schema.columns
    descriptions = {column.name: column.description for column in schema.spec.columns}
    assert all(row[2] == descriptions[row[0]] for row in described[1:])
    assert client.get(import_url(model) + "template.ods").status_code == 404


def test_a_filled_in_xlsx_template_imports(client):
    seed_like()
    client.force_login(publisher())
    template = openpyxl.load_workbook(io.BytesIO(client.get(import_url(Project) + "template.xlsx").content))
    sheet = template["projects"]
    values = {
        "slug": "new-project",
        "title": "New project",
        "status": "Planned",
        "start_iso": "2026-01",
        "partner_slugs": "iom:implementing; eu:funding",
        "topic_slugs": "asylum",
    }
    sheet.append([values.get(cell.value) for cell in sheet[1]])
    output = io.BytesIO()
    template.save(output)
    preview = upload(client, Project, "projects.xlsx", output.getvalue())
    client.post(import_url(Project), {"payload": payload_of(preview)})
    project = Project.objects.get(slug="new-project")
    assert (project.status, project.start, project.published) == ("planned", PD(2026, 1), False)
    assert sorted(project.project_partners.values_list("partner__slug", "role")) == [
        ("eu", "funding"),
        ("iom", "implementing"),
    ]


def test_project_partner_roles_keep_their_notes_and_draft_partners(client):
    seed_like()
    rows = [
        ["slug", "title", "partner_slugs"],
        ["unimig", "Capacity building in migration management", "iom:implementing; iom:funding"],
    ]
    run_import(Project, "projects.csv", make_csv(rows), publisher())
    assert sorted(
        ProjectPartner.objects.filter(project__slug="unimig").values_list("partner__slug", "role", "note")
    ) == [
        ("draft-agency", "beneficiary", "kept"),
        ("iom", "funding", ""),
        ("iom", "implementing", "lead"),
    ]


def test_each_imported_row_leaves_one_history_version_holding_its_links():
    seed_like()
    user = publisher()
    rows = [
        ["slug", "title", "kind", "partner_slugs", "participant_slugs", "agreement_slugs", "source_slugs"],
        ["new-meeting", "New", "Visit", "iom; eu", "director", "cooperation-1999", "sms-report"],
        ["visit-2000", "Visit", "Visit", "eu", "director", "", ""],
    ]
    visit = Meeting.objects.get(slug="visit-2000")
    versions_before = visit.history.count()

    run_import(Meeting, "meetings.csv", make_csv(rows), user)

    created = Meeting.objects.get(slug="new-meeting")
    (version,) = created.history.all()
    assert (version.history_type, version.history_user, version.history_change_reason) == (
        "+",
        user,
        "Imported from meetings.csv",
    )
    assert sorted(link.partner.slug for link in version.partners.all()) == ["eu", "iom"]
    assert [link.person.slug for link in version.participants.all()] == ["director"]
    assert [link.agreement.slug for link in version.agreements.all()] == ["cooperation-1999"]
    assert visit.history.count() == versions_before + 1
    latest = visit.history.latest()
    assert (latest.history_type, [link.partner.slug for link in latest.partners.all()]) == ("~", ["eu"])
    assert [link.person.slug for link in latest.participants.all()] == ["director"]
