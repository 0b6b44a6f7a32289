"""What a real gunicorn, started as ``make serve`` starts it, writes to its log: one line for a
request the client got wrong (a bogus ``Host``, a 403), and no warning for a ``HEAD``, which gets
the headers of the ``GET`` and no body (cooperation/core/logs.py and http.py)."""

import http.client
import re
import socket

import pytest

from tests.helpers.gunicorn import Gunicorn
from tests.helpers.settings import production_env, run_manage, run_python

CLIENT = "203.0.113.7"  # as the proxy in front saw it (X-Forwarded-For, TRUSTED_PROXY_COUNT=1)

STAFF_SESSION = """
    import os

    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "cooperation.settings"
    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    # Staff, but with no permission: the admin's lists refuse them with a 403.
    user = get_user_model().objects.create_user("visitor", password="not-used-here", is_staff=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    print(session.session_key)
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn with production settings on a migrated database, a staff session in it."""
    folder = tmp_path_factory.mktemp("logs")
    (folder / "static").mkdir()  # no collectstatic: these requests need no static file
    env = production_env(
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{folder / 'registry.sqlite3'}",
        STATIC_ROOT=str(folder / "static"),
        SECURE_SSL_REDIRECT="0",
        TRUSTED_PROXY_COUNT="1",
        GUNICORN_BIND="127.0.0.1:0",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="2",
    )
    migrated = run_manage("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    made = run_python(STAFF_SESSION, env)
    assert made.returncode == 0, made.stderr
    gunicorn = Gunicorn(env)
    listening = gunicorn.wait_for(r"Listening at: http://127\.0\.0\.1:(\d+)")
    assert listening, gunicorn.read(0)
    gunicorn.port = int(listening.group(1))
    gunicorn.session = made.stdout.strip()
    yield gunicorn
    gunicorn.stop()


def request(server, method, path, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.putrequest(method, path, skip_host="Host" in headers)
    for name, value in {"X-Forwarded-For": CLIENT, **headers}.items():
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


ACCESS_LINE = re.compile(r'^\S+ 127\.0\.0\.1 \[[^]]+\] "')
# gunicorn's own lifecycle lines: a worker it (re)starts on a loaded machine, not the request's.
WORKER_LINE = re.compile(r"^\[[^]]+\] \[\d+\] \[INFO\] (Booting worker|Worker exiting)")


def answer_and_log(server, method, path, **headers):
    """The answer to one request, and the lines the app wrote to the log while answering it
    (gunicorn's access-log lines left out)."""
    start = len(server.read(0))
    status, body = request(server, method, path, **headers)
    assert server.wait_for(rf'"{method} {re.escape(path)} HTTP/1\.1" {status} '), server.read(0)
    written = [
        line
        for line in server.read(0)[start:].splitlines()
        if not ACCESS_LINE.match(line) and not WORKER_LINE.match(line)
    ]
    return status, body, written


def test_a_bogus_host_header_is_one_warning_line(server):
    status, _, written = answer_and_log(server, "GET", "/partners/?x=1", Host="evil.example")

    assert status == 400
    assert len(written) == 1, written
    assert re.fullmatch(
        r"\[[^]]+\] \[\d+\] \[WARNING\] django\.security\.DisallowedHost: Invalid HTTP_HOST header: "
        r"'evil\.example'\. You may need to add 'evil\.example' to ALLOWED_HOSTS\. "
        rf"\[GET /partners/ from {re.escape(CLIENT)}\]",
        written[0],
    )


def test_a_path_cannot_forge_a_log_line(server):
    status, _, written = answer_and_log(server, "GET", "/offices/%0A[ERROR]%20forged", Host="evil.example")

    assert status == 400
    assert len(written) == 1, written
    assert written[0].endswith(rf"[GET /offices/\n[ERROR] forged from {CLIENT}]")


def test_a_403_is_one_warning_line(server):
    status, body, written = answer_and_log(
        server, "GET", "/admin/cooperation/project/", Cookie=f"sessionid={server.session}"
    )

    assert status == 403, body
    assert len(written) == 1, written
    assert re.fullmatch(
        r"\[[^]]+\] \[\d+\] \[WARNING\] django\.request: Forbidden \(Permission denied\): "
        rf"/admin/cooperation/project/ \[GET /admin/cooperation/project/ from {re.escape(CLIENT)}\]",
        written[0],
    )


def raw_head(server, path):
    """Every byte gunicorn sends back for ``HEAD path`` on a connection it then closes."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(f"HEAD {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nConnection: close\r\n\r\n".encode())
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


@pytest.mark.parametrize(
    "path",
    [
        "/healthz",  # a plain response
        "/feeds/latest.atom",  # Django's feed view
        "/api/partners/",  # the API
        "/partners/?format=csv",  # a streamed export
        "/robots.txt",
    ],
)
def test_a_head_request_gets_the_headers_of_a_get_no_body_and_no_warning(server, path):
    get_status, get_body = request(server, "GET", path)
    received = raw_head(server, path)
    server.wait_for(rf'"HEAD {re.escape(path)} HTTP/1\.1" 200')
    head, _, body = received.partition(b"\r\n\r\n")
    headers = dict(line.split(": ", 1) for line in head.decode().splitlines()[1:])

    assert get_status == 200 and get_body
    assert head.startswith(b"HTTP/1.1 200 OK")
    assert body == b""
    if "Content-Length" in headers:  # known before it is sent: all but the streamed export
        assert headers["Content-Length"] == str(len(get_body))
    else:
        assert path.endswith("format=csv")
    assert "no-body response" not in server.read(0)
    assert "Traceback" not in server.read(0)
