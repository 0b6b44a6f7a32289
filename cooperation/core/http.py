"""What every answer obeys, whichever view gave it.

- ``ReadOnlyPublicMiddleware``: the public site and its API only read. Every route outside the
  admin answers ``GET`` and ``HEAD``, and ``OPTIONS`` with the list of those; any other method
  (``POST``, ``PUT``, ``DELETE``, ``TRACE`` …) is a 405 with ``Allow: GET, HEAD, OPTIONS``, in
  one place, whatever the view would have done with it (Django's feed and sitemap views answer
  every method with the feed).
- ``HeadWithoutBodyMiddleware``: the answer to ``HEAD`` carries the headers of the answer to
  ``GET`` and no body. Django's own WSGI handler sends the body (only its development server
  and test client drop it), and gunicorn then warns about every ``HEAD``.
"""

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from cooperation.core.security import admin_prefix

READ_METHODS = ("GET", "HEAD")
ALLOWED_METHODS = (*READ_METHODS, "OPTIONS")


class ReadOnlyPublicMiddleware:
    """``GET`` and ``HEAD`` on every route outside the admin; ``OPTIONS`` says so; anything
    else is a 405.

    It decides in ``process_view``, once the address has matched a route (an address that
    matches none stays a 404), and before ``CsrfViewMiddleware``, so a ``POST`` to a feed is a
    405 rather than a CSRF failure. The admin (its login included) keeps every method. Under
    ``/api/`` the 405's body is JSON, as the API's own are: ``{"detail": "Method \\"PUT\\" not
    allowed."}``. ``OPTIONS`` is safe and reveals no more than a 405's ``Allow`` header does, so
    it is answered here, the same way on every route: 200, ``Allow``, no body (the API
    promised it before this middleware existed).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        if request.method in READ_METHODS or request.path_info.startswith(admin_prefix()):
            return None
        if request.method == "OPTIONS":
            return HttpResponse(headers={"Allow": ", ".join(ALLOWED_METHODS), "Content-Length": "0"})
        response = HttpResponseNotAllowed(ALLOWED_METHODS)
        if request.path_info.startswith("/api/"):
            response.content = json.dumps({"detail": f'Method "{request.method}" not allowed.'})
            response["Content-Type"] = "application/json"
        return response


class HeadWithoutBodyMiddleware:
    """Empty the body of every answer to ``HEAD``, keeping its headers.

    It is the outermost middleware, so it sees the answer as it leaves: ``Content-Length``
    stays what ``GET`` would send where it is known (a page, a static file), and a streamed
    answer (an export, a file) keeps its resources, which the server closes when the answer is
    done, without one row or byte of it being produced.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method != "HEAD":
            return response
        if response.streaming:
            # The old iterator stays among the response's closers: closed with it, never read.
            response.streaming_content = ()
        else:
            if not response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response
