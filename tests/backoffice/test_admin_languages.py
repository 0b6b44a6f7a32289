"""The staff admin in Azerbaijani (/az/…) and Russian (/ru/…): the registry's own pages, Django's
admin around them, the data model's labels and choices, in the language of the address; English
stays at the unprefixed addresses. (The catalogues are compiled by `make test`.)"""

import pytest
from django.urls import reverse
from django.utils import translation

from cooperation.core.partial_dates import PartialDate
from events.models import Meeting
from partners.models import Partner
from tests.factories import MeetingFactory
from tests.helpers.admin import admin_url
from tests.helpers.pages import page_text

pytestmark = pytest.mark.django_db

LANGUAGES = ["az", "ru"]

# What a user sees on each page, in each language: the registry's words, Django's own and the labels
# of the data model (verbose names, help texts, choices).
INDEX = {
    "az": ["Əməkdaşlıq reyestri – əməkdaşlar", "Uyğunsuzluqlar", "Son dəyişikliklər", "Silinmiş qeydlər", "Sazişlər"],
    "ru": [
        "Реестр сотрудничества – сотрудники",
        "Расхождения",
        "Последние изменения",
        "Удалённые записи",
        "Соглашения",
    ],
}
CHANGE_LIST = {
    "az": ["Ana səhifə", "İdxal: görüşlər", "Seçilmiş qeydləri dərc et (görüşlər)", "Konfrans", "Keçirilib"],
    "ru": ["Главная", "Импорт: встречи", "Опубликовать выбранные записи (встречи)", "Конференция", "Состоялась"],
}
CHANGE_FORM = {
    "az": ["Başlıq:", "Kim və nə", "Bir neçə gün davam edən görüşlər üçün.", "İstinad edilən mənbələr"],
    "ru": ["Название:", "Кто и что", "Для встреч, длящихся несколько дней.", "Цитируемые источники"],
}
IMPORT_PAGE = {
    "az": ["İdxal: tərəfdaşlar", "Fayl yüklə", "Cədvəl faylı", "Şablonu CSV kimi yüklə", "Məcburi sütunlar:"],
    "ru": ["Импорт: партнёры", "Загрузить файл", "Файл таблицы", "Скачать шаблон в CSV", "Обязательные столбцы:"],
}
# A meeting's status in its list and as the options of its form.
# Django's own admin translations: the change form's save button.
SAVE = {"az": "Yadda saxla", "ru": "Сохранить"}
STATUSES = {
    "az": ["Keçirilib", "Planlaşdırılıb", "Ləğv edilib", "Məlum deyil"],
    "ru": ["Состоялась", "Запланирована", "Отменена", "Неизвестно"],
}


@pytest.fixture(autouse=True)
def english_afterwards():
    """A request to /az/… leaves its language active in this thread: give the next test English."""
    yield
    translation.deactivate()


def in_language(lang, url_of, *args):
    """The address of ``url_of(*args)`` (reverse, admin_url) in ``lang``: /az/… or /ru/…."""
    with translation.override(lang):
        return url_of(*args)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_admin_index_is_in_the_address_language(superuser_client, lang):
    response = superuser_client.get(in_language(lang, reverse, "admin:index"))

    text = page_text(response)
    assert f'<html lang="{lang}"' in response.content.decode()
    assert [word for word in INDEX[lang] if word not in text] == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_change_list_shows_its_filters_actions_and_choice_labels_in_the_language(superuser_client, lang):
    MeetingFactory(title="Cluster Process meeting", kind=Meeting.Kind.CONFERENCE, status=Meeting.Status.HELD)

    response = superuser_client.get(in_language(lang, admin_url, Meeting, "changelist"))

    text = page_text(response)
    assert [word for word in CHANGE_LIST[lang] if word not in text] == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_change_form_shows_labels_help_choices_and_inlines_in_the_language(superuser_client, lang):
    meeting = MeetingFactory(title="Cluster Process meeting", start=PartialDate(2007, 3, 14))

    response = superuser_client.get(in_language(lang, admin_url, Meeting, "change", meeting.pk))

    text = page_text(response)
    assert [word for word in CHANGE_FORM[lang] if word not in text] == []
    assert f'<input type="submit" value="{SAVE[lang]}" class="default" name="_save">' in response.content.decode()
    status = response.context["adminform"].form.fields["status"]
    assert [str(label) for value, label in status.choices] == STATUSES[lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_import_page_is_in_the_language(superuser_client, lang):
    response = superuser_client.get(in_language(lang, admin_url, Partner, "import"))

    text = page_text(response)
    assert [word for word in IMPORT_PAGE[lang] if word not in text] == []
    # The data format's column keys stay as they are in every language.
    assert "<code>slug</code>, <code>name</code>, <code>kind</code>, <code>scope</code>" in response.content.decode()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("az", ["Tarixçə", "Son dəyişikliklər", "Hər kəs", "yaradılıb", "Başlıq:"]),
        ("ru", ["История", "Последние изменения", "Все", "создано", "Название:"]),
    ],
)
def test_the_recent_changes_say_what_changed_in_the_language(superuser_client, lang, words):
    MeetingFactory(title="Cluster Process meeting")

    response = superuser_client.get(in_language(lang, reverse, "admin:history:recent"))

    text = page_text(response)
    assert [word for word in words if word not in text] == []


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("az", ["Uyğunsuzluqlar", "Qeydin növü", "Üstün tutulan iddia", "Heç bir faktın birdən çox iddiası yoxdur."]),
        ("ru", ["Расхождения", "Вид записи", "Предпочтительное утверждение", "Ни у одного факта нет больше одного"]),
    ],
)
def test_the_discrepancies_page_is_in_the_language(superuser_client, lang, words):
    response = superuser_client.get(in_language(lang, reverse, "admin:discrepancies"))

    text = page_text(response)
    assert [word for word in words if word not in text] == []


def test_english_stays_at_the_unprefixed_addresses(superuser_client):
    MeetingFactory(title="Cluster Process meeting", status=Meeting.Status.HELD)

    text = page_text(superuser_client.get(in_language("en-gb", admin_url, Meeting, "changelist")))

    assert "Import meetings" in text
    assert "Held" in text
    assert "Keçirilib" not in text
    assert "Состоялась" not in text
