"""Reading the count tables (counts.py): a list's facets, its result count and the rows its
charts group, for a FilterSet whose filters the tables know; and several values of one
many-to-many filter by inclusion and exclusion (:func:`overlaps`). Where they cannot answer,
each function says so (None) and the FilterSet counts on the fly."""

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import connections
from django.db.models import F, Model, Q, QuerySet, Sum

from cooperation.core.listing.counts import YEARS, CountTables, Cube


def _dimension(tables: CountTables, filter_name: str) -> str | None:
    return tables.filters.get(filter_name)


def answerable(filterset: Any) -> bool:
    """Whether the count tables can answer for this FilterSet at all: it lists the published
    records, and every filter that applies is one the tables know."""
    tables = getattr(filterset, "count_tables", None)
    if tables is None:
        return False
    queryset = filterset.queryset
    if queryset.query.where != queryset.model._base_manager.filter(published=True).query.where:
        return False
    cleaned = getattr(filterset.form, "cleaned_data", {})
    for name in filterset.filters:
        if name in filterset.list_filters:
            if filterset.selected[name] and _dimension(tables, name) is None:
                return False
        elif cleaned.get(name) not in (None, "", []):
            return False
    return True


# With more records than this linked to two or more of a filter's values, the list counts on the
# fly instead: counting them to subtract would cost as much as counting every record.
OVERLAP_LIMIT = 2000


def _several(filterset: Any, exclude: str | None) -> str | None:
    """The name of the many-to-many filter (other than ``exclude``) with several values, when
    there is one: the cubes add up its values' counts (see :func:`overlaps`)."""
    tables = filterset.count_tables
    found = [
        name
        for name, options in filterset.selected.items()
        if name != exclude and len(options) > 1 and _dimension(tables, name) in tables.by_link
    ]
    return found[0] if len(found) == 1 else None


def _rows(filterset: Any, exclude: str | None, dims: tuple[str, ...] = ()) -> tuple[QuerySet, Cube] | None:
    """The cube's rows the selected values of every filter but ``exclude`` leave (from a cube
    that also has ``dims``), or None when no cube answers. Several values of one many-to-many
    filter leave the rows of each: a record with two of them is counted twice (see
    :func:`overlaps`); several values of two such filters, no cube answers."""
    tables = filterset.count_tables
    links, dims, conditions = set(), set(dims), Q()
    several = 0
    for name, options in filterset.selected.items():
        dimension = _dimension(tables, name)
        if name == exclude:
            (links if dimension in tables.by_link else dims).update(
                ["first_year", "last_year"] if dimension == YEARS else [dimension]
            )
            continue
        if not options:
            continue
        if dimension in tables.by_link:
            several += len(options) > 1
            links.add(dimension)
            conditions &= Q(**{f"{dimension}_id__in": [option.pk for option in options]})
        elif dimension == YEARS:
            dims.update(["first_year", "last_year"])
            years = Q()
            for option in options:
                # Those starting that year, and those running into it from an earlier one (an
                # index range each, see MeetingPartnerCount's indexes).
                year = int(option.value)
                years |= Q(first_year=year) | Q(first_year__lt=year, last_year__gte=year, last_year__gt=F("first_year"))
            conditions &= years
        else:
            dims.add(dimension)
            related = dimension in tables.references
            conditions &= Q(**{f"{dimension}__in": [option.pk if related else option.value for option in options]})
    cube = tables.cube_for(links, dims)
    if cube is None or several > 1:
        return None
    model: type[Model] = apps.get_model(cube.model)
    return model.objects.filter(conditions), cube


def _overlapping(filterset: Any, name: str) -> dict[int, int] | None:
    """{record id: how many of filter ``name``'s values it is linked to} for the records linked
    to two or more, or None when more than OVERLAP_LIMIT are; made once a request.

    A record with two of the values has one that is not the value with the most records (read
    from the link's totals), so only the links of the others are read, then each of their
    records' links to the values: the busiest partner's 20,000 links were grouped in 20-40 ms,
    the other partner's few read in under 1."""
    made = filterset.__dict__.setdefault("_overlapping", {})
    if name not in made:
        tables = filterset.count_tables
        link = tables.by_link[_dimension(tables, name)]
        values = [option.pk for option in filterset.selected[name]]
        totals = tables.cube_for({link.name}, set())
        sizes = {}
        if totals is not None:
            found = apps.get_model(totals.model).objects.filter(**{f"{link.column}__in": values})
            sizes = dict(found.values_list(link.column, "n"))
        biggest = max(values, key=lambda value: sizes.get(value, 0))
        others = [value for value in values if value != biggest]
        if not others:  # one record named twice: nothing counted twice
            made[name] = {}
            return made[name]
        kept = " AND n > 0" if link.through else ""  # a table of pairs: a pair's links
        sql = (
            f"SELECT {link.record}, COUNT(*) FROM {link.table} "
            f"WHERE {link.value} IN ({', '.join(['%s'] * len(values))}){kept} AND {link.record} IN "
            f"(SELECT {link.record} FROM {link.table} WHERE {link.value} IN ({', '.join(['%s'] * len(others))}){kept}) "
            f"GROUP BY {link.record} HAVING COUNT(*) > 1"
        )
        with connections[filterset.queryset.db].cursor() as cursor:
            cursor.execute(sql, [*values, *others])
            rows = dict(cursor.fetchmany(OVERLAP_LIMIT + 1))
        made[name] = rows if len(rows) <= OVERLAP_LIMIT else None
    return made[name]


def overlaps(filterset: Any, exclude: str | None = None) -> list[QuerySet] | None:
    """What to subtract from the cube's rows (:func:`_rows`) of a many-to-many filter's several
    values, which count a record once for each of them it has: [the records every filter but
    ``exclude`` leaves that have at least two of the values, those with at least three, …],
    each counted on the fly and subtracted once. [] when no filter has several values (or
    no record two of them); None when too many records do (count on the fly instead)."""
    name = _several(filterset, exclude)
    if name is None:
        return []
    found = _overlapping(filterset, name)
    if found is None:
        return None
    records = filterset.filter_queryset(filterset.queryset.all(), exclude=exclude)
    return [
        records.filter(pk__in=sorted(pk for pk, values in found.items() if values >= least))
        for least in range(2, max(found.values(), default=1) + 1)
    ]


def _subtracted(counts: Any, layers: list[Any]) -> Any:
    """``counts`` ({value: count}, or [(pk, count)]) less each of ``layers`` (the same shape),
    without the values none are left of."""
    if not layers:
        return counts
    totals = dict(counts)
    for layer in layers:
        for value, count in dict(layer).items():
            totals[value] = totals.get(value, 0) - count
    kept = {value: count for value, count in totals.items() if count}
    return kept if isinstance(counts, dict) else list(kept.items())


def counts_by_year(rows: QuerySet) -> dict[int, int]:
    """{year: records} of a count table's ``rows`` (a table with ``first_year`` and
    ``last_year``): each row's records in every year from its first to its last, as the year
    filter counts a record in each year it is on; undated rows left out. One query."""
    return spread_by_year(spans_counted(rows))


def spans_counted(rows: QuerySet) -> QuerySet:
    """(first year, last year, records) of a count table's dated ``rows``, a row a span of years."""
    return rows.filter(first_year__gt=0).values_list("first_year", "last_year").annotate(count=Sum("n")).order_by()


def spread_by_year(spans: Iterable[tuple[int, int, int]]) -> dict[int, int]:
    """{year: records} of :func:`spans_counted`'s rows: a span's records in each of its years."""
    counts: dict[int, int] = {}
    for first, last, count in spans:
        for year in range(first, max(first, last) + 1):
            counts[year] = counts.get(year, 0) + count
    return {year: count for year, count in counts.items() if count}


def facet_counts(filterset: Any, name: str) -> Any:
    """The counts a facet is built from, in the shape its filter's ``counts()`` gives them, read
    from the count tables; None when they cannot answer (the facet is then counted on the fly)."""
    if not answerable(filterset):
        return None
    found = _rows(filterset, exclude=name)
    subtract = overlaps(filterset, exclude=name) if found is not None else None
    if subtract is None:
        return None
    rows, _cube = found
    tables = filterset.count_tables
    dimension = _dimension(tables, name)
    list_filter = filterset.list_filters[name]
    if dimension in tables.by_link or dimension in tables.references:
        counted = list_filter.rows_of(rows.filter(n__gt=0), dimension, count=Sum("n"))
        return _subtracted(counted, [list_filter.counts(layer) for layer in subtract])
    if dimension == YEARS:
        return _subtracted(counts_by_year(rows), [list_filter.year_counts(layer) for layer in subtract])
    grouped = rows.values_list(dimension).annotate(count=Sum("n")).order_by()
    return _subtracted(
        {value: count for value, count in grouped if count}, [list_filter.counts(layer) for layer in subtract]
    )


def result_count(filterset: Any) -> int | None:
    """How many published records the filters leave, from the count tables; None when they
    cannot answer."""
    if not answerable(filterset):
        return None
    found = _rows(filterset, exclude=None)
    subtract = overlaps(filterset) if found is not None else None
    if subtract is None:
        return None
    rows, _cube = found
    return (rows.aggregate(total=Sum("n"))["total"] or 0) - sum(layer.count() for layer in subtract)


def cube_rows(
    filterset: Any, exclude: str | None = None, dims: tuple[str, ...] = ()
) -> tuple[QuerySet, list[QuerySet]] | None:
    """What a chart of a list groups (cooperation/pictures/): the rows of the smallest count
    table that answers for the filters that apply (all but ``exclude``, whose dimension the table
    keeps, to group by) and has ``dims`` too, and the records to subtract from them once each
    (:func:`overlaps`: [] unless a filter has several values); None when no table can answer."""
    if not answerable(filterset):
        return None
    found = _rows(filterset, exclude, dims)
    subtract = overlaps(filterset, exclude) if found is not None else None
    return None if subtract is None else (found[0], subtract)
