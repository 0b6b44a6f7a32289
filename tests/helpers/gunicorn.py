"""A real gunicorn, started with gunicorn.conf.py as ``make serve`` starts it, its output read as it
comes (tests/deployment/)."""

import os
import re
import selectors
import subprocess
import sys
import time
import urllib.error
import urllib.request

from tests.helpers.settings import BASE_DIR, GUNICORN_CONF


class Gunicorn:
    """A gunicorn started with gunicorn.conf.py, its output read as it comes."""

    def __init__(self, env):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF)],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        self.output = b""
        self.selector = selectors.DefaultSelector()
        os.set_blocking(self.process.stdout.fileno(), False)
        self.selector.register(self.process.stdout, selectors.EVENT_READ)

    def read(self, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.selector.select(timeout=0.2):
                self.output += self.process.stdout.read() or b""
            if self.process.poll() is not None:
                self.output += self.process.stdout.read() or b""
                break
        return self.output.decode(errors="replace")

    def wait_for(self, pattern, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = re.search(pattern, self.read(0.5))
            if found or self.process.poll() is not None:
                return found
        return None

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()  # a graceful stop: in-flight requests finish
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.read(0.5)
        self.selector.close()
        self.process.stdout.close()


def fetch(url):
    """(status, headers, text) of a GET, whatever the status."""
    request = urllib.request.Request(url, headers={"X-Forwarded-For": "203.0.113.7", "User-Agent": "probe/1.0"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()
