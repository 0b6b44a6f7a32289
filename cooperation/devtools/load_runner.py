"""The processes of ``manage.py load_test``: gunicorn serving the site as in production, the saver
(``manage.py load_test --saver``), and ``wrk``. Each is started in its own session and stopped by
its process id (its process group: gunicorn's master and its workers), also when the load test is
interrupted.
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

# wrk's and the probe's requests come as through the TLS proxy of production (docs/deployment.md).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


class LoadTestError(Exception):
    """Something the load test needs is missing or failed; the message says what."""


def check_tools():
    if not shutil.which("wrk"):
        raise LoadTestError("wrk is not installed (apt-get install wrk).")


def check_redis(url):
    """Stop unless the Redis server of ``url`` answers PING."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as error:
        raise LoadTestError(
            f"Redis does not answer at {safe_url(url)} ({error}): start it, or name another with --redis-url."
        ) from error


def forget_keys(url, prefix):
    """Delete the keys the run cached under its own ``prefix``: the number deleted, or None if
    Redis did not answer."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
    deleted, batch = 0, []
    try:
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            batch.append(key)
            if len(batch) == 1000:
                deleted += client.delete(*batch)
                batch = []
        if batch:
            deleted += client.delete(*batch)
    except redis.RedisError:
        return None
    return deleted


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(*, port, redis_url, key_prefix, workers, threads):
    """The environment of gunicorn and of the saver: production settings (DEBUG off, a random
    key, HTTPS as told by the proxy's header) on the current database, with a shared Redis cache
    under a prefix of this run's own."""
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_PROXY_SSL_HEADER_ENABLED": "1",
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": key_prefix,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": str(threads),
        "GUNICORN_LOG_LEVEL": "warning",
        "PYTHONUNBUFFERED": "1",
    }


def collect_static(env, write):
    """With DEBUG off the pages name hashed static files: collect them once (STATIC_ROOT)."""
    if (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        return
    write(f"Collecting the static files into {settings.STATIC_ROOT} (once)…")
    manage = Path(settings.BASE_DIR) / "manage.py"
    done = subprocess.run(
        [sys.executable, str(manage), "collectstatic", "--noinput"], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise LoadTestError(f"collectstatic failed:\n{done.stderr[-2000:]}")


def stop_group(process, sig=signal.SIGINT, wait=15):
    """Stop a process started in its own session, and everything it started: ``sig`` first, then
    SIGKILL after ``wait`` seconds."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
        process.wait(wait)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


class Gunicorn:
    """gunicorn with gunicorn.conf.py, its access and error logs in ``folder``."""

    def __init__(self, env, folder, port):
        self.env, self.port, self.folder = env, port, Path(folder)
        self.access_log = Path(folder) / "access.log"
        self.error_log = Path(folder) / "gunicorn.log"
        self.process = None

    def start(self, timeout=90):
        command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
        command += ["--access-logfile", str(self.access_log), "--error-logfile", str(self.error_log)]
        with open(self.error_log, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise LoadTestError(f"gunicorn stopped at start:\n{self.log_tail()}")
            if self.get("/healthz", quiet=True) == 200:
                return
            time.sleep(0.5)
        raise LoadTestError(f"gunicorn did not answer /healthz within {timeout} s:\n{self.log_tail()}")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path, quiet=False):
        """The status of one GET (read to the end), or None if nothing answered."""
        request = urllib.request.Request(self.url(path), headers=PROXY_HEADERS)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (our own server)
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            if quiet:
                return None
            raise

    def access_log_size(self):
        return self.access_log.stat().st_size if self.access_log.exists() else 0

    def access_log_since(self, offset):
        if not self.access_log.exists():
            return ""
        with open(self.access_log, "rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")

    def log_tail(self, lines=30):
        text = self.error_log.read_text(errors="replace") if self.error_log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self):
        stop_group(self.process)  # SIGINT: gunicorn's quick shutdown (wrk has stopped by then)


class SaverProcess:
    """``manage.py load_test --saver``: one save every ``every`` seconds until stopped."""

    def __init__(self, env, folder, every):
        self.env, self.every = env, every
        self.log = Path(folder) / "saver.log"
        self.process = None
        self.offset = 0

    def start(self, timeout=60):
        manage = Path(settings.BASE_DIR) / "manage.py"
        self.offset = self.log.stat().st_size if self.log.exists() else 0
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(manage), "load_test", "--saver", "--save-every", str(self.every)],
                env=self.env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready" in self.lines():
                return
            if self.process.poll() is not None:
                raise LoadTestError(f"The saver stopped at start:\n{self.text()[-2000:]}")
            time.sleep(0.2)
        raise LoadTestError(f"The saver was not ready within {timeout} s:\n{self.text()[-2000:]}")

    def text(self):
        with open(self.log, "rb") as log:
            log.seek(self.offset)
            return log.read().decode(errors="replace")

    def lines(self):
        return self.text().splitlines()

    def stop(self):
        """Stop it (it restores what it changed) and return the number of saves it made."""
        stop_group(self.process, signal.SIGTERM, wait=60)
        if self.process is not None and self.process.returncode not in (0, None):
            raise LoadTestError(f"The saver failed:\n{self.text()[-2000:]}")
        return sum(1 for line in self.lines() if line.startswith("saved "))


def run_wrk(url, *, connections, threads, seconds, timeout):
    """wrk's output for ``seconds`` of requests to ``url`` (with ``--latency``)."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}s", "--latency"]
    for name, value in PROXY_HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run([*command, url], capture_output=True, text=True)
    if done.returncode:
        raise LoadTestError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def load_average():
    try:
        with open("/proc/loadavg") as handle:
            return float(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def new_folder():
    return tempfile.mkdtemp(prefix="load-test-")


def safe_url(url):
    return re.sub(r"//[^@/]*@", "//…@", url)
