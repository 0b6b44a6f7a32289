"""What a visitor typed, made safe to search for.

Nothing the visitor types reaches the database as query syntax: the text is cleaned
(control and invisible characters removed, whitespace collapsed, length capped) and cut into
words of letters and digits. The backends quote each word themselves. Everything that was
dropped on the way is reported back as a notice the page shows.
"""

import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cooperation.core.text import WORD, shorten
from cooperation.search.folding import fold

MAX_LENGTH = 200
MAX_TERMS = 10
# The last word is also matched as a prefix ("mingach" finds Mingachevir) once it is this long.
MIN_PREFIX_LENGTH = 3

# Punctuation inside or between words that people type without meaning anything by it.
ORDINARY_PUNCTUATION = set("-'’.,/")
# Characters removed from queries: controls, format characters (zero-width, bidi overrides),
# surrogates, private-use and unassigned code points.
REMOVED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


@dataclass
class Query:
    """A cleaned search: ``text`` to show back, ``terms`` to match, ``notices`` on what was dropped."""

    raw: str
    text: str = ""
    terms: tuple[str, ...] = ()
    notices: list[str] = field(default_factory=list)

    @property
    def is_empty(self):
        """Nothing was typed at all."""
        return not self.text

    @property
    def key(self):
        """The whole query as the name keys write names (folded): a record with this name ranks first."""
        return " ".join(fold(term) for term in self.terms)

    @property
    def prefix(self):
        """Whether the last term is matched as the start of a word too."""
        return bool(self.terms) and len(self.terms[-1]) >= MIN_PREFIX_LENGTH


def parse(raw):
    """Clean ``raw`` (the ``q`` parameter) into a :class:`Query`. Never raises."""
    raw = raw or ""
    query = Query(raw=raw)

    # Compatibility forms (full-width letters, ligatures) become ordinary letters, and
    # accents are composed so "u" + combining diaeresis is one letter, "ü".
    text = unicodedata.normalize("NFKC", raw)
    removed = 0
    kept = []
    for char in text:
        if char in "\t\n\r\v\f":
            kept.append(" ")
            removed += 1
        elif unicodedata.category(char) in REMOVED_CATEGORIES:
            removed += 1
        else:
            kept.append(char)
    if removed:
        query.notices.append(
            ngettext(
                "Removed %(count)s control or invisible character.",
                "Removed %(count)s control or invisible characters.",
                removed,
            )
            % {"count": f"{removed:,}"}
        )
    text = " ".join("".join(kept).split())

    if len(text) > MAX_LENGTH:
        query.notices.append(
            _("Your search was %(length)s characters long; only the first %(max)s were used.")
            % {"length": f"{len(text):,}", "max": MAX_LENGTH}
        )
        text = text[:MAX_LENGTH].rstrip()
    query.text = text
    if not text:
        return query

    terms, seen = [], set()
    for word in WORD.findall(text):
        key = word.casefold()
        if key not in seen:
            seen.add(key)
            terms.append(word)
    if len(terms) > MAX_TERMS:
        dropped = terms[MAX_TERMS:]
        query.notices.append(
            ngettext(
                "Only the first %(max)s words were searched for; left out: %(words)s (%(count)s word).",
                "Only the first %(max)s words were searched for; left out: %(words)s (%(count)s words).",
                len(dropped),
            )
            % {"max": MAX_TERMS, "words": shorten(" ".join(dropped), 60), "count": f"{len(dropped):,}"}
        )
        terms = terms[:MAX_TERMS]
    query.terms = tuple(terms)

    symbols = []
    for char in WORD.sub(" ", text):
        if not char.isspace() and char not in ORDINARY_PUNCTUATION and char not in symbols:
            symbols.append(char)
    if symbols and terms:
        query.notices.append(
            _("Symbols are not searched for; ignored: %(symbols)s") % {"symbols": shorten(" ".join(symbols), 60)}
        )
    return query
