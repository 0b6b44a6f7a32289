"""Site search, /search/?q= (cooperation/search/results.py): accents and case, ranking, grouping,
highlighting, hostile input and a constant number of queries.

Run on both databases: ``pytest tests/search/`` (SQLite, FTS5) and
``DATABASE_URL=postgres://… pytest tests/search/`` (PostgreSQL, tsvector).
"""

import re

import pytest
from django.urls import reverse

from cooperation.core.partial_dates import PartialDate
from cooperation.search.results import PER_GROUP, PER_PAGE
from partners.models import Partner
from tests.factories import (
    AgreementFactory,
    MeetingFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    PostFactory,
    ProjectFactory,
    ProjectPartnerFactory,
    SourceFactory,
    TopicFactory,
)
from tests.helpers.listing import DATA_VERSION
from tests.helpers.pages import page_text
from tests.helpers.search import SEARCH_URL, found, search, titles_by_group

pytestmark = pytest.mark.django_db


def notices(response):
    return response.context["result"].notices


# Accents, case, prefixes ----------------------------------------------------------------------


def test_search_ignores_accents_and_case(client):
    OfficeFactory(name="IOM sub-office in Mingachevir", city="Mingachevir")
    PartnerFactory(name="Türkiye", acronym="", kind=Partner.Kind.STATE, scope=Partner.Scope.BILATERAL)

    assert titles_by_group(search(client, "mingachevir")) == {"Offices": ["IOM sub-office in Mingachevir"]}
    assert titles_by_group(search(client, "MINGACHEVIR")) == {"Offices": ["IOM sub-office in Mingachevir"]}
    assert titles_by_group(search(client, "Turkiye")) == {"Partners": ["Türkiye"]}
    assert titles_by_group(search(client, "TURKIYE")) == {"Partners": ["Türkiye"]}
    assert titles_by_group(search(client, "türkiye")) == {"Partners": ["Türkiye"]}


def test_search_accented_query_finds_unaccented_record(client):
    PartnerFactory(name="Turkiye Migration Directorate", acronym="")

    assert found(search(client, "Türkiye")) == ["Turkiye Migration Directorate"]


def test_search_matches_the_last_word_as_a_prefix(client):
    OfficeFactory(name="Office in Mingachevir")

    assert found(search(client, "mingach")) == ["Office in Mingachevir"]
    assert found(search(client, "office mingach")) == ["Office in Mingachevir"]
    # Only the last word is a prefix: every other word must be whole.
    assert found(search(client, "mingach office")) == []


def test_search_needs_every_word(client):
    PartnerFactory(name="Caspian Border Council", acronym="")
    PartnerFactory(name="Caspian Fisheries Board", acronym="")

    assert found(search(client, "caspian border")) == ["Caspian Border Council"]


def test_search_finds_acronyms_and_other_names(client):
    PartnerFactory(name="International Organization for Migration", acronym="IOM", other_names="OIM\nМОМ")

    assert found(search(client, "iom")) == ["International Organization for Migration"]
    response = search(client, "oim")
    assert found(response) == ["International Organization for Migration"]
    assert "also known as IOM, <mark>OIM</mark>, МОМ" in response.content.decode()


# Ranking and grouping -------------------------------------------------------------------------


def test_search_ranks_a_title_match_above_body_matches(client):
    PartnerFactory(name="Zephyrine Body", acronym="", description="Works on zephyrine " * 5)
    PartnerFactory(name="Zephyrine Forum", acronym="")
    PartnerFactory(name="Another Body", acronym="", description="Zephyrine zephyrine zephyrine, then zephyrine.")

    ranked = titles_by_group(search(client, "zephyrine"))["Partners"]
    assert set(ranked[:2]) == {"Zephyrine Body", "Zephyrine Forum"}
    assert ranked[2] == "Another Body"


def test_search_ranks_a_record_named_by_the_query_first(client):
    PartnerFactory(name="IOM Council", acronym="", description="The IOM governing body; IOM member states sit in it.")
    PartnerFactory(name="International Organization for Migration", acronym="IOM")
    PartnerFactory(name="Organisation Internationale", acronym="", other_names="Iom\nOIM")

    ranked = titles_by_group(search(client, "İOM"))["Partners"]

    assert ranked[2] == "IOM Council"
    assert set(ranked[:2]) == {"International Organization for Migration", "Organisation Internationale"}


def test_search_ranks_other_names_above_the_body(client):
    PartnerFactory(name="Second", acronym="", description="Mentions the Sahel process, Sahel, and Sahel again.")
    PartnerFactory(name="First", acronym="", other_names="Sahel Group")

    assert titles_by_group(search(client, "sahel"))["Partners"] == ["First", "Second"]


def test_search_groups_hits_by_kind_in_a_fixed_order(client):
    partner = PartnerFactory(name="Quokka Partner", acronym="")
    SourceFactory(title="Quokka source")
    TopicFactory(name="Quokka topic")
    PersonFactory(name="Quokka person")
    OfficeFactory(name="Quokka office")
    MeetingFactory(title="Quokka meeting")
    ProjectFactory(title="Quokka project")
    AgreementFactory(title="Quokka agreement", parties=[partner])

    response = search(client, "quokka")

    assert titles_by_group(response) == {
        "Partners": ["Quokka Partner"],
        "Agreements": ["Quokka agreement"],
        "Projects": ["Quokka project"],
        "Meetings": ["Quokka meeting"],
        "Offices": ["Quokka office"],
        "People": ["Quokka person"],
        "Topics": ["Quokka topic"],
        "Sources": ["Quokka source, Ministry of Foreign Affairs"],
    }
    html = response.content.decode()
    assert html.count("<h1>") == 1
    assert '<h3 id="group-partner">Partners <span class="meta">(1)</span></h3>' in html
    assert "8 matching records" in page_text(response)


def test_search_hit_shows_kind_year_link_and_snippet(client):
    AgreementFactory(
        title="Readmission agreement",
        signed=PartialDate(2006, 5),
        description="Signed in Brussels after long talks about readmission.",
        slug="readmission-agreement",
    )

    response = search(client, "readmission")

    html = response.content.decode()
    assert '<a href="/agreements/readmission-agreement/"><mark>Readmission</mark> agreement</a>' in html
    assert '<span class="badge">Agreement</span> · 2006' in html
    assert "long talks about <mark>readmission</mark>" in html


def test_search_caps_each_group_and_links_to_all(client):
    for number in range(PER_GROUP + 2):
        PartnerFactory(name=f"Wombat council {number}", acronym="")
    OfficeFactory(name="Wombat office")

    response = search(client, "wombat")

    groups = {group.label: group for group in response.context["result"].groups}
    assert len(groups["Partners"].hits) == PER_GROUP
    assert groups["Partners"].count == PER_GROUP + 2
    assert groups["Partners"].more_url == "/search/?q=wombat&type=partner"
    assert groups["Offices"].more_url == ""
    assert f"All {PER_GROUP + 2} partners matching “wombat”" in page_text(response)


def test_search_type_filter_keeps_counts_of_every_kind(client):
    PartnerFactory(name="Axolotl Partner", acronym="")
    OfficeFactory(name="Axolotl office one")
    OfficeFactory(name="Axolotl office two")

    response = search(client, "axolotl", type="office")

    assert titles_by_group(response) == {"Offices": ["Axolotl office one", "Axolotl office two"]}
    facets = {facet.kind: (facet.count, facet.selected) for facet in response.context["result"].facets}
    assert facets["partner"] == (1, False)
    assert facets["office"] == (2, True)
    assert facets["meeting"] == (0, False)
    assert 'name="type" value="office" checked' in response.content.decode()


def test_search_several_types(client):
    PartnerFactory(name="Axolotl Partner", acronym="")
    OfficeFactory(name="Axolotl office")
    TopicFactory(name="Axolotl topic")

    response = client.get(SEARCH_URL, {"q": "axolotl", "type": ["topic", "partner"]})

    assert titles_by_group(response) == {"Partners": ["Axolotl Partner"], "Topics": ["Axolotl topic"]}


def test_search_unknown_type_is_ignored_with_a_notice(client):
    PartnerFactory(name="Axolotl Partner", acronym="")

    response = search(client, "axolotl", type="spaceship")

    assert titles_by_group(response) == {"Partners": ["Axolotl Partner"]}
    assert notices(response) == ["Ignored the record type “spaceship”: there is no such type."]


def test_search_paginates_one_type(client):
    for number in range(PER_PAGE + 5):
        PartnerFactory(name=f"Pangolin {number:02d}", acronym="")

    first = search(client, "pangolin", type="partner")
    second = search(client, "pangolin", type="partner", page="2")

    assert len(found(first)) == PER_PAGE
    assert found(second) == [f"Pangolin {number:02d}" for number in range(PER_PAGE, PER_PAGE + 5)]
    assert second.context["result"].previous_url == "/search/?q=pangolin&type=partner"
    assert first.context["result"].next_url == "/search/?q=pangolin&type=partner&page=2"
    assert f'<ol class="result-list" start="{PER_PAGE + 1}">' in second.content.decode()


@pytest.mark.parametrize(
    ("page", "notice", "shown"),
    [
        ("99", "There is no page 99; showing the last page, 2.", 2),
        ("abc", "“abc” is not a page number; showing the first page.", 1),
        ("-3", "There is no page -3; showing the first page.", 1),
        ("9" * 400, "There is no page 9,999,999,999,999,9…; showing the last page, 2.", 2),
        ("9" * 5000, "“999999999999999999999999999999999999999…” is not a page number; showing the first page.", 1),
    ],
)
def test_search_bad_page_is_explained(client, page, notice, shown):
    for number in range(PER_PAGE + 1):
        PartnerFactory(name=f"Pangolin {number:02d}", acronym="")

    response = search(client, "pangolin", type="partner", page=page)

    assert response.context["result"].page == shown
    if notice:
        assert notice in notices(response)


# Highlighting and escaping --------------------------------------------------------------------


def test_search_marks_matched_words(client):
    PartnerFactory(name="Budapest Process", acronym="", description="A dialogue that the Budapest group began.")

    html = search(client, "budapest").content.decode()

    assert "<mark>Budapest</mark> Process" in html
    assert "the <mark>Budapest</mark> group" in html


def test_search_escapes_html_in_records(client):
    PartnerFactory(
        name="Okapi <script>alert(1)</script> Council", acronym="", description='Okapi <img src=x onerror="alert(2)">'
    )

    response = search(client, "okapi")

    html = response.content.decode()
    assert found(response)
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert html.count("<mark>") == html.count("</mark>") >= 2


def test_search_escapes_html_in_the_query(client):
    response = search(client, '<img src=x onerror="alert(1)"> okapi')

    html = response.content.decode()
    assert "<img src=x" not in html
    assert 'value="&lt;img src=x onerror=&quot;alert(1)&quot;&gt; okapi"' in html
    assert "Search results for “&lt;img src=x" in html


# Bad input never breaks the page --------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected_notice"),
    [
        ("okapi " * 1000, "Your search was 5,999 characters long; only the first 200 were used."),
        ("x" * 5000, "Your search was 5,000 characters long; only the first 200 were used."),
        ("oka\x00pi\x1f", "Removed 2 control or invisible characters."),
        ("okapi\u200b\u202e", "Removed 2 control or invisible characters."),
        ("'; DROP TABLE partners_partner; --", "Symbols are not searched for; ignored: ; _"),
        ("okapi' OR '1'='1", "Symbols are not searched for; ignored: ="),
        ("a & | ! :* okapi", "Symbols are not searched for; ignored: & | ! : *"),
        ("okapi:* & !(b | c) <-> d", "Symbols are not searched for; ignored: : * & ! ( | ) < >"),
        ('"okapi" NEAR(a b) OR title:x* ^y', 'Symbols are not searched for; ignored: " ( ) : * ^'),
        ("\\'\\\\ okapi \\", "Symbols are not searched for; ignored: \\"),
        ("<script>alert('okapi')</script>", "Symbols are not searched for; ignored: < > ( )"),
        ("½ ٣ ǅ 🙂 okapi ＯＫＡＰＩ", "Symbols are not searched for; ignored: ⁄ 🙂"),  # ½ is 1⁄2 in NFKC
        ("a b c d e f g h i j k l okapi", "Only the first 10 words were searched for; left out: k l okapi (3 words)."),
        ("okapi " + "y" * 190, None),
        ("_ _ okapi", "Symbols are not searched for; ignored: _"),
    ],
)
def test_search_survives_hostile_input(client, q, expected_notice):
    PartnerFactory(name="Okapi Council", acronym="", description="Okapi")

    response = search(client, q)

    if expected_notice:
        assert expected_notice in notices(response)
    assert response.context["result"].searched
    assert "<h1>Search results for" in response.content.decode()


@pytest.mark.parametrize("q", ["&|!:*()", "'\"", "\x00\x01\x02", "   ", "---", "_", "🙂🙂"])
def test_search_with_nothing_to_search_for_says_so(client, q, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = search(client, q)

    result = response.context["result"]
    assert not result.searched
    if result.query.text:
        assert "has no letters or digits to search for" in page_text(response)
    else:
        assert "Type a word or a name in the box" in page_text(response)


def test_search_with_hostile_types_and_repeated_q(client):
    PartnerFactory(name="Okapi Council", acronym="")

    response = client.get(SEARCH_URL, {"q": ["first", "okapi"], "type": ["\x00<b>", "partner", "partner"]})

    assert response.status_code == 200
    assert titles_by_group(response) == {"Partners": ["Okapi Council"]}
    assert "Ignored the record type “<b>”: there is no such type." in notices(response)
    assert "&lt;b&gt;" in response.content.decode()


def test_search_page_without_q_is_friendly(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = search(client)

    html = response.content.decode()
    assert "<h1>Search the registry</h1>" in html
    assert "Type a word or a name in the box to search every published record." in page_text(response)
    assert '<label for="search-q">' in html
    assert response.context["result"].notices == []


def test_search_puts_the_query_back_in_the_header_box(client):
    html = search(client, "  mingachevir\toffice ").content.decode()

    assert re.search(r'<input id="site-search-q"[^>]* value="mingachevir office"', html)
    assert 'id="search-q" type="search" name="q" value="mingachevir office"' in html


def test_search_url_is_named():
    assert reverse("cooperation:search") == SEARCH_URL


# Query count ----------------------------------------------------------------------------------


def _records(count):
    """``count`` matching records of every kind (and one that does not match)."""
    partner = PartnerFactory(name="Unrelated", acronym="")
    for number in range(count):
        PartnerFactory(name=f"Gazelle partner {number}", acronym="", description="<b>Gazelle</b> gazelle")
        OfficeFactory(name=f"Gazelle office {number}", partner=partner)
        AgreementFactory(title=f"Gazelle agreement {number}", parties=[partner])
        project = ProjectFactory(title=f"Gazelle project {number}")
        ProjectPartnerFactory(project=project, partner=partner)
        MeetingFactory(title=f"Gazelle meeting {number}", partners=[partner])
        PostFactory(person=PersonFactory(name=f"Gazelle person {number}"), organisation=partner)
        TopicFactory(name=f"Gazelle topic {number}")
        SourceFactory(title=f"Gazelle source {number}", notes="About gazelles.")


@pytest.mark.parametrize("count", [1, 50])
def test_search_query_count_is_constant(client, django_assert_num_queries, count):
    _records(count)

    with django_assert_num_queries(DATA_VERSION + 2):  # counts by kind, then the hits shown
        response = search(client, "gazelle")

    assert response.context["result"].total == 8 * count
    assert len(found(response)) == 8 * min(count, PER_GROUP)


@pytest.mark.parametrize("count", [1, 50])
def test_search_query_count_is_constant_for_one_type(client, django_assert_num_queries, count):
    _records(count)

    with django_assert_num_queries(DATA_VERSION + 2):
        response = search(client, "gazelle", type="meeting", page="2" if count > PER_PAGE else "1")

    assert len(found(response)) == min(count, PER_PAGE)


def test_sources_with_one_title_are_told_apart_in_the_results(client):
    for year in (2008, 2017):
        SourceFactory(title="International cooperation", label=f"overview to {year}", publisher="SMS")

    assert titles_by_group(search(client, "international cooperation"))["Sources"] == [
        "International cooperation (overview to 2008), SMS",
        "International cooperation (overview to 2017), SMS",
    ]
