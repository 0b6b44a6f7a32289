"""The admin's import pages: upload → preview → confirm, who sees the import, what the pages say
about a file that cannot be read or a preview gone stale, and the templates to fill in
(cooperation/imports/admin.py)."""

import codecs
import io
import re

import openpyxl
import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.imports import SCHEMAS
from cooperation.imports import files as import_files
from cooperation.models import Agreement, Project
from events.models import Meeting
from partners.models import Partner
from tests import factories as f
from tests.helpers.imports import (
    LISTS,
    csv_cells,
    export_csv,
    import_url,
    make_csv,
    page_text,
    seed_like,
    upload,
    xlsx_of,
)
from tests.helpers.users import editor, publisher

pytestmark = pytest.mark.django_db


# The admin --------------------------------------------------------------------------------------


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


def test_an_upload_too_big_is_refused_before_it_is_read(client, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024 * 1024
    client.force_login(editor())
    response = upload(client, Partner, "partners.csv", make_csv([["slug", "name", "kind", "scope"]]) + b"a" * 1572864)
    assert "The file is 1.5 MB; one import takes at most 1 MB. Split it into several files." in page_text(response)


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


# Templates --------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", LISTS.values())
def test_the_csv_template_is_the_header_row_of_the_columns_the_import_reads(client, model):
    client.force_login(editor())
    response = client.get(import_url(model) + "template.csv")
    schema = SCHEMAS[model]
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert response["Content-Disposition"] == f'attachment; filename="{schema.name}-import-template.csv"'
    assert response.content.startswith(codecs.BOM_UTF8)
    assert csv_cells(response.content) == [schema.columns]


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
