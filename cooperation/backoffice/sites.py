"""The registry's admin site: Django's, with the staff pages every record shares.

``RegistryAdminSite`` is ``admin.site`` (``cooperation/backoffice/apps.py`` makes it the default
site), so ``@admin.register`` works as usual for the registry's apps and for third-party
admins. Beside the models' pages it serves

- ``<admin>/discrepancies/`` (``admin:discrepancies``): facts whose sources disagree
  (``discrepancies.py``);
- ``<admin>/history/`` and ``<admin>/history/deleted/`` (``admin:history:recent``,
  ``admin:history:deleted``): recent changes and deleted records (``history.py``), listed in
  a "History" section of the app list, so they show on the index and in the navigation
  sidebar of every admin page;
- ``<admin>/media/<name>`` (``admin:source-file``, MEDIA_URL): a source's file, for staff
  (``documents.py``).
"""

from django.contrib import admin
from django.urls import include, path, reverse
from django.utils.translation import gettext, gettext_lazy

from cooperation.backoffice.discrepancies import discrepancy_list
from cooperation.backoffice.documents import staff_source_file
from cooperation.backoffice.history import deleted_records_view, recent_changes_view


class RegistryAdminSite(admin.AdminSite):
    site_header = site_title = gettext_lazy("Cooperation Registry – staff")
    index_title = gettext_lazy("Records")

    def get_urls(self):
        site = {"site": self}
        history = [
            path("", self.admin_view(recent_changes_view), site, name="recent"),
            path("deleted/", self.admin_view(deleted_records_view), site, name="deleted"),
        ]
        # Before Django's own: its last pattern catches every address under the admin.
        return [
            path("discrepancies/", self.admin_view(discrepancy_list), site, name="discrepancies"),
            path("media/<path:name>", self.admin_view(staff_source_file), name="source-file"),
            path("history/", include((history, "history"))),
            *super().get_urls(),
        ]

    def get_app_list(self, request, app_label=None):
        """The apps, and on the index and in the sidebar a "History" section for active staff."""
        app_list = super().get_app_list(request, app_label)
        if app_label is None and request.user.is_active and request.user.is_staff:
            app_list.append(self._history_app())
        return app_list

    def _history_app(self):
        recent = reverse("admin:history:recent", current_app=self.name)
        deleted = reverse("admin:history:deleted", current_app=self.name)
        return {
            "name": gettext("History"),
            "app_label": "history",
            "app_url": recent,
            "has_module_perms": True,
            "models": [
                {
                    "name": gettext("Recent changes"),
                    "object_name": "RecentChanges",
                    "admin_url": recent,
                    "view_only": True,
                },
                {
                    "name": gettext("Deleted records"),
                    "object_name": "DeletedRecords",
                    "admin_url": deleted,
                    "view_only": True,
                },
            ],
        }
