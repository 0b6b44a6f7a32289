"""``manage.py benchmark [--repeat 30] [--cold-repeat 10] [--json FILE]``: how fast the key pages
answer on the current database, through the full Django stack, warm and cold side by side.

Each page is requested with Django's test client (URL routing, every middleware, the view,
the template; DEBUG off, as in production); a streamed response (an export) is read to its last
byte. The loaded objects are frozen for the garbage collector first, as gunicorn's workers do
(gunicorn.conf.py). For each page, in one run:

- **warm**: ``--warmup`` untimed requests fill the cache, then ``--repeat`` timed ones: what a
  visitor usually gets while nothing changes. Median (p50), 95th percentile, slowest, and the
  number of SQL queries of one more warm request.
- **cold**: ``--cold-repeat`` timed requests, each made after emptying the cache: what the first
  visitor after a change gets. p50 and p95, and the p95 against the page's target (issue #16:
  lists, home, year pages, search and API lists 150 ms; record pages 50 ms; the admin's meetings
  changelist 300 ms), marked ✓ or ✗.

``--cold`` measures only cold (with ``--repeat`` cold requests unless ``--cold-repeat`` says
otherwise); ``--cold-repeat 0`` only warm. The pages are chosen from what the database holds
(cooperation/devtools/benchmark_pages.py); ``--only`` and ``--skip`` pick some by name.

``--json FILE`` writes ``{"machine": {"loop_ms": [before, after]}, "pages": [{"name", "kind",
"path", "p50_ms", "p95_ms", "max_ms", "queries", "cold_p50_ms", "cold_p95_ms", "cold_max_ms",
"cold_queries", "cold_target_ms", "cold_meets_target"}, …]}``, with null for what was not
measured or has no target. The command fails (exit status 1) when a page answers anything but 200.

The machine's speed is timed before the pages and after them (:func:`loop_ms`, the loop
docs/performance.md has compared its rounds' machines by), printed with the figures and written
in the JSON as ``{"machine": {"loop_ms": [before, after]}}``: figures taken on a slower machine, or
at a slower moment of an unsteady one, say so.

``--explain FILE`` (PostgreSQL) also writes, for each page, the slowest query of a cold request
and its ``EXPLAIN (ANALYZE, BUFFERS)`` as Markdown (cooperation/devtools/explain.py).

``--under-edits`` measures throughput with staff saving records, through real gunicorn workers
and ``wrk``: it runs ``manage.py load_test`` (see its help) on the one page ``--only`` picks (by
its whole name, or the only name that holds it; ``/projects/`` without ``--only``).
"""

import json
import time
import uuid
from functools import partial
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.core import settling
from cooperation.core.models import ExportLine
from cooperation.devtools import explain
from cooperation.devtools.benchmark_pages import KINDS, choose_pages
from cooperation.models import Agreement, Project
from events.models import Meeting
from partners.models import Partner

__all__ = ["KINDS", "Command"]

DEFAULT_COLD_REPEAT = 10
UNDER_EDITS_DEFAULT_PATH = "/projects/"
LOOP_SIZE = 3_000_000  # the loop's length, as docs/performance.md has timed it since its fourteenth round


def loop_ms() -> float:
    """How fast this machine runs Python now: the fastest of three runs of a loop of three million
    multiplications and additions, in ms (docs/performance.md: 265-390 on the machines whose
    figures judged the targets; at 500-630, a slower moment, every page took 1.5-1.9 times as long)."""
    # Run as a script's top level runs it (its names global, not a function's locals: those are
    # read faster), as the loop was timed with ``python -c``.
    loop = compile(f"s = 0\nfor i in range({LOOP_SIZE}): s += i * i", "<loop>", "exec")
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        exec(loop, {})  # noqa: S102 - the code above, nothing from outside
        best = min(best, (time.perf_counter() - started) * 1000)
    return round(best, 1)


class Command(BaseCommand):
    help = "Time the key pages on the current database, warm and cold: p50 / p95 ms, queries, cold targets."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30, help="Timed warm requests per page (default 30).")
        parser.add_argument("--warmup", type=int, default=3, help="Untimed requests first (default 3).")
        parser.add_argument(
            "--cold-repeat",
            type=int,
            default=None,
            help=f"Timed cold requests per page, each after emptying the cache (default {DEFAULT_COLD_REPEAT}; "
            "0: warm only).",
        )
        parser.add_argument("--cold", action="store_true", help="Measure only cold (no warm requests).")
        parser.add_argument("--json", dest="json_path", help="Also write the figures to this JSON file.")
        parser.add_argument(
            "--explain",
            dest="explain_path",
            help="Also write each page's slowest cold query and its EXPLAIN (ANALYZE, BUFFERS) to this Markdown "
            "file (PostgreSQL).",
        )
        parser.add_argument("--only", default="", help="Only the pages whose name contains this text.")
        parser.add_argument(
            "--skip", default="", help="Leave out the pages whose name contains one of these (comma-separated) texts."
        )
        parser.add_argument(
            "--under-edits",
            action="store_true",
            help="Instead: throughput with a save every 2 s, through gunicorn and wrk (manage.py load_test), "
            f"on the page --only picks ({UNDER_EDITS_DEFAULT_PATH} without it).",
        )

    def handle(self, *args, **options):
        cold_repeat = options["cold_repeat"]
        if cold_repeat is None:
            cold_repeat = options["repeat"] if options["cold"] else DEFAULT_COLD_REPEAT
        options["cold_repeat"] = cold_repeat
        if options["repeat"] < 1 or options["warmup"] < 0 or cold_repeat < 0:
            raise CommandError("--repeat must be 1 or more, --warmup and --cold-repeat 0 or more.")
        if options["cold"] and cold_repeat == 0:
            raise CommandError("--cold with --cold-repeat 0 would measure nothing.")
        if options["explain_path"] and connection.vendor != "postgresql":
            raise CommandError(f"--explain needs PostgreSQL (set DATABASE_URL); this database is {connection.vendor}.")
        pages, missing = choose_pages()
        skip = [text.strip().lower() for text in options["skip"].split(",") if text.strip()]
        pages = [
            page
            for page in pages
            if options["only"].lower() in page.name.lower() and not any(text in page.name.lower() for text in skip)
        ]
        if not pages:
            raise CommandError(f"No page is left to measure (--only “{options['only']}”, --skip “{options['skip']}”).")
        if options["under_edits"]:
            return self.under_edits(pages, options)
        host = next((h for h in settings.ALLOWED_HOSTS if h not in {"*"} and not h.startswith(".")), "localhost")
        admin_path = reverse("admin:index")
        user = get_user_model().objects.create_superuser(f"benchmark-{uuid.uuid4().hex[:12]}", password=None)
        # Public pages as a visitor sees them (no session); the admin as a signed-in superuser. A page
        # that fails answers 500 (its traceback logged) and the others are still measured.
        visitor, staff = (Client(HTTP_HOST=host, raise_request_exception=False) for _ in range(2))
        staff.force_login(user)
        speed = [loop_ms()]
        self.stdout.write(self.header(options, speed[0]))
        # As a gunicorn worker does once the app is loaded (gunicorn.conf.py, post_worker_init):
        # the collector leaves the loaded objects alone, so a full collection costs the request
        # it falls in a few ms, not 50-60. And as a worker settles after its first requests
        # (cooperation/core/settling.py), each page's own after its warm-up (measure()), not in
        # whichever timed request is the process's tenth or hundredth.
        settling.settle()
        explained = []
        try:
            with override_settings(DEBUG=False, GC_SETTLE_AFTER_REQUESTS=()):
                for page in pages:
                    client = staff if page.path.startswith(admin_path) else visitor
                    self.measure(client, page, options)
                    self.stdout.write(self.line(page))
                    if options["explain_path"]:
                        found = explain.explain_page(page, partial(self.request, client, page), _clearing(page))
                        explained += [found] if found else []
        finally:
            staff.logout()
            user.delete()
        speed.append(loop_ms())
        self.stdout.write(self.summary(pages))
        self.stdout.write(
            f"This machine's loop (docs/performance.md): {speed[0]:.0f} ms before the pages, {speed[1]:.0f} after."
        )
        if missing:
            self.stdout.write(f"Left out (nothing in the database to show): {', '.join(missing)}.")
        if options["json_path"]:
            path = Path(options["json_path"])
            figures = {"machine": {"loop_ms": speed}, "pages": [page.row() for page in pages]}
            path.write_text(json.dumps(figures, indent=2) + "\n")
            self.stdout.write(f"Wrote {path}.")
        if options["explain_path"]:
            path = Path(options["explain_path"])
            path.write_text(explain.document(explained, self.header(options).splitlines()[0]))
            self.stdout.write(f"Wrote the plans of {len(explained)} pages to {path}.")
        failed = [f"{page.name} ({page.status})" for page in pages if page.status != 200]
        if failed:
            raise CommandError(f"Pages that did not answer 200: {', '.join(failed)}.")

    def under_edits(self, pages, options):
        pages = [page for page in pages if page.name.lower() == options["only"].lower()] or pages
        if options["only"] and len(pages) != 1:
            names = ", ".join(page.name for page in pages)
            raise CommandError(
                f"--under-edits measures one page; --only “{options['only']}” picks {len(pages)}: {names}."
            )
        path = pages[0].path if options["only"] else UNDER_EDITS_DEFAULT_PATH
        call_command("load_test", "--url", path, stdout=self.stdout, stderr=self.stderr)

    def header(self, options, loop=None):
        load = ", ".join(f"{value:.2f}" for value in _load_average())
        counts = ", ".join(
            f"{model._meta.verbose_name_plural} {model.objects.count():,}"
            for model in (Partner, Agreement, Project, Meeting)
        )
        database = settings.DATABASES["default"]
        speed = f"the machine's loop {loop:.0f} ms; " if loop is not None else ""
        warm = "no warm requests" if options["cold"] else f"warm: {options['repeat']} timed"
        warm = f"{options['warmup']} untimed requests a page first; {warm}"
        cold = (
            f"cold: {options['cold_repeat']} timed, the cache emptied before each"
            if options["cold_repeat"]
            else "no cold"
        )
        return (
            f"{connection.vendor} {database['NAME']}: {counts}\n"
            f"load average {load}; {speed}{warm}; {cold}; CONN_MAX_AGE {database.get('CONN_MAX_AGE')}\n"
            f"{'':<42} {'':<7} {'warm ms':^26} {'':>7}  {'cold ms':^17} {'cold p95':^11}\n"
            f"{'page':<42} {'kind':<7} {'p50':>8} {'p95':>8} {'max':>8} {'queries':>7}  "
            f"{'p50':>8} {'p95':>8}  {'target':>8}    status"
        )

    def line(self, page):
        row = page.row()
        verdict = {True: "✓", False: "✗", None: " "}[page.meets_target()]
        target = f"≤ {page.target_ms:.0f}" if page.target_ms is not None else "-"
        return (
            f"{page.name[:42]:<42} {page.kind:<7} {_ms(row['p50_ms'])} {_ms(row['p95_ms'])} {_ms(row['max_ms'])} "
            f"{_count(row['queries'])}  {_ms(row['cold_p50_ms'])} {_ms(row['cold_p95_ms'])}  {target:>8} {verdict}  "
            f"{page.status}"
        )

    def summary(self, pages):
        judged = [page for page in pages if page.meets_target() is not None]
        if not judged:
            return "Cold targets: no page with a target was measured cold."
        missed = [page.name for page in judged if not page.meets_target()]
        text = f"Cold targets: {len(judged) - len(missed)} of {len(judged)} pages with a target meet it"
        return f"{text}; missed: {', '.join(missed)}." if missed else f"{text}."

    def request(self, client, page):
        started = time.perf_counter()
        response = client.get(page.path, secure=True)
        status = response.status_code
        try:
            body = response.streaming_content if response.streaming else [response.content]
            sum(len(piece) for piece in body)  # read to the last byte; the test client closes the response
        except Exception as error:  # a streamed export that fails half-way: its 200 was already sent
            if page.status != 500:  # once a page
                self.stderr.write(f"{page.name}: {page.path} failed while streaming: {type(error).__name__}: {error}")
            status = 500
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200 or not page.status:
            page.status = status
        return elapsed

    def measure(self, client, page, options):
        clear = _clearing(page)
        clear()
        for _ in range(options["warmup"]):  # also loads templates and the like, for cold too
            self.request(client, page)
        settling.settle()  # what the page loaded, left out of full collections (as a server's)
        if not options["cold"]:
            for _ in range(options["repeat"]):
                page.times.append(self.request(client, page))
            with CaptureQueriesContext(connection) as captured:
                self.request(client, page)
            page.queries = len(captured.captured_queries)
        for _ in range(options["cold_repeat"]):
            clear()
            page.cold_times.append(self.request(client, page))
        if options["cold_repeat"]:
            clear()
            with CaptureQueriesContext(connection) as captured:
                self.request(client, page)
            page.cold_queries = len(captured.captured_queries)


def _clear_caches():
    for cache in caches.all():
        cache.clear()


def _clear_caches_and_lines():
    _clear_caches()
    ExportLine.objects.all().delete()


def _clearing(page):
    """What empties a page before a cold request: the caches, and its export's kept lines for a
    page measured without them ("made anew")."""
    return _clear_caches_and_lines if page.without_lines else _clear_caches


def _ms(value):
    return f"{value:8.1f}" if value is not None else f"{'-':>8}"


def _count(value):
    return f"{value:7d}" if value is not None else f"{'-':>7}"


def _load_average():
    try:
        with open("/proc/loadavg") as handle:
            return [float(value) for value in handle.read().split()[:3]]
    except OSError:
        return []
