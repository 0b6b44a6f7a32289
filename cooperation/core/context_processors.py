from django.conf import settings
from django_countries import countries


def registry(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "HOST_COUNTRY": settings.HOST_COUNTRY,
        "HOST_COUNTRY_NAME": countries.name(settings.HOST_COUNTRY),
    }
