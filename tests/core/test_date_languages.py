"""Dates in English, Azerbaijani and Russian: written from CLDR (Babel) in the page's language,
and read back whichever of the three staff type them in."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from cooperation.core.date_parsing import month_names
from cooperation.core.partial_dates import PartialDate, PartialDateFormField, format_range
from cooperation.core.reported import reported, reported_leading
from tests.factories import MeetingFactory, ProjectFactory
from tests.helpers.dates import d as _d


def d(*parts, group=None):
    return PartialDate(*parts, group=group) if group else _d(*parts)


def approximate(*parts):
    return d(*parts).with_qualifier("~")


def uncertain(*parts):
    return d(*parts).with_qualifier("?")


def both(*parts):
    return d(*parts).with_qualifier("%")


# Writing --------------------------------------------------------------------------------

WRITTEN = [
    # (date, English, Azerbaijani, Russian)
    (d(1999, 12, 8), "8 December 1999", "8 dekabr 1999", "8 декабря 1999"),
    (d(2006, 8), "August 2006", "avqust 2006", "август 2006"),
    (d(2006, 5), "May 2006", "may 2006", "май 2006"),
    (d(2006, 5, 1), "1 May 2006", "1 may 2006", "1 мая 2006"),
    (d(1998), "1998", "1998", "1998"),
    (approximate(2008), "about 2008", "təxminən 2008-ci il", "около 2008 года"),
    (approximate(2006, 8), "about August 2006", "təxminən avqust 2006", "около августа 2006"),
    (approximate(1999, 12, 8), "about 8 December 1999", "təxminən 8 dekabr 1999", "около 8 декабря 1999"),
    (uncertain(2007), "2007 (uncertain)", "2007 (dəqiq deyil)", "2007 (под вопросом)"),
    (both(2007), "about 2007 (uncertain)", "təxminən 2007-ci il (dəqiq deyil)", "около 2007 года (под вопросом)"),
    (d(2007, group=41), "second half of 2007", "2007-ci ilin ikinci yarısı", "второе полугодие 2007 года"),
    (d(2006, group=40), "first half of 2006", "2006-cı ilin birinci yarısı", "первое полугодие 2006 года"),
    (d(2010, group=35), "third quarter of 2010", "2010-cu ilin üçüncü rübü", "третий квартал 2010 года"),
    (d(2003, group=36), "fourth quarter of 2003", "2003-cü ilin dördüncü rübü", "четвёртый квартал 2003 года"),
    (d(2000, group=33), "first quarter of 2000", "2000-ci ilin birinci rübü", "первый квартал 2000 года"),
]


@pytest.mark.parametrize(("date", "en", "az", "ru"), WRITTEN, ids=[str(row[0].edtf) for row in WRITTEN])
def test_a_date_is_written_in_the_pages_language(date, en, az, ru):
    for language, expected in (("en-gb", en), ("az", az), ("ru", ru)):
        with translation.override(language):
            assert str(date) == expected, language


@pytest.mark.parametrize(("date", "en", "az", "ru"), WRITTEN, ids=[str(row[0].edtf) for row in WRITTEN])
def test_what_the_site_writes_in_any_language_reads_back_to_the_same_date(date, en, az, ru):
    for text in (en, az, ru):
        assert PartialDate.parse(text) == date, text


RANGES = [
    # (start, end, English, Azerbaijani, Russian)
    (d(2006, 5, 10), d(2006, 5, 11), "10–11 May 2006", "10–11 may 2006", "10–11 мая 2006"),
    (d(2006, 5, 10), d(2006, 6, 3), "10 May – 3 June 2006", "10 may – 3 iyun 2006", "10 мая – 3 июня 2006"),
    (d(2006, 3), d(2006, 5), "March–May 2006", "mart–may 2006", "март–май 2006"),
    (d(2007), d(2008), "2007–2008", "2007–2008", "2007–2008"),
    (
        d(2006, 12, 28),
        d(2007, 1, 3),
        "28 December 2006 – 3 January 2007",
        "28 dekabr 2006 – 3 yanvar 2007",
        "28 декабря 2006 – 3 января 2007",
    ),
    (
        d(2010, group=33),
        d(2010, group=35),
        "first quarter – third quarter of 2010",
        "2010-cu ilin birinci rübü – üçüncü rübü",
        "первый квартал – третий квартал 2010 года",
    ),
    (approximate(2005), d(2007), "about 2005 – 2007", "təxminən 2005-ci il – 2007", "около 2005 года – 2007"),
    (None, d(2010), "until 2010", "2010-cu ilədək", "до 2010 года"),
    (None, d(2006, 8), "until August 2006", "avqust 2006 tarixinədək", "до августа 2006"),
    (None, d(1999, 12, 8), "until 8 December 1999", "8 dekabr 1999 tarixinədək", "до 8 декабря 1999"),
    (
        None,
        d(2007, group=41),
        "until second half of 2007",
        "2007-ci ilin ikinci yarısı tarixinədək",
        "до второго полугодия 2007 года",
    ),
    (d(2008), None, "2008", "2008", "2008"),
]


@pytest.mark.parametrize(("start", "end", "en", "az", "ru"), RANGES)
def test_a_period_is_written_in_the_pages_language(start, end, en, az, ru):
    for language, expected in (("en-gb", en), ("az", az), ("ru", ru)):
        with translation.override(language):
            assert format_range(start, end) == expected, language


def test_a_reported_state_says_its_date_in_the_pages_language():
    expected = {
        "en-gb": (
            "Reported ongoing as of 2017",
            "Reported ongoing as of August 2017",
            "Reported ongoing (date of report not recorded)",
            "Planned (reported as of 2008)",
            "Planned (reported as of 3 August 2008)",
            "Planned (date of report not recorded)",
        ),
        "az": (
            "Davam edir (2017-ci ilə olan məlumata görə)",
            "Davam edir (avqust 2017 tarixinə olan məlumata görə)",
            "Davam edir (məlumatın tarixi qeyd olunmayıb)",
            "Planlaşdırılıb (2008-ci ilə olan məlumata görə)",
            "Planlaşdırılıb (3 avqust 2008 tarixinə olan məlumata görə)",
            "Planlaşdırılıb (məlumatın tarixi qeyd olunmayıb)",
        ),
        "ru": (
            "Продолжается (по данным на 2017 год)",
            "Продолжается (по данным на август 2017)",
            "Продолжается (дата сведений не указана)",
            "Планируется (по данным на 2008 год)",
            "Планируется (по данным на 3 августа 2008)",
            "Планируется (дата сведений не указана)",
        ),
    }
    # The state's own word comes translated from its model's choices; here it is given.
    planned = {"en-gb": "Planned", "az": "Planlaşdırılıb", "ru": "Планируется"}
    for language, texts in expected.items():
        with translation.override(language):
            assert (
                reported_leading("ongoing", d(2017)),
                reported_leading("ongoing", d(2017, 8)),
                reported_leading("ongoing", None),
                reported(planned[language], d(2008)),
                reported(planned[language], d(2008, 8, 3)),
                reported(planned[language], None),
            ) == texts, language


def test_the_form_field_says_how_it_understood_a_date_in_the_pages_language():
    field = PartialDateFormField()
    for language, understood in (
        ("en-gb", "Understood as about August 2006 (EDTF 2006-08~)."),
        ("az", "Belə oxundu: təxminən avqust 2006 (EDTF 2006-08~)."),
        ("ru", "Распознано как около августа 2006 (EDTF 2006-08~)."),
    ):
        with translation.override(language):
            html = field.widget.render("start", "c. Aug 2006")
            assert understood in html, language
            assert field.prepare_value(approximate(2006, 8)) in html


def test_a_date_that_is_no_date_is_refused_in_the_pages_language():
    with translation.override("ru"), pytest.raises(ValidationError) as excinfo:
        PartialDate.parse("вчера")
    assert excinfo.value.messages[0].startswith("Реестр не распознаёт «вчера» как дату. Введите год (1998)")
    with translation.override("az"), pytest.raises(ValidationError) as excinfo:
        PartialDate.parse("3/4/2017")
    assert "3 aprel 2017" in excinfo.value.messages[0]
    assert "4 mart 2017" in excinfo.value.messages[0]


def test_a_day_a_month_does_not_have_is_named_in_the_pages_language():
    with translation.override("ru"), pytest.raises(ValidationError) as excinfo:
        PartialDate(2001, 2, 29)
    assert excinfo.value.messages == ["В месяце «февраль 2001» нет дня 29."]


# Reading --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8 dekabr 1999", d(1999, 12, 8)),
        ("8 Dekabr 1999", d(1999, 12, 8)),
        ("8 DEKABR 1999", d(1999, 12, 8)),
        ("8 dek 1999", d(1999, 12, 8)),
        ("avqust 2006", d(2006, 8)),
        ("Avqust 2006", d(2006, 8)),
        ("İyun 2006", d(2006, 6)),
        ("IYUL 2006", d(2006, 7)),
        ("8 декабря 1999", d(1999, 12, 8)),
        ("8 декабря 1999 г.", d(1999, 12, 8)),
        ("8 декабря 1999 года", d(1999, 12, 8)),
        ("8 ДЕКАБРЯ 1999", d(1999, 12, 8)),
        ("декабрь 1999", d(1999, 12)),
        ("Декабрь 1999", d(1999, 12)),
        ("дек. 1999", d(1999, 12)),
        ("8 дек. 1999", d(1999, 12, 8)),
        ("сентябрь 2007", d(2007, 9)),
        ("8 сент. 2007", d(2007, 9, 8)),
        ("1 мая 2006", d(2006, 5, 1)),
        ("май 2006", d(2006, 5)),
        ("1999 г.", d(1999)),
        ("2008-ci il", d(2008)),
        ("Dec 1999", d(1999, 12)),
        ("dec 1999", d(1999, 12)),
        ("Sep 2007", d(2007, 9)),
        ("Sept 2007", d(2007, 9)),
        ("около 2008", approximate(2008)),
        ("около 2008 года", approximate(2008)),
        ("ок. 2008", approximate(2008)),
        ("около августа 2006", approximate(2006, 8)),
        ("примерно август 2006", approximate(2006, 8)),
        ("təxminən 2008", approximate(2008)),
        ("Təxminən 2008-ci il", approximate(2008)),
        ("2007 (под вопросом)", uncertain(2007)),
        ("2007 (dəqiq deyil)", uncertain(2007)),
        ("около 2007 года?", both(2007)),
        ("второе полугодие 2007 года", d(2007, group=41)),
        ("Второе полугодие 2007", d(2007, group=41)),
        ("2007-ci ilin ikinci yarısı", d(2007, group=41)),
        ("2010-cu ilin üçüncü rübü", d(2010, group=35)),
        ("третий квартал 2010 года", d(2010, group=35)),
    ],
)
def test_staff_may_type_a_date_in_any_of_the_three_languages(text, expected):
    for language in ("en-gb", "az", "ru"):
        with translation.override(language):
            parsed = PartialDate.parse(text)
            assert parsed == expected, language
            assert parsed.qualifier == expected.qualifier


def test_month_names_come_from_cldr_in_each_language_and_context():
    names = month_names()
    for name, number in {
        "december": 12, "dec": 12, "sept": 9, "sep": 9,
        "dekabr": 12, "dek": 12, "iyn": 6, "iyl": 7,
        "декабря": 12, "декабрь": 12, "дек": 12, "мая": 5, "май": 5, "февр": 2, "март": 3, "марта": 3,
    }.items():  # fmt: skip
        assert names[name] == number, name


def test_month_names_are_read_from_babel_once():
    month_names.cache_clear()
    month_names()
    month_names()
    assert month_names.cache_info().misses == 1


# Pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "day", "period"),
    [
        ("en-gb", "8 December 1999", "8–9 December 1999"),
        ("az", "8 dekabr 1999", "8–9 dekabr 1999"),
        ("ru", "8 декабря 1999", "8–9 декабря 1999"),
    ],
)
def test_a_meeting_page_shows_its_dates_in_its_language(client, language, day, period):
    meeting = MeetingFactory(start=d(1999, 12, 8), end=d(1999, 12, 9))
    # The middleware activates the page's language in this thread: override() puts it back after.
    with translation.override(language):
        url = meeting.get_absolute_url()
        page = client.get(url)
    if language != "en-gb":
        assert url.startswith(f"/{language}/")

    assert page.status_code == 200
    assert f'<time datetime="1999-12-08">{period}</time>' in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "started", "as_of"),
    [
        ("en-gb", "August 2006", "as of 2017"),
        ("az", "avqust 2006", "2017-ci ilə olan məlumata görə"),
        ("ru", "август 2006", "по данным на 2017 год"),
    ],
)
def test_a_project_page_shows_its_dates_in_its_language(client, language, started, as_of):
    project = ProjectFactory(start=d(2006, 8), status_as_of=d(2017))
    with translation.override(language):
        text = client.get(project.get_absolute_url()).content.decode()

    assert f'<time datetime="2006-08">{started}</time>' in text
    assert as_of in text


def test_a_day_in_a_template_is_written_in_the_pages_language():
    template = Template("{% load partial_dates %}{{ day|site_date }} · {{ moment|site_date }} · {% today %}")
    context = Context(
        {"day": datetime.date(2026, 12, 3), "moment": datetime.datetime(2026, 12, 3, 12, tzinfo=datetime.UTC)}
    )
    with translation.override("ru"):
        assert template.render(context).startswith("3 декабря 2026 · 3 декабря 2026 · ")
    with translation.override("az"):
        assert template.render(context).startswith("3 dekabr 2026 · 3 dekabr 2026 · ")


def test_the_partial_date_tag_writes_until_and_since_with_the_date_in_its_form():
    template = Template(
        "{% load partial_dates %}"
        "{% partial_date end=end %}|"
        "{% partial_date date=start since=True %}|"
        '{% partial_date date=None missing="—" %}|'
        "{% partial_date %}"
    )
    context = Context({"start": d(2006, 8), "end": d(2010)})
    expected = {
        "en-gb": 'until <time datetime="2010">2010</time>|since <time datetime="2006-08">August 2006</time>|'
        '<span class="meta">—</span>|<span class="meta">Not recorded</span>',
        "az": '<time datetime="2010">2010-cu</time> ilədək|<time datetime="2006-08">avqust 2006</time> tarixindən|'
        '<span class="meta">—</span>|<span class="meta">Qeyd olunmayıb</span>',
        "ru": 'до <time datetime="2010">2010</time> года|с <time datetime="2006-08">августа 2006</time>|'
        '<span class="meta">—</span>|<span class="meta">Не указано</span>',
    }
    for language, html in expected.items():
        with translation.override(language):
            assert template.render(context) == html, language


@pytest.mark.parametrize(("language", "text"), [("en-gb", "October 2028 – 2028"), ("ru", "октябрь 2028 – 2028")])
def test_a_range_from_a_month_to_the_bare_year_it_falls_in_is_written_whole(language, text):
    with translation.override(language):
        assert format_range(PartialDate(2028, 10), PartialDate(2028)) == text
