"""Full-text search in the database in use: PostgreSQL (tsvector, GIN) or SQLite (FTS5).

Each backend answers two questions, one SQL query each (two for PostgreSQL's counts of a common
word), whatever the number of matches:

- :meth:`counts`: how many documents of each kind match (documents exist for published records
  only); on PostgreSQL, a kind with more than :data:`EXACT_UP_TO` matches is counted from a
  sample and its hits shown newest first (postgres.py);
- :meth:`hits`: for the kinds asked for, the matches ranked ``first`` to ``last`` within their
  kind, with their title (in the page's language), other names and a snippet of the record's
  description in the page's language (the English where it has none in it), the matched words
  marked. Ranked by: the query is the record's whole name or one of its other names ("iom" puts
  IOM first), then every word is in the name or other names, then ``ts_rank_cd`` / ``bm25`` with
  the title weighted above other names above the body.

The search text reaches SQL only as parameters: the words of a :class:`~.query.Query` (letters
and digits only), folded (folding.py: "Mingəçevir" → mingecevir; a Cyrillic word also in Latin
letters) and quoted one by one — ``'word'``, ``'last':*`` for ``to_tsquery`` (once with the
``coop_search`` configuration, once with ``russian``, whose stems the folded ``keys`` hold),
``"word" AND ("ласт"* OR "last"*)`` for FTS5 — so no query syntax a visitor types is ever interpreted.

Every language is searched from every page: a document holds its record's text in the three
languages, and its ``keys`` every word folded. The database marks the words it matched in the
title and other names; a word it matched only through its folded form ("Mingəçevir" for
"mingecevir") is marked here, in Python (:func:`mark_words`), as are the title in Azerbaijani or
Russian that an az or ru page shows and the snippet (:func:`excerpt`). The snippet quotes the
document's ``summary`` in the page's language, not the body, which holds every language's text
and the places, kinds and partners' names a record is found by: quoted, that read as a list of
names in three languages.

Matches are marked with \\x02 … \\x03 in SQL (documents never contain those characters); the
text is HTML-escaped and only then are the markers turned into ``<mark>`` (:func:`highlight`).

Defence in depth: a hit is returned only while its record is still published, checked against
the record's own table, so a bulk ``update(published=False)`` that bypassed the signals cannot
leak a draft. The check runs on the hits shown only (a few rows, by primary key); counting and
ranking read the index alone, so they stay index scans however many records match.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import mark_safe

from cooperation.core.translation import SOURCE_LANGUAGE, language_code, localized_value, with_translations
from cooperation.models import SearchDocument
from cooperation.search.documents import INDEXERS
from cooperation.search.folding import WORD, query_forms, spellings
from cooperation.search.schema import FTS_TABLE, TABLE

MARK_START, MARK_END = "\x02", "\x03"
MARKED = re.compile("\x02([^\x02\x03]*)\x03")


def highlight(text, line_break=None):
    """HTML for ``text`` with its marked matches in ``<mark>``: escaped first, then marked up.

    ``line_break`` joins the text's lines (documents keep one fact per line).
    """
    html = str(escape(text or ""))
    if line_break:
        html = line_break.join(line.strip() for line in html.split("\n") if line.strip())
    html = MARKED.sub(r"<mark>\1</mark>", html).replace(MARK_START, "").replace(MARK_END, "")
    return mark_safe(html)  # escaped above: the only tags are the <mark>s added here


def has_mark(text):
    return MARK_START in (text or "")


# A word of a text and a word of the query are the same word in another form (an inflection,
# a plural) when they differ only in their last letters: at most this many, after this many alike.
STEM_START, ENDING = 4, 3


def _same_word(form, term, prefix):
    if form == term or (prefix and form.startswith(term)):
        return True
    common = next((i for i, (a, b) in enumerate(zip(form, term, strict=False)) if a != b), min(len(form), len(term)))
    return common >= STEM_START and len(form) - common <= ENDING and len(term) - common <= ENDING


def _matches(query):
    """A test of one word of a text: whether it matches one of the query's words, compared as folded."""
    terms = [(form, query.prefix and index == len(query.terms) - 1) for index, term in enumerate(query.terms)
             for form in query_forms(term)]  # fmt: skip

    def matches(word):
        return any(_same_word(form, term, prefix) for form in spellings(word) for term, prefix in terms)

    return matches


def mark_words(text, query, matches=None):
    """``text`` with the words that match the query's words marked (\x02 … \x03), compared as
    folded: for a match the database made through a word's folded form, which it cannot mark."""
    matches = matches or _matches(query)

    def marked(found):
        word = found.group()
        return MARK_START + word + MARK_END if matches(word) else word

    return WORD.sub(marked, text or "")


# A hit quotes this many words of its record's description at most: from a few words before the
# first it matched, with "…" where the description is cut.
EXCERPT_WORDS, LEAD_WORDS = 30, 6
SUMMARIES = with_translations("summary")  # the document's columns of the description a hit quotes
SUMMARY_COLUMNS = ", ".join(f"d.{column}" for column in SUMMARIES)


def excerpt(text, query):
    """Some 30 words of ``text`` around the first that matches the query, on one line, the
    matches marked (only those 30 words are marked: a description may be long)."""
    words = (text or "").split()
    matches = _matches(query)
    if len(words) > EXCERPT_WORDS:
        first = next((index for index, word in enumerate(words) if any(map(matches, WORD.findall(word)))), 0)
        start = max(0, min(first - LEAD_WORDS, len(words) - EXCERPT_WORDS))
        end = start + EXCERPT_WORDS
        shown = ("…" if start else "") + " ".join(words[start:end]) + ("…" if end < len(words) else "")
    else:
        shown = " ".join(words)
    return mark_words(shown, query, matches)


def _unmarked(text):
    return (text or "").replace(MARK_START, "").replace(MARK_END, "")


@dataclass
class Hit:
    kind: str
    position: int
    url: str
    year: int | None
    title: str
    other_names: str
    snippet: str
    other_names_matched: bool
    marked: tuple[str, ...] = ()  # the words marked as matches, as the record writes them
    snippet_lang: str | None = None  # the snippet's language where it is not the page's (the English)
    title_lang: str | None = None  # the title's, likewise


def published_clause(alias="d"):
    """SQL (and params) true while the record behind document ``alias`` is published."""
    quote = connection.ops.quote_name
    whens, params = [], []
    for model, indexer in INDEXERS.items():
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        published = quote(model._meta.get_field("published").column)
        exists = f"EXISTS (SELECT 1 FROM {table} r WHERE r.{pk} = {alias}.object_id AND r.{published})"
        whens.append(f"WHEN %s THEN {exists}")
        params.append(indexer.kind)
    return f"(CASE {alias}.kind {' '.join(whens)} ELSE FALSE END)", params


def key_param(query):
    """The query as a whole name, to find in ``name_keys`` ("\\nkey\\n" per name)."""
    return "\n" + query.key + "\n"


# Above this many matches of one kind, PostgreSQL counts them from a sample and shows them newest
# first (postgres.py): counting and ranking half a million matches took seconds.
EXACT_UP_TO = 1000


class Counts(dict):
    """{kind: how many of its documents match}; ``estimated``: the kinds whose number is an
    estimate (more than :data:`EXACT_UP_TO`), which the page says "about" for and whose hits
    are shown newest first."""

    estimated: frozenset = frozenset()


def significant(number: int, digits: int = 2) -> int:
    """An estimate written to the precision it has: 389,775 → 390,000, 5,428 → 5,400."""
    return round(number, digits - len(str(abs(number)))) if number else 0


def _in_clause(values):
    return ", ".join(["%s"] * len(values)), list(values)


class Backend:
    kinds = tuple(SearchDocument.Kind.values)  # every kind, in the search page's order

    def counts(self, query):
        raise NotImplementedError

    def hits(self, query, kinds, first, last, language=None, newest=()):
        """The hits; their titles in ``language`` (the active one by default) where translated;
        those of the kinds in ``newest`` newest first, not ranked."""
        raise NotImplementedError

    def _fetch(self, sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _hit(self, row, query, language):
        _id, kind, url, year, position, title, title_az, title_ru, other_names, *summaries = row
        summary = localized_value(dict(zip(SUMMARIES, summaries, strict=True)).get, "summary", language)
        snippet = excerpt(summary, query)
        code = language_code(language)
        translated = {"az": title_az, "ru": title_ru}.get(code)
        if translated:
            title = mark_words(translated, query)
        elif not has_mark(title):
            title = mark_words(title, query)
        if not has_mark(other_names):
            other_names = mark_words(other_names, query)
        # The title shown is not also one of its other names.
        shown = _unmarked(title)
        other_names = "\n".join(line for line in (other_names or "").split("\n") if _unmarked(line) != shown)
        return Hit(
            kind=kind,
            position=position,
            url=url,
            year=year,
            title=highlight(title),
            other_names=highlight(other_names, line_break=", "),
            snippet=highlight(snippet),
            other_names_matched=has_mark(other_names),
            marked=tuple(word for text in (title, other_names, snippet) for word in MARKED.findall(text or "")),
            snippet_lang=summary.lang if summary.fallback and snippet else None,
            # The English title on a page in another language, where the record's is not translated.
            title_lang=SOURCE_LANGUAGE if code != SOURCE_LANGUAGE and not translated else None,
        )


class SqliteBackend(Backend):
    # bm25 column weights: title, other names, body, folded name keys, folded body words.
    weights = "10.0, 5.0, 1.0, 5.0, 1.0"

    @staticmethod
    def match(query, columns=None):
        """``"word" AND ("ласт"* OR "last"*)`` (all words, each in any of its forms, the last also as a
        prefix), optionally within some columns."""
        phrases = []
        for index, term in enumerate(query.terms):
            star = "*" if query.prefix and index == len(query.terms) - 1 else ""
            forms = ['"' + form.replace('"', '""') + '"' + star for form in query_forms(term)]
            phrases.append(forms[0] if len(forms) == 1 else "(" + " OR ".join(forms) + ")")
        # FTS5 joins a word and a group of forms with AND only when it is written out.
        expression = (
            " AND ".join(phrases) if any(len(query_forms(term)) > 1 for term in query.terms) else " ".join(phrases)
        )
        return f"{{{columns}}} : ({expression})" if columns else expression

    def counts(self, query):
        sql = f"""
            SELECT d.kind, COUNT(*) FROM {FTS_TABLE} JOIN {TABLE} d ON d.id = {FTS_TABLE}.rowid
            WHERE {FTS_TABLE} MATCH %s
            GROUP BY d.kind
        """
        return Counts(self._fetch(sql, [self.match(query)]))

    def hits(self, query, kinds, first, last, language=None, newest=()):  # SQLite never estimates: no newest

        published, published_params = published_clause()
        kind_list, kind_params = _in_clause(kinds)
        sql = f"""
            SELECT d.id, d.kind, d.url, d.year, r.n,
                highlight({FTS_TABLE}, 0, %s, %s), d.title_az, d.title_ru, highlight({FTS_TABLE}, 1, %s, %s),
                {SUMMARY_COLUMNS}
            FROM (
                SELECT m.id, ROW_NUMBER() OVER (
                    PARTITION BY d.kind
                    ORDER BY instr(d.name_keys, %s) > 0 DESC,
                             (m.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)) DESC,
                             m.score, d.title, d.id
                ) AS n
                FROM (
                    SELECT rowid AS id, bm25({FTS_TABLE}, {self.weights}) AS score
                    FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s
                ) m
                JOIN {TABLE} d ON d.id = m.id
                WHERE d.kind IN ({kind_list})
            ) r
            JOIN {TABLE} d ON d.id = r.id
            JOIN {FTS_TABLE} ON {FTS_TABLE}.rowid = r.id
            WHERE {FTS_TABLE} MATCH %s AND r.n BETWEEN %s AND %s AND {published}
            ORDER BY d.kind, r.n
        """
        match = self.match(query)
        params = [
            MARK_START, MARK_END, MARK_START, MARK_END,
            key_param(query), self.match(query, columns="title other_names name_keys"), match,
            *kind_params, match, first, last, *published_params,
        ]  # fmt: skip
        return [self._hit(row, query, language) for row in self._fetch(sql, params)]


def get_backend():
    if connection.vendor == "postgresql":
        from cooperation.search.postgres import PostgresBackend  # noqa: PLC0415 (it imports this module)

        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(f"The site search supports PostgreSQL and SQLite, not {connection.vendor}.")
