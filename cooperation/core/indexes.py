"""Indexes in the lists' own order, on PostgreSQL and SQLite alike."""

from typing import Any

from django.db import models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.backends.ddl_references import Statement
from django.db.models.expressions import OrderBy


class ListOrderIndex(models.Index):
    """An index whose columns may be ``F(date).desc(nulls_last=True)``: the order of a list's
    "newest first, undated last", which PostgreSQL then reads straight from the index (a
    plain index read backwards gives NULLS FIRST, so it would sort the table instead).

    SQLite cannot write NULLS LAST in an index definition; there the column is plain DESC
    (SQLite sorts NULLs first in ascending order anyway, and these tables are small there).
    """

    def create_sql(
        self, model: type[models.Model], schema_editor: BaseDatabaseSchemaEditor, using: str = "", **kwargs: Any
    ) -> Statement:
        if schema_editor.connection.vendor != "postgresql" and self.expressions:
            expressions = [
                OrderBy(expression.expression, descending=expression.descending)
                if isinstance(expression, OrderBy) and (expression.nulls_last or expression.nulls_first)
                else expression
                for expression in self.expressions
            ]
            plain = models.Index(
                *expressions, name=self.name, db_tablespace=self.db_tablespace, condition=self.condition
            )
            return plain.create_sql(model, schema_editor, using=using, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)


def postgresql_index(name: str, definition: str) -> Any:
    """A migration's operation that makes index ``name`` on PostgreSQL (``CREATE INDEX name ON
    definition``), and does nothing on SQLite: for the covering indexes (``INCLUDE``) SQLite has no
    such thing for, which Django's ``Index(include=…)`` would build there as a plain copy of the
    key. Undone, it drops the index. Not declared on the model, so makemigrations leaves it alone."""
    from django.db import migrations

    def create(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")

    def drop(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop)
