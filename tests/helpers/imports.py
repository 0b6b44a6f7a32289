"""The spreadsheet import: a registry shaped like the seed, a snapshot of what it holds, CSV and
XLSX files, and a plan or an import run from them."""

import codecs
import csv
import html
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import strip_tags

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.imports import apply_import, plan_import, read_table
from cooperation.models import Agreement, Citation, Project
from events.models import Meeting
from partners.models import Partner
from tests import factories as f

LISTS = {"partners": Partner, "agreements": Agreement, "projects": Project, "meetings": Meeting}


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
        legal_summary="Decree No. 1.\nSecond line.",
    )
    agreement.topics.set([asylum])
    f.CitationFactory(content_object=agreement, source=s1, locator="")
    # An action of one party, with an act whose text needs escaping; one of a draft party.
    f.AgreementActionFactory(
        agreement=agreement,
        kind="approval",
        party=iom,
        date=PD(2000, 2),
        act="Decree No. 1; art. 2|3",
        note="Two\nlines",
    )
    f.AgreementActionFactory(agreement=agreement, kind="accession", party=draft, date=PD(2001))
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
        planned_start=PD(2005, 11),
        planned_end=PD(2008),
        recipient_countries=["AZ", "GE"],
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
        if model is Agreement:
            values["actions"] = sorted(
                (a.kind, a.date and a.date.iso, a.party and a.party.slug, a.place, a.act, a.note, a.ordering)
                for a in obj.actions.all()
            )
        values["citations"] = sorted((c.source.slug, c.locator) for c in Citation.objects.for_object(obj))
        rows[obj.slug] = values
    return rows


def export_csv(client, name):
    response = client.get(f"/{name}/?format=csv")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def csv_cells(data):
    """The rows of UTF-8 CSV bytes (a byte-order mark allowed) as lists of cells."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def make_csv(rows, delimiter=","):
    output = io.StringIO(newline="")
    csv.writer(output, delimiter=delimiter).writerows(rows)
    return codecs.BOM_UTF8 + output.getvalue().encode()


def xlsx_of(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def run_import(model, filename, data, user=None):
    plan = plan_import(model, read_table(filename, data), user)
    assert [str(issue) for issue in plan.errors] == []
    apply_import(plan=plan, user=user)
    return plan


def plan_of(model, rows, user=None, filename="file.csv"):
    return plan_import(model, read_table(filename, make_csv(rows)), user)


def errors(plan):
    return [(issue.row, issue.column, issue.message) for issue in plan.errors]


def import_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import")


def upload(client, model, filename, data):
    """The admin's import page, answering the upload of ``data`` as ``filename``."""
    return client.post(import_url(model), {"file": SimpleUploadedFile(filename, data)})


def page_text(response):
    """The page's text as a reader sees it: no tags, entities read, spaces run together."""
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())
