"""Template context every page gets: the site's and host country's names."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop
from django_countries import countries

# The default site name (settings.SITE_NAME) is in the catalogues; a name set for a deployment
# (REGISTRY_SITE_NAME) is shown as it is set.
gettext_noop("Migration Cooperation Registry")


def registry(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_NAME": gettext(settings.SITE_NAME),
        "HOST_COUNTRY": settings.HOST_COUNTRY,
        "HOST_COUNTRY_NAME": countries.name(settings.HOST_COUNTRY),
    }
