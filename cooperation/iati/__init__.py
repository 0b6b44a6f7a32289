"""The IATI import: projects (with their partners, topics, documents and money) from the IATI
activity XML that IOM, the EU, UNDP and others publish, as drafts keyed by ``iati-identifier``.

1. ``parse``: the file streamed with lxml into plain data (``data.Activity``), each problem with its
   element and line; ``codelists``: the IATI codelists (copied in ``codelists/``, CC BY 4.0).
2. ``matching``: partners by IATI reference or name, topics through ``IatiTopicMapping``.
3. ``apply``: one activity written in one transaction (``provenance``: the file and documents as
   sources the records cite; ``money``: budgets and transaction totals), or not at all;
   unchanged, older and conflicting activities are left as they are.
4. ``report``: what was done, per activity and per problem.

``files.import_file`` runs them over a file; ``manage.py import_iati`` and the admin page
(``admin.py``: "Import from IATI" on the projects list) call it. docs/iati.md has the rules.
"""
