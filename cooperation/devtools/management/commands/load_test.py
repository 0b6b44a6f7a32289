"""``manage.py load_test [--url /projects/] [--seconds 30] [--connections 16] [--save-every 2]``:
throughput and p99 of one page under load, with and without staff saving records, side by side.

What it does, in order:

1. Checks that ``wrk`` is installed and that Redis answers at ``--redis-url`` (``REDIS_URL``,
   else ``redis://127.0.0.1:6379/0``); stops with a message if not.
2. Starts gunicorn with gunicorn.conf.py (``--workers`` 3, ``--worker-threads`` 4) on a free port
   of 127.0.0.1, as in production: DEBUG off, a random SECRET_KEY, HTTPS as told by the proxy's
   ``X-Forwarded-Proto`` header, the current ``DATABASE_URL``, and that Redis as the shared cache
   under a key prefix of this run's own (``CACHE_KEY_PREFIX=load-test-…``). The static files are
   collected once (STATIC_ROOT) if they never were.
3. ``wrk`` for ``--warmup`` seconds, untimed, to fill the cache and open the connections.
4. ``--rounds`` times (2 by default), one run without saves, then one with:
   ``wrk -c <connections> -d <seconds>s --latency`` on ``--url``; during the second a saver
   process (``manage.py load_test --saver``) saves a record every ``--save-every`` seconds through
   the ORM, so every signal fires: the first project of the projects list renamed, the first
   meeting of the meetings list unpublished, then each put back, in turn
   (cooperation/devtools/load_saver.py). The runs alternate so that both kinds share the same
   minutes of a shared machine. Before each run one request warms the page again.
5. Prints requests/s, p50, p99 and errors of each run, the 1-minute load average at its end, and
   the ratios of the runs with saves to those without (mean requests/s, mean p99) against
   issue #16's targets: throughput ≥ 0.7×, p99 ≤ 2×.

On exit, also on Ctrl-C or SIGTERM: the saver puts back what it changed, gunicorn and its workers
are stopped, and the keys of this run are deleted from Redis. The logs (gunicorn's access and
error logs, the saver's, wrk's output of each run) stay in a folder under /tmp, named in the
output.

The saver writes to the database: run it on a copy, not on a database others measure.

Example (docs/measuring.md)::

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/registry_copy \\
        .venv/bin/python manage.py load_test --url /projects/ --seconds 30 --redis-url redis://127.0.0.1:6379/11
"""

import argparse
import os
import signal
import threading
import uuid

from django.core.management.base import BaseCommand, CommandError

from cooperation.devtools import load_runner as runner
from cooperation.devtools.load_report import format_report, parse_wrk, server_errors
from cooperation.devtools.load_saver import save_loop


class Command(BaseCommand):
    help = "Requests/s and p99 of one page through gunicorn and wrk, with and without a save every 2 s."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="/projects/", help="The page's path (default /projects/).")
        parser.add_argument("--seconds", type=int, default=30, help="Seconds of each run (default 30).")
        parser.add_argument("--connections", type=int, default=16, help="wrk's open connections (default 16).")
        parser.add_argument("--wrk-threads", type=int, default=2, help="wrk's threads (default 2).")
        parser.add_argument("--timeout", type=int, default=10, help="Seconds before wrk gives up on a request (10).")
        parser.add_argument("--save-every", type=float, default=2.0, help="Seconds between two saves (default 2).")
        parser.add_argument("--rounds", type=int, default=2, help="Pairs of runs, without then with saves (2).")
        parser.add_argument("--warmup", type=int, default=5, help="Seconds of untimed requests first (default 5).")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn's worker processes (default 3).")
        parser.add_argument("--worker-threads", type=int, default=4, help="Threads of each worker (default 4).")
        parser.add_argument(
            "--redis-url",
            default=os.environ.get("REDIS_URL", "").strip() or "redis://127.0.0.1:6379/0",
            help="The Redis the workers share (default: REDIS_URL, else redis://127.0.0.1:6379/0).",
        )
        parser.add_argument("--port", type=int, default=0, help="gunicorn's port on 127.0.0.1 (default: a free one).")
        parser.add_argument("--saver", action="store_true", help=argparse.SUPPRESS)  # the saver process itself

    def handle(self, *args, **options):
        if options["saver"]:
            return self.save(options["save_every"])
        self.check_arguments(options)
        try:
            runner.check_tools()
            runner.check_redis(options["redis_url"])
        except runner.LoadTestError as error:
            raise CommandError(str(error)) from error
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            self.measure(options)
        except runner.LoadTestError as error:
            raise CommandError(str(error)) from error
        except KeyboardInterrupt:
            raise CommandError("Interrupted; gunicorn and the saver were stopped.") from None
        finally:
            signal.signal(signal.SIGTERM, previous)

    def check_arguments(self, options):
        problems = []
        if not options["url"].startswith("/"):
            problems.append("--url is a path on the site, starting with /")
        for name in ("seconds", "connections", "wrk_threads", "timeout", "rounds", "workers", "worker_threads"):
            if options[name] < 1:
                problems.append(f"--{name.replace('_', '-')} must be 1 or more")
        if options["warmup"] < 0:
            problems.append("--warmup must be 0 or more")
        if not options["save_every"] > 0:
            problems.append("--save-every must be more than 0 seconds")
        if options["wrk_threads"] > options["connections"]:
            problems.append("--wrk-threads may not be more than --connections")
        if not 0 <= options["port"] < 65536:
            problems.append("--port must be a port number")
        if problems:
            raise CommandError("; ".join(problems) + ".")

    def measure(self, options):
        folder = runner.new_folder()
        prefix = f"load-test-{uuid.uuid4().hex[:8]}"
        port = options["port"] or runner.free_port()
        env = runner.server_environment(
            port=port,
            redis_url=options["redis_url"],
            key_prefix=prefix,
            workers=options["workers"],
            threads=options["worker_threads"],
        )
        server = runner.Gunicorn(env, folder, port)
        saver = runner.SaverProcess(env, folder, options["save_every"])
        runs = []
        self.stdout.write(
            f"Logs in {folder}. gunicorn: {options['workers']} workers × {options['worker_threads']} threads on "
            f"127.0.0.1:{port}; cache: Redis {runner.safe_url(options['redis_url'])}, prefix {prefix}."
        )
        try:
            runner.collect_static(env, self.stdout.write)
            server.start()
            status = server.get(options["url"])
            if status != 200:
                raise runner.LoadTestError(f"{options['url']} answered {status}, not 200:\n{server.log_tail()}")
            if options["warmup"]:
                self.wrk(server, options, options["warmup"])
            for _ in range(options["rounds"]):
                for with_saves in (False, True):
                    runs.append(self.run(len(runs) + 1, server, saver if with_saves else None, options))
                    self.stdout.write(f"  run {len(runs)}: {runs[-1].requests_per_s:.1f} requests/s")
        finally:
            runner.stop_group(saver.process, signal.SIGTERM, wait=60)  # if interrupted as it started
            server.stop()
            deleted = runner.forget_keys(options["redis_url"], prefix)
            self.stdout.write(
                f"Stopped gunicorn; deleted this run's {deleted} keys from Redis."
                if deleted is not None
                else f"Stopped gunicorn; Redis did not answer: its keys {prefix}:* expire within the hour."
            )
        self.stdout.write(
            format_report(
                runs,
                url=options["url"],
                save_every=options["save_every"],
                connections=options["connections"],
                seconds=options["seconds"],
            )
        )

    def run(self, number, server, saver, options):
        server.get(options["url"])  # warm again: the previous run's last save may have emptied it
        offset = server.access_log_size()
        if saver:
            saver.start()
        try:
            output = self.wrk(server, options, options["seconds"])
        finally:
            saves = saver.stop() if saver else None
        (server.folder / f"wrk-{number}.txt").write_text(output)
        return parse_wrk(
            output,
            saves=saves,
            server_errors=server_errors(server.access_log_since(offset)),
            load_average=runner.load_average(),
        )

    def wrk(self, server, options, seconds):
        return runner.run_wrk(
            server.url(options["url"]),
            connections=options["connections"],
            threads=options["wrk_threads"],
            seconds=seconds,
            timeout=options["timeout"],
        )

    def save(self, every):
        """The saver process: save until SIGTERM or SIGINT, then put back what changed."""
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())

        def write(line):
            self.stdout.write(line)
            self.stdout.flush()

        save_loop(every, stop, write)


def _interrupt(*_):
    raise KeyboardInterrupt
