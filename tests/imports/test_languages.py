"""The import reads each language's columns (``title_az``, ``title_ru`` …) as it reads the English
one: an export with translations imports back unchanged, an edited translation changes only that,
and a file without a language's column leaves the translations alone (cooperation/imports/)."""

import pytest

from cooperation.imports import SCHEMAS, UNCHANGED, UPDATE
from cooperation.models import Agreement, Project
from events.models import Meeting
from partners.models import Partner
from tests.helpers.imports import (
    LISTS,
    csv_cells,
    errors,
    export_csv,
    make_csv,
    plan_of,
    run_import,
    seed_like,
    snapshot,
)
from tests.helpers.users import publisher

pytestmark = pytest.mark.django_db

TRANSLATIONS = {
    Partner: (
        "iom",
        {
            "name_az": "Beynəlxalq Miqrasiya Təşkilatı",
            "name_ru": "Международная организация по миграции",
            "acronym_ru": "МОМ",
            "headquarters_az": "Cenevrə, İsveçrə",
            "description_ru": "Работает с правительствами;\nс 1951 года.",
        },
    ),
    Agreement: (
        "cooperation-1999",
        {
            "title_az": "Əməkdaşlıq haqqında saziş",
            "title_ru": "Соглашение о сотрудничестве",
            "legal_summary_ru": "Указ № 1.",
        },
    ),
    Project: ("unimig", {"title_ru": "Укрепление потенциала", "phase_az": "II mərhələ", "short_title_ru": "ЮНИМИГ"}),
    Meeting: ("geneva-2016", {"title_az": "Cenevrədə işçi görüşü", "city_ru": "Женева", "participants_note_az": "DMX"}),
}


# The columns every partner file has (a new record needs them), with IOM's values.
IOM = (
    ["slug", "name", "kind", "scope"],
    ["iom", "International Organization for Migration", "International organisation", "Multilateral"],
)


def translate(model):
    slug, values = TRANSLATIONS[model]
    model.objects.filter(slug=slug).update(**values)
    return slug, values


@pytest.mark.parametrize("name", LISTS)
def test_an_export_with_translations_imports_back_unchanged(client, name):
    seed_like()
    model = LISTS[name]
    translate(model)
    before = snapshot(model)
    data = export_csv(client, name)
    plan = run_import(model, f"{name}.csv", data, publisher())
    assert {row.action for row in plan.rows} == {UNCHANGED}
    assert snapshot(model) == before


@pytest.mark.parametrize("name", LISTS)
def test_a_changed_translation_changes_only_that_and_the_preview_shows_it(client, name):
    seed_like()
    model = LISTS[name]
    slug, values = translate(model)
    column = next(iter(values))
    rows = csv_cells(export_csv(client, name))
    position = rows[0].index(column)
    for row in rows[1:]:
        if row[0] == slug:
            row[position] = "Новый текст"
    before = snapshot(model)
    plan = run_import(model, f"{name}.csv", make_csv(rows), publisher())
    [changed] = [row for row in plan.rows if row.action == UPDATE]
    assert changed.slug == slug
    assert [(change.column, change.summary) for change in changed.changes] == [
        (column, f"“{values[column]}” → “Новый текст”".replace("\n", " "))
    ]
    after = snapshot(model)
    before[slug][column] = "Новый текст"
    assert after == before


def test_a_file_without_the_language_columns_keeps_the_translations():
    seed_like()
    translate(Partner)
    before = snapshot(Partner)
    rows = [[*IOM[0], "description"], ["iom", "IOM renamed", *IOM[1][2:], "New description"]]
    plan = run_import(Partner, "partners.csv", make_csv(rows), publisher())
    assert [change.column for change in plan.rows[0].changes] == ["name", "description"]
    iom = Partner.objects.get(slug="iom")
    assert (iom.name, iom.name_az, iom.name_ru) == (
        "IOM renamed",
        "Beynəlxalq Miqrasiya Təşkilatı",
        "Международная организация по миграции",
    )
    assert iom.description_ru == before["iom"]["description_ru"]


def test_an_empty_language_cell_empties_that_translation_only():
    seed_like()
    translate(Partner)
    rows = [[*IOM[0], "name_az", "acronym_ru"], [*IOM[1], "", "МОМ"]]
    run_import(Partner, "partners.csv", make_csv(rows), publisher())
    iom = Partner.objects.get(slug="iom")
    assert (iom.name_az, iom.name_ru, iom.acronym_ru) == ("", "Международная организация по миграции", "МОМ")


def test_a_new_record_may_come_with_its_translations():
    rows = [
        ["slug", "name", "name_az", "name_ru", "kind", "scope"],
        [
            "sms",
            "State Migration Service",
            "Dövlət Miqrasiya Xidməti",
            "Государственная миграционная служба",
            "State agency",
            "Host-country institution",
        ],
    ]
    run_import(Partner, "partners.csv", make_csv(rows), publisher())
    sms = Partner.objects.get(slug="sms")
    assert (sms.name_az, sms.name_ru, sms.published) == (
        "Dövlət Miqrasiya Xidməti",
        "Государственная миграционная служба",
        False,
    )


def test_a_translation_is_checked_as_the_english_is():
    seed_like()
    rows = [
        [*IOM[0], "acronym_az", "name_ru", "description_az"],
        [*IOM[1], "X" * 31, "Имя\u202eперевёрнутое", "Text\x07bell"],
    ]
    plan = plan_of(Partner, rows)
    found = {(row, column) for row, column, _message in errors(plan)}
    assert found == {(2, "acronym_az"), (2, "name_ru"), (2, "description_az")}
    assert Partner.objects.get(slug="iom").name_ru == ""


def test_every_language_column_of_the_export_is_read():
    for schema in SCHEMAS.values():
        for column in schema.spec.columns:
            if column.name.endswith(("_az", "_ru")) and column.use != "derived":
                assert column.name in schema.by_column, (schema.name, column.name)


def test_the_template_describes_the_language_columns():
    rows = {row[0]: row for row in SCHEMAS[Project].describe_columns()}
    assert rows["title_ru"][2] == "The title in Russian; empty where it is not translated."
    assert rows["title_ru"][3] == "Text, up to 400 characters."
