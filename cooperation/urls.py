from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from cooperation.pages import errors
from cooperation.pages.views import healthz

urlpatterns = [
    # The staff admin, with its discrepancies and history pages (cooperation/backoffice/sites.py).
    path(settings.ADMIN_PATH, admin.site.urls),
    path("", include("cooperation.app_urls")),
    path("", include("partners.urls")),
    path("", include("events.urls")),
    path("api/", include("cooperation.api.urls")),
    path("healthz", healthz, name="healthz"),
]

# The dev server (DEBUG) serves uploaded files, a source's document among them; in production
# the proxy does (docs/deployment.md), and static() adds nothing.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Errors: JSON under /api/, and 503 with Retry-After when the database is down (cooperation/pages/errors.py).
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
