"""What a visitor typed, made safe to search for (cooperation/search/query.py, cooperation/core/text.py)."""

import pytest

from cooperation.core.text import name_key
from cooperation.search import query as search_query

pytestmark = pytest.mark.django_db


def test_query_parse_cleans_and_cuts_into_words():
    query = search_query.parse("  Türkiye\u0308 &  IOM's\tOFFICE  iom ")

    assert query.text == "Türkiyë & IOM's OFFICE iom"
    assert query.terms == ("Türkiyë", "IOM", "s", "OFFICE")
    assert query.prefix is True
    assert query.notices == ["Removed 1 control or invisible character.", "Symbols are not searched for; ignored: &"]


def test_query_parse_composes_accents_and_width():
    assert search_query.parse("Tu\u0308rkiye ＩＯＭ").terms == ("Türkiye", "IOM")


def test_name_key_ignores_case_accents_and_punctuation():
    assert name_key("  Türkiye ") == "turkiye"
    assert name_key("Council of Europe (CoE)") == "council of europe coe"
    assert search_query.parse("TÜRKİYE!").key == "turkiye"


def test_query_short_last_word_is_not_a_prefix():
    assert search_query.parse("office eu").prefix is False
    assert search_query.parse("").prefix is False
