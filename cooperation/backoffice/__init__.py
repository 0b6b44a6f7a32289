"""The staff back office: the admin site and what staff do in it, beside each record's own form.

- ``apps.py``: the admin's AppConfig, installed in place of ``django.contrib.admin`` so that
  ``admin.site`` is the :class:`~cooperation.backoffice.sites.RegistryAdminSite` of ``sites.py``
  (its discrepancies and history pages, its "History" entry);
- ``admin.py``: ``RecordAdmin`` and the pieces every record's admin shares; ``publishing.py``:
  the Editor/Publisher rule in the admin; ``changelist.py``: counting and sidebar filters that
  stay fast on big lists;
- ``history.py``: a record's versions, revert and restore, recent changes, deleted records
  (reading and undoing history is ``cooperation/history/``);
- ``discrepancies.py`` and ``claims.py``: facts whose sources disagree;
- ``services.py``: publishing, unpublishing and the preferred claim, as functions taking a user.
"""
