from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = "Cooperation"

    def ready(self):
        from cooperation.search import connect_signals

        connect_signals()
