"""Every page in three languages (cooperation/urls.py, templates/base.html,
cooperation/core/translation.py): English at today's paths, Azerbaijani under /az/, Russian under
/ru/; ``lang`` on ``<html>``, the canonical link and ``hreflang`` alternates of each language; a
switcher that keeps the page and its filters; a record's text in the page's language, English
marked ``lang="en"`` where there is no translation; the same number of queries in every language.
"""

import re
from html import unescape

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.core.partial_dates import PartialDate
from tests import factories as f

pytestmark = pytest.mark.django_db

LANGUAGES = {"": "en-GB", "/az": "az", "/ru": "ru"}


@pytest.fixture
def records():
    topic = f.TopicFactory(slug="asylum", name="Asylum", name_az="Sığınacaq", name_ru="Убежище")
    partner = f.PartnerFactory(
        slug="iom",
        name="International Organization for Migration",
        name_az="Beynəlxalq Miqrasiya Təşkilatı",
        name_ru="Международная организация по миграции",
        acronym="IOM",
        acronym_ru="МОМ",
    )
    agreement = f.AgreementFactory(slug="cooperation-agreement", parties=[partner], topics=[topic])
    project = f.ProjectFactory(slug="border-project", start=PartialDate(2014), topics=[topic])
    meeting = f.MeetingFactory(slug="geneva-meeting", start=PartialDate(2014, 7, 4), partners=[partner])
    office = f.OfficeFactory(slug="iom-baku", partner=partner)
    person = f.PersonFactory(slug="someone")
    source = f.SourceFactory(slug="a-source")
    return [topic, partner, agreement, project, meeting, office, person, source]


def page_paths(records):
    topic, partner, agreement, project, meeting, office, person, source = records
    return [
        "/",
        "/about/",
        "/search/?q=migration",
        "/years/",
        "/years/2014/",
        *(
            path
            for record in records
            for path in (record.get_absolute_url(), record.get_absolute_url().rsplit("/", 2)[0] + "/")
        ),
    ]


def html_lang(html):
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def alternates(html):
    return {
        lang: unescape(href)
        for lang, href in re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html)
    }


def test_every_page_type_is_served_in_each_language_with_its_lang_and_alternates(client, records):
    for path in page_paths(records):
        bare = path.split("?")[0]
        for prefix, lang in LANGUAGES.items():
            response = client.get(prefix + path)
            html = response.content.decode()

            assert response.status_code == 200, prefix + path
            assert html_lang(html) == lang, prefix + path
            assert alternates(html) == {
                "en-GB": f"http://testserver{bare}",
                "az": f"http://testserver/az{bare}",
                "ru": f"http://testserver/ru{bare}",
                "x-default": f"http://testserver{bare}",
            }, prefix + path
            canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
            assert canonical == f"http://testserver{prefix}{bare}"


def test_the_switcher_keeps_the_page_and_its_filters(client, records):
    html = client.get("/az/projects/?topic=asylum&sort=oldest").content.decode()

    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', switcher))

    assert {unescape(href): lang for href, lang in links.items()} == {
        "/projects/?topic=asylum&sort=oldest": "en-GB",
        "/az/projects/?topic=asylum&sort=oldest": "az",
        "/ru/projects/?topic=asylum&sort=oldest": "ru",
    }
    assert 'aria-current="true">Azərbaycanca<' in switcher


def test_a_record_shows_its_translation_and_marks_english_where_there_is_none(client, records):
    az = client.get("/az/partners/iom/").content.decode()
    ru = client.get("/ru/partners/iom/").content.decode()
    en = client.get("/partners/iom/").content.decode()

    assert "Beynəlxalq Miqrasiya Təşkilatı" in az
    assert "Международная организация по миграции" in ru
    assert "International Organization for Migration" in en
    assert 'lang="en"' not in en
    # The page's title is the translated name; in Russian the acronym too.
    assert re.search(r"<title>Международная организация по миграции \(МОМ\)", ru)
    # No Azerbaijani acronym: the English one, marked, where the page writes it alone.
    assert "(IOM)" in az


def test_english_text_on_another_language_page_is_marked(client):
    f.TopicFactory(slug="readmission", name="Readmission", name_az="", name_ru="Реадмиссия")

    az = client.get("/az/topics/readmission/").content.decode()
    ru = client.get("/ru/topics/readmission/").content.decode()

    assert '<span lang="en">Readmission</span>' in az
    assert "Реадмиссия" in ru
    assert '<span lang="en">Readmission</span>' not in ru


def test_facet_labels_are_in_the_page_language(client, records):
    html = client.get("/ru/agreements/").content.decode()

    assert "Убежище" in html
    assert "Международная организация по миграции" in html


def cold_queries(client, path):
    caches["default"].clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path", ["/partners/", "/agreements/?topic=asylum", "/partners/iom/", "/projects/border-project/"]
)
def test_a_page_reads_the_same_number_of_queries_in_every_language(client, records, path):
    counts = {prefix or "en": cold_queries(client, prefix + path) for prefix in LANGUAGES}

    assert len(set(counts.values())) == 1, counts


def test_staff_sign_in_to_the_admin_in_each_language(client, django_user_model):
    django_user_model.objects.create_user("editor", password="a long password 1", is_staff=True)

    for prefix in ("", "/az", "/ru"):
        response = client.post(f"{prefix}/admin/login/", {"username": "editor", "password": "a long password 1"})

        assert response.status_code == 302
        assert response["Location"] == f"{prefix}/admin/"
        client.logout()


def test_a_public_page_refuses_a_post_in_every_language(client):
    for prefix in ("", "/az", "/ru"):
        assert client.post(f"{prefix}/partners/").status_code == 405
