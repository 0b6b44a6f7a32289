"""Site search when the words typed find nothing as typed (cooperation/search/spelling.py): the
corrected search shown and said, the search as typed one link away, prefix matches named, and
what to try when nothing is found.

Run on both databases: ``pytest tests/search/`` (SQLite) and ``DATABASE_URL=postgres://… pytest
tests/search/`` (PostgreSQL).
"""

from urllib.parse import urlencode

import pytest

from cooperation.search import query as search_query
from cooperation.search import spelling
from partners.models import Partner
from tests.factories import OfficeFactory, PartnerFactory, ProjectFactory, TopicFactory
from tests.helpers.listing import DATA_VERSION
from tests.helpers.pages import get
from tests.helpers.search import SEARCH_URL, found, search

pytestmark = pytest.mark.django_db


def url(**params):
    return f"{SEARCH_URL}?{urlencode(params)}"


# The correction on its own --------------------------------------------------------------------

WORDS = {"readmission": "Readmission", "trafficking": "trafficking", "turkiye": "Türkiye", "mingachevir": "Mingachevir"}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("readmision", "readmission"),
        ("Readmision", "Readmission"),
        ("trafficing readmision", "trafficking readmission"),
        ("turkie", "türkiye"),
        ("readmission trafficing", "readmission trafficking"),
    ],
)
def test_corrected_replaces_each_unknown_word_with_the_closest(typed, expected):
    assert spelling.corrected(search_query.parse(typed), WORDS).text == expected


@pytest.mark.parametrize("typed", ["readmission", "ion", "2006", "zebra", "mingach"])
def test_corrected_leaves_known_short_and_far_words_alone(typed):
    assert spelling.corrected(search_query.parse(typed), WORDS) is None


def test_vocabulary_holds_the_names_of_published_records_only():
    TopicFactory(name="Readmission")
    PartnerFactory(name="Türkiye", acronym="", other_names="Turkey")
    PartnerFactory(name="Secretcouncil", acronym="", published=False)

    words = spelling.vocabulary()

    assert words["readmission"] == "Readmission"
    assert words["turkiye"] == "Türkiye"
    assert words["turkey"] == "Turkey"
    assert "secretcouncil" not in words


# The page -------------------------------------------------------------------------------------


def test_search_with_a_misspelled_word_shows_the_corrected_results_and_says_so(client):
    TopicFactory(name="Readmission")

    response = search(client, "redmission")
    page = get(client, url(q="redmission"))

    assert found(response) == ["Readmission"]
    assert page.h1 == "Search results for “readmission”"
    assert "Nothing matches “redmission”. Showing results for “readmission”." in page.text
    assert "Search instead for redmission" in page.text
    assert (url(q="redmission", spelling="exact"), "redmission") in page.links


def test_search_instead_for_the_words_as_typed_offers_the_correction(client):
    TopicFactory(name="Readmission")

    response = search(client, "redmission", spelling="exact")
    page = get(client, url(q="redmission", spelling="exact"))

    assert found(response) == []
    assert page.h1 == "Search results for “redmission”"
    assert "No published records match “redmission”. Did you mean readmission?" in page.text
    assert (url(q="readmission"), "readmission") in page.links
    assert "Showing results for" not in page.text


def test_search_correction_keeps_the_chosen_types(client):
    TopicFactory(name="Readmission")
    ProjectFactory(title="Readmission support")

    response = search(client, "redmission", type="project")
    page = get(client, url(q="redmission", type="project"))

    assert found(response) == ["Readmission support"]
    assert (url(q="redmission", type="project", spelling="exact"), "redmission") in page.links


def test_search_that_finds_something_as_typed_is_not_corrected(client):
    TopicFactory(name="Readmission")
    PartnerFactory(name="Redmission Watch", acronym="")

    response = search(client, "redmission")

    assert found(response) == ["Redmission Watch"]
    assert response.context["result"].typed is None
    assert "Showing results for" not in get(client, url(q="redmission")).text


def test_search_correction_that_finds_nothing_is_not_offered(client):
    TopicFactory(name="Readmission")
    PartnerFactory(name="Caspian Council", acronym="")

    # "readmission caspian" finds nothing either: every word must be in one record.
    response = search(client, "redmission caspian")

    assert found(response) == []
    assert response.context["result"].typed is None
    assert response.context["result"].suggestion is None


def test_search_with_nothing_found_suggests_what_to_try(client):
    PartnerFactory(name="Caspian Council", acronym="")
    TopicFactory(name="Labour migration")

    page = get(client, url(q="caspian labour"))

    assert "No published records match “caspian labour”." in page.text
    assert "Fewer words: every word must be found in one record. Search for caspian or labour alone." in page.text
    assert (url(q="caspian"), "caspian") in page.links
    assert (url(q="labour"), "labour") in page.links
    assert "Check the spelling, or type the start of a name" in page.text
    assert "Browse the lists instead: partners, agreements, projects, meetings, offices or years." in page.text
    assert {"/partners/", "/agreements/", "/projects/", "/meetings/", "/offices/", "/years/"} <= page.hrefs()


def test_search_of_one_type_that_finds_nothing_links_to_all_types(client):
    PartnerFactory(name="Caspian Council", acronym="")

    page = get(client, url(q="caspian", type="project"))

    assert "Search all record types: 1 record of other types matches." in page.text
    assert (url(q="caspian"), "Search all record types") in page.links
    assert "Fewer words" not in page.text


def test_search_names_the_words_a_prefix_matched(client):
    OfficeFactory(name="Office in Mingachevir", city="Mingachevir")
    PartnerFactory(name="Mingachevir Youth Centre", acronym="", kind=Partner.Kind.OTHER)

    response = search(client, "mingach")

    assert sorted(found(response)) == ["Mingachevir Youth Centre", "Office in Mingachevir"]
    assert "“mingach” also matched words that begin like it: Mingachevir." in response.context["result"].notices


def test_search_names_the_word_a_misspelled_last_word_matched_through_its_stem(client):
    TopicFactory(name="Readmission")

    response = search(client, "readmision")

    assert found(response) == ["Readmission"]
    assert response.context["result"].notices == ["“readmision” also matched words that begin like it: Readmission."]


def test_search_of_whole_words_names_no_prefix_match(client):
    OfficeFactory(name="Office in Mingachevir", city="Mingachevir")

    response = search(client, "mingachevir")

    assert found(response) == ["Office in Mingachevir"]
    assert response.context["result"].notices == []


@pytest.mark.parametrize("count", [1, 30])
def test_search_correction_query_count_is_constant(client, django_assert_num_queries, count):
    for number in range(count):
        TopicFactory(name=f"Readmission {number}")
        PartnerFactory(name=f"Partner number {number}", acronym="")

    # counts as typed, the vocabulary, counts corrected, the hits shown
    with django_assert_num_queries(DATA_VERSION + 4):
        response = search(client, "redmission")

    assert len(found(response)) == min(count, 5)
