"""The admin's "Import from IATI" page (cooperation/iati/admin.py): who may use it, the report
it shows, and the mapping table staff edit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cooperation.models import IatiTopicMapping, Project
from tests import factories as f
from tests.helpers.users import client_for
from tests.iati.helpers import MESSY, WORKED_EXAMPLE

pytestmark = pytest.mark.django_db
URL = "/admin/cooperation/project/import-iati/"


def upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="application/xml")


def test_the_projects_list_links_to_the_page(superuser_client):
    response = superuser_client.get(reverse("admin:cooperation_project_changelist"))
    assert f'href="{URL}"' in response.content.decode()
    assert "Import from IATI" in response.content.decode()


def test_the_page_asks_for_a_file(editor_client):
    response = editor_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'type="file"' in page and "IATI topic mappings" in page


def test_staff_without_the_project_permissions_may_not(client):
    staff = client_for("staff")
    assert staff.get(URL).status_code == 403
    changelist = staff.get(reverse("admin:cooperation_project_changelist"))
    assert URL not in changelist.content.decode()
    assert client.get(URL).status_code == 302  # not signed in: to the login page


def test_uploading_a_file_imports_it_and_shows_the_report(editor_client):
    response = editor_client.post(URL, {"file": upload(MESSY)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Import of messy.xml" in page
    assert "Created (draft): <strong>2</strong>" in page
    assert "Skipped: <strong>2</strong>" in page
    project = Project.objects.get(iati_activity__identifier="XM-TEST-MESSY-1")
    assert reverse("admin:cooperation_project_change", args=[project.pk]) in page
    # A problem with its line, element and reason.
    row = (
        "<td>25</td><td><code>XM-TEST-MESSY-1</code></td><td><code>&lt;sector&gt;</code></td>"
        "<td>A sector without a code: left out.</td>"
    )
    assert row in page
    assert not project.published
    # The admin's history says who imported it.
    assert project.history.first().history_user.username.startswith("user")


def test_a_file_that_is_not_xml_says_so(editor_client, tmp_path):
    path = tmp_path / "notes.xml"
    path.write_text("just some notes")
    page = editor_client.post(URL, {"file": upload(path)}).content.decode()
    assert "Nothing was imported: The file is not XML" in page
    assert not Project.objects.exists()


def test_without_a_file_the_form_says_what_to_do(editor_client):
    page = editor_client.post(URL, {}).content.decode()
    assert "Choose a file to import." in page


def test_a_conflict_is_named_on_the_page(editor_client):
    editor_client.post(URL, {"file": upload(WORKED_EXAMPLE)})
    project = Project.objects.get()
    project.description = "Staff's own words."
    project.save()
    newer = WORKED_EXAMPLE.read_bytes().replace(
        b'last-updated-datetime="2014-09-10T07:15:37Z"', b'last-updated-datetime="2015-01-01T00:00:00Z"'
    )
    newer = newer.replace(b"<narrative>Activity title</narrative>", b"<narrative>Activity title, revised</narrative>")
    file = SimpleUploadedFile("example.xml", newer, content_type="application/xml")
    page = editor_client.post(URL, {"file": file}).content.decode()
    assert "Conflict: staff changed description of project" in page
    project.refresh_from_db()
    assert project.title == "Activity title"


def test_editors_edit_the_topic_mappings(editor_client):
    topic = f.TopicFactory(name="Migration management")
    response = editor_client.post(
        reverse("admin:cooperation_iatitopicmapping_add"),
        {"element": "sector", "vocabulary": "1", "code": "15190", "topic": topic.pk},
    )
    assert response.status_code == 302
    assert IatiTopicMapping.objects.get().topic == topic
    page = editor_client.get(reverse("admin:cooperation_iatitopicmapping_changelist")).content.decode()
    assert "Facilitation of orderly, safe, regular and responsible migration and mobility" in page


def test_the_imported_activities_are_listed_read_only(editor_client):
    editor_client.post(URL, {"file": upload(WORKED_EXAMPLE)})
    listing = reverse("admin:cooperation_iatiactivity_changelist")
    page = editor_client.get(listing).content.decode()
    assert "AA-AAA-123456789-ABC123" in page and "Activity title" in page
    assert editor_client.get(reverse("admin:cooperation_iatiactivity_add")).status_code == 403
