"""The site search on PostgreSQL: a ``tsvector`` column with a GIN index (migrations 0002, 0013).

A word as common as "migration" matches most of the 1.1 million documents of the benchmark's
data; counting all its matches and ranking them all took 1.4–4 s. So each kind is asked apart,
with its kind as a constant, so that the planner can choose, from the word's statistics, to read
the GIN index (a rare word) or the kind's documents newest first and keep those that match (a
common word), and stop early:

- **counts**: a kind's matches are counted exactly up to :data:`~.backends.EXACT_UP_TO` (1,000); a kind
  with more is counted from a fixed sample of the table (``TABLESAMPLE SYSTEM … REPEATABLE``: the
  same pages every time while the table is unchanged): its matches among the sampled documents,
  scaled by the table's rows over the rows sampled (by the share of pages sampled when the table
  has never been counted). The page says "about" for such a number, as the
  admin does for its estimates (:class:`~.backends.Counts`);
- **hits**: a kind with at most :data:`~.backends.EXACT_UP_TO` matches is ranked as the module
  ``backends`` describes (whole name, then every word in a name, then ``ts_rank_cd``); a kind
  with more shows its matches newest first (by year, then the newest record), read through the
  index ``searchdocument_newest`` and stopped at the page shown, however many match.
"""

from cooperation.core.translation import language_code
from cooperation.search.backends import (
    EXACT_UP_TO,
    MARK_END,
    MARK_START,
    SUMMARY_COLUMNS,
    Backend,
    Counts,
    key_param,
    published_clause,
    significant,
)
from cooperation.search.folding import query_forms
from cooperation.search.schema import TABLE

NEWEST = "COALESCE(d.year, 0) DESC, d.id DESC"  # the order of searchdocument_newest (undated last)


class PostgresBackend(Backend):
    exact_up_to = EXACT_UP_TO
    # The share of the table's pages an estimate reads (of 1.1 million documents, ~11,000).
    sample_percent = 1
    config = "coop_search"
    # The configuration the folded ``keys`` are parsed with (migration 0013): Russian stems for
    # Cyrillic words, English stems for the Latin ones.
    keys_config = "russian"
    title_options = f"HighlightAll=true, StartSel={MARK_START}, StopSel={MARK_END}"

    @staticmethod
    def operands(query, weight=""):
        """One ``to_tsquery`` text a word: ``'word'``, ``'mингечевир' | 'mingechevir'`` (its forms),
        the last word ``'last':*`` (or with a weight, ``'word':A``, ``'last':*A``)."""
        operands = []
        for index, term in enumerate(query.terms):
            last = query.prefix and index == len(query.terms) - 1
            suffix = (":*" if last else (":" if weight else "")) + weight
            forms = ["'" + form.replace("\\", "\\\\").replace("'", "''") + "'" + suffix for form in query_forms(term)]
            operands.append(" | ".join(forms))
        return operands

    def tsquery(self, query, weight=""):
        """SQL (and params) of the tsquery: every word, in either configuration. A constant
        expression, so the planner reads the words' statistics."""
        parts, params = [], []
        for operand in self.operands(query, weight):
            parts.append("(to_tsquery(%s::regconfig, %s) || to_tsquery(%s::regconfig, %s))")
            params += [self.config, operand, self.keys_config, operand]
        return " && ".join(parts), params

    def counts(self, query):
        tsquery, params = self.tsquery(query)
        branches, branch_params = [], []
        for kind in self.kinds:
            branches.append(
                f"SELECT %s, (SELECT COUNT(*) FROM (SELECT 1 FROM {TABLE} d "
                f"WHERE d.kind = %s AND d.search_vector @@ ({tsquery}) ORDER BY {NEWEST} LIMIT %s) m)"
            )
            branch_params += [kind, kind, *params, self.exact_up_to + 1]
        counts = Counts((kind, n) for kind, n in self._fetch(" UNION ALL ".join(branches), branch_params) if n)
        many = [kind for kind, n in counts.items() if n > self.exact_up_to]
        if many:
            estimates = self.estimates(query, many)
            # Written to the precision they have (390,000, not 389,775), and never below what was counted.
            counts.update({kind: significant(max(estimates[kind], self.exact_up_to + 1)) for kind in many})
            counts.estimated = frozenset(many)
        return counts

    def estimates(self, query, kinds):
        """{kind: about how many of its documents match}: the matches in a fixed sample of the
        table's pages, scaled by the table's rows over the rows sampled."""
        tsquery, params = self.tsquery(query)
        kind_list = ", ".join(["%s"] * len(kinds))
        sql = f"""
            SELECT d.kind, COUNT(*) FILTER (WHERE d.kind IN ({kind_list}) AND d.search_vector @@ ({tsquery})),
                   SUM(COUNT(*)) OVER ()::bigint, (SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass)
            FROM {TABLE} d TABLESAMPLE SYSTEM (%s) REPEATABLE (0)
            GROUP BY d.kind
        """
        rows = self._fetch(sql, [*kinds, *params, TABLE, self.sample_percent])
        found = {}
        for kind, matched, sampled, table_rows in rows:
            # The table's rows as VACUUM and ANALYZE last counted them; never counted (-1, a
            # restored table autovacuum has not reached), the share of pages sampled instead.
            scale = table_rows / sampled if table_rows > 0 else 100 / self.sample_percent
            found[kind] = round(matched * scale)
        return {kind: found.get(kind, 0) for kind in kinds}

    def hits(self, query, kinds, first, last, language=None, newest=()):
        published, published_params = published_clause()
        tsquery, tsquery_params = self.tsquery(query)
        name_query, name_query_params = self.tsquery(query, weight="AB")
        branches, branch_params = [], []
        for kind in kinds:
            if kind in newest:
                branches.append(
                    # (ROW_NUMBER counts the rows OFFSET skips: the page's first is ``first``.)
                    f"(SELECT d.id, ROW_NUMBER() OVER (ORDER BY {NEWEST}) AS n FROM {TABLE} d "
                    f"WHERE d.kind = %s AND d.search_vector @@ ({tsquery}) ORDER BY {NEWEST} LIMIT %s OFFSET %s)"
                )
                branch_params += [kind, *tsquery_params, last - first + 1, first - 1]
            else:
                branches.append(
                    f"""(SELECT id, n FROM (
                        SELECT d.id, ROW_NUMBER() OVER (
                            ORDER BY strpos(d.name_keys, %s) > 0 DESC,
                                     (d.search_vector @@ ({name_query})) DESC,
                                     ts_rank_cd(d.search_vector, {tsquery}) DESC, d.title, d.id
                        ) AS n
                        FROM (
                            SELECT d.id, d.name_keys, d.search_vector, d.title FROM {TABLE} d
                            WHERE d.kind = %s AND d.search_vector @@ ({tsquery}) ORDER BY {NEWEST} LIMIT %s
                        ) d
                    ) ranked WHERE n BETWEEN %s AND %s)"""
                )
                branch_params += [
                    key_param(query), *name_query_params, *tsquery_params,
                    kind, *tsquery_params, self.exact_up_to + 1, first, last,
                ]  # fmt: skip
        # A Russian page marks the Russian words by their stems, the others accented words too.
        headline = self.keys_config if language_code(language) == "ru" else self.config
        sql = f"""
            SELECT d.id, d.kind, d.url, d.year, r.n,
                ts_headline(%s::regconfig, d.title, q.query, %s), d.title_az, d.title_ru,
                CASE WHEN d.other_names = '' THEN ''
                     ELSE ts_headline(%s::regconfig, d.other_names, q.query, %s) END,
                {SUMMARY_COLUMNS}
            FROM ({" UNION ALL ".join(branches)}) r
            JOIN {TABLE} d ON d.id = r.id
            CROSS JOIN (SELECT ({tsquery}) AS query) q
            WHERE {published}
            ORDER BY d.kind, r.n
        """
        params = [
            headline, self.title_options, headline, self.title_options,
            *branch_params, *tsquery_params, *published_params,
        ]  # fmt: skip
        return [self._hit(row, query, language) for row in self._fetch(sql, params)]
