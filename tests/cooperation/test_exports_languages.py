"""Every language's text in the exports (cooperation/core/exports.py): each translated field's
column is followed by its Azerbaijani and Russian columns, in CSV, JSON and XLSX; an export is
data, the same bytes from an Azerbaijani or Russian page as from the English one."""

import pytest

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.core.translation import translation_columns
from cooperation.imports.formats import SPECS
from tests import factories as f
from tests.helpers.exports import export, streamed_body, xlsx_rows

pytestmark = pytest.mark.django_db


def translated_project():
    iom = f.PartnerFactory(
        slug="iom",
        name="International Organization for Migration",
        name_az="Beynəlxalq Miqrasiya Təşkilatı",
        name_ru="Международная организация по миграции",
        acronym="IOM",
        acronym_az="BMT",
        acronym_ru="МОМ",
        country="CH",
    )
    topic = f.TopicFactory(slug="asylum", name="Asylum", name_az="Sığınacaq", name_ru="Убежище")
    project = f.ProjectFactory(
        slug="unimig",
        title="Capacity building in migration management",
        title_az="Miqrasiyanın idarə edilməsində potensialın gücləndirilməsi",
        title_ru="Укрепление потенциала в управлении миграцией",
        short_title="UNIMIG",
        phase="Phase II",
        phase_ru="Этап II",
        start=PD(2006, 8),
        status="completed",
        topics=[topic],
        description="Ran with the SMS.",
    )
    f.ProjectPartnerFactory(project=project, partner=iom, role="implementing")
    return project


def test_every_translated_field_has_a_column_a_language_after_the_english_one():
    for spec in SPECS.values():
        headers = spec.headers
        for field, _code, column in translation_columns(spec.model):
            if field in headers:
                position = headers.index(field)
                assert headers[position + 1 : position + 3] == [f"{field}_az", f"{field}_ru"], (spec.name, field)
                assert column in headers


@pytest.mark.parametrize("export_format", ["csv", "json", "xlsx"])
def test_project_export_has_each_language_beside_the_english(client, export_format):
    translated_project()
    [row] = export(client, "/projects/", export_format)
    empty = "" if export_format == "csv" else None
    assert row["title"] == "Capacity building in migration management"
    assert row["title_az"] == "Miqrasiyanın idarə edilməsində potensialın gücləndirilməsi"
    assert row["title_ru"] == "Укрепление потенциала в управлении миграцией"
    assert (row["short_title"], row["short_title_az"], row["short_title_ru"]) == ("UNIMIG", empty, empty)
    assert (row["phase"], row["phase_az"], row["phase_ru"]) == ("Phase II", empty, "Этап II")
    assert (row["description"], row["description_az"], row["description_ru"]) == ("Ran with the SMS.", empty, empty)
    headers = list(row)
    assert headers[headers.index("title") : headers.index("title") + 3] == ["title", "title_az", "title_ru"]


def test_partner_export_has_name_and_acronym_in_each_language(client):
    translated_project()
    [row] = export(client, "/partners/", "json")
    assert (row["name_az"], row["name_ru"]) == (
        "Beynəlxalq Miqrasiya Təşkilatı",
        "Международная организация по миграции",
    )
    assert (row["acronym"], row["acronym_az"], row["acronym_ru"]) == ("IOM", "BMT", "МОМ")


@pytest.mark.parametrize("language", ["az", "ru"])
@pytest.mark.parametrize("export_format", ["csv", "json"])
@pytest.mark.parametrize("path", ["/projects/", "/partners/", "/topics/", "/agreements/"])
def test_an_export_from_another_language_is_the_english_one(client, language, export_format, path):
    """Related records by their English names, choices and countries in English, English page
    addresses: whatever page the download link was on."""
    project = translated_project()
    agreement = f.AgreementFactory(slug="agreement", title="Agreement", title_ru="Соглашение", parties=[])
    agreement.parties.set(project.partners.all())
    project.agreements.set([agreement])
    english = client.get(f"{path}?format={export_format}")
    other = client.get(f"/{language}{path}?format={export_format}")
    assert other.status_code == english.status_code == 200
    assert english["Content-Disposition"] == other["Content-Disposition"]
    assert streamed_body(other) == streamed_body(english)


def test_a_workbook_from_another_language_holds_the_english_cells(client):
    translated_project()
    english = xlsx_rows(client.get("/projects/?format=xlsx"))
    azerbaijani = xlsx_rows(client.get("/az/projects/?format=xlsx"))
    assert azerbaijani == english
    assert english[0]["partners"] == "IOM (implementing)"
    assert english[0]["url"] == "http://testserver/projects/unimig/"


def test_related_names_are_english_and_the_page_stays_in_its_language(client):
    translated_project()
    [row] = export(client, "/az/partners/", "csv")
    assert row["country"] == "Switzerland"
    assert row["url"] == "http://testserver/partners/iom/"
    [row] = export(client, "/ru/projects/", "json")
    assert row["topics"] == ["Asylum"] and row["status"] == "Completed"
    # The page after the export is still in its own language.
    page = client.get("/ru/projects/")
    assert "Укрепление потенциала в управлении миграцией" in page.content.decode()


def test_the_json_header_of_an_export_from_another_language_is_the_english_one(client):
    """What the export ignored (a bad year, an unknown parameter) is said in English too."""
    translated_project()
    english = client.get("/projects/?year=abc&colour=red&format=json")
    russian = client.get("/ru/projects/?year=abc&colour=red&format=json")
    assert streamed_body(russian) == streamed_body(english)
