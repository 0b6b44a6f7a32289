from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = _("Cooperation")

    def ready(self):
        from cooperation.core import export_lines, versions
        from cooperation.exports import STORED_LINES
        from cooperation.search import connect_signals

        connect_signals()
        versions.connect_signals()  # a change makes what was cached from it stale
        # and deletes the export lines it changes
        export_lines.connect_signals(spec.stored.kind(spec) for spec in STORED_LINES)
