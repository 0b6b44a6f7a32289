"""The seed dataset in three languages: its translations (``name_az``, ``city_ru`` …) load, show on
the Azerbaijani and Russian pages, and a key that is no translation the loader knows is refused."""

import textwrap

import pytest

from cooperation.core.translation import localized
from cooperation.models import Agreement, AgreementAction, Claim, ProjectPartner, Topic
from cooperation.seed.loader import DEFAULT_SEED_FILE, SeedDataError
from cooperation.seed.services import load_seed
from events.models import Meeting
from partners.models import Office, Partner, Post
from tests.helpers.pages import get


@pytest.fixture
def seeded(db):
    return load_seed(path=DEFAULT_SEED_FILE)


def write_seed(tmp_path, text):
    path = tmp_path / "seed.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# The seed dataset ---------------------------------------------------------------------------


def test_seed_gives_iom_its_names_in_azerbaijani_and_russian(seeded):
    iom = Partner.objects.get(slug="iom")

    assert (iom.name_az, iom.acronym_az, iom.headquarters_az) == (
        "Beynəlxalq Miqrasiya Təşkilatı",
        "BMqT",
        "Cenevrə, İsveçrə",
    )
    assert (iom.name_ru, iom.acronym_ru, iom.headquarters_ru) == (
        "Международная организация по миграции",
        "МОМ",
        "Женева, Швейцария",
    )


def test_seed_gives_places_posts_and_topics_in_each_language(seeded):
    office = Office.objects.get(slug="iom-mingachevir")
    post = Post.objects.get(person__slug="vusal-huseynov")
    signature = AgreementAction.objects.get(agreement__slug="azerbaijan-iom-cooperation-agreement", kind="signature")
    meeting = Meeting.objects.get(slug="cluster-meeting-tbilisi-2007")
    topic = Topic.objects.get(slug="labour-migration")

    assert (office.city, office.city_az, office.city_ru) == ("Mingachevir", "Mingəçevir", "Мингечевир")
    assert (post.title, post.title_az, post.title_ru) == ("Chief", "Rəis", "Начальник")
    assert (signature.place, signature.place_az, signature.place_ru) == ("Baku", "Bakı", "Баку")
    assert (meeting.city, meeting.city_az, meeting.city_ru) == ("Tbilisi", "Tbilisi", "Тбилиси")
    assert (topic.name_az, topic.name_ru) == ("Əmək miqrasiyası", "Трудовая миграция")


def test_seed_leaves_a_name_it_is_not_sure_of_untranslated(seeded):
    # The source's own name for a body whose established name in other languages is not known.
    department = Partner.objects.get(slug="swiss-federal-department-on-migration")

    assert (department.name_az, department.name_ru) == ("", "")


def test_seed_gives_each_claim_its_reason_in_azerbaijani_and_russian(seeded):
    reasons = Claim.objects.exclude(reason="")
    # Every reason the file gives is loaded (the loop below then checks each of them).
    assert reasons.count() == DEFAULT_SEED_FILE.read_text(encoding="utf-8").count("\n        reason: ")
    for claim in reasons:
        for reason in (claim.reason_az, claim.reason_ru):
            # A clause that ends the page's sentence, as the English one does.
            assert reason and not reason.endswith("."), (claim.field, claim.value, reason)


@pytest.mark.parametrize(
    ("prefix", "sentence"),
    [
        (
            "/az",
            "Reyestrdə göstərilən: 8 dekabr 1999 (səbəb: Azərbaycan və BMqT haqqında səhifə ölkənin BMqT ilə "
            "münasibətlərinə həsr olunub və tarixlə birlikdə yeri və tərəfləri göstərir; tarixlərin heç biri "
            "sazişin mətni ilə yoxlanıla bilməyib).",
        ),
        (
            "/ru",
            "Реестр показывает: 8 декабря 1999 (причина: страница об Азербайджане и МОМ посвящена отношениям "
            "страны с МОМ и указывает место и стороны вместе с датой; ни одну из дат не удалось сверить с "
            "текстом соглашения).",
        ),
    ],
    ids=["az", "ru"],
)
def test_agreement_page_says_why_the_registry_shows_its_date_in_each_language(seeded, client, prefix, sentence):
    page = get(client, f"{prefix}/agreements/azerbaijan-iom-cooperation-agreement/")

    assert sentence in page.text


def test_partner_page_is_titled_with_iom_s_name_in_each_language(seeded, client):
    assert get(client, "/az/partners/iom/").title().startswith("Beynəlxalq Miqrasiya Təşkilatı (BMqT) – ")
    assert get(client, "/ru/partners/iom/").title().startswith("Международная организация по миграции (МОМ) – ")
    assert get(client, "/partners/iom/").title().startswith("International Organization for Migration (IOM) – ")


@pytest.mark.parametrize(("language", "city"), [("az", "Mingəçevir"), ("ru", "Мингечевир"), ("en-gb", "Mingachevir")])
def test_office_city_reads_in_each_language(seeded, language, city):
    office = Office.objects.get(slug="iom-mingachevir")

    text = localized(office, "city", language)

    assert (text, text.lang, text.fallback) == (city, language[:2], False)


def test_office_page_cites_the_office_by_its_name_in_each_language(seeded, client):
    # Each language's own quotation marks.
    assert "«BMqT-nin Mingəçevir ofisi». " in get(client, "/az/offices/iom-mingachevir/").text
    assert "«Офис МОМ в Мингечевире». " in get(client, "/ru/offices/iom-mingachevir/").text


def test_untranslated_name_reads_in_english_marked_as_english(seeded):
    department = Partner.objects.get(slug="swiss-federal-department-on-migration")

    text = localized(department, "name", "az")

    assert (text, text.lang, text.fallback) == ("Federal Department on Migration (Switzerland)", "en", True)


# The loader ---------------------------------------------------------------------------------

TRANSLATED_SEED = """
    sources:
      - slug: doc-a
        title: Document A
    partners:
      - slug: az
        name: Republic of Azerbaijan
        name_az: Azərbaycan Respublikası
        name_ru: Азербайджанская Республика
        kind: state
        scope: bilateral
        cite: [{source: doc-a}]
    people:
      - slug: chief
        name: Vusal Huseynov
        name_az: Vüsal Hüseynov
        posts:
          - {title: Chief, title_ru: Начальник, organisation: az}
        cite: [{source: doc-a}]
    agreements:
      - slug: pact
        title: Example pact
        kind: cooperation-agreement
        parties: [az]
        signed: "1999-12-08"
        signed_place: Baku
        signed_place_az: Bakı
        signed_place_ru: Баку
        cite: [{source: doc-a}]
        claims:
          - field: signed
            value: 8 December 1999
            source: doc-a
            preferred: true
            reason: the page gives the place too
            reason_az: >-
              səhifə yeri də
              göstərir
            reason_ru: страница указывает и место
    projects:
      - slug: plan
        title: Example project
        partners:
          - {partner: az, role: beneficiary, note: The Government., note_ru: Правительство.}
        cite: [{source: doc-a}]
"""


def test_load_seed_writes_the_translations_of_records_and_their_entries(db, tmp_path):
    load_seed(path=write_seed(tmp_path, TRANSLATED_SEED))

    partner = Partner.objects.get(slug="az")
    post = Post.objects.get(person__slug="chief")
    signature = AgreementAction.objects.get(agreement__slug="pact", kind="signature")
    assert (partner.name_az, partner.name_ru) == ("Azərbaycan Respublikası", "Азербайджанская Республика")
    assert (post.title_az, post.title_ru) == ("", "Начальник")
    assert (signature.place, signature.place_az, signature.place_ru) == ("Baku", "Bakı", "Баку")
    assert ProjectPartner.objects.get(project__slug="plan").note_ru == "Правительство."
    claim = Claim.objects.get(field="signed")
    assert (claim.reason, claim.reason_az, claim.reason_ru) == (
        "the page gives the place too",
        "səhifə yeri də göstərir",
        "страница указывает и место",
    )
    assert Agreement.objects.get(slug="pact").signed_place == "Baku"


def test_load_seed_a_second_time_changes_no_translation(db, tmp_path):
    path = write_seed(tmp_path, TRANSLATED_SEED)
    load_seed(path=path)

    assert not load_seed(path=path).changed


def test_load_seed_updates_a_corrected_translation(db, tmp_path):
    load_seed(path=write_seed(tmp_path, TRANSLATED_SEED))
    report = load_seed(
        path=write_seed(tmp_path, TRANSLATED_SEED.replace("name_ru: Азербайджанская", "name_ru: Азербайджанская!"))
    )

    assert report.total("Partner", "updated") == 1
    assert Partner.objects.get(slug="az").name_ru == "Азербайджанская! Республика"


def test_load_seed_refuses_a_language_it_has_no_column_for(db, tmp_path):
    seed = """
        sources:
          - slug: doc-a
            title: Document A
        topics:
          - slug: asylum
            name: Asylum
            name_fr: Asile
            cite: [{source: doc-a}]
    """

    with pytest.raises(SeedDataError) as error:
        load_seed(path=write_seed(tmp_path, seed))

    assert str(error.value) == (
        "topics “asylum”: unknown key(s) name_fr. A translation is written <field>_az or <field>_ru, "
        "for: name, description."
    )
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            ("organisation: az}", "organisation: az, start_ru: 2001}"),
            "people “chief”: posts: unknown key(s) start_ru. A translation is written <field>_az or <field>_ru, "
            "for: title, note.",
        ),
        (
            # A claim's value is as its source states it: only its reason is translated.
            ("value: 8 December 1999", "value: 8 December 1999\n            value_ru: 8 декабря"),
            "agreements “pact”: claims: unknown key(s) value_ru. A translation is written <field>_az or <field>_ru, "
            "for: reason.",
        ),
    ],
    ids=["post", "claim"],
)
def test_load_seed_refuses_a_translation_of_an_entry_field_that_has_none(db, tmp_path, written, message):
    seed = TRANSLATED_SEED.replace(*written)

    with pytest.raises(SeedDataError) as error:
        load_seed(path=write_seed(tmp_path, seed))

    assert str(error.value) == message


# Search over the seed dataset -----------------------------------------------------------------


@pytest.mark.parametrize("page", ["/search/", "/az/search/", "/ru/search/"])
@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("International Organization for Migration", "/partners/iom/"),
        ("Beynəlxalq Miqrasiya Təşkilatı", "/partners/iom/"),
        ("Международная организация по миграции", "/partners/iom/"),
        ("Mingəçevir", "/offices/iom-mingachevir/"),
        ("Мингечевир", "/offices/iom-mingachevir/"),
        ("mingecevir", "/offices/iom-mingachevir/"),
        ("Укрепление потенциала", "/topics/capacity-building/"),
        ("Potensialın gücləndirilməsi", "/topics/capacity-building/"),
    ],
)
def test_search_finds_seed_records_by_their_names_in_every_language_from_every_page(client, seeded, page, query, found):
    prefix = page.removesuffix("/search/")
    html = client.get(page, {"q": query}).content.decode()

    assert f'href="{prefix}{found}"' in html
