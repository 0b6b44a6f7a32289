"""The search page's data: read ``q``, ``type``, ``page`` and ``spelling``, ask the backend, group the hits.

Two SQL queries per search whatever the number of matches (counts by kind, then the hits shown;
a third on PostgreSQL to estimate the count of a kind with more than 1,000 matches),
none for an empty search. A search that finds nothing tries its words corrected (spelling.py:
the vocabulary, read once until the index changes, then the corrected search's counts and hits): if that
finds something, its results are shown and the page says so ("Showing results for readmission",
with a link to the search as typed, ``spelling=exact``); with ``spelling=exact`` the correction
is only offered ("Did you mean …?"). A search that still finds nothing suggests what to try.

Without a ``type`` (or with several) each kind shows its best :data:`PER_GROUP` hits and a link
to all of them; with exactly one ``type`` that kind's hits are paginated, :data:`PER_PAGE` a page.
"""

import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from cooperation.core.cache import cached
from cooperation.core.text import shorten
from cooperation.core.translation import language_code
from cooperation.models import SearchDocument
from cooperation.search import query as search_query
from cooperation.search import spelling
from cooperation.search.backends import EXACT_UP_TO, get_backend, significant

PER_GROUP = 5
PER_PAGE = 20

Kind = SearchDocument.Kind
PLURALS = {
    Kind.PARTNER: gettext_lazy("Partners"),
    Kind.AGREEMENT: gettext_lazy("Agreements"),
    Kind.PROJECT: gettext_lazy("Projects"),
    Kind.MEETING: gettext_lazy("Meetings"),
    Kind.OFFICE: gettext_lazy("Offices"),
    Kind.PERSON: gettext_lazy("People"),
    Kind.TOPIC: gettext_lazy("Topics"),
    Kind.SOURCE: gettext_lazy("Sources"),
}
# One record of a kind, the badge of a hit.
SINGULARS = {
    Kind.PARTNER: gettext_lazy("Partner"),
    Kind.AGREEMENT: gettext_lazy("Agreement"),
    Kind.PROJECT: gettext_lazy("Project"),
    Kind.MEETING: gettext_lazy("Meeting"),
    Kind.OFFICE: gettext_lazy("Office"),
    Kind.PERSON: gettext_lazy("Person"),
    Kind.TOPIC: gettext_lazy("Topic"),
    Kind.SOURCE: gettext_lazy("Source"),
}
# The link to every match of a kind: "All 7 partners matching “iom”".
MORE = {
    Kind.PARTNER: ngettext_lazy(
        "All %(count)s partner matching “%(query)s”", "All %(count)s partners matching “%(query)s”", "count"
    ),
    Kind.AGREEMENT: ngettext_lazy(
        "All %(count)s agreement matching “%(query)s”", "All %(count)s agreements matching “%(query)s”", "count"
    ),
    Kind.PROJECT: ngettext_lazy(
        "All %(count)s project matching “%(query)s”", "All %(count)s projects matching “%(query)s”", "count"
    ),
    Kind.MEETING: ngettext_lazy(
        "All %(count)s meeting matching “%(query)s”", "All %(count)s meetings matching “%(query)s”", "count"
    ),
    Kind.OFFICE: ngettext_lazy(
        "All %(count)s office matching “%(query)s”", "All %(count)s offices matching “%(query)s”", "count"
    ),
    Kind.PERSON: ngettext_lazy(
        "All %(count)s person matching “%(query)s”", "All %(count)s people matching “%(query)s”", "count"
    ),
    Kind.TOPIC: ngettext_lazy(
        "All %(count)s topic matching “%(query)s”", "All %(count)s topics matching “%(query)s”", "count"
    ),
    Kind.SOURCE: ngettext_lazy(
        "All %(count)s source matching “%(query)s”", "All %(count)s sources matching “%(query)s”", "count"
    ),
}
# The same link when the number is an estimate (cooperation/search/postgres.py).
MORE_ESTIMATED = ngettext_lazy(
    "All of about %(count)s match, newest first", "All of about %(count)s matches, newest first", "count"
)
KINDS = [kind.value for kind in Kind]  # the order groups are shown in


@dataclass
class Facet:
    kind: str
    label: str
    count: int
    selected: bool
    estimated: bool = False  # ``count`` is an estimate: more than EXACT_UP_TO match


@dataclass
class Group:
    kind: str
    label: str
    singular: str
    count: int
    hits: list
    more_url: str = ""
    more_text: str = ""
    estimated: bool = False  # ``count`` is an estimate, and the hits are newest first


@dataclass
class SearchPage:
    query: search_query.Query
    selected: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    total: int = 0
    total_estimated: bool = False  # a kind's count in ``total`` is an estimate
    searched: bool = False
    page: int = 1
    page_count: int = 1
    previous_url: str = ""
    next_url: str = ""
    # The search as typed, when the results shown are those of its corrected form (``query``).
    typed: search_query.Query | None = None
    # A corrected form that finds records, offered when the search as typed (``spelling=exact``) found none.
    suggestion: search_query.Query | None = None

    exact_up_to: int = EXACT_UP_TO  # more matches of a kind than this are counted from a sample

    @property
    def paginated(self):
        return len(self.selected) == 1

    @property
    def all_types_url(self):
        return search_url(self.query.text)

    @property
    def typed_url(self):
        """The search as typed, without correcting it."""
        return search_url(self.typed.text, self.selected, spelling=EXACT) if self.typed else ""

    @property
    def suggestion_url(self):
        return search_url(self.suggestion.text, self.selected) if self.suggestion else ""

    @property
    def single_word_searches(self):
        """[(word, its search URL)] for each word of a search of several words that found nothing."""
        if self.total or len(self.query.terms) < 2:
            return []
        return [(term, search_url(term, self.selected)) for term in self.query.terms]

    @property
    def single_word_links(self):
        """The single-word searches as links, "a, b or c" in the page's language (HTML)."""
        links = [format_html('<a href="{}">{}</a>', url, word) for word, url in self.single_word_searches]
        if len(links) < 2:
            return mark_safe("".join(links))
        return format_html(_("{words} or {last}"), words=mark_safe(", ".join(links[:-1])), last=links[-1])

    @property
    def nothing_to_search(self):
        """Something was typed, but no letters or digits."""
        return bool(self.query.text) and not self.query.terms


EXACT = "exact"  # ?spelling=exact: search for the words as typed, never corrected


def search_url(text, kinds=(), page=None, spelling=None):
    params = [("q", text)] + [("type", kind) for kind in kinds]
    if page and page > 1:
        params.append(("page", page))
    if spelling:
        params.append(("spelling", spelling))
    return f"{reverse('cooperation:search')}?{urlencode(params)}"


def read_kinds(values, notices):
    selected = []
    for value in values:
        value = value.strip()
        if value in KINDS:
            if value not in selected:
                selected.append(value)
        elif value:
            shown = "".join(c for c in value if c.isprintable())
            notices.append(_("Ignored the record type “%(type)s”: there is no such type.") % {"type": shorten(shown)})
    return [kind for kind in KINDS if kind in selected]


def read_page(value, notices):
    if value is None or value == "":
        return 1
    try:
        page = int(value)
    except ValueError:
        shown = "".join(c for c in value if c.isprintable())
        notices.append(_("“%(value)s” is not a page number; showing the first page.") % {"value": shorten(shown)})
        return 1
    if page < 1:
        notices.append(_("There is no page %(number)s; showing the first page.") % {"number": shorten(str(page), 20)})
        return 1
    return page


class CachedBackend:
    """A backend whose answers are kept until the data changes (cooperation/core/cache.py): a
    word as common as "migration" matches hundreds of thousands of documents, and counting and
    ranking them all takes a second or more; the same search again takes no query."""

    def __init__(self, backend):
        self.backend = backend

    def counts(self, query):
        parts = [type(self.backend).__name__, list(query.terms), query.prefix]
        # (Named anew when Counts replaced a dict: a worker of the release before may still write.)
        return cached("search-counts-by-kind", parts, lambda: self.backend.counts(query))

    def hits(self, query, kinds, first, last, newest=()):
        language = language_code()  # the titles are shown in the page's language
        newest = sorted(newest)
        parts = [type(self.backend).__name__, list(query.terms), query.prefix, list(kinds), first, last, language]
        # (Named anew when a hit's snippet came to quote the description in the page's language.)
        return cached(
            "search-hits-quoting",
            [*parts, newest],
            lambda: self.backend.hits(query, kinds, first, last, language, newest=newest),
        )


def search(params):
    """The search page for a request's GET ``params`` (a QueryDict)."""
    query = search_query.parse(params.get("q", ""))
    result = SearchPage(query=query, notices=list(query.notices))
    result.selected = read_kinds(params.getlist("type"), result.notices)
    page = read_page(params.get("page"), result.notices)

    if not query.terms:
        result.facets = [Facet(kind, PLURALS[kind], 0, kind in result.selected) for kind in KINDS]
        return result

    backend = CachedBackend(get_backend())
    counts = backend.counts(query)
    if not counts:
        correction = spelling.corrected(query, spelling.vocabulary())
        correction_counts = backend.counts(correction) if correction else {}
        if correction_counts and params.get("spelling") == EXACT:
            result.suggestion = correction
        elif correction_counts:
            result.typed, result.query, query, counts = query, correction, correction, correction_counts
    result.searched = True
    result.total = sum(counts.values())
    result.total_estimated = bool(counts.estimated)
    if result.total_estimated:  # "about 470,000", not "about 463,349"
        result.total = significant(result.total)
    result.facets = [
        Facet(kind, PLURALS[kind], counts.get(kind, 0), kind in result.selected, kind in counts.estimated)
        for kind in KINDS
    ]

    shown_kinds = [kind for kind in (result.selected or KINDS) if counts.get(kind)]
    first, last = 1, PER_GROUP
    newest = counts.estimated & set(shown_kinds)
    if result.paginated:
        (kind,) = result.selected
        result.page_count = max(1, math.ceil(counts.get(kind, 0) / PER_PAGE))
        requested = page
        if page > result.page_count and kind not in newest:
            result.notices.append(
                _("There is no page %(number)s; showing the last page, %(last)s.")
                % {"number": shorten(f"{page:,}", 20), "last": result.page_count}
            )
            page = result.page_count
        first, last = (page - 1) * PER_PAGE + 1, page * PER_PAGE
    elif page > 1:
        result.notices.append(_("Pages are for one record type at a time; showing the best matches of each type."))

    # A page far past an estimate is not read: it would skip hundreds of thousands of matches to
    # find nothing. (Up to twice the estimate is: a sample may count low.)
    past = result.paginated and kind in newest and page > 2 * result.page_count
    hits = backend.hits(query, shown_kinds, first, last, newest) if shown_kinds and not past else []
    if result.paginated:
        if page > 1 and not hits:
            # An estimated count promises pages that may not be there: the first page instead.
            result.notices.append(
                _("There is no page %(number)s; showing the first page.") % {"number": shorten(f"{requested:,}", 20)}
            )
            page, first, last = 1, 1, PER_PAGE
            hits = backend.hits(query, shown_kinds, first, last, newest)
        result.page = page
        if page > 1:
            result.previous_url = search_url(query.text, [kind], page - 1)
        # An estimated kind goes on while its pages are full, past the estimate too (up to twice it).
        estimated_more = len(hits) == PER_PAGE and page < 2 * result.page_count
        if estimated_more if kind in newest else page < result.page_count:
            result.next_url = search_url(query.text, [kind], page + 1)

    for kind in shown_kinds:
        group = Group(
            kind=kind,
            label=PLURALS[kind],
            singular=SINGULARS[kind],
            count=counts[kind],
            hits=[hit for hit in hits if hit.kind == kind],
            estimated=kind in counts.estimated,
        )
        if not group.hits:
            continue  # only when the index still holds records unpublished without signals
        if not result.paginated and group.count > len(group.hits):
            group.more_url = search_url(query.text, [kind])
            more = MORE_ESTIMATED if group.estimated else MORE[kind]
            group.more_text = more % {"count": group.count, "query": Truncator(query.text).chars(40)}
        result.groups.append(group)

    examples = spelling.prefix_examples(query, [word for hit in hits for word in hit.marked])
    if examples:
        result.notices.append(
            _("“%(word)s” also matched words that begin like it: %(examples)s.")
            % {"word": shorten(query.terms[-1]), "examples": ", ".join(examples)}
        )
    return result
