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
