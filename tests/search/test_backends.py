"""The SQL a query becomes in each backend, every word quoted, and the highlighting of the hits
(cooperation/search/backends.py)."""

import pytest

from cooperation.search import query as search_query
from cooperation.search.backends import PostgresBackend, SqliteBackend, highlight

pytestmark = pytest.mark.django_db


def test_backend_queries_quote_every_word():
    query = search_query.parse("readmission & Türkiye:* !x")

    assert PostgresBackend.tsquery(query) == "'readmission' & 'Türkiye' & 'x'"
    assert PostgresBackend.tsquery(search_query.parse("mingach")) == "'mingach':*"
    assert PostgresBackend.tsquery(search_query.parse("iom mingach"), weight="AB") == "'iom':AB & 'mingach':*AB"
    assert SqliteBackend.match(query) == '"readmission" "Türkiye" "x"'
    assert SqliteBackend.match(search_query.parse("iom mingach"), columns="title other_names") == (
        '{title other_names} : ("iom" "mingach"*)'
    )


def test_highlight_escapes_before_marking():
    assert highlight("a <b>\x02bold\x03</b> & \x02x") == "a &lt;b&gt;<mark>bold</mark>&lt;/b&gt; &amp; x"
    assert highlight("one\n\x02two\x03\n\nthree", line_break=" · ") == "one · <mark>two</mark> · three"
