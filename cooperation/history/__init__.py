"""Reading history and undoing it: what changed, when and by whom; revert; restore.

django-simple-history writes the rows (``RecordHistory`` in cooperation/core/models.py, on every
model); this package reads them for people, in bulk, and puts earlier states back. The admin
pages are in ``cooperation/backoffice/history.py``. Its modules, by job:

- ``context.py``: :func:`~cooperation.history.context.history_context`, who and why for writes
  outside a request;
- ``tracking.py``: which models have a history and how they hang together;
- ``describe.py``: history in words (names, values, word diffs, what changed);
- ``versions.py``: one record's versions; ``lists.py``: recent changes and deleted records;
- ``plans.py``, ``revert.py``, ``restore.py``: going back to a version, bringing back a deleted
  record (the services :func:`~cooperation.history.revert.revert_record` and
  :func:`~cooperation.history.restore.restore_record`).

Words used here:

- a **row** is one historical row: the whole state of one object after a save (``+`` created,
  ``~`` changed) or as it was deleted (``-``), with who, when and why. Each row of a record
  also holds a snapshot of its tracked many-to-many links (an agreement's parties …).
- a **child** is a tracked object that belongs to one record and has no page of its own: a
  citation or a claim (of any record), a project's partner, a person's post. Its rows show on
  its record's history; reverting the record puts its children back as they were; restoring a
  deleted record brings back the children deleted with it.
- a **version** of a record is what one person did to it in one go: the rows of the record and
  of its children written by the same user with the same change reason, each less than
  ``versions.VERSION_GAP`` after the one before. One admin save writes several rows (the
  fields, then each changed many-to-many field, then each inline row); together they are one
  version.
- children are **deleted with** their record when their deletion rows have the record's user
  and fall within ``tracking.SAME_MOMENT`` before the record's own deletion row (Django deletes
  the rows that depend on a record first, in the same call).

Writes made outside a request name no user; ``history_context`` gives the rows written inside it
a user and a change reason (the seed loader says "seed loader").
"""
