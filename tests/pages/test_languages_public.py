"""The public interface in Azerbaijani and Russian (the catalogues in locale/): every public page
type at /az/… and /ru/… shows its headings, labels and sentences in the page's language, and none
of the English interface words it has in English (the records' own text aside)."""

import icalendar
import pytest
from django.utils import translation

from cooperation.core.partial_dates import PartialDate
from cooperation.pages import selectors as pages_selectors
from tests import factories as f
from tests.helpers.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_after():
    """A request to /az/ or /ru/ leaves its language active in the thread: the tests after these
    ones read records and catalogues in English again."""
    yield
    translation.activate("en-gb")


@pytest.fixture
def records():
    topic = f.TopicFactory(slug="asylum", name="Asylum")
    partner = f.PartnerFactory(slug="iom", name="International Organization for Migration", acronym="IOM")
    agreement = f.AgreementFactory(slug="cooperation-agreement", parties=[partner])
    agreement.topics.set([topic])
    project = f.ProjectFactory(slug="border-project", start=PartialDate(2014), topics=[topic])
    meeting = f.MeetingFactory(slug="geneva-meeting", start=PartialDate(2014, 7, 4), partners=[partner])
    office = f.OfficeFactory(slug="iom-baku", partner=partner)
    person = f.PersonFactory(slug="someone")
    source = f.SourceFactory(slug="a-source")
    return {
        "topic": topic,
        "partner": partner,
        "agreement": agreement,
        "project": project,
        "meeting": meeting,
        "office": office,
        "person": person,
        "source": source,
    }


# path: {language prefix: words the page shows}, English words it must not show in az and ru.
PAGES = {
    "/": (
        {
            "/az": ["Reyestrdə nələr var", "Ən yeni qeydlər", "Tərəfdaşlar üzrə"],
            "/ru": ["Что есть в реестре", "Новые записи", "По партнёрам"],
        },
        ["What the registry holds", "Newest records", "By partner", "By topic", "All agreements"],
    ),
    "/agreements/": (
        {
            "/az": ["Sazişlər", "Filtrləri tətbiq et", "1 saziş"],
            "/ru": ["Соглашения", "Применить фильтры", "1 соглашение"],
        },
        ["Apply filters", "This list as", "Newest first", "1 agreement"],
    ),
    "/projects/": (
        {"/az": ["Layihələr", "Fəaliyyət ili"], "/ru": ["Проекты", "Год действия"]},
        ["Apply filters", "Active in", "1 project"],
    ),
    "/partners/": (
        {"/az": ["Tərəfdaşlar", "Sıralama"], "/ru": ["Партнёры", "Сортировка"]},
        ["Apply filters", "Newest records first", "1 partner"],
    ),
    "/meetings/": (
        {
            "/az": ["Görüşlər və səfərlər", "Tarixi məlum olan bütün görüşlərin təqvimi"],
            "/ru": ["Встречи и визиты", "Календарь всех встреч с известной датой"],
        },
        ["Meetings and visits", "Calendar of every dated meeting", "1 meeting"],
    ),
    "/offices/": (
        {"/az": ["Tərəfdaşların ofisləri"], "/ru": ["Офисы партнёров"]},
        ["Partner offices", "Apply filters", "1 office"],
    ),
    "/people/": (
        {"/az": ["Şəxslər", "1 şəxs"], "/ru": ["Персоналии", "1 лицо"]},
        ["Apply filters", "1 person", "No posts recorded"],
    ),
    "/topics/": (
        {"/az": ["Mövzular", "Əvvəlcə ən çox qeydi olanlar"], "/ru": ["Темы", "Сначала с наибольшим числом записей"]},
        ["Most records first", "1 topic", "With agreements"],
    ),
    "/sources/": (
        {"/az": ["Mənbələr", "Nəşr ili"], "/ru": ["Источники", "Год публикации"]},
        ["Year published", "Title or publisher", "1 source"],
    ),
    "/agreements/cooperation-agreement/": (
        {"/az": ["Tərəflər", "Bu qeydə istinad"], "/ru": ["Стороны", "Как сослаться на эту запись"]},
        ["Signature, consent and entry into force", "Projects based on it", "Cite this record", "Last updated"],
    ),
    "/projects/border-project/": (
        {"/az": ["Əsaslandığı sazişlər", "Başlayıb"], "/ru": ["Соглашения, на которых он основан", "Начало"]},
        ["Agreements it rests on", "Started", "Cite this record"],
    ),
    "/partners/iom/": (
        {"/az": ["Xronologiya", "1 saziş", "1 görüş"], "/ru": ["Хронология", "1 соглашение", "1 встреча"]},
        ["Timeline", "Calendar of meetings with", "1 agreement", "1 meeting"],
    ),
    "/meetings/geneva-meeting/": (
        {"/az": ["İştirakçılar", "Keçirilib"], "/ru": ["Участники", "Состоялась"]},
        ["Participants", "Took place", "Agreements signed or discussed", "In your calendar app"],
    ),
    "/offices/iom-baku/": (
        {"/az": ["Şəhər", "Ölkə"], "/ru": ["Город", "Страна"]},
        ["Office of", "Opened", "Cite this record"],
    ),
    "/people/someone/": (
        {"/az": ["Vəzifələr"], "/ru": ["Должности"]},
        ["No posts are recorded.", "Cite this record"],
    ),
    "/topics/asylum/": (
        {
            "/az": ["Bu layihələri süzün, sıralayın və yükləyin"],
            "/ru": ["Отфильтровать, отсортировать и скачать эти проекты"],
        },
        ["Filter, sort and download these projects", "Agreements on this topic", "Partners working on it"],
    ),
    "/sources/a-source/": (
        {
            "/az": ["Ona istinad edən qeydlər", "İlkin ünvan"],
            "/ru": ["Записи, которые на него ссылаются", "Исходный адрес"],
        },
        ["Records that cite it", "Original address", "About the document"],
    ),
    "/search/?q=international": (
        {"/az": ["Axtarılan", "Qeyd növləri"], "/ru": ["Что искать", "Виды записей"]},
        ["Search for", "Record types", "matching record", "Search results for"],
    ),
    "/search/": (
        {"/az": ["Nəyi axtarmaq olar"], "/ru": ["Что можно искать"]},
        ["What you can search", "Type a word or a name"],
    ),
    "/years/": (
        {
            "/az": ["İllər", "İllər və növlər üzrə qeydlər", "Tərəfdaşlar zaman üzrə"],
            "/ru": ["Годы", "Записи по годам и видам", "Партнёры во времени"],
        },
        ["Records per year and kind", "Every year in which something is recorded", "Partners over time"],
    ),
    "/years/2014/": (
        {"/az": ["2014-cü ildə:", "1 görüş."], "/ru": ["В 2014 году:", "1 встреча."]},
        ["No office opened or closed this year.", "1 meeting.", "All years"],
    ),
    "/about/": (
        {"/az": ["Reyestr haqqında", "Qeydlər necə düzəldilir"], "/ru": ["О реестре", "Как исправляются записи"]},
        ["About the registry", "How records are corrected", "Report an error"],
    ),
}


@pytest.mark.parametrize("path", list(PAGES))
def test_each_public_page_reads_in_azerbaijani_and_russian(client, records, path):
    shown, english = PAGES[path]
    for prefix, words in shown.items():
        response = client.get(prefix + path)
        assert response.status_code == 200, prefix + path
        text = page_text(response)
        for word in words:
            assert word in text, (prefix + path, word)
        for word in english:
            assert word not in text, (prefix + path, word)


def test_the_english_pages_keep_their_words(client, records):
    assert "What the registry holds" in page_text(client.get("/"))
    assert "Apply filters" in page_text(client.get("/agreements/"))
    assert "Timeline" in page_text(client.get("/partners/iom/"))


def test_counts_take_each_languages_plural_forms(client, records):
    for number in range(4):
        f.AgreementFactory(slug=f"more-{number}", parties=[records["partner"]])
    # Five agreements: Russian's "many" form, Azerbaijani's one form for every number.
    assert "5 соглашений" in page_text(client.get("/ru/agreements/"))
    assert "5 saziş" in page_text(client.get("/az/agreements/"))
    f.AgreementFactory(slug="more-5", parties=[records["partner"]])
    f.AgreementFactory(slug="more-6", parties=[records["partner"]])
    assert "7 соглашений" in page_text(client.get("/ru/agreements/"))
    for number in range(7, 22):
        f.AgreementFactory(slug=f"more-{number}", parties=[records["partner"]])
    assert "22 соглашения" in page_text(client.get("/ru/agreements/"))


def test_notices_of_a_list_are_in_the_pages_language(client, records):
    text = page_text(client.get("/ru/agreements/?year=abc&colour=red"))
    assert "«abc» — не год в пределах" in text
    assert "«colour» — не фильтр этого списка; он не учтён." in text
    assert "is not a year" not in text
    text = page_text(client.get("/az/agreements/?year=abc"))
    assert "«abc»" in text and "il deyil" in text


def test_the_feed_and_the_calendars_are_named_in_the_pages_language(client, records):
    feed = client.get("/ru/feeds/latest.atom").content.decode()
    assert "новые и изменённые записи, сначала самые свежие" in feed
    assert "New and changed records" not in feed

    calendar = icalendar.Calendar.from_ical(client.get("/az/meetings/calendar.ics").content)
    assert str(calendar["X-WR-CALNAME"]).endswith(": görüşlər")
    assert "Mənbələrin tarix göstərmədiyi görüşlər daxil edilməyib." in str(calendar["X-WR-CALDESC"])
    calendar = icalendar.Calendar.from_ical(client.get("/ru/partners/iom/calendar.ics").content)
    assert ": встречи с IOM" in str(calendar["X-WR-CALNAME"])
    assert "Meetings and visits" not in str(calendar["X-WR-CALDESC"])


@pytest.mark.parametrize(
    ("year", "az"),
    [(2007, "2007-ci"), (2006, "2006-cı"), (2010, "2010-cu"), (2003, "2003-cü"), (2000, "2000-ci")],
)
def test_a_year_page_gives_the_year_its_azerbaijani_ending(client, monkeypatch, year, az):
    """Azerbaijani writes "in 2010" as "2010-cu ildə", "in 2006" as "2006-cı ildə": the ending
    follows the number (cooperation/core/date_words.py, ordinal_year), not one "-ci" for every year;
    the capped lists' links, the lead and the chart of /years/ (its peak and its range of years)
    alike. English and Russian write the number alone."""
    monkeypatch.setattr(pages_selectors, "RELATED_LIMIT", 1)
    for n in range(2):
        f.MeetingFactory(start=PartialDate(year, 3, n + 1))
        f.AgreementFactory(signed=PartialDate(year, 5, n + 1))

    page = page_text(client.get(f"/az/years/{year}/"))
    chart = page_text(client.get("/az/years/"))

    assert f"{az} ildə:" in page
    assert f"{az} ildə imzalanmış bütün sazişlər" in page
    assert f"{az} ilin bütün görüşləri" in page
    assert f"ən çoxu {az} ildə" in chart
    assert f"–{az} illərdə hər il" in chart  # "2001–2010-cu illərdə": the range's last year takes the ending
    assert f"В {year} году:" in page_text(client.get(f"/ru/years/{year}/"))
    assert f"In {year}:" in page_text(client.get(f"/years/{year}/"))
