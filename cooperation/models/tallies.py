"""Counts the database keeps as the data changes, so that a page need not count a million rows.

:class:`YearTally` holds how many published meetings and projects share each combination of
the years (and, for projects, the status) that the year pages count them by: the year index
reads a few hundred rows instead of grouping every meeting. Triggers keep it (below; created by
the migrations cooperation 0014 and events 0008, PostgreSQL and SQLite alike), in the same
transaction as the write, whatever makes it: a form, ``QuerySet.update()``, ``bulk_create``,
``COPY``, raw SQL, ``generate_demo_data``. Nothing in Python writes it; the tests compare it
with a fresh count (tests/pages/test_tallies.py).

A trigger on the record's table adds 1 to the tally row of a published record's years when it
is inserted (or published, or its dates change) and takes 1 away when it is deleted (or
unpublished, or its dates change). A save that changes none of the counted columns touches no
tally row, so saving two meetings at once never waits on the same row.

On SQLite a migration that remakes ``events_meeting`` or ``cooperation_project`` (Django does
for most ``AlterField``) drops the table's triggers with it: it must call :func:`install` again.
"""

from dataclasses import dataclass

from django.db import migrations, models

# What a tally row stands for when a record has no such date.
NO_YEAR = 0


class YearTally(models.Model):
    """``records`` published records of ``kind`` ("meeting", "project") whose start is in year
    ``first``, end in ``last`` (:data:`NO_YEAR` when undated) and, for projects, whose status is
    ``status`` as of the year ``as_of``. Rows that fall to 0 stay, with 0."""

    # Written by triggers, not by Django: what reads it depends on these (cooperation/core/versions.py).
    derived_from = ("events.meeting", "cooperation.project")

    kind = models.CharField(max_length=20)
    first = models.IntegerField()
    last = models.IntegerField()
    status = models.CharField(max_length=20, blank=True)
    as_of = models.IntegerField()
    records = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "first", "last", "status", "as_of"], name="yeartally_key"),
        ]

    def __str__(self):
        return f"{self.kind} {self.first}–{self.last} {self.status} {self.as_of}: {self.records}"


# The triggers --------------------------------------------------------------------------------


TALLY = "cooperation_yeartally"
KEY = ("kind", "first", "last", "status", "as_of")


@dataclass(frozen=True)
class Tallied:
    """A table whose published rows are tallied: its tally ``kind`` and the SQL of each key
    column for a row (``{row}`` is NEW, OLD or the table itself)."""

    table: str
    kind: str
    columns: tuple  # the record's columns the key is made of
    first: str = 'COALESCE({row}."start" / 10000, 0)'
    last: str = 'COALESCE({row}."end" / 10000, 0)'
    status: str = "''"
    as_of: str = "0"

    def key(self, row):
        """[(tally column, SQL of its value for ``row``)] (``kind`` first)."""
        values = [f"'{self.kind}'", self.first, self.last, self.status, self.as_of]
        return [(column, value.format(row=row)) for column, value in zip(KEY, values, strict=True)]

    def matches(self, row):
        return " AND ".join(f'"{column}" = {value}' for column, value in self.key(row))

    def changed(self):
        """SQL true when an update changes what the tally counts the row by."""
        return " OR ".join(f'OLD."{column}" IS NOT NEW."{column}"' for column in ("published", *self.columns))


MEETINGS = Tallied("events_meeting", "meeting", ("start", "end"))
PROJECTS = Tallied(
    "cooperation_project",
    "project",
    ("start", "end", "status", "status_as_of"),
    status='{row}."status"',
    as_of='COALESCE({row}."status_as_of" / 10000, 0)',
)


def _columns():
    return ", ".join(f'"{column}"' for column in KEY)


def _add(tallied, row, vendor):
    values = ", ".join(value for _column, value in tallied.key(row))
    if vendor == "postgresql":
        return (
            f"INSERT INTO {TALLY} ({_columns()}, records) VALUES ({values}, 1) "
            f"ON CONFLICT ({_columns()}) DO UPDATE SET records = {TALLY}.records + 1;"
        )
    return (
        f"INSERT OR IGNORE INTO {TALLY} ({_columns()}, records) VALUES ({values}, 0); "
        f"UPDATE {TALLY} SET records = records + 1 WHERE {tallied.matches(row)};"
    )


def _take(tallied, row):
    return f"UPDATE {TALLY} SET records = records - 1 WHERE {tallied.matches(row)};"


def fill_sql(tallied):
    """Count what the table holds now into the tally (empty for this kind)."""
    key = ", ".join(value for _column, value in tallied.key(tallied.table))
    return (
        f"INSERT INTO {TALLY} ({_columns()}, records) SELECT {key}, COUNT(*) FROM {tallied.table} "
        f"WHERE {tallied.table}.published GROUP BY {', '.join(str(n) for n in range(1, len(KEY) + 1))}"
    )


def install_sql(tallied, vendor):
    """The statements that create the table's triggers (and, on PostgreSQL, their function)."""
    name, table = f"{tallied.table}_year_tally", tallied.table
    if vendor == "postgresql":
        body = (
            f"BEGIN IF TG_OP <> 'INSERT' AND OLD.published THEN {_take(tallied, 'OLD')} END IF; "
            f"IF TG_OP <> 'DELETE' AND NEW.published THEN {_add(tallied, 'NEW', vendor)} END IF; "
            "RETURN NULL; END"
        )
        columns = ", ".join(f'"{column}"' for column in ("published", *tallied.columns))
        changed = tallied.changed().replace(" IS NOT ", " IS DISTINCT FROM ")
        return [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$",
            f"DROP TRIGGER IF EXISTS {name}_write ON {table}",
            f"CREATE TRIGGER {name}_write AFTER INSERT OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()",
            f"DROP TRIGGER IF EXISTS {name}_update ON {table}",
            f"CREATE TRIGGER {name}_update AFTER UPDATE OF {columns} ON {table} "
            f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {name}()",
        ]
    if vendor == "sqlite":
        matches_new, matches_old = tallied.matches("NEW"), tallied.matches("OLD")
        values = ", ".join(value for _column, value in tallied.key("NEW"))
        return [
            *(f"DROP TRIGGER IF EXISTS {name}_{event}" for event in ("insert", "delete", "update")),
            f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} FOR EACH ROW WHEN NEW.published "
            f"BEGIN {_add(tallied, 'NEW', vendor)} END",
            f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} FOR EACH ROW WHEN OLD.published "
            f"BEGIN {_take(tallied, 'OLD')} END",
            f"CREATE TRIGGER {name}_update AFTER UPDATE ON {table} FOR EACH ROW WHEN {tallied.changed()} BEGIN "
            f"UPDATE {TALLY} SET records = records - 1 WHERE OLD.published AND {matches_old}; "
            f"INSERT OR IGNORE INTO {TALLY} ({_columns()}, records) SELECT {values}, 0 WHERE NEW.published; "
            f"UPDATE {TALLY} SET records = records + 1 WHERE NEW.published AND {matches_new}; END",
        ]
    raise NotImplementedError(f"The year tally supports PostgreSQL and SQLite, not {vendor}.")


def uninstall_sql(tallied, vendor):
    name, table = f"{tallied.table}_year_tally", tallied.table
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {name}_write ON {table}",
            f"DROP TRIGGER IF EXISTS {name}_update ON {table}",
            f"DROP FUNCTION IF EXISTS {name}()",
        ]
    return [f"DROP TRIGGER IF EXISTS {name}_{event}" for event in ("insert", "delete", "update")]


def install(schema_editor, tallied, fill=True):
    """Create the triggers of ``tallied``'s table and, with ``fill``, count what it holds now."""
    vendor = schema_editor.connection.vendor
    if fill:
        schema_editor.execute(f"DELETE FROM {TALLY} WHERE kind = %s", [tallied.kind])
        schema_editor.execute(fill_sql(tallied))
    for statement in install_sql(tallied, vendor):
        schema_editor.execute(statement)


def uninstall(schema_editor, tallied):
    for statement in uninstall_sql(tallied, schema_editor.connection.vendor):
        schema_editor.execute(statement)
    schema_editor.execute(f"DELETE FROM {TALLY} WHERE kind = %s", [tallied.kind])


def operation(tallied):
    """The migration operation that installs ``tallied``'s triggers and counts its table (and,
    reversed, removes them)."""
    return migrations.RunPython(
        lambda apps, schema_editor: install(schema_editor, tallied),
        lambda apps, schema_editor: uninstall(schema_editor, tallied),
    )


# Links ---------------------------------------------------------------------------------------


class LinkTally(models.Model):
    """How many rows of a link table (``link``, "events.meeting.partners") name the record
    ``target`` (a partner's id): ``links`` in all, ``published`` of them to a published record
    (a published meeting). Kept by triggers like :class:`YearTally`: the admin's "busiest
    partners" filter reads ``links``; a partner's page may read ``published``."""

    # Written by triggers, not by Django: what reads it depends on these (cooperation/core/versions.py).
    derived_from = ("events.meeting_partners", "events.meeting")

    link = models.CharField(max_length=60)
    target = models.BigIntegerField()
    links = models.BigIntegerField(default=0)
    published = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "target"], name="linktally_key")]

    def __str__(self):
        return f"{self.link} {self.target}: {self.links} ({self.published} published)"


LINK_TALLY = "cooperation_linktally"


@dataclass(frozen=True)
class TalliedLink:
    """A link table whose rows are tallied by ``target_column``; ``record_column`` names the
    row of ``record_table`` whose ``published`` the ``published`` count follows."""

    link: str
    table: str
    record_table: str
    record_column: str
    target_column: str

    def published(self, row):
        return (
            f"COALESCE((SELECT CASE WHEN r.published THEN 1 ELSE 0 END FROM {self.record_table} r "
            f"WHERE r.id = {row}.{self.record_column}), 0)"
        )

    def add(self, row, vendor):
        if vendor == "postgresql":
            return (
                f"INSERT INTO {LINK_TALLY} (link, target, links, published) "
                f"VALUES ('{self.link}', {row}.{self.target_column}, 1, {self.published(row)}) "
                f"ON CONFLICT (link, target) DO UPDATE SET links = {LINK_TALLY}.links + 1, "
                f"published = {LINK_TALLY}.published + EXCLUDED.published;"
            )
        return (
            f"INSERT OR IGNORE INTO {LINK_TALLY} (link, target, links, published) "
            f"VALUES ('{self.link}', {row}.{self.target_column}, 0, 0); "
            f"UPDATE {LINK_TALLY} SET links = links + 1, published = published + {self.published(row)} "
            f"WHERE link = '{self.link}' AND target = {row}.{self.target_column};"
        )

    def take(self, row):
        return (
            f"UPDATE {LINK_TALLY} SET links = links - 1, published = published - {self.published(row)} "
            f"WHERE link = '{self.link}' AND target = {row}.{self.target_column};"
        )

    def publish(self, row, sign):
        """Moves the ``published`` count of each link of the record ``row`` (NEW or OLD) by
        ``sign`` (SQL): a record published or unpublished, or a published record inserted after
        its links or deleted before them (a raw write may, with deferred foreign keys)."""
        return (
            f"UPDATE {LINK_TALLY} SET published = published + {sign} "
            f"WHERE link = '{self.link}' AND target IN "
            f"(SELECT {self.target_column} FROM {self.table} WHERE {self.record_column} = {row}.id);"
        )

    def fill_sql(self):
        return (
            f"INSERT INTO {LINK_TALLY} (link, target, links, published) "
            f"SELECT '{self.link}', l.{self.target_column}, COUNT(*), SUM(CASE WHEN r.published THEN 1 ELSE 0 END) "
            f"FROM {self.table} l JOIN {self.record_table} r ON r.id = l.{self.record_column} "
            f"GROUP BY l.{self.target_column}"
        )

    def install_sql(self, vendor):
        name = f"{self.table}_link_tally"
        flip = "CASE WHEN NEW.published THEN 1 ELSE -1 END"
        if vendor == "postgresql":
            body = (
                f"BEGIN IF TG_OP <> 'INSERT' THEN {self.take('OLD')} END IF; "
                f"IF TG_OP <> 'DELETE' THEN {self.add('NEW', vendor)} END IF; RETURN NULL; END"
            )
            record = (
                f"BEGIN IF TG_OP = 'INSERT' THEN IF NEW.published THEN {self.publish('NEW', '1')} END IF; "
                f"ELSIF TG_OP = 'DELETE' THEN IF OLD.published THEN {self.publish('OLD', '-1')} END IF; "
                f"ELSIF OLD.published IS DISTINCT FROM NEW.published THEN {self.publish('NEW', flip)} END IF; "
                "RETURN NULL; END"
            )
            return [
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$",
                f"CREATE OR REPLACE FUNCTION {name}_publish() RETURNS trigger LANGUAGE plpgsql AS $$ {record} $$",
                f"DROP TRIGGER IF EXISTS {name} ON {self.table}",
                f"CREATE TRIGGER {name} AFTER INSERT OR DELETE OR UPDATE ON {self.table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}()",
                f"DROP TRIGGER IF EXISTS {name}_publish ON {self.record_table}",
                f"CREATE TRIGGER {name}_publish AFTER INSERT OR DELETE OR UPDATE OF published ON {self.record_table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}_publish()",
            ]
        if vendor == "sqlite":
            events = ("insert", "delete", "update", "publish", "record_insert", "record_delete")
            return [
                *(f"DROP TRIGGER IF EXISTS {name}_{event}" for event in events),
                f"CREATE TRIGGER {name}_insert AFTER INSERT ON {self.table} BEGIN {self.add('NEW', vendor)} END",
                f"CREATE TRIGGER {name}_delete AFTER DELETE ON {self.table} BEGIN {self.take('OLD')} END",
                f"CREATE TRIGGER {name}_update AFTER UPDATE ON {self.table} "
                f"BEGIN {self.take('OLD')} {self.add('NEW', vendor)} END",
                f"CREATE TRIGGER {name}_publish AFTER UPDATE OF published ON {self.record_table} "
                f"WHEN OLD.published IS NOT NEW.published BEGIN {self.publish('NEW', flip)} END",
                f"CREATE TRIGGER {name}_record_insert AFTER INSERT ON {self.record_table} "
                f"WHEN NEW.published BEGIN {self.publish('NEW', '1')} END",
                f"CREATE TRIGGER {name}_record_delete AFTER DELETE ON {self.record_table} "
                f"WHEN OLD.published BEGIN {self.publish('OLD', '-1')} END",
            ]
        raise NotImplementedError(f"The link tally supports PostgreSQL and SQLite, not {vendor}.")

    def uninstall_sql(self, vendor):
        name = f"{self.table}_link_tally"
        if vendor == "postgresql":
            return [
                f"DROP TRIGGER IF EXISTS {name} ON {self.table}",
                f"DROP TRIGGER IF EXISTS {name}_publish ON {self.record_table}",
                f"DROP FUNCTION IF EXISTS {name}()",
                f"DROP FUNCTION IF EXISTS {name}_publish()",
            ]
        events = ("insert", "delete", "update", "publish", "record_insert", "record_delete")
        return [f"DROP TRIGGER IF EXISTS {name}_{event}" for event in events]


MEETING_PARTNERS = TalliedLink(
    "events.meeting.partners", "events_meeting_partners", "events_meeting", "meeting_id", "partner_id"
)


def link_operation(tallied):
    """The migration operation that installs a :class:`TalliedLink`'s triggers and counts its
    table (and, reversed, removes them)."""

    def install_link(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        schema_editor.execute(f"DELETE FROM {LINK_TALLY} WHERE link = %s", [tallied.link])
        schema_editor.execute(tallied.fill_sql())
        for statement in tallied.install_sql(vendor):
            schema_editor.execute(statement)

    def uninstall_link(apps, schema_editor):
        for statement in tallied.uninstall_sql(schema_editor.connection.vendor):
            schema_editor.execute(statement)
        schema_editor.execute(f"DELETE FROM {LINK_TALLY} WHERE link = %s", [tallied.link])

    return migrations.RunPython(install_link, uninstall_link)
