"""``/api/``: the root, a list and a record for each kind, the OpenAPI document and its docs.

The documentation is Swagger UI only: ReDoc's bundle shows a logo it loads from cdn.redoc.ly,
which no option turns off, and the site loads nothing from other sites."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from cooperation.api import views

app_name = "api"

router = SimpleRouter()
for prefix, basename, viewset in views.ENDPOINTS:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("", views.RootView.as_view(), name="root"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path(
        "docs/",
        views.DocsView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    *router.urls,
]
