"""What the tests share: plain functions and constants, one subject a module, imported by any test
file as ``from tests.helpers.<module> import <name>`` (a test file never imports from another test
file, and this package re-exports nothing).

- ``admin``: the admin's URLs, its changelist rows, what a change form posts, its errors and
  messages; an agreement its change form accepts.
- ``users``: users of a role (superuser, Editor, Publisher, staff) and clients logged in as them.
- ``history``: time passing between versions, a change through the admin, the history pages'
  tables, text and revert links.
- ``imports``: the spreadsheet import: a registry shaped like the seed, its snapshot, CSV and XLSX
  files, plans and imports run from them.
- ``drafts``: drafts of every kind among published records, and their slugs.
- ``pages``: a public page's HTML (``body``).
- ``browser``: the browser tests' staff account and their watch on CSP violations and console errors.

Fixtures are in conftest.py files, never imported: the role fixtures (``superuser_client``,
``editor_client``, ``publisher_client``) in tests/conftest.py, the browser's in
tests/browser/conftest.py. Test data comes from tests/factories.py.
"""
