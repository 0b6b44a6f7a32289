"""Site search: ``/search/?q=`` across every kind of published record.

- ``documents``: what each record contributes to the index, and writing it;
- ``signals``: receivers that keep the index current (``connect_signals()`` from AppConfig.ready);
- ``query``: cleaning what a visitor typed into safe words;
- ``folding``: words of three languages folded so that their spellings meet (ə → e, ё → е …);
- ``backends``: the SQL for PostgreSQL (tsvector) and SQLite (FTS5);
- ``results`` and ``views``: the page.
"""

from cooperation.search.documents import index_record, index_records, rebuild, remove_record
from cooperation.search.signals import connect_signals, disconnect_signals, indexing_deferred

__all__ = [
    "connect_signals",
    "disconnect_signals",
    "index_record",
    "indexing_deferred",
    "index_records",
    "rebuild",
    "remove_record",
]
