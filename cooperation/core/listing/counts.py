"""Count tables: a list's facet and result counts, kept by the database as the data changes.

Counting a list's facets on the fly groups every row the filters leave (the partner facet of
the meetings list grouped 2.1 million links: 1.5–2 s on a cold cache). A list with count tables
instead reads small tables of counts that triggers keep exact in the same transaction as every
write, whatever makes it (a form, the admin's bulk actions, ``QuerySet.update()``, the importer,
``bulk_create`` and ``COPY`` of the demo data, a restore):

- a :class:`CountTables` names the list's record table, its single-valued dimensions (a kind,
  a status, the first and last year a record is on) and its many-to-many ones (:class:`Link`:
  partners, topics), and the :class:`Cube` s it keeps: each the number of *published* records
  per combination of some dimensions (``(kind, first_year, last_year)``, ``(partner, kind,
  first_year, last_year)``, ``(partner)`` …). A cube with a many-to-many dimension counts a
  record once per linked value, so it answers only questions that fix or group by exactly those
  dimensions (summing it over partners would count a meeting with three partners three times).
- :meth:`CountTables.trigger_sql` writes the triggers (PostgreSQL and SQLite alike): a change
  of a record subtracts what it counted before and adds what it counts now; a new or removed
  link adds or subtracts the record's counts for that value. A link table where a pair may
  repeat (a project's partner in two roles) counts the pair through a table of pairs, so the
  record is counted once. :meth:`CountTables.recount_sql` rebuilds every table from the data.
- count_reads.py answers, for a FilterSet, a facet's counts or the result count from the
  smallest cube that can, or says it cannot (a text search, several values of two many-to-many
  filters, a base query other than the published records): the FilterSet then counts on the
  fly, as before. Either way the counts are exact, and of
  published records only; a related record's facet lists the published related records only
  (the join is made when read, so publishing a partner changes no count table).
- Several values of one many-to-many filter (``?partner=a&partner=b``: either) are answered by
  inclusion and exclusion: the cube's counts of each value are added up, which counts a record
  with two of the values twice, then the few records with two or more (``overlaps``, counted
  on the fly) are subtracted once for each value past their first.

Undated records are kept with year 0 (a NULL in a unique key would never match).
"""

from dataclasses import dataclass, field, replace
from typing import Any

from django.db import connections, transaction

YEARS = "years"  # the dimension of a year filter: the (first_year, last_year) columns
YEAR_OF_LINK = "first_year"  # the column of a link's own year (Link.year)


@dataclass(frozen=True)
class Link:
    """A many-to-many dimension: ``table`` links ``record`` (the record's id) to ``value``.
    ``through`` is the table of links when ``table`` is a table of distinct pairs kept from it
    (``n`` links a pair), because the links may repeat a pair; ``where``, the rows of ``through``
    that link (SQL over a row named ``{r}``: an agreement's signatures with a place, of all its
    actions)."""

    name: str  # the cube column is ``<name>_id``
    table: str
    record: str
    value: str
    through: str | None = None
    where: str = ""
    # SQL over a row of ``through`` (``{r}``): the year of the link itself, kept beside its value
    # as ``first_year`` (0 for none) in the table of pairs and in a cube of the link, which then
    # counts a record once for each value and year (the places of an agreement's signatures by
    # the year of each: a place's first year is the least). Only with ``through``.
    year: str = ""

    def __post_init__(self) -> None:
        if self.year and not self.through:
            raise ValueError(f"Link {self.name}: a year is kept in a table of pairs, from its ``through``.")

    @property
    def column(self) -> str:
        return f"{self.name}_id"

    @property
    def columns(self) -> list[str]:
        """The link's columns in a cube: its value's, and ``first_year`` with a ``year``."""
        return [self.column, YEAR_OF_LINK] if self.year else [self.column]

    @property
    def pair_key(self) -> list[str]:
        """The columns of the table of pairs beside ``n``."""
        return [self.record, self.value, YEAR_OF_LINK] if self.year else [self.record, self.value]

    def kept(self, alias: str) -> list[str]:
        """The link's value (and year) as a row ``alias`` of ``table`` holds them."""
        return [f"{alias}.{self.value}", f"{alias}.{YEAR_OF_LINK}"] if self.year else [f"{alias}.{self.value}"]

    def of_row(self, row: str) -> list[str]:
        """The link's value (and year) of a row of ``through`` (or of ``table``, without one)."""
        return [f"{row}.{self.value}", self.year.format(r=row)] if self.year else [f"{row}.{self.value}"]

    def links(self, row: str) -> str:
        """`` AND <where>`` over ``row`` (a row of ``through``), or nothing when every row links."""
        return f" AND {self.where.format(r=row)}" if self.where else ""


@dataclass(frozen=True)
class Cube:
    """A count table: published records per combination of ``links`` and ``dims`` (``model``,
    an app label and model name, with those fields and ``n``)."""

    model: str
    table: str
    links: tuple[str, ...]
    dims: tuple[str, ...]

    def columns(self, tables: "CountTables") -> list[str]:
        links = [column for name in self.links for column in tables.by_link[name].columns]
        return links + [tables.column(name) for name in self.dims]


@dataclass
class CountTables:
    """The count tables of one list: see the module's docstring. ``dims`` are SQL expressions
    over a row of ``record`` named ``{m}``; ``filters`` map a FilterSet's filter names to a
    dimension (a link's name, a dim's name, or :data:`YEARS`). ``references`` are the dims that
    name a related record (a meeting's place): the cube's field of that name is a foreign key
    (column ``<name>_id``, 0 where there is none), and a facet of it lists the records, as a
    link's does."""

    record: str
    dims: dict[str, str]
    links: list[Link]
    cubes: list[Cube]
    filters: dict[str, str]
    name: str = field(default="")
    references: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.by_link = {link.name: link for link in self.links}
        self.name = self.name or self.record
        # A link with a year counts a record once for each value and year: no facet or result
        # count may read it (it would count an agreement signed at a place in two years twice);
        # and its year's column is named as the year dimensions' first column: not both in a cube.
        for link in self.links:
            if link.year and link.name in self.filters.values():
                raise ValueError(f"{self.name}: no filter can read link {link.name}, which keeps a year.")
        for cube in self.cubes:
            columns = cube.columns(self)
            if len(set(columns)) < len(columns):
                raise ValueError(f"{cube.model}: a column twice in {columns}.")

    def column(self, dim: str) -> str:
        return f"{dim}_id" if dim in self.references else dim

    # Writing ---------------------------------------------------------------------------------

    def _add(self, cube: Cube, values: list[str], source: str) -> str:
        columns = ", ".join(cube.columns(self))
        return (
            f"INSERT INTO {cube.table} ({columns}, n) SELECT {', '.join(values)}, 1 {source} "
            f"ON CONFLICT ({columns}) DO UPDATE SET n = {cube.table}.n + excluded.n"
        )

    def _subtract(self, cube: Cube, values: list[str], source: str) -> str:
        # An UPDATE, never an insert: what is subtracted was added before (after a table was
        # emptied, as a test's flush does on SQLite row by row, there is nothing left to subtract).
        columns = ", ".join(cube.columns(self))
        return f"UPDATE {cube.table} SET n = n - 1 WHERE ({columns}) IN (SELECT {', '.join(values)} {source})"

    def _change(self, cube: Cube, sign: int, values: list[str], source: str) -> str:
        return (self._add if sign > 0 else self._subtract)(cube, values, source)

    def _dims(self, cube: Cube, row: str) -> list[str]:
        return [self.dims[name].format(m=row) for name in cube.dims]

    def record_statements(self, row: str, sign: int) -> list[str]:
        """What a record's row (``NEW`` or ``OLD``) counts, added (``sign`` 1) or subtracted (-1)."""
        statements = []
        for cube in self.cubes:
            links = [self.by_link[name] for name in cube.links]
            values = [value for number, link in enumerate(links) for value in link.kept(f"l{number}")]
            values += self._dims(cube, row)
            tables = ", ".join(f"{link.table} l{number}" for number, link in enumerate(links))
            where = " AND ".join([f"l{number}.{link.record} = {row}.id" for number, link in enumerate(links)])
            source = (f"FROM {tables} WHERE {where} AND " if links else "WHERE ") + f"{row}.published"
            statements.append(self._change(cube, sign, values, source))
        return statements

    def link_statements(self, link: Link, row: str, sign: int) -> list[str]:
        """What a link's row counts: the linked record's counts for the linked value, added or
        subtracted, if the record is published (and, for a table of pairs, if the pair is new or
        gone)."""
        statements = []
        pair = ""
        if link.through:
            row_key = [f"{row}.{link.record}", *link.of_row(row)]
            key = " AND ".join(f"{column} = {value}" for column, value in zip(link.pair_key, row_key, strict=True))
            columns = ", ".join(link.pair_key)
            linking = link.links(row)  # a row that does not link (not a signature) changes nothing
            if sign > 0:
                statements.append(
                    f"INSERT INTO {link.table} ({columns}, n) "
                    f"SELECT {', '.join(row_key)}, 1 WHERE true{linking} "
                    f"ON CONFLICT ({columns}) DO UPDATE SET n = {link.table}.n + 1"
                )
            else:
                statements.append(f"UPDATE {link.table} SET n = n - 1 WHERE {key}{linking}")
            pair = f" AND (SELECT n FROM {link.table} WHERE {key}) = {1 if sign > 0 else 0}{linking}"
        for cube in self.cubes:
            if link.name not in cube.links:
                continue
            values, tables, where = [], [f"{self.record} m"], [f"m.id = {row}.{link.record}", "m.published"]
            for number, name in enumerate(cube.links):
                if name == link.name:
                    values += link.of_row(row)
                else:
                    other = self.by_link[name]
                    values += other.kept(f"l{number}")
                    tables.append(f"{other.table} l{number}")
                    where.append(f"l{number}.{other.record} = m.id")
            values += self._dims(cube, "m")
            source = f"FROM {', '.join(tables)} WHERE {' AND '.join(where)}{pair}"
            statements.append(self._change(cube, sign, values, source))
        if link.through and sign < 0:
            statements.append(f"DELETE FROM {link.table} WHERE {link.record} = {row}.{link.record} AND n <= 0")
        return statements

    def _watched(self) -> list[tuple[str, str, list[str], Any]]:
        """(trigger name, table, columns whose change matters, statements(row, sign))."""
        columns = sorted({"published", *self._columns_of_dims()})
        watched = [(f"{self.name}_counts", self.record, columns, self.record_statements)]
        for link in self.links:
            watched.append(
                (
                    f"{self.name}_{link.name}_counts",
                    link.through or link.table,
                    [
                        link.record,
                        link.value,
                        *sorted(_columns_of(f"{link.where} {link.year}", "{r}.") - {link.record, link.value}),
                    ],
                    lambda row, sign, link=link: self.link_statements(link, row, sign),
                )
            )
        return watched

    def _columns_of_dims(self) -> set[str]:
        """The record's columns the dims read (named in their SQL as ``{m}.column``)."""
        return set().union(*(_columns_of(expression, "{m}.") for expression in self.dims.values()))

    def trigger_sql(self, vendor: str) -> list[str]:
        """The statements that create the triggers on ``vendor`` ("postgresql" or "sqlite")."""
        sql = []
        for name, table, columns, statements in self._watched():
            if vendor == "postgresql":
                changed = " OR ".join(f'OLD."{column}" IS DISTINCT FROM NEW."{column}"' for column in columns)
                old = "; ".join(statements("OLD", -1))
                new = "; ".join(statements("NEW", 1))
                sql.append(
                    f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {old}; END IF; "
                    f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {new}; END IF; "
                    "RETURN NULL; END $$"
                )
                sql.append(
                    f"CREATE TRIGGER {name}_write AFTER INSERT OR DELETE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {name}()"
                )
                sql.append(
                    f"CREATE TRIGGER {name}_change AFTER UPDATE ON {table} FOR EACH ROW "
                    f"WHEN ({changed}) EXECUTE FUNCTION {name}()"
                )
            else:
                changed = " OR ".join(f'OLD."{column}" IS NOT NEW."{column}"' for column in columns)
                body = {
                    "insert": statements("NEW", 1),
                    "delete": statements("OLD", -1),
                    "update": statements("OLD", -1) + statements("NEW", 1),
                }
                for event, parts in body.items():
                    when = f" WHEN {changed}" if event == "update" else ""
                    sql.append(
                        f"CREATE TRIGGER {name}_{event} AFTER {event.upper()} ON {table} FOR EACH ROW{when} "
                        f"BEGIN {'; '.join(parts)}; END"
                    )
        return sql

    def drop_sql(self, vendor: str) -> list[str]:
        sql = []
        for name, table, _columns, _statements in self._watched():
            if vendor == "postgresql":
                sql += [f"DROP TRIGGER IF EXISTS {name}_{event} ON {table}" for event in ("write", "change")]
                sql.append(f"DROP FUNCTION IF EXISTS {name}()")
            else:
                sql += [f"DROP TRIGGER IF EXISTS {name}_{event}" for event in ("insert", "delete", "update")]
        return sql

    def recount_sql(self) -> list[str]:
        """Statements that rebuild every table of pairs and every cube from the data."""
        sql = []
        for link in self.links:
            if link.through:
                sql.append(f"DELETE FROM {link.table}")
                where = f" WHERE {link.where.format(r=link.through)}" if link.where else ""
                key = [f"{link.through}.{link.record}", *link.of_row(link.through)]
                grouped = ", ".join(str(number) for number in range(1, len(key) + 1))
                sql.append(
                    f"INSERT INTO {link.table} ({', '.join(link.pair_key)}, n) "
                    f"SELECT {', '.join(key)}, COUNT(*) FROM {link.through}{where} GROUP BY {grouped}"
                )
        for cube in self.cubes:
            links = [self.by_link[name] for name in cube.links]
            columns = cube.columns(self)
            values = [value for number, link in enumerate(links) for value in link.kept(f"l{number}")]
            values += self._dims(cube, "m")
            joins = "".join(
                f" JOIN {link.table} l{number} ON l{number}.{link.record} = m.id" for number, link in enumerate(links)
            )
            grouped = ", ".join(str(number) for number in range(1, len(values) + 1))
            sql.append(f"DELETE FROM {cube.table}")
            sql.append(
                f"INSERT INTO {cube.table} ({', '.join(columns)}, n) SELECT {', '.join(values)}, COUNT(*) "
                f"FROM {self.record} m{joins} WHERE m.published GROUP BY {grouped}"
            )
        return sql

    # Reading ---------------------------------------------------------------------------------

    def cube_for(self, links: set[str], dims: set[str]) -> Cube | None:
        """The first (smallest) cube with exactly these links and at least these dims."""
        for cube in self.cubes:
            if set(cube.links) == links and dims <= set(cube.dims):
                return cube
        return None


def _columns_of(expression: str, prefix: str) -> set[str]:
    """The columns SQL ``expression`` names as ``<prefix>column`` (``{m}.start``, ``{r}.kind``)."""
    return {part.split()[0].strip('"),') for part in expression.split(prefix)[1:]}


def install(tables: CountTables, schema_editor: Any, new: tuple[Cube, ...] | None = None) -> None:
    """Create ``tables``' triggers and fill them from the data (a migration's RunPython); with
    ``new``, fill only those cubes (the tables' others are exact already, kept by the triggers
    this replaces: a million meetings are not counted again for one new table)."""
    vendor = schema_editor.connection.vendor
    filled = tables if new is None else replace(tables, cubes=list(new))
    for statement in [*tables.drop_sql(vendor), *tables.trigger_sql(vendor), *filled.recount_sql()]:
        schema_editor.execute(statement, params=None)


def uninstall(tables: CountTables, schema_editor: Any) -> None:
    for statement in tables.drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def recount(tables: CountTables, using: str = "default") -> None:
    """Rebuild ``tables`` from the data, in one transaction (after a write that bypassed the
    triggers, or to check them: the triggers keep them exact otherwise)."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        for statement in tables.recount_sql():
            cursor.execute(statement)
