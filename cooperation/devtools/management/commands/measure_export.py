"""Measure a list export: ``manage.py measure_export --rows 100000 [--list meetings] [--format csv]``.

Creates ``--rows`` throwaway records of one list (with related records for every relation the
export reads) inside a transaction that is rolled back at the end, or, with ``--existing``,
exports what the database holds. Then it streams the export through the list view twice,
discarding each piece as it comes:

1. for speed: rows a second and the process's resident memory (RSS) while streaming;
2. under ``tracemalloc``: the peak of Python memory allocated while streaming.

Streaming means the second figure stays flat whatever the number of rows. Queries are not
logged (DEBUG is off while it runs), as in production.
"""

import re
import resource
import time
import tracemalloc
import uuid
from pathlib import Path

from django.conf import settings
from django.core import signals
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection, transaction
from django.test import RequestFactory, override_settings
from django.urls import resolve

from cooperation.core import exports
from cooperation.devtools.throwaway_rows import BATCH, Builder, Rollback
from cooperation.imports.formats import SPECS


def rss_kib():
    """(current RSS, peak RSS since the last reset) in KiB, from /proc (Linux)."""
    try:
        fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])
    except (OSError, KeyError, ValueError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak, peak


def reset_peak_rss():
    """Reset the kernel's peak-RSS mark (Linux 4.0+); False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class Command(BaseCommand):
    help = "Stream a list export and print its speed and peak memory (see docs/data-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000, help="Throwaway rows to create (default 10,000).")
        parser.add_argument("--list", choices=list(SPECS), default="meetings", help="Which list to export.")
        parser.add_argument("--format", choices=exports.FORMATS, default="csv", dest="export_format")
        parser.add_argument("--query", default="", help="Filters, as in the list's address: 'kind=visit&year=2016'.")
        parser.add_argument("--existing", action="store_true", help="Create nothing: export what the database holds.")

    def handle(self, *args, **options):
        if options["rows"] < 0:
            raise CommandError("--rows must be 0 or more.")
        # A response's close() sends request_finished, whose close_old_connections() would close the
        # connection inside the transaction below; the test client disconnects it the same way.
        signals.request_finished.disconnect(close_old_connections)
        try:
            self.run(options)
        finally:
            signals.request_finished.connect(close_old_connections)

    def run(self, options):
        with override_settings(DEBUG=False):
            if options["existing"]:
                self.measure(options)
                return
            try:
                with transaction.atomic():
                    started = time.perf_counter()
                    builder = Builder(uuid.uuid4().hex[:8])
                    builder.pool()
                    for start in range(0, options["rows"], BATCH):
                        getattr(builder, options["list"])(min(BATCH, options["rows"] - start))
                    self.analyze()
                    self.stdout.write(
                        f"Created {options['rows']:,} {options['list']} in {time.perf_counter() - started:.1f} s "
                        "(rolled back at the end)."
                    )
                    self.measure(options)
                    raise Rollback
            except Rollback:
                pass

    def analyze(self):
        """Give the planner statistics of the new rows, as autovacuum would once they are committed;
        without them PostgreSQL plans the prefetch joins for tables it thinks nearly empty."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def measure(self, options):
        path = f"/{options['list']}/"
        query = "&".join(part for part in [options["query"], f"format={options['export_format']}"] if part)
        host = next((h for h in settings.ALLOWED_HOSTS if h not in {"*"} and not h.startswith(".")), "localhost")
        view = resolve(path).func

        def stream():
            """Export once, discarding every piece; return (rows, bytes, seconds, peak RSS KiB)."""
            request = RequestFactory().get(f"{path}?{query}", HTTP_HOST=host)
            started = time.perf_counter()
            response = view(request)
            rows = size = 0
            peak_rss = rss_kib()[0]
            for number, piece in enumerate(response, 1):
                size += len(piece)
                rows += piece.count(b"\n")
                if number % 16 == 0:
                    peak_rss = max(peak_rss, rss_kib()[0])
            response.close()
            return rows, size, time.perf_counter() - started, max(peak_rss, rss_kib()[0])

        warm_up = view(RequestFactory().get(f"{path}?{query}", HTTP_HOST=host))
        next(iter(warm_up), None)  # imports, content types, the first chunk's queries
        warm_up.close()
        rss_before = rss_kib()[0]
        hwm_reset = reset_peak_rss()
        lines, size, seconds, rss_peak = stream()
        if hwm_reset:
            rss_peak = max(rss_peak, rss_kib()[1])
        tracemalloc.start()
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        stream()
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        rows = self.count_rows(path, query, host, view)
        vendor = connection.vendor
        self.stdout.write(
            f"{options['list']} {options['export_format']} on {vendor}: {rows:,} rows, {size / 2**20:.1f} MiB "
            f"({lines:,} lines) in {seconds:.2f} s = {rows / seconds if seconds else 0:,.0f} rows/s, "
            f"{size / 2**20 / seconds if seconds else 0:.1f} MiB/s"
        )
        self.stdout.write(
            f"  Python memory (tracemalloc) while streaming: peak {(peak - before) / 2**20:.2f} MiB above the "
            f"start, {(current - before) / 2**20:.2f} MiB left at the end"
        )
        self.stdout.write(
            f"  RSS: {rss_before / 1024:.1f} MiB before, peak {rss_peak / 1024:.1f} MiB while streaming "
            f"(+{(rss_peak - rss_before) / 1024:.1f} MiB)"
        )

    def count_rows(self, path, query, host, view):
        """The number of records exported, by the JSON export's own count."""
        json_query = re.sub(r"format=\w+", "format=json", query)
        response = view(RequestFactory().get(f"{path}?{json_query}", HTTP_HOST=host))
        first = next(iter(response))
        response.close()
        marker = b'"count": '
        start = first.index(marker) + len(marker)
        return int(first[start : first.index(b",", start)])
