from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = "Cooperation"
