"""What the site writes to its log (LOGGING in cooperation/settings.py, cooperation/core/logs.py):
a request the client got wrong is one WARNING line naming the method, path and client; a server
error keeps its traceback. Read from the handler the settings configure, as the server writes it
(tests/deployment/test_logs.py reads a real gunicorn's log)."""

import pytest
from django.test import Client

from tests.helpers.users import client_for

pytestmark = pytest.mark.django_db


def lines(log):
    """The lines written, but axes' notes of a login (the test's own)."""
    return [line for line in log.getvalue().splitlines() if "] axes." not in line]


def test_a_bogus_host_is_one_warning_line_with_host_path_and_client(log, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    response = Client().get(
        "/partners/", HTTP_HOST="evil.example", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )

    assert response.status_code == 400
    [line] = lines(log)
    assert line.endswith(
        "[WARNING] django.security.DisallowedHost: Invalid HTTP_HOST header: 'evil.example'. You may need "
        "to add 'evil.example' to ALLOWED_HOSTS. [GET /partners/ from 203.0.113.7]"
    )


def test_a_403_is_one_warning_line(log):
    response = client_for("staff").get("/admin/cooperation/project/")

    assert response.status_code == 403
    [line] = lines(log)
    assert line.endswith(
        "[WARNING] django.request: Forbidden (Permission denied): /admin/cooperation/project/ "
        "[GET /admin/cooperation/project/ from 127.0.0.1]"
    )


def test_a_newline_in_the_path_cannot_forge_a_line(log):
    Client().get("/partners/%0A[ERROR] forged/", HTTP_HOST="evil.example")

    [line] = lines(log)
    assert line.endswith(r"[GET /partners/\n[ERROR] forged/ from 127.0.0.1]")


def test_a_server_error_keeps_its_traceback(log, monkeypatch):
    def broken():
        raise RuntimeError("the selector broke")

    monkeypatch.setattr("cooperation.pages.home.home_context", broken)

    response = Client(raise_request_exception=False).get("/")

    assert response.status_code == 500
    written = lines(log)
    assert "[ERROR] django.request: Internal Server Error: /" in written[0]
    assert "Traceback (most recent call last):" in written
    assert written[-1] == "RuntimeError: the selector broke"
