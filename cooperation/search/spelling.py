"""When a search finds nothing: the closest words the registry's names hold ("readmision" →
"readmission"), and which words a prefix match stood for ("mingach" → Mingachevir).

Both databases' full-text indexes keep stemmed words ("readmiss"), which are not words to show
a visitor, so the words to correct to are read from the search documents' names instead (their
title and other names): a **bounded vocabulary**, the names of at most
:data:`VOCABULARY_DOCUMENTS` documents of the kinds of record that stay few (partners, topics,
people, offices, sources, agreements; projects and meetings, which may number a million, are
mostly named with these words), read in one query and kept until the data changes
(cooperation/core/cache.py). The closest word is found with :mod:`difflib` among the words of
about the same length, the same way on PostgreSQL and SQLite.

A correction is only offered when the corrected search finds something (results.py checks).
"""

import difflib

from cooperation.core.cache import cached
from cooperation.core.text import WORD
from cooperation.models import SearchDocument
from cooperation.search import query as search_query
from cooperation.search.folding import fold

Kind = SearchDocument.Kind
VOCABULARY_KINDS = [Kind.TOPIC, Kind.PARTNER, Kind.PERSON, Kind.OFFICE, Kind.SOURCE, Kind.AGREEMENT]
VOCABULARY_DOCUMENTS = 20_000
# Words shorter than this are neither corrected nor offered: "ION" is not a misspelled "IOM".
MIN_WORD_LENGTH = 4
# How alike a word and its correction must be (difflib's ratio: "readmision"/"readmission" is 0.95).
CUTOFF = 0.8
LENGTH_DIFFERENCE = 2
MAX_EXAMPLES = 5


def vocabulary():
    """{word as folding.fold() folds it: the word as first written} of the registry's names, in
    every language (a document's other names hold its title in the other languages)."""
    return cached("search-vocabulary", [], _read_vocabulary)


def _read_vocabulary():
    rows = (
        SearchDocument.objects.filter(kind__in=VOCABULARY_KINDS)
        .order_by()
        .values_list("title", "other_names")[:VOCABULARY_DOCUMENTS]
    )
    words = {}
    for title, other_names in rows:
        for word in WORD.findall(f"{title}\n{other_names}"):
            key = fold(word)
            if len(key) >= MIN_WORD_LENGTH and not key.isdigit() and " " not in key:
                words.setdefault(key, word)
    return words


def closest_word(term, words):
    """The word of ``words`` (a vocabulary) closest to ``term``, or None if none is close enough,
    or if ``term`` is itself a word of the vocabulary or too short to correct."""
    key = fold(term)
    if len(key) < MIN_WORD_LENGTH or key.isdigit() or key in words:
        return None
    candidates = [word for word in words if abs(len(word) - len(key)) <= LENGTH_DIFFERENCE]
    matches = difflib.get_close_matches(key, candidates, n=1, cutoff=CUTOFF)
    return words[matches[0]] if matches else None


def corrected(query, words):
    """``query`` with each word that the vocabulary ``words`` does not hold replaced by its
    closest word (lower case when the visitor typed it so), or None when no word changes."""
    changed = False
    terms = []
    for term in query.terms:
        word = closest_word(term, words)
        if word is None:
            terms.append(term)
        else:
            terms.append(word.lower() if term == term.lower() else word)
            changed = True
    return search_query.parse(" ".join(terms)) if changed else None


def prefix_examples(query, marked_words):
    """The other words that the query's last word matched ("mingach" → ["Mingachevir"], and
    "readmision" → ["Readmission"] through its stem), from the words marked in the hits shown;
    none if the last word itself was matched whole, or is not matched as a prefix.

    A marked word is the last word's when it begins like it (its first letters but the last
    three, which a stem may drop) and is none of the other words of the query."""
    if not query.prefix:
        return []
    last = fold(query.terms[-1])
    start = last[: max(search_query.MIN_PREFIX_LENGTH, len(last) - 3)]
    others = {fold(term) for term in query.terms[:-1]}
    examples = {}
    for word in marked_words:
        key = fold(word)
        if key == last:
            return []
        if key.startswith(start) and key not in others and key not in examples:
            examples[key] = word
    return sorted(examples.values(), key=str.casefold)[:MAX_EXAMPLES]
