"""Every language's text in the API, always: each translated field followed by its Azerbaijani and
Russian (``title_az``, ``title_ru``), in lists, records and the summaries of related records, and
documented in the OpenAPI schema (cooperation/api/fields.py)."""

import json

import pytest

from cooperation.core.translation import translated_fields
from cooperation.models import Claim, Project
from partners.models import Partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def translated(world):
    Partner.objects.filter(slug="iom").update(
        name_az="Beynəlxalq Miqrasiya Təşkilatı", name_ru="Международная организация по миграции", acronym_ru="МОМ"
    )
    Project.objects.filter(slug="return-project").update(title_ru="Проект по возвращению", description_az="Layihə")
    return world


def test_a_list_gives_each_language_beside_the_english(client, translated):
    rows = {row["slug"]: row for row in client.get("/api/projects/").json()["results"]}
    row = rows["return-project"]
    keys = list(row)
    assert keys[keys.index("title") : keys.index("title") + 3] == ["title", "title_az", "title_ru"]
    assert (row["title_az"], row["title_ru"]) == ("", "Проект по возвращению")
    partner = next(entry["partner"] for entry in row["partners"] if entry["partner"]["slug"] == "iom")
    assert (partner["name"], partner["name_az"], partner["acronym_ru"]) == (
        "International Organization for Migration",
        "Beynəlxalq Miqrasiya Təşkilatı",
        "МОМ",
    )


def test_a_record_gives_every_translated_field_in_each_language(client, translated):
    data = client.get("/api/projects/return-project/").json()
    for field in translated_fields(Project):
        assert f"{field}_az" in data and f"{field}_ru" in data
    assert data["description_az"] == "Layihə"
    partner = client.get("/api/partners/iom/").json()
    assert partner["name_ru"] == "Международная организация по миграции"
    assert partner["description_az"] == partner["headquarters_ru"] == ""


def test_a_claim_gives_its_reason_in_each_language_beside_the_english(client, translated):
    Claim.objects.filter(preferred=True).update(
        reason_az="səhifə yeri də göstərir", reason_ru="страница указывает и место"
    )

    claims = client.get("/api/agreements/iom-agreement/").json()["claims"]

    assert [(claim["value"], claim["reason"], claim["reason_az"], claim["reason_ru"]) for claim in claims] == [
        ("8 December 1999", "the page gives the place too", "səhifə yeri də göstərir", "страница указывает и место"),
        ("9 December 1999", "", "", ""),
    ]


@pytest.mark.parametrize("language", ["az", "ru"])
def test_the_api_answers_the_same_in_every_language(client, translated, language):
    english = client.get("/api/partners/iom/").content
    other = client.get("/api/partners/iom/", HTTP_ACCEPT_LANGUAGE=language)
    assert other.content == english
    assert json.loads(other.content)["kind_label"] == "International organisation"


def test_the_schema_documents_each_language_of_each_translated_field(client):
    schema = client.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    for component, field in [
        ("Project", "title"),
        ("PartnerDetail", "description"),
        ("PartnerSummary", "name"),
        ("Claim", "reason"),
    ]:
        properties = components[component]["properties"]
        for code, language in [("az", "Azerbaijani"), ("ru", "Russian")]:
            assert properties[f"{field}_{code}"]["type"] == "string"
            assert properties[f"{field}_{code}"]["readOnly"] is True
            assert properties[f"{field}_{code}"]["description"] == (
                f"The {field} in {language}; empty when it is not translated."
            )
    assert "title_az" in schema["info"]["description"]
