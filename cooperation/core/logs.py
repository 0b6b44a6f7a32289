"""Logs an operator can read: one line for each request a client got wrong.

Django logs a refused request (a 4xx) with the traceback of the exception that refused it: a
``Host`` header that is not in ``ALLOWED_HOSTS`` (``django.security.DisallowedHost``, at ERROR),
a ``PermissionDenied`` (403), a ``BadRequest``. Each is some twenty lines, written by the
client, not by a fault of the site. ``OneLineClientErrors`` turns each into one WARNING line
that says what was refused and for whom::

    [2026-12-02 22:39:39 +0000] [12803] [WARNING] django.security.DisallowedHost: Invalid
    HTTP_HOST header: 'evil.example'. You may need to add 'evil.example' to ALLOWED_HOSTS.
    [GET /partners/ from 203.0.113.7]

(one line in the log). A database that cannot be reached makes every request a 503
(cooperation/pages/errors.py): each is one ERROR line too, with the driver's message, for the
outage is not a fault of the code and a traceback a request would bury it. Any other server error
(5xx) keeps its traceback: that one is ours to fix.
``LOGGING`` in cooperation/settings.py puts the filter on the handler every logger writes to.
"""

import logging

from django.db.utils import InterfaceError, OperationalError

CLIENT_ERROR_LOGGERS = ("django.request", "django.security")


def _escaped(text: str) -> str:
    """``text`` on one line: a path or a header may carry a newline (``%0A``) to forge a log line."""
    return text.encode("unicode_escape").decode("ascii")


class OneLineClientErrors(logging.Filter):
    """A 4xx logged by Django's request or security loggers becomes one WARNING line, with
    the method, the path and the client's address, and without the traceback; a 503 for a database
    that cannot be reached, one ERROR line."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        error = record.exc_info[1] if record.exc_info else None
        client_error = isinstance(status, int) and 400 <= status < 500
        outage = status == 503 and isinstance(error, (OperationalError, InterfaceError))
        if not (client_error or outage):
            return True
        if not any(record.name == name or record.name.startswith(name + ".") for name in CLIENT_ERROR_LOGGERS):
            return True
        message = record.getMessage()
        if error is not None and str(error) and str(error) not in message:
            message = f"{message}: {_escaped(str(error))}"
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "META"):
            # Imported here: this module is loaded while logging is configured, before the apps.
            from cooperation.core.security import client_ip_address

            client = _escaped(str(client_ip_address(request)))
            message = f"{message} [{_escaped(request.method or '')} {_escaped(request.path)} from {client}]"
        record.msg, record.args = message, ()
        record.exc_info, record.exc_text = None, None
        if client_error and record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        return True
