"""The names and SQL of the full-text index beside ``cooperation_searchdocument``.

Migration 0002 creates the index (it keeps its own copy of this SQL, as migrations must);
``rebuild()`` uses the triggers below to restore them on SQLite.
"""

from cooperation.models import SearchDocument

TABLE = SearchDocument._meta.db_table
FTS_TABLE = f"{TABLE}_fts"

# The triggers migration 0002 creates on SQLite: they keep the FTS5 table in step with the table.
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_insert AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, other_names, body)
        VALUES (new.id, new.title, new.other_names, new.body);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_delete AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, other_names, body)
        VALUES ('delete', old.id, old.title, old.other_names, old.body);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_update AFTER UPDATE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, other_names, body)
        VALUES ('delete', old.id, old.title, old.other_names, old.body);
        INSERT INTO {FTS_TABLE}(rowid, title, other_names, body)
        VALUES (new.id, new.title, new.other_names, new.body);
    END""",
]
