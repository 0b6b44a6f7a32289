"""Spreadsheet import of partners, agreements, projects and meetings (CSV and XLSX).

A file has the columns of the list's CSV export (docs/data-format.md): an export, edited or
not, imports back; so does the template the admin offers. The steps, each in its module:

1. ``files.read_table``: the upload (CSV in UTF-8, comma- or semicolon-separated, or an .xlsx
   workbook's first sheet) as a table of text cells; a file that cannot be read is an
   ImportFileError saying why.
2. ``plan.plan_import``: the dry run. Each row is matched to a record by its slug and becomes
   *create* (a new draft), *update* (with each changed column, old → new), *unchanged*, or
   *error* (row, column, problem). Values go through the model's own rules (``full_clean``,
   partial dates, choices, related slugs that must exist): each column's reader is in
   ``columns`` (plain values) or ``relations`` (slugs of related records), each list's set of
   them in ``schemas``, the checks across rows in ``file_checks``. Nothing is written.
3. ``apply.apply_import``: a plan without errors, saved in one transaction through each
   record's ``save()`` and ``set()`` for links (so search-index signals and history run), with
   an admin log entry a record. One bad row means nothing is saved.

``admin.ImportMixin`` puts the steps behind the changelist's Import button: upload → preview →
confirm, the file carried between the two in a signed form field (no server-side state).
"""

from cooperation.imports.apply import ImportRefused, apply_import
from cooperation.imports.files import ImportFileError, Table, read_table
from cooperation.imports.plan import ACTIONS, CREATE, ERROR, UNCHANGED, UPDATE, plan_import
from cooperation.imports.schemas import SCHEMAS

__all__ = [
    "ACTIONS",
    "CREATE",
    "ERROR",
    "SCHEMAS",
    "UNCHANGED",
    "UPDATE",
    "ImportFileError",
    "ImportRefused",
    "Table",
    "apply_import",
    "plan_import",
    "read_table",
]
