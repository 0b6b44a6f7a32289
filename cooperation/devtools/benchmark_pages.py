"""The pages ``manage.py benchmark`` times, chosen from what the database holds, with their
figures (warm and cold) and the cold target of each kind of page (issue #16, docs/performance.md).

Filter values and records are chosen from the data: the partner with the most meetings, the
busiest year, the commonest kind, a record from the middle of each table, so the figures are for
realistic and for worst cases, not for empty pages. Pages that need a record the database does not
have are left out (and named).
"""

import math
import statistics
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse

from cooperation.core.partial_dates import PartialYear
from cooperation.models import Agreement, Project, Source, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person

KINDS = ("list", "detail", "search", "export", "api")
DEEP_PAGE = 400  # 10,000 rows in, with 25 a page


# The cold targets (p95, ms; issue #16): the first request after a change. Lists with their
# facets, home, the year pages, search and the API's lists 150 ms; a record page 50 ms; the
# admin's meetings changelist 300 ms. Exports and an API record have none.
LIST_TARGET_MS = 150.0
RECORD_TARGET_MS = 50.0
ADMIN_TARGET_MS = 300.0
TARGETS_BY_KIND = {"list": LIST_TARGET_MS, "search": LIST_TARGET_MS, "detail": RECORD_TARGET_MS}


def _percentile(times, share):
    """The nearest-rank percentile of ``times`` (milliseconds), or None without any."""
    ordered = sorted(times)
    return round(ordered[max(0, math.ceil(share * len(ordered)) - 1)], 2) if ordered else None


def _median(times):
    return round(statistics.median(times), 2) if times else None


@dataclass
class Page:
    name: str
    kind: str
    path: str
    target_ms: float | None = None  # the cold p95 target, None for a page without one
    times: list = field(default_factory=list)  # warm: after the untimed requests filled the cache
    cold_times: list = field(default_factory=list)  # each after the cache was emptied
    queries: int | None = None  # of one warm request
    cold_queries: int | None = None  # of one cold request
    status: int = 0
    # Cold also means without the export's stored lines (cooperation/core/export_lines.py): as
    # after ``migrate``, or a change to every record it holds.
    without_lines: bool = False

    def percentile(self, share):
        """The nearest-rank percentile of the warm requests, in milliseconds (0.0 without any)."""
        return _percentile(self.times, share) or 0.0

    def meets_target(self):
        """True or False for a page with a target and cold figures, else None."""
        cold_p95 = _percentile(self.cold_times, 0.95)
        if self.target_ms is None or cold_p95 is None:
            return None
        return cold_p95 <= self.target_ms

    def row(self):
        """The page's figures as ``--json`` writes them; None where a figure was not measured."""
        return {
            "name": self.name,
            "kind": self.kind,
            "path": self.path,
            "p50_ms": _median(self.times),
            "p95_ms": _percentile(self.times, 0.95),
            "max_ms": round(max(self.times), 2) if self.times else None,
            "queries": self.queries,
            "cold_p50_ms": _median(self.cold_times),
            "cold_p95_ms": _percentile(self.cold_times, 0.95),
            "cold_max_ms": round(max(self.cold_times), 2) if self.cold_times else None,
            "cold_queries": self.cold_queries,
            "cold_target_ms": self.target_ms,
            "cold_meets_target": self.meets_target(),
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

    def add(name, kind, path, target_ms=None, without_lines=False):
        if path is None:
            missing.append(name)
        else:
            pages.append(Page(name, kind, path, target_ms or TARGETS_BY_KIND.get(kind), without_lines=without_lines))

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
    # Charts (cooperation/pictures/): the year index, the projects and partners lists and a
    # topic's page above draw theirs (from the count tables); two partners ticked are a filter
    # no count table answers, so the projects' chart is grouped from the projects themselves.
    other = middle(Partner, Partner.objects.published().exclude(slug=partner))
    add(
        "projects with two partners (chart grouped on the fly)",
        "list",
        f"/projects/?partner={partner}&partner={other.slug}" if partner and other else None,
    )

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
    projects_csv = at("/projects/", query(topic=topic, format="csv"))
    add("projects CSV, one topic", "export", projects_csv)
    add("projects CSV made anew, one topic", "export", projects_csv, without_lines=True)
    add("meetings calendar", "export", reverse("events:meeting-calendar"))
    add("meetings calendar made anew", "export", reverse("events:meeting-calendar"), without_lines=True)
    add("sitemap", "export", reverse("cooperation:sitemap"))

    add("API meetings", "api", "/api/meetings/", LIST_TARGET_MS)
    add("API projects with one filter", "api", at("/api/projects/", query(partner=partner)), LIST_TARGET_MS)
    add("API meeting", "api", f"/api/meetings/{sample.slug}/" if sample else None)
    add("admin meetings changelist", "list", reverse("admin:events_meeting_changelist"), ADMIN_TARGET_MS)
    return pages, missing
