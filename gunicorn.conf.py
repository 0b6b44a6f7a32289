"""Gunicorn's settings for the registry in production (docs/deployment.md).

Gunicorn reads this file by itself when it starts in the project folder; ``make serve`` and the
systemd unit in docs/deployment.md run ``gunicorn --config gunicorn.conf.py``. Every value can
be set from the environment (below), or overridden on the command line.

Workers: **gthread**, processes with a pool of threads each. A CSV or JSON export of a large
list is streamed, and a million rows take minutes to send. With the ``sync`` worker, each
request holds a whole process, and the only way to let an export run for minutes is a
``timeout`` of minutes, which also lets a worker that is truly stuck hang for minutes, while
slow downloads can occupy every process. With ``gthread`` the worker's main thread keeps
reporting to the master while a request thread streams, so ``timeout`` (30 s) stays a check
on stuck workers, not a limit on how long a response may take, and one worker keeps answering
other requests on its other threads while an export streams.

Each thread keeps its own database connection open between requests (``CONN_MAX_AGE``), so an
app server holds up to ``workers × threads`` connections to PostgreSQL (5 × 4 = 20 on two
cores). Keep the sum over all app servers under the server's ``max_connections`` (100 by
default).

Variables (each optional):

=============================  =============================================================
``GUNICORN_BIND``              where to listen: ``127.0.0.1:8000`` (the default),
                               ``0.0.0.0:8000``, ``unix:/run/registry/gunicorn.sock``;
                               several, comma-separated
``GUNICORN_WORKERS``           processes; default 2 × CPU cores + 1, at most 8
``GUNICORN_THREADS``           threads per process; default 4
``GUNICORN_TIMEOUT``           seconds a worker may stop reporting before it is restarted; 30
``GUNICORN_GRACEFUL_TIMEOUT``  seconds a stopping worker has to finish its requests (a long
                               export included) before it is killed; 300
``GUNICORN_MAX_REQUESTS``      requests before a worker is replaced by a fresh one (a
                               guard against slow memory growth); 1000, 0 for never
``GUNICORN_PRELOAD``           load the app once, before starting workers; default on
``FORWARDED_ALLOW_IPS``        addresses of the proxies whose ``X-Forwarded-*`` headers are
                               trusted; default ``127.0.0.1,::1`` (a proxy on this machine)
``GUNICORN_LOG_LEVEL``         gunicorn's own log level; default ``info``
=============================  =============================================================
"""

import os

MAX_DEFAULT_WORKERS = 8


def _int(name, default, minimum):
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    if not value.isdigit() or int(value) < minimum:
        raise SystemExit(f"gunicorn.conf.py: {name} must be a whole number of at least {minimum}; got {value!r}.")
    return int(value)


def _bool(name, default):
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise SystemExit(f"gunicorn.conf.py: {name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}.")


def _cpu_count():
    """The cores this process may run on (a container's or a cgroup's share, where it has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


wsgi_app = "cooperation.wsgi:application"
proc_name = "registry"

bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",") if address.strip()]

worker_class = "gthread"
workers = _int("GUNICORN_WORKERS", min(2 * _cpu_count() + 1, MAX_DEFAULT_WORKERS), minimum=1)
threads = _int("GUNICORN_THREADS", 4, minimum=1)

timeout = _int("GUNICORN_TIMEOUT", 30, minimum=1)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 300, minimum=1)
# Seconds an idle connection is kept open for the next request: enough for nginx or Caddy on
# this machine. Behind a load balancer that keeps its connections to the app servers open, go
# above its idle timeout (gunicorn --keep-alive 75, say), or it may send a request on a
# connection gunicorn is closing.
keepalive = 5

# Workers are replaced after this many requests, each after a different number (the jitter),
# so they do not all restart at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000, minimum=0)
max_requests_jitter = max_requests // 10

# The app is imported once, in the master, before it forks the workers: a broken setting stops
# the start with one clear error instead of workers failing one by one, and workers start fast.
# The price: `kill -HUP` (systemctl reload) restarts the workers with the code already loaded,
# so a new release needs a restart (systemctl restart), or GUNICORN_PRELOAD=0.
preload_app = _bool("GUNICORN_PRELOAD", True)

# X-Forwarded-Proto (and -For) are believed only from these addresses: the TLS proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs go to the standard streams, where systemd's journal (or a container runtime) keeps them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The client as the proxy saw it (X-Forwarded-For), the proxy, the request, the status, the
# bytes sent, the time taken in milliseconds, the referrer and the browser.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'

# The workers' heartbeat files on a RAM disk where there is one: a heartbeat on a slow or busy
# disk can look like a stuck worker.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# No control socket (gunicornc): the service is managed with signals, through systemd; two
# instances on one machine would otherwise share the default socket path.
control_socket_disable = True


def when_ready(server):
    """Say so at start when several workers each cache in their own memory: never stale (the data
    version is in the database), but each computes and keeps its own copy (docs/deployment.md)."""
    if server.cfg.workers > 1 and not os.environ.get("REDIS_URL", "").strip():
        server.log.warning(
            "REDIS_URL is not set: each of the %s workers caches in its own memory, so each computes "
            "a page once for itself after every edit. Set REDIS_URL to share one cache.",
            server.cfg.workers,
        )


def pre_fork(server, worker):
    """With the app preloaded, the master may have opened database connections while loading
    it (a system check, say): close them, so that no worker inherits a connection it shares
    with the master and its siblings. Then freeze what it has loaded (see post_worker_init)."""
    if server.cfg.preload_app:
        from django.db import connections

        from cooperation.core.settling import settle

        connections.close_all()
        settle()


def post_worker_init(worker):
    """Freeze the objects the worker holds once the app is loaded (Django and the registry's
    modules: hundreds of thousands): Python's garbage collector no longer goes through them.
    Each full collection otherwise added 50-60 ms to the request it fell in: about one request
    in ten of a list page computed afresh. As the Python documentation of gc.freeze() advises for
    a server that forks, the master freezes them before forking too (pre_fork), so the workers'
    collections leave the memory they share with it untouched; what is collected here is only
    what the worker made since (or, not preloaded, the app it loaded). What its first requests
    load is frozen once they have finished (cooperation/core/settling.py)."""
    from cooperation.core.settling import settle

    settle()
