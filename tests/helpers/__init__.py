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
- ``pages``: a public page as a reader sees it (``Page``, ``get``), its HTML (``body``) or text
  (``page_text``); records cited n times for the pages' query counts.
- ``listing``: a list page's titles and facets, and the queries a request runs.
- ``exports``: every list with an export; an export read back (bytes, CSV rows, JSON).
- ``feeds``: times and touched records for the feeds, sitemaps and calendars; a calendar read back.
- ``search``: a site search and its hits.
- ``api``: the API's host, its published records by kind, the slugs a list answers.
- ``settings``: the project's files, a production key and environment, Python run in a subprocess.
- ``dates``: partial dates written short.
- ``browser``: the browser tests' staff account and their watch on CSP violations and console errors.

Fixtures are in conftest.py files, never imported: the role fixtures (``superuser_client``,
``editor_client``, ``publisher_client``), ``warm_content_types``, ``meetings`` and
``project_world`` in tests/conftest.py; each package's own in its conftest.py (the browser's,
the API's ``world``, the drafts' ``world`` of tests/pages/, the settings loaders of
tests/deployment/). Test data comes from tests/factories.py.
"""
