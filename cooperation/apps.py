from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = _("Cooperation")

    def ready(self):
        from cooperation.core import cache
        from cooperation.search import connect_signals

        connect_signals()
        cache.connect_signals()  # cached counts go stale on every change
