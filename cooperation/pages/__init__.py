"""The pages about every kind of record at once, and the site's files for machines.

- ``views`` and ``selectors``: the home page and the year pages (``/``, ``/years/``,
  ``/years/<yyyy>/``), and ``/robots.txt``, ``/favicon.ico`` and ``/healthz``;
- ``feeds``: the Atom feed of new and changed records (``/feeds/latest.atom``);
- ``sitemaps``: ``/sitemap.xml`` and its sitemaps, one a kind;
- ``preview``: the staff preview of a draft's public page (``/preview/<kind>/<slug>/``);
- ``urls``: their addresses, in the ``cooperation`` namespace (included from
  cooperation/app_urls.py; ``/healthz`` from the root URLconf, cooperation/urls.py).
"""
