"""What the registry answers when a request goes wrong: Django's error handlers, named in the
root URLconf (``cooperation/urls.py``).

- **The database is unreachable** (``OperationalError`` or ``InterfaceError``, whether a view, a
  template or a middleware met it): ``503 Service Unavailable`` with ``Retry-After:
  OUTAGE_RETRY_AFTER`` seconds. The registry is down for a while, not broken, and a client or a
  proxy that reads ``Retry-After`` comes back instead of giving up.
- **Anything else unexpected**: ``500``.
- **Under the API** (``/api/``) every error is JSON in the API's own shape, ``{"detail": "…"}``
  (what Django REST framework answers for its 404 and 405), never an HTML page: an address no
  endpoint has (a slug with characters a slug cannot have), a bad request, a forbidden one, an
  outage, a crash.

The 500 and 503 pages are rendered without the request's context, so no context processor runs
and no query is made: they render with the database down. Both are standalone templates
(``templates/500.html``, ``templates/503.html``, on ``templates/error_page.html``) with the site's
stylesheet, which WhiteNoise serves without the database. Neither is ever cached.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import escape
from django.views import defaults

logger = logging.getLogger(__name__)

#: What a database that cannot be reached raises: refused or dropped connections, a server
#: shutting down, a query cancelled by ``statement_timeout``, SQLite's "database is locked".
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)

API_MESSAGES = {
    400: "The request could not be understood.",
    403: "You do not have permission to read this.",
    404: "There is nothing at this address in the API; /api/ lists its endpoints.",
    500: "The registry met an error it did not expect; it has been logged. Try again later.",
    503: "The registry's database is not answering. Try again in a minute.",
}


def is_api_request(request) -> bool:
    """Whether the request is for the JSON API: its path is under the API's root."""
    try:
        prefix = reverse("api:root")
    except NoReverseMatch:  # a URLconf without the API
        return False
    return request.path.startswith(prefix)


def api_error(status: int) -> JsonResponse:
    return JsonResponse({"detail": API_MESSAGES[status]}, status=status)


def bad_request(request, exception):
    if is_api_request(request):
        return api_error(400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api_request(request):
        return api_error(403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api_request(request):
        return api_error(404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """500, or 503 with ``Retry-After`` when what went wrong is the database being unreachable
    (Django calls this while it handles the exception, so ``sys.exc_info()`` holds it)."""
    unavailable = isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE)
    status = 503 if unavailable else 500
    if is_api_request(request):
        response = api_error(status)
    else:
        response = HttpResponse(static_page(f"{status}.html", request), status=status)
    if unavailable:
        response["Retry-After"] = str(settings.OUTAGE_RETRY_AFTER)
    add_never_cache_headers(response)
    return response


def static_page(template_name: str, request) -> str:
    """The error page, from the settings alone: no request context, so nothing queries."""
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "retry_minutes": max(1, round(settings.OUTAGE_RETRY_AFTER / 60)),
        "path": request.get_full_path(),
    }
    try:
        context["home"] = reverse("cooperation:home")
        return loader.get_template(template_name).render(context)
    except Exception:  # the error page must not fail in turn: a missing template or static file
        logger.exception("The error page %s could not be rendered; sending a plain one.", template_name)
        return (
            f"<!doctype html><html lang='en'><meta charset='utf-8'><title>{escape(settings.SITE_NAME)}</title>"
            "<h1>The registry cannot show this page just now.</h1>"
            "<p>Try again in a few minutes, or go to <a href='/'>the home page</a>.</p></html>"
        )
