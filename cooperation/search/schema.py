"""The names and SQL of the full-text index beside ``cooperation_searchdocument``.

Migration 0002 creates the index and 0013 adds the folded ``name_keys`` and ``keys`` to it (each keeps its own copy
of this SQL, as migrations must); ``rebuild()`` uses the triggers below to restore them on SQLite.
"""

from cooperation.models import SearchDocument

TABLE = SearchDocument._meta.db_table
FTS_TABLE = f"{TABLE}_fts"
# The columns of the FTS5 table, in order (bm25 weights and highlight() refer to them by position).
FTS_COLUMNS = ("title", "other_names", "body", "name_keys", "keys")

_columns = ", ".join(FTS_COLUMNS)
_new = ", ".join(f"new.{column}" for column in FTS_COLUMNS)
_old = ", ".join(f"old.{column}" for column in FTS_COLUMNS)

# The triggers migration 0013 creates on SQLite: they keep the FTS5 table in step with the table.
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_insert AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, {_columns}) VALUES (new.id, {_new});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_delete AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_columns}) VALUES ('delete', old.id, {_old});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_update AFTER UPDATE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_columns}) VALUES ('delete', old.id, {_old});
        INSERT INTO {FTS_TABLE}(rowid, {_columns}) VALUES (new.id, {_new});
    END""",
]
