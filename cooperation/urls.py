import os

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from cooperation.pages.site_views import healthz

admin.site.site_header = admin.site.site_title = "Cooperation Registry – staff"
admin.site.index_title = "Records"

ADMIN_PATH = os.environ.get("ADMIN_PATH", "admin").strip("/") + "/"

urlpatterns = [
    path(ADMIN_PATH + "discrepancies/", include("cooperation.core.discrepancies")),  # staff: sources that disagree
    path(ADMIN_PATH + "history/", include("cooperation.core.history")),  # staff: recent changes, deleted records
    path(ADMIN_PATH, admin.site.urls),
    path("", include("cooperation.app_urls")),
    path("", include("partners.urls")),
    path("", include("events.urls")),
    path("api/", include("cooperation.api.urls")),
    path("healthz", healthz, name="healthz"),
]

# The dev server (DEBUG) serves uploaded files, a source's document among them; in production
# the proxy does (docs/deployment.md), and static() adds nothing.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
