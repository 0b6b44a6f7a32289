"""What the registry's timeline on ``/years/`` is drawn from (cooperation/pictures/relationships.py
``activity_timeline_picture``): the partners in the most published projects and meetings, each
with its projects and meetings per year and its agreements' first signatures per year.

Read from the count tables the lists keep (events.MeetingPartnerCount and MeetingPartnerTotal,
cooperation.ProjectPartnerCount, ProjectPartnerTotal and AgreementPartnerCount, kept by
triggers), and the one agreement of a year in which a partner signed one: at most three queries
whatever the number of records, cached until the data changes (cooperation/core/cache.py).
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import CharField, F, Q, Sum, Value

from cooperation.core.cache import cached
from cooperation.models import Agreement, AgreementPartnerCount, ProjectPartnerCount, ProjectPartnerTotal
from events.models import MeetingPartnerCount, MeetingPartnerTotal
from partners.models import Partner

# The partners the registry's timeline draws, a lane each: those in the most published projects
# and meetings (the ranking of the partners list's chart); the rest are a link to that list.
TIMELINE_PARTNERS = 12
PARTNER_NAME_FIELDS = ("slug", "name", "name_az", "name_ru", "acronym", "acronym_az", "acronym_ru")
AGREEMENT_TITLE_FIELDS = ("slug", "title", "title_az", "title_ru", "short_title", "short_title_az", "short_title_ru")


@dataclass
class Signing:
    """The agreements with a partner first signed in one year: ``count`` of them; where there is
    one, its slug, titles and date (the stored partial date)."""

    year: int
    count: int
    slug: str = ""
    title: str = ""
    title_az: str = ""
    title_ru: str = ""
    short_title: str = ""
    short_title_az: str = ""
    short_title_ru: str = ""
    date: int = 0


@dataclass
class PartnerActivity:
    """One partner's relationship with the registry in numbers: its names, how many published
    projects and meetings it is in (undated ones included), their years as the count tables keep
    them (``*_spans``: [(first year, last year, how many)], a record in one span only, so that the
    records of any years are counted exactly, as the lists filtered by those years count them),
    and its agreements' first signatures by year."""

    slug: str
    name: str
    name_az: str = ""
    name_ru: str = ""
    acronym: str = ""
    acronym_az: str = ""
    acronym_ru: str = ""
    projects: int = 0
    meetings: int = 0
    project_spans: list = field(default_factory=list)
    meeting_spans: list = field(default_factory=list)
    signings: list = field(default_factory=list)

    @property
    def agreements(self) -> int:
        """Its published agreements with a dated signature."""
        return sum(signing.count for signing in self.signings)

    @staticmethod
    def _during(spans: list, first: int, last: int) -> int:
        return sum(count for lo, hi, count in spans if lo <= last and hi >= first)

    def projects_during(self, first: int, last: int) -> int:
        """Its projects active in any year from ``first`` to ``last``."""
        return self._during(self.project_spans, first, last)

    def meetings_during(self, first: int, last: int) -> int:
        """Its meetings on any year from ``first`` to ``last``."""
        return self._during(self.meeting_spans, first, last)

    @property
    def span(self) -> tuple[int, int] | None:
        """(first, last): the years its lane draws, from the first with any of its records to
        the last; None when none is dated."""
        spans = [*self.project_spans, *self.meeting_spans, *((s.year, s.year, s.count) for s in self.signings)]
        return (min(lo for lo, _, _ in spans), max(hi for _, hi, _ in spans)) if spans else None


@dataclass
class RegistryActivity:
    partners: list  # [PartnerActivity], most projects and meetings first
    total: int  # published partners in any published project or meeting


def registry_activity(limit: int = TIMELINE_PARTNERS) -> RegistryActivity:
    """The ``limit`` published partners in the most published projects and meetings, with their
    projects and meetings per year and their agreements' signatures per year: three queries at
    most (the ranking, read from the count tables the lists keep; one ``UNION ALL`` of their rows
    of those tables, signatures by year included; the agreement of a year in which a partner
    signed one), cached until the data changes. Its size grows with the partners and years
    drawn, never with the number of records."""
    return cached("registry-activity", [limit], lambda: compute_registry_activity(limit))


def _ranked(limit: int) -> list[dict]:
    """The ``limit`` published partners with the most published projects and meetings (each
    row's ``project_total``, ``meeting_total``, and ``ranked``: how many partners have any), most
    first, then by name. The two total tables (one row a partner) are added up in one grouped
    read and joined to the partners: correlated reads of them for each of 10,000 partners took
    105 ms cold."""
    partner = Partner._meta.db_table
    columns = ", ".join(f'p."{name}"' for name in PARTNER_NAME_FIELDS)
    sql = f"""
        SELECT p.id, {columns}, t.projects, t.meetings, COUNT(*) OVER ()
        FROM (
            SELECT partner_id, SUM(projects) AS projects, SUM(meetings) AS meetings FROM (
                SELECT partner_id, n AS projects, 0 AS meetings FROM {ProjectPartnerTotal._meta.db_table} WHERE n > 0
                UNION ALL
                SELECT partner_id, 0, n FROM {MeetingPartnerTotal._meta.db_table} WHERE n > 0
            ) totals GROUP BY partner_id
        ) t JOIN {partner} p ON p.id = t.partner_id
        WHERE p.published
        ORDER BY t.projects + t.meetings DESC, p.name, p.id
        LIMIT %s
    """
    names = ["pk", *PARTNER_NAME_FIELDS, "project_total", "meeting_total", "ranked"]
    with connection.cursor() as cursor:
        cursor.execute(sql, [limit])
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _single_signings(years: list[tuple[int, int]]) -> dict[tuple[int, int], dict]:
    """{(partner, year): the slug, titles and date of the one published agreement the partner
    signed that year}, for each of ``years`` in which it signed one (one query: a few of the
    partners' agreements, where grouping all of them by year to find these took 17-28 ms)."""
    by_partner = {}
    for partner, year in years:
        by_partner.setdefault(partner, []).append(year)
    if not by_partner:
        return {}
    # One condition a partner (a condition a year would nest too deep for SQLite: a thousand pairs).
    condition = Q()
    for partner, its_years in by_partner.items():
        condition |= Q(partner_id=partner, agreement__signed__year__in=its_years)
    rows = (
        Agreement.parties.through.objects.filter(condition, agreement__published=True)
        .order_by()
        .values("partner_id", *(f"agreement__{name}" for name in (*AGREEMENT_TITLE_FIELDS, "signed")))
    )
    return {
        (row["partner_id"], int(row["agreement__signed"]) // 10000): {
            **{name: row[f"agreement__{name}"] or "" for name in AGREEMENT_TITLE_FIELDS},
            "date": int(row["agreement__signed"]),
        }
        for row in rows
    }


def compute_registry_activity(limit: int) -> RegistryActivity:
    ranked = _ranked(limit)
    if not ranked:
        return RegistryActivity([], 0)
    partners = {
        row["pk"]: PartnerActivity(
            **{name: row[name] or "" for name in PARTNER_NAME_FIELDS},
            projects=row["project_total"],
            meetings=row["meeting_total"],
        )
        for row in ranked
    }
    ids = list(partners)

    def counted(model, kind):
        return (
            model.objects.filter(partner_id__in=ids, first_year__gt=0, n__gt=0)
            .order_by()
            .values(row_partner=F("partner_id"), first=F("first_year"), last=F("last_year"))
            .annotate(row_kind=Value(kind, output_field=CharField()), records=Sum("n"))
        )

    # An agreement's first and last year in its count tables are both the year it was signed (0: not).
    rows = counted(MeetingPartnerCount, "meeting").union(
        counted(ProjectPartnerCount, "project"), counted(AgreementPartnerCount, "signing"), all=True
    )
    signed = []  # (partner, year, how many agreements it signed that year)
    for row in rows:
        if row["row_kind"] == "signing":
            signed.append((row["row_partner"], row["first"], row["records"]))
            continue
        partner = partners[row["row_partner"]]
        spans = partner.meeting_spans if row["row_kind"] == "meeting" else partner.project_spans
        spans.append((row["first"], max(row["first"], row["last"]), row["records"]))
    # Where a partner signed one agreement in a year, its mark leads to it.
    agreements = _single_signings([(partner, year) for partner, year, count in signed if count == 1])
    for partner, year, count in signed:
        partners[partner].signings.append(Signing(year, count, **agreements.get((partner, year), {})))
    for partner in partners.values():
        partner.signings.sort(key=lambda signing: signing.year)
        partner.project_spans.sort()
        partner.meeting_spans.sort()
    return RegistryActivity(list(partners.values()), ranked[0]["ranked"])
