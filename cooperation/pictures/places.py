"""What a map of places shows, read in one query: the records of one or more kinds (offices,
meetings, signings) grouped by their ``location``, each place with its coordinates, its names,
how many records of each kind it has, the first year of them, and the record itself where it has
only one (so its marker leads straight to it).

The querysets come from the apps' selectors and the lists' FilterSets (published records, the
list's filters): this module only groups them. Every kind is one ``GROUP BY location`` and the
kinds are joined with ``UNION ALL``, then to their places: one query a map, whatever the number
of records. A kind with many records (meetings) is grouped from a count table kept by the
database instead (``Kind.counts``: events.MeetingPlaceCount …), a few hundred rows instead of a
million; a second query then finds the record of each place that has only one, as it does for a
kind whose record is another table's (an agreement's signing).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    Expression,
    F,
    IntegerField,
    Min,
    Model,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils.translation import get_language

from cooperation.core.exports import url_pattern
from cooperation.core.partial_dates import PartialYear
from cooperation.core.words import gettext, ngettext
from cooperation.models import Place
from cooperation.pictures.maps import MapLink, MapPicture, MapPoint, draw_map, localized_name

PLACE_FIELDS = ("slug", "name", "name_az", "name_ru", "country", "latitude", "longitude")
# The fields of a row of place_rows: the place's, whether it is a country itself (its list line
# then names no country after it), and its records' kind, count, first record and year.
PLACE_ROW = (*PLACE_FIELDS, "pk", "is_country", "kind", "count", "first", "year")


@dataclass(frozen=True)
class Kind:
    """One kind of record on a map: its rows (``queryset``, with a ``location``), the date whose
    year is shown, the record a row stands for (``record``: "" the row itself, "agreement" for an
    agreement's signing), where one record is (``record_url(slug)``) and where the list of those
    at a place is (``list_url(place slug)``, None when there is no such list). ``counts``: rows of
    a count table of the same records with ``location``, ``first_year`` (0: undated) and ``n``,
    read instead of grouping ``queryset`` (which then only finds a place's one record);
    ``overlaps``: records those rows count more than once (the list's several partners: see
    cooperation/core/listing/count_reads.py, overlaps), each subtracted once from their place.
    ``first_years``: where ``counts`` has no years (a row a place: events.MeetingPartnerPlaceTotal),
    a count table of the same records by ``location`` and ``first_year`` whose key finds each
    place's first year (one row read a place, not every year of it)."""

    name: str
    queryset: QuerySet
    date: str
    record_url: Callable[[str], str]
    list_url: Callable[[str], str] | None = None
    record: str = ""
    counts: QuerySet | None = None
    overlaps: tuple[QuerySet, ...] = ()
    everywhere: str = ""  # the list of all these records, whose map has every place (see draw_busiest)
    first_years: QuerySet | None = None

    def grouped(self, years: bool = True) -> QuerySet:
        """A row a place: ``location``, ``kind``, ``count``, ``first`` and ``year``; without
        ``years``, a kind of ``first_years`` leaves ``year`` to be read for the places a map
        keeps (:func:`busiest_places`)."""
        if self.counts is not None:
            year = self._first_year() if years or self.first_years is None else Value(None, IntegerField())
            return (
                self.counts.order_by()
                .filter(n__gt=0)
                .values("location")
                .annotate(
                    kind=Value(self.name, output_field=CharField()),
                    count=Sum("n"),
                    first=Value("", output_field=CharField()),
                    year=year,
                )
            )
        prefix = f"{self.record}__" if self.record else ""
        # The slug of a place's one record: read in the grouping where the rows are the records
        # (offices) or are joined to them already, else found afterwards (find_records): joined
        # to the agreements for their slugs alone, the 8,962 signings of the agreements list's
        # map took 16 ms to group, 8 without.
        first = Min(self.slug) if self.joined() else Value("", output_field=CharField())
        return (
            self.queryset.order_by()
            .filter(location__isnull=False)
            .values("location")
            .annotate(
                kind=Value(self.name, output_field=CharField()),
                count=Count(f"{prefix}pk", distinct=bool(prefix)),
                first=first,
                year=Min(PartialYear(F(self.date)), output_field=IntegerField()),
            )
        )

    @property
    def slug(self) -> str:
        """The field of a row that holds its record's slug."""
        return f"{self.record}__slug" if self.record else "slug"

    def joined(self) -> bool:
        """Whether the rows' query reads their records' table (the row itself, or joined to it:
        a join the query uses, by Django's count of its references, not one it trimmed)."""
        if not self.record:
            return True
        query = self.queryset.query
        table = self.queryset.model._meta.get_field(self.record).related_model._meta.db_table
        return any(join.table_name == table and query.alias_refcount[alias] for alias, join in query.alias_map.items())

    def _first_year(self, place: str = "location") -> Expression:
        """The first year of a place's ``counts`` rows (None: undated only); of ``first_years``,
        that of the place of the outer query's ``place``."""
        if self.first_years is None:
            return Min(Case(When(first_year__gt=0, then=F("first_year"))))
        dated = self.first_years.filter(location=OuterRef(place), first_year__gt=0, n__gt=0)
        return Subquery(dated.order_by("first_year").values("first_year")[:1])

    def list_name(self) -> str:
        return {"office": gettext("Offices"), "meeting": gettext("Meetings")}.get(self.name) or gettext("Agreements")

    def counted(self, count: int) -> str:
        if self.name == "office":
            return ngettext("%(count)s office", "%(count)s offices", count) % {"count": count}
        if self.name == "meeting":
            return ngettext("%(count)s meeting", "%(count)s meetings", count) % {"count": count}
        return ngettext("%(count)s agreement signed", "%(count)s agreements signed", count) % {"count": count}


def address_of(model: type[Model]) -> Callable[[str], str]:
    """The address of a ``model`` record's page from its slug, its ``get_absolute_url()`` worked
    out once a language (cooperation/core/exports.py, url_pattern): a map links hundreds."""
    before, after = url_pattern(model, get_language())
    return lambda slug: f"{before}{slug}{after}"


def place_rows(kinds: list[Kind], records: bool = True) -> list[dict]:
    """Every (place, kind) with records: the place's fields, its id (``pk``), ``kind``, ``count``,
    ``first`` (the slug of the record, meaningful where the count is 1) and ``year`` (the first
    year, or None).
    One query, and (with ``records``, see :func:`find_records`) one more a counted kind or a kind
    of another table's records (signings) for its places that have one record. A map that keeps
    only some places reads them with :func:`busiest_places` instead."""
    # Grouped by the place's id, then joined to the place: grouped by its names and coordinates,
    # the 8,962 signings of home's map were sorted by seven text columns (20 ms; now a hash of ids).
    sql, params, database = _grouped_sql(kinds, years=True)
    with database.cursor() as cursor:
        cursor.execute(
            f"SELECT {_columns(database)} FROM ({sql}) grouped "
            f"INNER JOIN {Place._meta.db_table} place ON place.{Place._meta.pk.column} = grouped.location",
            params,
        )
        rows = [dict(zip(PLACE_ROW, row, strict=True)) for row in cursor.fetchall()]
    for kind in kinds:
        if kind.overlaps:
            rows = _subtract(rows, kind)
    return find_records(rows, kinds) if records else rows


@dataclass(frozen=True)
class Busiest:
    """The rows (as :func:`place_rows` without ``records``) of the places with the most records,
    how many places have records in all, and the kinds any of them has."""

    rows: list[dict]
    places: int
    kinds: frozenset[str]
    limit: int

    @property
    def left_out(self) -> int:
        return max(self.places - self.limit, 0)


def busiest_places(kinds: list[Kind], limit: int) -> Busiest:
    """The rows of the ``limit`` places with the most records (ties by slug: the same places in
    every language), chosen by the database, each with its first year (of a kind of
    ``first_years``, an index probe a place kept): one query. For a map that is not a list's
    (home, a partner's page), whose places are all on the lists' maps: the busiest partner's 498
    places wrote 296 KB of a 424 KB page. Its 1,291 rows took 9.9 ms to read and rank here for
    the 100 places it keeps, and another query 3.7 ms for their first years; ranked by the
    database, 6.1, and the years read with them add an index probe a place kept (the partner's
    map as a whole: 30-40 % less, in turns with the code before). The record of a place of one is left to
    :func:`find_records`: one query a kind, whose partner's records it reads once, where a
    subquery a place would read them again for each."""
    sql, params = busiest_sql(kinds, limit)
    with connections[kinds[0].queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return busiest_of(cursor.fetchall(), kinds, limit)


def busiest_sql(kinds: list[Kind], limit: int) -> tuple[str, tuple]:
    """The SQL of :func:`busiest_places` and its parameters (a statement a partner's map keeps:
    partners.maps.PARTNER_BUSIEST)."""
    if any(kind.overlaps for kind in kinds):
        raise ValueError("busiest_places ranks places by their rows' counts, which a kind's overlaps would change.")
    sql, params, database = _grouped_sql(kinds, years=False)
    table, key = database.ops.quote_name(Place._meta.db_table), Place._meta.pk.column
    slug = database.ops.quote_name(Place._meta.get_field("slug").column)
    # The places' totals over their kinds, the most first (slugs compared as Python compares them,
    # whatever the database's collation), and how many places there are before the limit.
    collate = ' COLLATE "C"' if database.vendor == "postgresql" else ""
    kept = (
        "SELECT totals.location, COUNT(*) OVER () AS places FROM "
        "(SELECT location, SUM(count) AS total FROM grouped GROUP BY location) totals "
        f"INNER JOIN {table} ranked ON ranked.{key} = totals.location "
        f"ORDER BY totals.total DESC, ranked.{slug}{collate} LIMIT %s"
    )
    year, year_params = _per_place(database, "grouped.year", _first_years(kinds))
    present = "".join(
        f", EXISTS (SELECT 1 FROM grouped every INNER JOIN {table} somewhere ON somewhere.{key} = every.location "
        "WHERE every.kind = %s)"
        for _kind in kinds
    )
    return (
        f"WITH grouped AS ({sql}) SELECT {_columns(database, table, year=year)}, "
        f"kept.places{present} FROM grouped INNER JOIN ({kept}) kept ON kept.location = grouped.location "
        f"INNER JOIN {table} ON {table}.{key} = grouped.location",
        (*params, *year_params, *(kind.name for kind in kinds), limit),
    )


def busiest_of(found: list[tuple], kinds: list[Kind], limit: int) -> Busiest:
    """:class:`Busiest` of the rows :func:`busiest_sql`'s statement found."""
    if not found:
        return Busiest([], 0, frozenset(), limit)
    width = len(PLACE_ROW)
    there = found[0][width + 1 :]
    return Busiest(
        rows=[dict(zip(PLACE_ROW, row[:width], strict=True)) for row in found],
        places=found[0][width],
        kinds=frozenset(kind.name for kind, present in zip(kinds, there, strict=True) if present),
        limit=limit,
    )


def _first_years(kinds: list[Kind]) -> dict[str, Expression]:
    """{kind: the first year of its records at the outer query's place} for the kinds whose
    grouping leaves it (a kind of ``first_years``: an index probe a place)."""
    return {kind.name: kind._first_year("pk") for kind in kinds if kind.first_years is not None}


def _per_place(database: Any, otherwise: str, by_kind: dict[str, Expression]) -> tuple[str, list]:
    """A column of the row of a place and kind: ``by_kind[kind]``, a subquery of the place (whose
    table is the outer query's, unaliased), for the kinds it has, else the ``otherwise`` column.
    Compiled by Django against the place's table, as a queryset of places annotated with it
    would be."""
    if not by_kind:
        return otherwise, []
    query = Place.objects.all().query
    compiler = query.get_compiler(connection=database)
    cases, params = [], []
    for name, expression in by_kind.items():
        subquery, subquery_params = compiler.compile(expression.resolve_expression(query))
        cases.append(f"WHEN grouped.kind = %s THEN {subquery}")
        params += [name, *subquery_params]
    return f"CASE {' '.join(cases)} ELSE {otherwise} END", params


def _grouped_sql(kinds: list[Kind], years: bool) -> tuple[str, tuple, Any]:
    """The SQL of the kinds' rows grouped by place (:meth:`Kind.grouped`), its parameters and
    the database connection it is for."""
    queries = [kind.grouped(years) for kind in kinds]
    query = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    sql, params = query.query.sql_with_params()
    return sql, tuple(params), connections[query.db]


def _columns(database: Any, place: str = "place", year: str = "grouped.year") -> str:
    """The select list of a row of :data:`PLACE_ROW`, of the tables ``place`` and ``grouped``
    (the first year as ``year`` says)."""
    fields = ", ".join(f"{place}.{database.ops.quote_name(name)}" for name in PLACE_FIELDS)
    is_country = f"{place}.{database.ops.quote_name('kind')} = '{Place.Kind.COUNTRY.value}'"  # a constant
    return (
        f"{fields}, {place}.{Place._meta.pk.column}, {is_country}, grouped.kind, grouped.count, grouped.first, {year}"
    )


def find_records(rows: list[dict], kinds: list[Kind]) -> list[dict]:
    """``rows`` with the ``first`` of each place of one record found where the grouping could not
    read it (a counted kind, a kind of another table's records): one query a kind that has such
    places. A map that keeps only some places (:func:`busiest_places`) finds them for those alone: of the
    busiest partner's 475 places of signing, those of one agreement took 9 ms to find."""
    for kind in kinds:
        alone = {
            row["slug"]: row for row in rows if row["kind"] == kind.name and row["count"] == 1 and not row["first"]
        }
        if alone:
            found = kind.queryset.order_by().filter(location__slug__in=alone).values_list("location__slug", kind.slug)
            for place, slug in found:
                alone[place]["first"] = slug
    return rows


def _subtract(rows: list[dict], kind: Kind) -> list[dict]:
    """``rows`` with ``kind``'s overlaps subtracted from its places' counts (one grouped query a
    layer of them). The first year stays: every record the rows counted is on the map."""
    extra: dict[str, int] = {}
    for layer in kind.overlaps:
        grouped = layer.order_by().filter(location__isnull=False).values_list("location__slug").annotate(n=Count("pk"))
        for slug, count in grouped:
            extra[slug] = extra.get(slug, 0) + count
    for row in rows:
        if row["kind"] == kind.name:
            row["count"] -= extra.get(row["slug"], 0)
    return [row for row in rows if row["count"] > 0]


def draw_busiest(busiest: Busiest, kinds: list[Kind]) -> MapPicture | None:
    """The map of the places of ``busiest`` (:func:`busiest_places`), the record of each place of
    one found for those alone (:func:`find_records`), saying how many places it leaves out and
    which lists' maps have them: home's and a partner's map."""
    rows = find_records(busiest.rows, kinds)
    more = {}
    if busiest.left_out:
        elsewhere = tuple(
            MapLink(kind.list_name(), f"{kind.everywhere}#map-caption")
            for kind in kinds
            if kind.name in busiest.kinds and kind.everywhere
        )
        more = {"left_out": busiest.left_out, "elsewhere": elsewhere}
    return draw_map(map_points(rows, kinds), **more)


def map_points(rows: list[dict], kinds: list[Kind], selected: str = "") -> list[MapPoint]:
    """The places of ``rows`` as :class:`MapPoint` s: a marker of one record leads to it; of more,
    to the list of them at the place when there is one kind, else to the place's row in the list
    beside the map (which links each kind's list). ``selected``: the place slug the page is
    filtered to."""
    by_name = {kind.name: kind for kind in kinds}
    order = {name: position for position, name in enumerate(by_name)}
    texts: dict[tuple[str, int], str] = {}  # "3 meetings", once a kind and number
    places: dict[str, list[dict]] = {}
    for row in rows:
        places.setdefault(row["slug"], []).append(row)
    points = []
    for slug, found in places.items():
        found.sort(key=lambda row: order[row["kind"]])
        links = []
        for row in found:
            kind = by_name[row["kind"]]
            url = kind.record_url(row["first"]) if row["count"] == 1 else (kind.list_url(slug) if kind.list_url else "")
            text = texts.get((kind.name, row["count"]))
            if text is None:
                text = texts[kind.name, row["count"]] = kind.counted(row["count"])
            if row["year"]:
                text += f" ({row['year']})" if row["count"] == 1 else f" ({row['year']}–)"
            links.append(MapLink(text, url or f"#map-{slug}"))
        total = sum(row["count"] for row in found)
        place = found[0]
        url = links[0].url if len(links) == 1 else f"#map-{slug}"
        points.append(
            MapPoint(
                key=slug,
                name=localized_name(place),
                latitude=float(place["latitude"]),
                longitude=float(place["longitude"]),
                count=total,
                url=url,
                links=tuple(links),
                country=str(place["country"] or ""),
                is_country=bool(place["is_country"]),
                selected=slug == selected,
            )
        )
    return points
