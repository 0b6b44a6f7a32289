from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The registry's foundation: abstract record models, and the one table it owns, the data
    version (cooperation/core/cache.py)."""

    name = "cooperation.core"
    label = "core"
    verbose_name = "Registry foundation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cooperation.core import settling

        settling.connect_signals()  # a server process's first requests' objects left out of full collections
