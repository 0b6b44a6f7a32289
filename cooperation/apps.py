from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = "Cooperation"

    def ready(self):
        from cooperation.core import cache
        from cooperation.search import connect_signals

        connect_signals()
        cache.connect_signals()  # cached counts go stale on every change
