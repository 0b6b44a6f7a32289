from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from cooperation.pages import errors
from cooperation.pages.views import healthz

# The API and the health check are the same in every language (the API carries every language's
# fields); every page is in three: English at these paths, Azerbaijani under /az/, Russian under /ru/.
urlpatterns = [
    path("api/", include("cooperation.api.urls")),
    path("healthz", healthz, name="healthz"),
    *i18n_patterns(
        # The staff admin, with its discrepancies and history pages (cooperation/backoffice/sites.py).
        path(settings.ADMIN_PATH, admin.site.urls),
        path("", include("cooperation.app_urls")),
        path("", include("partners.urls")),
        path("", include("events.urls")),
        prefix_default_language=False,
    ),
]

# No address serves MEDIA_ROOT as it is, not even with DEBUG: a source's file is served by its
# source's views (/sources/<slug>/file/), to the public once the source is published.

# Errors: JSON under /api/, and 503 with Retry-After when the database is down (cooperation/pages/errors.py).
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
