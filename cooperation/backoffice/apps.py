from django.contrib.admin.apps import AdminConfig


class RegistryAdminConfig(AdminConfig):
    """``django.contrib.admin`` with :class:`~cooperation.backoffice.sites.RegistryAdminSite` as
    ``admin.site`` (INSTALLED_APPS names this class instead of "django.contrib.admin")."""

    default_site = "cooperation.backoffice.sites.RegistryAdminSite"
