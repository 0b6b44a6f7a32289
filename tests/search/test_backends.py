"""The SQL a query becomes in each backend, every word quoted, and the highlighting of the hits
(cooperation/search/backends.py)."""

import pytest

from cooperation.search import query as search_query
from cooperation.search.backends import SqliteBackend, highlight, mark_words, significant
from cooperation.search.postgres import PostgresBackend

pytestmark = pytest.mark.django_db


def test_backend_queries_quote_every_word():
    query = search_query.parse("readmission & Türkiye:* !x")

    assert PostgresBackend.operands(query) == ["'readmission'", "'turkiye'", "'x'"]
    assert PostgresBackend.operands(search_query.parse("mingach")) == ["'mingach':*"]
    assert PostgresBackend.operands(search_query.parse("iom mingach"), weight="AB") == ["'iom':AB", "'mingach':*AB"]
    assert SqliteBackend.match(query) == '"readmission" "turkiye" "x"'
    assert SqliteBackend.match(search_query.parse("iom mingach"), columns="title other_names") == (
        '{title other_names} : ("iom" "mingach"*)'
    )


def test_backend_queries_look_for_every_form_of_a_word():
    query = search_query.parse("Mingəçevir Нахчыван")

    assert PostgresBackend.operands(query) == ["'mingecevir'", "'нахчыван':* | 'nakhchyvan':* | 'nakhchivan':*"]
    assert SqliteBackend.match(query) == '"mingecevir" AND ("нахчыван"* OR "nakhchyvan"* OR "nakhchivan"*)'
    sql, params = PostgresBackend().tsquery(query)
    assert sql.count("to_tsquery") == 4
    assert params[:4] == ["coop_search", "'mingecevir'", "russian", "'mingecevir'"]


def test_a_word_matched_through_its_folded_form_is_marked():
    query = search_query.parse("mingecevir международной")

    assert mark_words("Ofis Mingəçevir şəhərində", query) == "Ofis \x02Mingəçevir\x03 şəhərində"
    assert mark_words("Международная организация", query) == "\x02Международная\x03 организация"
    assert mark_words("Migration", search_query.parse("migrant")) == "Migration"


def test_highlight_escapes_before_marking():
    assert highlight("a <b>\x02bold\x03</b> & \x02x") == "a &lt;b&gt;<mark>bold</mark>&lt;/b&gt; &amp; x"
    assert highlight("one\n\x02two\x03\n\nthree", line_break=" · ") == "one · <mark>two</mark> · three"


def test_an_estimate_is_written_to_the_precision_it_has():
    assert [significant(n) for n in (389_775, 65_858, 5_428, 1_049, 7, 0)] == [390_000, 66_000, 5_400, 1_000, 7, 0]
