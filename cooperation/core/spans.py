"""Counts per year from spans of years: a record of 2001-2017 counts in each of those years.

Thousands of spans (the tallies' rows, a chart's count rows) are added up as two changes each,
+n where a span begins and -n the year after it ends, then summed year by year: not one
addition a year a span. The year index (cooperation/pages/selectors.py) and the charts
(cooperation/pictures/figures.py) count this way.
"""

from collections.abc import Iterable


def per_year(spans: Iterable[tuple[int, int, int]]) -> dict[int, int]:
    """{year: count} from (first year, last year, count) spans, the years with any: a record
    counts in every year of its span (an undated one, first year 0 or None, in none)."""
    changes: dict[int, int] = {}
    for first, last, count in spans:
        if first:
            changes[first] = changes.get(first, 0) + count
            changes[max(first, last) + 1] = changes.get(max(first, last) + 1, 0) - count
    return running_sum(changes)


def running_sum(changes: dict[int, int]) -> dict[int, int]:
    """{year: count} from {year: change}: the running sum, each year with any from the first."""
    years, running = {}, 0
    for year in range(min(changes), max(changes) + 1) if changes else ():
        running += changes.get(year, 0)
        if running:
            years[year] = running
    return years
