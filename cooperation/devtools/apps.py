from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    name = "cooperation.devtools"
    verbose_name = "Development tools"
