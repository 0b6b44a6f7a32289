"""Site search in three languages: a record is found by its name or text in English, Azerbaijani
or Russian from every language's page (/search/, /az/search/, /ru/search/), spellings folded so
that they meet (Mingachevir, Mingəçevir, mingecevir, Мингечевир), and a hit's title shown in the
page's language (cooperation/search/folding.py, documents.py, backends.py).

Run on both databases: ``pytest tests/search/`` (SQLite, FTS5) and
``DATABASE_URL=postgres://… pytest tests/search/`` (PostgreSQL, tsvector). Russian inflections
("Международной организации") are found on PostgreSQL only: SQLite's FTS5 has no Russian stemmer.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from cooperation.models import SearchDocument
from cooperation.search import query as search_query
from cooperation.search import spelling
from cooperation.search.folding import fold, name_spellings, query_forms, spellings
from cooperation.search.results import search as search_page
from tests.factories import AgreementFactory, OfficeFactory, PartnerFactory, ProjectFactory
from tests.helpers.listing import DATA_VERSION
from tests.helpers.search import found, titles_by_group

pytestmark = pytest.mark.django_db

PAGES = {"en": "/search/", "az": "/az/search/", "ru": "/ru/search/"}
IOM_NAMES = {
    "en": "International Organization for Migration",
    "az": "Beynəlxalq Miqrasiya Təşkilatı",
    "ru": "Международная организация по миграции",
}


def search(client, language, q, **params):
    response = client.get(PAGES[language], {"q": q, **params})
    assert response.status_code == 200
    return response


def snippets(html):
    """What each hit quotes of its record (the paragraph after its kind and year)."""
    return re.findall(r'<p class="meta">.*?</p>\s*<p(?: lang="en")?>(.*?)</p>', html, re.S)


def iom():
    return PartnerFactory(
        name=IOM_NAMES["en"],
        name_az=IOM_NAMES["az"],
        name_ru=IOM_NAMES["ru"],
        acronym="IOM",
        acronym_ru="МОМ",
        description="Works with the government on migration.",
        description_ru="Работает с правительством в области миграции.",
        description_az="Hökumətlə miqrasiya sahəsində işləyir.",
    )


# Folding --------------------------------------------------------------------------------------


def test_fold_meets_the_spellings_of_three_languages():
    assert fold("Mingəçevir") == fold("MINGECEVIR") == "mingecevir"
    assert fold("Bakı") == "baki"
    assert fold("Ёлка") == fold("елка") == "елка"
    assert fold("İOM") == "iom"
    assert fold("Türkiye Şəki Gəncə Göyçay") == "turkiye seki gence goycay"


def test_azerbaijani_and_cyrillic_words_get_their_latin_spellings():
    assert spellings("Mingəçevir") == {"mingecevir", "mingacevir", "mingechevir", "mingachevir"}
    assert spellings("Мингечевир") == {"мингечевир", "mingechevir"}
    assert spellings("Texas") == {"texas"}  # an English x stays an x
    assert {"naxcivan", "nakhchivan"} <= name_spellings("Naxçıvan")
    assert "mingachevir shahari" in name_spellings("Mingəçevir şəhəri")
    assert query_forms("Мингечевир") == ["мингечевир", "mingechevir", "mingechavir", "mingachevir", "mingachavir"]
    assert query_forms("Mingəçevir") == ["mingecevir"]


def test_document_holds_every_language():
    partner = iom()

    document = SearchDocument.objects.get(kind="partner", object_id=partner.pk)

    assert (document.title, document.title_az, document.title_ru) == (
        IOM_NAMES["en"],
        IOM_NAMES["az"],
        IOM_NAMES["ru"],
    )
    assert document.other_names.split("\n") == [IOM_NAMES["az"], IOM_NAMES["ru"], "IOM", "МОМ"]
    assert "Работает с правительством" in document.body
    assert "Hökumətlə" in document.body
    assert "\nbeynelxalq miqrasiya teskilati\n" in document.name_keys
    assert "\nbeynalkhalq miqrasiya tashkilati\n" in document.name_keys
    assert "\nmezhdunarodnaya organizatsiya po migratsii\n" in document.name_keys
    assert "\nмом\n" in document.name_keys and "\nmom\n" in document.name_keys
    assert {"работает", "правительством", "hokumetle"} <= set(document.keys.split())


def test_untranslated_title_is_left_empty():
    partner = PartnerFactory(name="Caspian Council", acronym="")

    document = SearchDocument.objects.get(kind="partner", object_id=partner.pk)

    assert (document.title_az, document.title_ru) == ("", "")


# Every language from every page ---------------------------------------------------------------


@pytest.mark.parametrize("page", ["en", "az", "ru"])
@pytest.mark.parametrize("language", ["en", "az", "ru"])
def test_a_record_is_found_by_its_name_in_every_language_from_every_page(client, page, language):
    iom()
    PartnerFactory(name="Caspian Council", acronym="")

    response = search(client, page, IOM_NAMES[language])

    # The hit's title is in the page's language.
    assert titles_by_group(response) == {response.context["result"].groups[0].label: [IOM_NAMES[page]]}


@pytest.mark.parametrize("q", ["Beynelxalq Miqrasiya Teskilati", "beynalkhalq", "МОМ", "mom", "mezhdunarodnaya"])
def test_a_record_is_found_by_a_latin_spelling_of_its_names(client, q):
    iom()

    assert found(search(client, "en", q)) == [IOM_NAMES["en"]]


def test_a_record_is_found_by_its_translated_text(client):
    iom()

    assert found(search(client, "en", "правительством")) == [IOM_NAMES["en"]]
    assert found(search(client, "az", "hökumətlə")) == [IOM_NAMES["az"]]
    assert found(search(client, "ru", "hokumetle")) == [IOM_NAMES["ru"]]


@pytest.mark.parametrize("q", ["Mingachevir", "Mingəçevir", "mingecevir", "MINGƏÇEVIR", "Мингечевир", "mingechevir"])
@pytest.mark.parametrize("page", ["en", "az", "ru"])
def test_spellings_of_a_city_meet(client, q, page):
    OfficeFactory(
        name="IOM sub-office in Mingachevir",
        name_az="BMqT-nin Mingəçevir ofisi",
        name_ru="Офис МОМ в Мингечевире",
        city="Mingachevir",
        city_az="Mingəçevir",
        city_ru="Мингечевир",
    )
    OfficeFactory(name="Office in Ganja", city="Ganja")

    assert len(found(search(client, page, q))) == 1


@pytest.mark.parametrize("q", ["Mingachevir", "mingecevir", "Mingəçevir", "mingachevir state university"])
def test_an_azerbaijani_name_alone_is_found_by_its_transliterations(client, q):
    PartnerFactory(name="MDU", acronym="", name_az="Mingəçevir Dövlət Universiteti")
    PartnerFactory(name="Caspian Council", acronym="")

    expected = [] if q.endswith("university") else ["MDU"]
    assert found(search(client, "en", q)) == expected
    if expected:
        assert found(search(client, "az", q)) == ["Mingəçevir Dövlət Universiteti"]


def test_a_cyrillic_name_alone_is_found_by_its_transliteration(client):
    PartnerFactory(name="SMS", acronym="", name_ru="Государственная миграционная служба")

    assert found(search(client, "en", "gosudarstvennaya migratsionnaya")) == ["SMS"]
    assert found(search(client, "ru", "Государственная")) == ["Государственная миграционная служба"]


def test_a_russian_name_is_found_by_a_latin_transliteration_typed_in_cyrillic_order(client):
    PartnerFactory(name="Mingachevir Council", acronym="", name_az="Mingəçevir Şurası")

    # "Мингечевир" in Latin letters is "mingechevir", one of the Azerbaijani name's spellings.
    assert found(search(client, "ru", "Мингечевир")) == ["Mingachevir Council"]


@pytest.mark.parametrize("q", ["Мингечевир", "Нахчыван"])
def test_a_cyrillic_query_finds_a_name_written_only_in_english(client, q):
    OfficeFactory(name="IOM Mingachevir office", city="Mingachevir")
    OfficeFactory(name="Nakhchivan office", city="Nakhchivan")

    # Azerbaijani ə is a Russian е and often an English a; a Russian ы an English i.
    assert len(found(search(client, "ru", q))) == 1


def test_a_record_named_in_another_language_ranks_above_records_that_mention_it(client):
    PartnerFactory(name="IOM Council", acronym="", description_az="Beynəlxalq Miqrasiya Təşkilatının şurası.")
    iom()

    ranked = titles_by_group(search(client, "az", "Beynelxalq Miqrasiya"))["Tərəfdaşlar"]

    assert ranked == [IOM_NAMES["az"], "IOM Council"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's FTS5 has no Russian stemmer")
def test_a_russian_inflected_form_finds_the_record_on_postgresql(client):
    iom()

    assert found(search(client, "ru", "Международной организации")) == [IOM_NAMES["ru"]]
    assert found(search(client, "en", "Международной организации по миграции")) == [IOM_NAMES["en"]]
    assert found(search(client, "ru", "миграцией")) == [IOM_NAMES["ru"]]


# What a hit shows -----------------------------------------------------------------------------


def test_a_hit_is_marked_in_the_pages_language(client):
    iom()

    az = search(client, "az", "miqrasiya").content.decode()
    ru = search(client, "ru", "организация").content.decode()
    en = search(client, "en", "организация").content.decode()

    assert "Beynəlxalq <mark>Miqrasiya</mark> Təşkilatı" in az
    assert "Международная <mark>организация</mark> по миграции" in ru
    assert ">International Organization for Migration</a>" in en
    assert "also known as Beynəlxalq Miqrasiya Təşkilatı, Международная <mark>организация</mark> по миграции" in en


def test_a_hit_quotes_the_description_in_the_pages_language(client):
    iom()

    en = search(client, "en", "migration").content.decode()
    az = search(client, "az", "miqrasiya").content.decode()
    ru = search(client, "ru", "миграции").content.decode()

    assert "<p>Works with the government on <mark>migration</mark>.</p>" in en
    assert "<p>Hökumətlə <mark>miqrasiya</mark> sahəsində işləyir.</p>" in az
    assert "<p>Работает с правительством в области <mark>миграции</mark>.</p>" in ru


def test_a_hit_quotes_no_other_languages_names_and_no_labels(client):
    """The body a record is found by lists its places, kind and partners in every language; a hit
    quotes only its description, in the page's language."""
    OfficeFactory(
        name="Baku office",
        name_ru="Офис в Баку",
        city="Baku",
        city_az="Bakı",
        city_ru="Баку",
        description="The office opened in Baku to help returning migrants.",
        description_ru="Офис открыт в Баку для помощи возвращающимся мигрантам.",
    )

    ru = search(client, "ru", "Баку").content.decode()
    en = search(client, "en", "Baku").content.decode()

    assert snippets(ru) == ["Офис открыт в <mark>Баку</mark> для помощи возвращающимся мигрантам."]
    assert snippets(en) == ["The office opened in <mark>Baku</mark> to help returning migrants."]


def test_an_untranslated_description_is_quoted_in_english_and_marked_so(client):
    PartnerFactory(name="Wombat council", name_ru="Совет вомбатов", description="Wombats meet in Baku.")

    ru = search(client, "ru", "wombat").content.decode()
    en = search(client, "en", "wombat").content.decode()

    assert '<p lang="en"><mark>Wombats</mark> meet in Baku.</p>' in ru
    assert "<p><mark>Wombats</mark> meet in Baku.</p>" in en


def test_a_long_description_is_quoted_around_its_first_match(client):
    words = [f"w{number}" for number in range(100)]
    words[50] = "readmission"
    AgreementFactory(title="Protocol", description=" ".join(words))

    html = search(client, "en", "readmission").content.decode()

    quoted = " ".join(words[44:74]).replace("readmission", "<mark>readmission</mark>")
    assert f"<p>…{quoted}…</p>" in html


def test_a_match_near_the_end_is_quoted_with_the_words_before_it(client):
    words = [f"w{number}" for number in range(100)]
    words[98] = "readmission"
    AgreementFactory(title="Protocol", description=" ".join(words))

    html = search(client, "en", "readmission").content.decode()

    quoted = " ".join(words[70:]).replace("readmission", "<mark>readmission</mark>")
    assert snippets(html) == [f"…{quoted}"]


def test_a_hit_quotes_the_description_as_it_is_now(client):
    partner = PartnerFactory(name="Wombat council", description="Counts wombats.", description_ru="Считает.")
    partner.description = "Feeds \x02wombats\x03\x07 daily."
    partner.description_ru = "Кормит вомбатов."
    partner.save()

    assert snippets(search(client, "en", "wombats").content.decode()) == ["Feeds <mark>wombats</mark> daily."]
    assert snippets(search(client, "ru", "вомбатов").content.decode()) == ["Кормит <mark>вомбатов</mark>."]


def test_an_untranslated_title_is_marked_english(client):
    PartnerFactory(name="Wombat council", name_ru="Совет вомбатов", slug="wombat-council")
    PartnerFactory(name="Wombat club", slug="wombat-club")

    ru = search(client, "ru", "wombat").content.decode()

    assert re.findall(r"<h4><a [^>]*>.*?</a></h4>", ru) == [
        '<h4><a href="/ru/partners/wombat-club/" lang="en"><mark>Wombat</mark> club</a></h4>',
        '<h4><a href="/ru/partners/wombat-council/">Совет вомбатов</a></h4>',
    ]


def test_a_word_found_through_its_folded_form_is_marked(client):
    OfficeFactory(name="Office", name_az="Mingəçevir ofisi", city="Mingachevir")

    html = search(client, "az", "mingecevir").content.decode()

    assert "<mark>Mingəçevir</mark> ofisi" in html


def test_the_titles_of_a_project_in_every_language(client):
    ProjectFactory(title="Border management", title_ru="Управление границами", phase="Phase II", phase_ru="Фаза II")

    assert found(search(client, "ru", "border")) == ["Управление границами – Фаза II"]
    assert found(search(client, "en", "границами")) == ["Border management – Phase II"]
    assert found(search(client, "az", "границами")) == ["Border management – Phase II"]


# Did you mean ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "corrected"),
    [("Междунородная", "Международная"), ("Miqrasya", "Miqrasiya"), ("Beynelxalk", "Beynəlxalq")],
)
def test_did_you_mean_knows_the_words_of_every_language(client, typed, corrected):
    iom()

    assert spelling.corrected(search_query.parse(typed), spelling.vocabulary()).text == corrected
    response = search(client, "ru", typed)
    assert found(response) == [IOM_NAMES["ru"]]
    assert response.context["result"].query.text == corrected


# Keeping the index current --------------------------------------------------------------------


def test_a_changed_translation_is_indexed(client):
    partner = iom()
    assert found(search(client, "en", "Xəzər")) == []

    partner.name_az = "Xəzər Miqrasiya Təşkilatı"
    partner.save()

    assert found(search(client, "az", "Xezer")) == ["Xəzər Miqrasiya Təşkilatı"]
    assert found(search(client, "en", "khazar")) == [IOM_NAMES["en"]]  # ə → a and x → kh
    assert found(search(client, "en", "Bəynəlxalq")) == []  # the old name is gone


def test_a_partners_translated_name_is_found_in_its_agreements(client):
    partner = PartnerFactory(name="State Migration Service", acronym="")
    AgreementFactory(title="Readmission agreement", parties=[partner])

    partner.name_ru = "Государственная миграционная служба"
    partner.save()

    assert titles_by_group(search(client, "ru", "Государственная"))["Соглашения"] == ["Readmission agreement"]


def test_rebuild_indexes_the_translations(client):
    iom()
    SearchDocument.objects.all().delete()
    assert found(search(client, "ru", "Международная")) == []

    call_command("rebuild_search_index", stdout=StringIO())

    assert found(search(client, "ru", "Международная")) == [IOM_NAMES["ru"]]


# Query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 30])
def test_search_query_count_is_the_same_in_every_language(client, django_assert_num_queries, count):
    for number in range(count):
        PartnerFactory(
            name=f"Gazelle partner {number}",
            name_az=f"Ceyran tərəfdaşı {number}",
            name_ru=f"Партнёр Джейран {number}",
            acronym="",
        )

    for language, q in [("en", "gazelle"), ("az", "ceyran"), ("ru", "джейран"), ("ru", "gazelle")]:
        with django_assert_num_queries(DATA_VERSION + 2):  # counts by kind, then the hits shown
            response = search(client, language, q)
        assert response.context["result"].total == count


def test_the_cached_hits_are_kept_apart_by_language(rf):
    iom()

    from django.utils import translation

    titles = {}
    for language in ("en-gb", "az", "ru"):
        with translation.override(language):
            result = search_page(rf.get("/search/", {"q": "iom"}).GET)
        titles[language] = [str(hit.title) for group in result.groups for hit in group.hits]

    assert titles == {"en-gb": [IOM_NAMES["en"]], "az": [IOM_NAMES["az"]], "ru": [IOM_NAMES["ru"]]}


def test_a_lists_name_filter_meets_the_spellings_too(client):
    PartnerFactory(name="MDU", acronym="", name_az="Mingəçevir Dövlət Universiteti")
    PartnerFactory(name="Caspian Council", acronym="")

    for q in ("mingachevir", "Mingəçevir", "dovlet"):
        response = client.get("/partners/", {"q": q})
        assert response.status_code == 200
        assert "MDU" in response.content.decode()
        assert "Caspian Council" not in response.content.decode()
