"""Settings and processes as a server starts them: the project's files, a production secret key, a
production process's environment, and Python run in a subprocess under it."""

import os
import secrets
import subprocess
import sys
import textwrap

from django.conf import settings

BASE_DIR = settings.BASE_DIR
SETTINGS_FILE = BASE_DIR / "cooperation" / "settings.py"
GUNICORN_CONF = BASE_DIR / "gunicorn.conf.py"


def real_key():
    return secrets.token_urlsafe(50)


def production_env(**env):
    """The environment of a production process: only PATH, production settings and ``env``."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "DEBUG": "0",
        "SECRET_KEY": real_key(),
        **env,
    }


def run_python(code, env, timeout=180):
    return _run(["-c", textwrap.dedent(code)], env, timeout)


def run_manage(*args, env, timeout=600):
    """``manage.py args`` in a process with the environment ``env`` (``production_env()``)."""
    return _run(["manage.py", *args], env, timeout)


def _run(arguments, env, timeout):
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
