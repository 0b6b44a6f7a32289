"""``manage.py benchmark [--repeat 30] [--json FILE]``: how fast the key pages answer on the
current database, through the full Django stack.

Each page is requested with Django's test client (URL routing, every middleware, the view,
the template; DEBUG off, as in production), first ``--warmup`` times untimed, then
``--repeat`` times timed; a streamed response (an export) is read to its last byte. The table
gives the median (p50), the 95th percentile and the slowest time in milliseconds, the time of
the very first request (``first``: made with an empty cache, so nothing was computed before),
and the number of SQL queries of one more request (the warm one a visitor usually gets).

Filter values and records are chosen from what the database holds: the partner with the most
meetings, the busiest year, the commonest kind, a record from the middle of each table, so
the figures are for realistic and for worst cases, not for empty pages. Pages that need a
record the database does not have are left out (and named).

``--json FILE`` writes ``{"pages": [{"name", "kind", "path", "p50_ms", "p95_ms", "max_ms",
"queries"}, …]}``. ``--cold`` empties the cache before every timed request: the figures of a
page nobody has asked for since the last change. The command fails (exit status 1) when a page
answers anything but 200.
"""

import json
import math
import statistics
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.core.partial_dates import PartialYear
from cooperation.models import Agreement, Project, Source, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person

KINDS = ("list", "detail", "search", "export", "api")
DEEP_PAGE = 400  # 10,000 rows in, with 25 a page


@dataclass
class Page:
    name: str
    kind: str
    path: str
    times: list = field(default_factory=list)
    first_ms: float = 0.0
    queries: int = 0
    status: int = 0
    size: int = 0

    def percentile(self, share):
        """The nearest-rank percentile of the timed requests, in milliseconds."""
        ordered = sorted(self.times)
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else 0.0

    def row(self):
        return {
            "name": self.name,
            "kind": self.kind,
            "path": self.path,
            "p50_ms": round(statistics.median(self.times), 2) if self.times else 0.0,
            "p95_ms": round(self.percentile(0.95), 2),
            "max_ms": round(max(self.times), 2) if self.times else 0.0,
            "queries": self.queries,
        }


def middle(model, queryset=None):
    """A published record from the middle of the table (by primary key), or None."""
    queryset = model.objects.published() if queryset is None else queryset
    bounds = queryset.order_by("pk").values_list("pk", flat=True)
    first, last = bounds.first(), bounds.last()
    if first is None:
        return None
    return queryset.filter(pk__gte=(first + last) // 2).order_by("pk").first()


def busiest(through, column, published_model, published_column):
    """The pk of the published record of ``published_model`` with the most rows in ``through``."""
    rows = (
        through.objects.filter(**{f"{published_column}__published": True})
        .values(column)
        .annotate(rows=Count("pk"))
        .order_by("-rows", column)[:1]
    )
    row = next(iter(rows), None)
    return published_model.objects.get(pk=row[column]) if row else None


def commonest(queryset, expression_name, expression=None):
    rows = queryset.order_by()
    if expression is not None:
        rows = rows.annotate(**{expression_name: expression})
    row = (
        rows.filter(**{f"{expression_name}__isnull": False})
        .values(expression_name)
        .annotate(rows=Count("pk"))
        .order_by("-rows", expression_name)
        .first()
    )
    return row[expression_name] if row else None


def choose_pages():
    """[Page] for what this database holds, and [name] of the pages left out."""
    pages, missing = [], []

    def add(name, kind, path):
        if path is None:
            missing.append(name)
        else:
            pages.append(Page(name, kind, path))

    big_partner = busiest(Meeting.partners.through, "partner", Partner, "partner")
    partner = big_partner.slug if big_partner else None
    meetings = Meeting.objects.published()
    year = commonest(meetings, "year", PartialYear("start"))
    meeting_kind = commonest(meetings, "kind")
    project_topic = busiest(Project.topics.through, "topic", Topic, "topic")
    topic = project_topic.slug if project_topic else None
    agreement_kind = commonest(Agreement.objects.published(), "kind")
    partner_kind = commonest(Partner.objects.published(), "kind")
    partner_scope = commonest(Partner.objects.published(), "scope")
    office_country = commonest(Office.objects.published(), "country")

    def query(**params):
        if any(value is None for value in params.values()):
            return None
        return "?" + "&".join(f"{key}={value}" for key, value in params.items())

    def at(path, params=""):
        return None if params is None else path + params

    add("home", "list", "/")
    lists = {
        "partners": ("/partners/", query(kind=partner_kind), query(kind=partner_kind, scope=partner_scope, q="of")),
        "agreements": (
            "/agreements/",
            query(partner=partner),
            query(partner=partner, kind=agreement_kind, year=year),
        ),
        "projects": ("/projects/", query(topic=topic), query(topic=topic, partner=partner, year=year)),
        "meetings": ("/meetings/", query(partner=partner), query(partner=partner, kind=meeting_kind, year=year)),
        "offices": (
            "/offices/",
            query(country=office_country.lower() if office_country else None),
            query(partner=partner, country=office_country.lower() if office_country else None, kind="field-office"),
        ),
    }
    for name, (path, one, three) in lists.items():
        add(f"{name}", "list", path)
        add(f"{name} with one filter", "list", at(path, one))
        add(f"{name} with three filters", "list", at(path, three))
        sort = "name" if name in {"partners", "offices"} else "title"
        add(f"{name} sorted by {sort}", "list", f"{path}?sort={sort}")
        add(f"{name} page {DEEP_PAGE}", "list", f"{path}?page={DEEP_PAGE}")

    add("year index", "list", "/years/")
    add("year page", "list", f"/years/{year}/" if year else None)

    records = {
        "partner (most meetings)": big_partner,
        "partner": middle(Partner),
        "agreement": middle(Agreement),
        "project": middle(Project),
        "meeting": middle(Meeting),
        "office": middle(Office, Office.objects.published().filter(partner__published=True)),
        "person": middle(Person),
        "topic (most projects)": project_topic,
        "source": middle(Source),
    }
    for name, record in records.items():
        add(f"{name} page", "detail", record.get_absolute_url() if record else None)

    # The same pages in Azerbaijani and Russian: one list (with a filter) and one record page each.
    for code in ("az", "ru"):
        add(f"projects with one filter ({code})", "list", at(f"/{code}/projects/", query(topic=topic)))
        partner_page = records["partner (most meetings)"]
        add(f"partner page ({code})", "detail", f"/{code}{partner_page.get_absolute_url()}" if partner_page else None)

    add("search, a common word", "search", "/search/?q=migration")
    sample = middle(Meeting)
    add("search, a meeting's title", "search", f"/search/?q={sample.title[:60]}" if sample else None)

    csv_filters = query(partner=partner, kind=meeting_kind, year=year, format="csv")
    add("meetings CSV, three filters", "export", at("/meetings/", csv_filters))
    add("projects CSV, one topic", "export", at("/projects/", query(topic=topic, format="csv")))
    add("meetings calendar", "export", reverse("events:meeting-calendar"))
    add("sitemap", "export", reverse("cooperation:sitemap"))

    add("API meetings", "api", "/api/meetings/")
    add("API projects with one filter", "api", at("/api/projects/", query(partner=partner)))
    add("API meeting", "api", f"/api/meetings/{sample.slug}/" if sample else None)
    add("admin meetings changelist", "list", reverse("admin:events_meeting_changelist"))
    return pages, missing


class Command(BaseCommand):
    help = "Time the key pages on the current database: p50 / p95 / max milliseconds and queries per page."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30, help="Timed requests per page (default 30).")
        parser.add_argument("--warmup", type=int, default=3, help="Untimed requests first (default 3).")
        parser.add_argument("--json", dest="json_path", help="Also write the figures to this JSON file.")
        parser.add_argument("--only", default="", help="Only the pages whose name contains this text.")
        parser.add_argument(
            "--skip", default="", help="Leave out the pages whose name contains one of these (comma-separated) texts."
        )
        parser.add_argument("--cold", action="store_true", help="Empty the cache before every timed request.")

    def handle(self, *args, **options):
        if options["repeat"] < 1 or options["warmup"] < 0:
            raise CommandError("--repeat must be 1 or more and --warmup 0 or more.")
        pages, missing = choose_pages()
        skip = [text.strip().lower() for text in options["skip"].split(",") if text.strip()]
        pages = [
            page
            for page in pages
            if options["only"].lower() in page.name.lower() and not any(text in page.name.lower() for text in skip)
        ]
        if not pages:
            raise CommandError(f"No page is left to measure (--only “{options['only']}”, --skip “{options['skip']}”).")
        host = next((h for h in settings.ALLOWED_HOSTS if h not in {"*"} and not h.startswith(".")), "localhost")
        admin_path = reverse("admin:index")
        user = get_user_model().objects.create_superuser(f"benchmark-{uuid.uuid4().hex[:12]}", password=None)
        # Public pages as a visitor sees them (no session); the admin as a signed-in superuser.
        visitor, staff = Client(HTTP_HOST=host), Client(HTTP_HOST=host)
        staff.force_login(user)
        self.stdout.write(self.header(options))
        try:
            with override_settings(DEBUG=False):
                for page in pages:
                    self.measure(staff if page.path.startswith(admin_path) else visitor, page, options)
                    self.stdout.write(self.line(page))
        finally:
            staff.logout()
            user.delete()
        if missing:
            self.stdout.write(f"Left out (nothing in the database to show): {', '.join(missing)}.")
        if options["json_path"]:
            path = Path(options["json_path"])
            path.write_text(json.dumps({"pages": [page.row() for page in pages]}, indent=2) + "\n")
            self.stdout.write(f"Wrote {path}.")
        failed = [f"{page.name} ({page.status})" for page in pages if page.status != 200]
        if failed:
            raise CommandError(f"Pages that did not answer 200: {', '.join(failed)}.")

    def header(self, options):
        load = ", ".join(f"{value:.2f}" for value in _load_average())
        counts = ", ".join(
            f"{model._meta.verbose_name_plural} {model.objects.count():,}"
            for model in (Partner, Agreement, Project, Meeting)
        )
        database = settings.DATABASES["default"]
        return (
            f"{connection.vendor} {database['NAME']}: {counts}\n"
            f"load average {load}; {options['repeat']} timed requests a page after {options['warmup']} untimed"
            f"{'; cache emptied before each' if options['cold'] else ''}; "
            f"CONN_MAX_AGE {database.get('CONN_MAX_AGE')}\n"
            f"{'page':<42} {'kind':<7} {'p50':>8} {'p95':>8} {'max':>8} {'first':>8} {'queries':>7}  status"
        )

    def line(self, page):
        row = page.row()
        return (
            f"{page.name[:42]:<42} {page.kind:<7} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} {row['max_ms']:8.1f} "
            f"{page.first_ms:8.1f} {page.queries:7d}  {page.status}"
        )

    def request(self, client, page):
        started = time.perf_counter()
        response = client.get(page.path, secure=True)
        body = response.streaming_content if response.streaming else [response.content]
        size = sum(len(piece) for piece in body)  # the test client closes the response, as a server would
        elapsed = (time.perf_counter() - started) * 1000
        return response.status_code, size, elapsed

    def measure(self, client, page, options):
        cache = caches["default"]
        cache.clear()
        page.status, page.size, page.first_ms = self.request(client, page)
        for _ in range(options["warmup"]):
            self.request(client, page)
        for _ in range(options["repeat"]):
            if options["cold"]:
                cache.clear()
            status, _size, elapsed = self.request(client, page)
            page.status = status if status != 200 else page.status
            page.times.append(elapsed)
        with CaptureQueriesContext(connection) as captured:
            self.request(client, page)
        page.queries = len(captured.captured_queries)


def _load_average():
    try:
        with open("/proc/loadavg") as handle:
            return [float(value) for value in handle.read().split()[:3]]
    except OSError:
        return []
