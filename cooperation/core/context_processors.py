"""Template context every page gets: the site's and host country's names, the data version."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_countries import countries

from cooperation.core import cache


def registry(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_NAME": settings.SITE_NAME,
        "HOST_COUNTRY": settings.HOST_COUNTRY,
        "HOST_COUNTRY_NAME": countries.name(settings.HOST_COUNTRY),
        # For {% cache … data_version %}: a fragment kept until the data changes. A function,
        # so only a template that uses it reads the version (cooperation/core/cache.py).
        "data_version": cache.data_version,
    }
