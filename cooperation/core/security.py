"""Security pieces Django and its add-ons leave to the project.

- ``SecurityHeadersMiddleware``: the response headers Django 5.2 does not set itself
  (``Permissions-Policy``), and ``X-Frame-Options`` on the responses that never reach
  Django's clickjacking middleware (static files answered by WhiteNoise).
- ``ContentSecurityPolicyMiddleware``: django-csp's middleware, with the one exception the
  Django admin needs (see its docstring).
- ``StaticFilesMiddleware``: WhiteNoise's, serving every static file but the manifest.
- ``client_ip_address``: the address a login attempt came from, for django-axes, honest
  behind a known number of reverse proxies (``TRUSTED_PROXY_COUNT``).
- ``lockout_response``: the page django-axes shows once an account is locked out from an
  address: what happened, and when to try again.
"""

import math
import os
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.responders import MissingFileError


class SecurityHeadersMiddleware:
    """Add ``Permissions-Policy`` to every response, and ``X-Frame-Options`` where it is missing.

    It sits right after Django's ``SecurityMiddleware``, before WhiteNoise, so static files get
    the headers too. ``X-Frame-Options`` is left alone on a response that has one, or that a
    view marked ``xframe_options_exempt``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = settings.PERMISSIONS_POLICY
        self.x_frame_options = getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if not getattr(response, "xframe_options_exempt", False):
            response.headers.setdefault("X-Frame-Options", self.x_frame_options)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware; the admin's paths may also allow inline ``style`` attributes.

    Our own pages and Swagger UI need nothing inline. The Django admin does: its JavaScript
    (jQuery and the vendored select2 above all) writes ``style="…"`` attributes as it builds
    widgets, and some admin markup carries them too (simple_history's history list, the
    widths of our tabular inlines' fields). ``style-src 'self'`` blocks all of these, so on the
    admin's paths, and only there, ``CONTENT_SECURITY_POLICY_ADMIN_UPDATE`` is added to the
    policy: ``style-src-attr 'unsafe-inline'``, attributes only, no ``<style>`` elements, and
    scripts stay ``'self'``; tests/browser/test_csp.py shows the admin breaking the policy without it.
    """

    def get_policy_parts(self, request: HttpRequest, response: HttpResponse, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        extra = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN_UPDATE", None)
        if extra and not report_only and request.path_info.startswith(admin_prefix()):
            parts = PolicyParts(
                config=parts.config,
                update={**extra, **(parts.update or {})},
                replace=parts.replace,
                nonce=parts.nonce,
            )
        return parts


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, but the manifest of the hashed names (``staticfiles.json``) is not served.

    WhiteNoise serves every file in ``STATIC_ROOT``, and collectstatic writes the manifest
    there, where the storage reads it from (every app server has its own copy). It maps each
    file's name to its hashed name: the map of every asset, which nobody outside needs. Its
    address is a 404, as its compressed copies already are (WhiteNoise serves those only as
    encodings of the file they compress).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse] | None = None, **kwargs: Any) -> None:
        manifest = getattr(staticfiles_storage, "manifest_name", None)
        self.hidden_paths = {os.path.abspath(Path(settings.STATIC_ROOT) / manifest)} if manifest else set()
        super().__init__(get_response, **kwargs)

    def add_file_to_dictionary(self, url: str, path: str, stat_cache: dict | None = None) -> None:
        """At start (``WHITENOISE_AUTOREFRESH`` off, production): every file but the manifest."""
        if os.path.abspath(path) not in self.hidden_paths:
            super().add_file_to_dictionary(url, path, stat_cache=stat_cache)

    def find_file_at_path(self, path: str, url: str) -> Any:
        """On each request (``WHITENOISE_AUTOREFRESH`` on): the same."""
        if os.path.abspath(path) in self.hidden_paths:
            raise MissingFileError(path)
        return super().find_file_at_path(path, url)


def admin_prefix() -> str:
    """Where the admin is served (``ADMIN_PATH``), e.g. ``/admin/``."""
    return reverse("admin:index")


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or behind proxies the one they saw.

    With ``TRUSTED_PROXY_COUNT = n`` (n reverse proxies in front of the application, each
    appending the address it received the request from to ``X-Forwarded-For``) the client is
    the n-th address from the right. Addresses further left were written by the client itself
    and prove nothing, so they are never used; a header with fewer entries than proxies means
    the request did not come through them, and ``REMOTE_ADDR`` is used.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote_addr
    forwarded = [item.strip() for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
    if len(forwarded) < proxies:
        return remote_addr
    return forwarded[-proxies]


def unlock_time(request: HttpRequest, credentials: dict[str, Any] | None) -> datetime | None:
    """When the lockout of this username from this address ends (``None`` if it never does)."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    handler = AxesProxyHandler.get_implementation()
    latest = None
    if hasattr(handler, "get_user_attempts"):
        for attempts in handler.get_user_attempts(request, credentials):
            for attempt_time in attempts.values_list("attempt_time", flat=True):
                latest = attempt_time if latest is None else max(latest, attempt_time)
    if latest is None:
        latest = getattr(request, "axes_attempt_time", None) or timezone.now()
    return latest + cool_off


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The page shown instead of the login form once the failure limit is reached (HTTP 429).

    It names the account, says how many failed attempts led here and when logging in will work
    again (``Retry-After`` says the same to machines), and that the right password does not
    help before then.
    """
    until = unlock_time(request, credentials)
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed logins",
        "username": get_client_username(request, credentials) or "",
        "failure_limit": get_failure_limit(request, credentials),
        "unlock_at": until,
        "wait_minutes": None,
    }
    if until is not None:
        seconds = max(0, (until - timezone.now()) / timedelta(seconds=1))
        context["wait_minutes"] = max(1, math.ceil(seconds / 60))
    response = render(request, "admin/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
    if until is not None:
        response["Retry-After"] = str(context["wait_minutes"] * 60)
    return response
