"""Read queries for the year pages (the index of years and one year's records), whose counts the
home page shows too (its own reads: cooperation/pages/home.py). Each reads published records
only, with a fixed number of queries whatever the number of records, and caches what it computes
until the data changes (cooperation/core/cache.py).
"""

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connections
from django.db.models import (
    Count,
    F,
    Model,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from cooperation.core.cache import cached
from cooperation.core.date_words import ordinal_year
from cooperation.core.export_rows import row_class
from cooperation.core.partial_dates import MAX_YEAR, MIN_YEAR, PartialYear, spans_years_condition, stored_integer
from cooperation.core.related import RELATED_LIMIT, Some
from cooperation.core.spans import per_year
from cooperation.models import (
    Agreement,
    AgreementStageYears,
    Project,
    YearTally,
)
from cooperation.models.tallies import NO_YEAR
from cooperation.selectors import published_project_partners
from events.models import Meeting
from partners.models import Office, Partner

# Years -----------------------------------------------------------------------------------

TALLIED = {Meeting: "meeting", Project: "project"}  # the kinds YearTally counts


def projects_active_in(years: Iterable[int], queryset: QuerySet | None = None) -> QuerySet:
    """Published projects active in any of ``years`` (the rule of ``Project.objects.active_in``)."""
    queryset = Project.objects.published() if queryset is None else queryset
    return queryset.active_in(list(years))


@dataclass
class YearCounts:
    """How many records of each kind have something happen in one year."""

    year: int
    agreements: int = 0  # with any stage (signed, ratified, in force, ended) that year
    offices: int = 0  # opened or closed that year
    projects: int = 0  # active that year, or ended that year
    meetings: int = 0  # on that year: from the year of their start to that of their end

    @property
    def total(self) -> int:
        return self.agreements + self.offices + self.projects + self.meetings


def _grouped(queryset, **years):
    """Rows of distinct year combinations with how many records share each (one query)."""
    return queryset.order_by().values(**years).annotate(rows=Count("pk"))


YEAR_KINDS = ("agreements", "offices", "projects", "meetings")  # YearCounts' counts


def year_index() -> dict[int, YearCounts]:
    """Every year with a published record, oldest first, with counts per kind: four queries
    (three of count tables, the offices grouped), whatever the number of records, cached until
    the data changes. Nothing in it
    depends on today's date: a project counts only in the years its sources support."""
    return cached("year-index", [], compute_year_index)


def compute_year_index() -> dict[int, YearCounts]:
    # Each kind's records as spans of years (first, last, records), counted year by year at the
    # end (cooperation/core/spans.py): the tallies' thousands of spans took 12 ms to add up one
    # year at a time.
    spans: dict[str, list[tuple[int, int, int]]] = {kind: [] for kind in YEAR_KINDS}
    # Agreements from their count table by the years of their stages (0: a stage not recorded).
    stages = [f"{name}_year" for name, _status in Agreement.STAGES]
    for *years, records in AgreementStageYears.objects.filter(n__gt=0).values_list(*stages, "n"):
        spans["agreements"] += [(year, year, records) for year in set(years) - {0}]
    for row in _grouped(
        Office.objects.published(), opened_year=PartialYear(F("opened")), closed_year=PartialYear(F("closed"))
    ):
        spans["offices"] += [(year, year, row["rows"]) for year in {row["opened_year"], row["closed_year"]} - {None}]
    # Projects and meetings from the tally the database keeps (cooperation/models/tallies.py):
    # a few hundred rows instead of grouping a million meetings.
    for row in year_tally("project"):
        first, last = row["first"], row["last"]
        active = (first, Project.last_active_year(first, last, row["status"], row["as_of"])) if first else None
        if active and active[1] >= first:
            spans["projects"].append((*active, row["rows"]))
        if last is not None and not (active and active[0] <= last <= active[1]):
            spans["projects"].append((last, last, row["rows"]))  # an end year outside its active years
    for row in year_tally("meeting"):
        if row["first"] is not None:
            spans["meetings"].append((row["first"], max(row["first"], row["last"] or row["first"]), row["rows"]))

    counts: dict[int, YearCounts] = {}
    for kind, found in spans.items():
        for year, number in per_year(found).items():
            setattr(counts.setdefault(year, YearCounts(year)), kind, number)
    return dict(sorted(counts.items()))


def year_tally(kind: str) -> list[dict]:
    """The published records of ``kind`` ("meeting", "project") grouped by their years (and
    status): [{"first", "last", "status", "as_of", "rows"}], None for an undated year (one query
    of the tally, whatever the number of records)."""

    def year(value):
        return None if value == NO_YEAR else value

    return [
        {"first": year(first), "last": year(last), "status": status, "as_of": year(as_of), "rows": rows}
        for first, last, status, as_of, rows in YearTally.objects.filter(kind=kind, records__gt=0).values_list(
            "first", "last", "status", "as_of", "records"
        )
    ]


def published_count(model: type[Model]) -> int:
    """How many published records of ``model``: from the tally for meetings and projects (one
    small query instead of counting a million rows), else counted."""
    kind = TALLIED.get(model)
    if kind is None:
        return model.objects.published().count()
    return YearTally.objects.filter(kind=kind).aggregate(total=Sum("records"))["total"] or 0


def parse_year(value: object) -> int | None:
    """The year a URL names, or None when it names none the registry can hold."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if MIN_YEAR <= year <= MAX_YEAR else None


@dataclass
class YearLists:
    agreement_stages: list  # [(label, field, Some of agreements)] in stage order
    offices_opened: Some
    offices_closed: Some
    projects_started: Some
    projects_ended: Some
    projects_ran: Some
    meetings: Some


def _year_list(name):
    return property(lambda page: getattr(page.lists, name))


class YearPage:
    """One year: its counts and neighbours at once, its lists (:class:`YearLists`) only when
    something reads them, so a page whose lists are rendered HTML already in the cache (the
    view's) never loads them."""

    def __init__(
        self, year: int, counts: YearCounts, previous: int | None, next: int | None, load: Callable[[], YearLists]
    ) -> None:
        self.year, self.counts, self.previous, self.next = year, counts, previous, next
        self._load = load

    @cached_property
    def lists(self) -> YearLists:
        return self._load()

    @property
    def year_words(self) -> str:
        """The year as a sentence writes it in the page's language: "2010" in English and Russian,
        "2010-cu" (its ordinal ending) in Azerbaijani, before "ildə" or "ilin"."""
        return ordinal_year(self.year)

    agreement_stages = _year_list("agreement_stages")
    offices_opened = _year_list("offices_opened")
    offices_closed = _year_list("offices_closed")
    projects_started = _year_list("projects_started")
    projects_ended = _year_list("projects_ended")
    projects_ran = _year_list("projects_ran")
    meetings = _year_list("meetings")

    @property
    def project_lists(self) -> list[tuple[str, str, Some]]:
        """[(field, label, Some of projects)]: those that started, ended and ran in the year."""
        return [
            ("started", _("Started"), self.projects_started),
            ("ended", _("Ended"), self.projects_ended),
            ("ran", _("Running"), self.projects_ran),
        ]


def year_page(year: int) -> YearPage | None:
    """Everything that happened in ``year``, or None when nothing did (a 404): its counts from
    the year index (cached until the data changes), its lists read when first used.

    Agreements signed, ratified (or approved or acceded to), entered into force or ended; offices opened or closed;
    projects that started, ended or ran; meetings: at most :data:`RELATED_LIMIT` of each, oldest
    first, with how many there are in all (the lists filtered by the year have every one), and
    published related records only; previous and next are the nearest years that hold records.
    """
    index = year_index()
    if year not in index:
        return None
    years = list(index)
    position = years.index(year)
    return YearPage(
        year=year,
        counts=index[year],
        previous=years[position - 1] if position > 0 else None,
        next=years[position + 1] if position + 1 < len(years) else None,
        load=lambda: compute_year_lists(year, index),
    )


def _stored_values(queryset: QuerySet) -> list[tuple]:
    """The rows of a ``values_list`` query as the database returns them, without the ORM's
    converters: a partial date is its stored YYYYMMDD integer (``int()`` of the PartialDate).
    Making a PartialDate of each of 17,000 project dates took longer than their query. Read
    from the database the router reads the query from, in no order (the callers sort the rows
    themselves: the model's own order cost a sort of the 8,372 projects of 2010, titles and all)."""
    sql, params = queryset.order_by().query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _first_of_year(rows: Iterable[tuple], year: int, name: Callable[[tuple], str]) -> tuple[list, int]:
    """The pks of the first RELATED_LIMIT of ``rows`` — (pk, stored date, …) — dated in ``year``,
    in date order, then by ``name(row)`` (what the record's ``str()`` gives), then pk, and how many
    are."""
    found = sorted(
        (row[1], name(row).casefold(), row[0]) for row in rows if row[1] is not None and row[1] // 10000 == year
    )
    return [pk for _date, _name, pk in found[:RELATED_LIMIT]], len(found)


def _earliest(rows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (date, pk) ``rows`` that can be among the first RELATED_LIMIT in date order whatever
    their names: those dated no later than the RELATED_LIMIT-th (its ties included)."""
    if len(rows) <= RELATED_LIMIT:
        return rows
    last = heapq.nsmallest(RELATED_LIMIT, rows)[-1][0]
    return [row for row in rows if row[0] <= last]


def _found(records: dict, pks: list) -> list:
    """The records of ``pks`` in that order, those still there (``records``: ``in_bulk``)."""
    return [records[pk] for pk in pks if pk in records]


def _names(model: type[Model], fields: tuple[str, ...]) -> Callable[[tuple], str]:
    """``str()`` of a ``model`` record from the values of ``fields`` at the end of a row, without
    making the record (its own ``__str__``, on a light row: cooperation/core/export_rows.py)."""
    make = row_class(model)
    return lambda row: str(make(dict(zip(fields, row[-len(fields) :], strict=True))))


def _first_tallied_year(kind: str, year: int, on_year: Q) -> Coalesce:
    """The first year a published record of ``kind`` that the tally has ``on_year`` started in,
    of those that started no later than ``year`` (``year`` itself when none did): a lower bound of
    their starts, as a subquery of the query that reads them."""
    earlier = YearTally.objects.filter(on_year, kind=kind, first__gt=NO_YEAR, first__lte=year, records__gt=0)
    return Coalesce(Subquery(earlier.order_by("first").values("first")[:1]), Value(year))


def _first_running_year(year: int) -> Coalesce:
    """The first year a published meeting on ``year`` started in, of those that started before it."""
    return _first_tallied_year("meeting", year, Q(first__lt=year, last__gte=year))


def _first_project_year(year: int) -> Coalesce:
    """The first year a published project active in ``year`` or ended in it started in (the rule
    of ``Project.objects.active_in``)."""
    running = (
        Q(last__gte=year)
        | Q(last=NO_YEAR, first=year)
        | Q(last=NO_YEAR, status=Project.Status.ONGOING, as_of__gte=year)
    )
    return _first_tallied_year("project", year, running)


def compute_year_lists(year: int, index: dict[int, YearCounts]) -> YearLists:
    """The :class:`YearLists` of a year in ``index`` (11 queries). Agreements, offices and
    projects: the dates and names of every one that counts in the year (one light query each),
    then the records shown, at most RELATED_LIMIT a list (one query each, and one for their
    partners). Meetings are many: only the ones shown are read."""
    stage_names = [name for name, _status in Agreement.STAGES]
    agreement_rows = _stored_values(
        Agreement.objects.published()
        .filter(Q(signed__year=year) | Q(ratified__year=year) | Q(in_force__year=year) | Q(ended__year=year))
        .values_list("pk", *stage_names, *Agreement.NAME_FIELDS)
    )
    agreement_name = _names(Agreement, Agreement.NAME_FIELDS)
    firsts = {
        name: _first_of_year(((row[0], row[position], *row) for row in agreement_rows), year, agreement_name)
        for position, name in enumerate(stage_names, start=1)
    }
    agreements = (
        Agreement.objects.published()
        .prefetch_related(Prefetch("parties", queryset=Partner.objects.published(), to_attr="public_parties"))
        .in_bulk({pk for pks, _count in firsts.values() for pk in pks})
    )
    # (A record unpublished between the two reads is left out, as it is from the projects' lists.)
    stages = [
        (Agreement.STAGE_LABELS[name], name, Some(_found(agreements, firsts[name][0]), firsts[name][1]))
        for name in stage_names
    ]

    office_names = ("name", "name_az", "name_ru")
    office_rows = _stored_values(
        Office.objects.published()
        .filter(Q(opened__year=year) | Q(closed__year=year))
        .values_list("pk", "opened", "closed", *office_names)
    )
    office_name = _names(Office, office_names)
    opened = _first_of_year(((row[0], row[1], *row) for row in office_rows), year, office_name)
    closed = _first_of_year(((row[0], row[2], *row) for row in office_rows), year, office_name)
    offices = Office.objects.published().select_related("partner").in_bulk({*opened[0], *closed[0]})

    # Projects: the dates of every one that counts this year (one light query, from a covering
    # index on PostgreSQL: migration cooperation.0026), the names of those that can be among the
    # first RELATED_LIMIT of a list (one query: dated no later than the RELATED_LIMIT-th), then the
    # records shown (one query, and one for their partners). The dated ones start between the
    # first year the tally has one of them start in and the year itself (one that ends in it began
    # before: project_end_after_start), so the index is read between those years, not from the
    # first project's start (90,000 entries for 2010 at the benchmark's size); those without a
    # start that ended in the year are read beside them, in the same query.
    dated = (projects_active_in([year]) | Project.objects.published().filter(end__year=year)).filter(
        GreaterThanOrEqual(stored_integer("start"), _first_project_year(year) * 10000), start__year__lte=year
    )
    undated = Project.objects.published().filter(start__isnull=True, end__year=year)
    columns = ("pk", "start", "end")
    rows = _stored_values(
        dated.order_by().values_list(*columns).union(undated.order_by().values_list(*columns), all=True)
    )
    started, ended, ran = [], [], []
    for pk, start, end in rows:
        starts, ends = start is not None and start // 10000 == year, end is not None and end // 10000 == year
        if starts:
            started.append((start, pk))
        if ends:
            ended.append((end, pk))
        if not starts and not ends:
            ran.append((start or 0, pk))
    firsts = [_earliest(found) for found in (started, ended, ran)]
    candidates = sorted({pk for found in firsts for _date, pk in found})
    named = Project.objects.filter(pk__in=candidates).values_list("pk", "title", "phase")
    names = {
        pk: (f"{title} – {phase}" if phase else title).casefold()  # str(project)
        for pk, title, phase in (_stored_values(named) if candidates else [])
    }
    lists = [sorted((date, (names[pk], pk)) for date, pk in found if pk in names)[:RELATED_LIMIT] for found in firsts]
    shown = {key[1] for found in lists for _date, key in found}
    projects = {
        project.pk: project
        for project in Project.objects.published().filter(pk__in=shown).prefetch_related(published_project_partners())
    }
    started_shown, ended_shown, ran_shown = (
        Some([projects[key[1]] for _date, key in found if key[1] in projects], len(every))
        for found, every in zip(lists, (started, ended, ran), strict=True)
    )

    # The first meetings on the year in date order: those begun in an earlier year and running
    # into it come first, then those starting in it (a range of meeting_published_start). One
    # query of both (Meeting.in_years) scanned every earlier meeting in date order: 1.3 s for 2010
    # at the benchmark's size. The running ones are read whole, without a LIMIT: they are few (25
    # of the 978 meetings of a million that span years), and a LIMIT makes the planner expect to
    # find them early in date order instead of reading the partial index meeting_spanning_start.
    # They start no earlier than the first year of those the tally has running into the year:
    # without that bound the planner expected 11,000 of them and started parallel workers to find
    # 25 (7 ms; 0.3 with it). Read in the same query, so the bound is that of the same data.
    ordered = Meeting.objects.published().order_by("start", "title", "pk")
    running = ordered.filter(
        spans_years_condition("start", "end"),
        Q(GreaterThanOrEqual(stored_integer("start"), _first_running_year(year) * 10000)),
        start__year__lt=year,
        end__year__gte=year,
    )
    shown = [*running, *ordered.filter(start__year=year)[:RELATED_LIMIT]][:RELATED_LIMIT]
    prefetch_related_objects(
        shown, Prefetch("partners", queryset=Partner.objects.published(), to_attr="public_partners")
    )
    meetings = Some(shown, index[year].meetings)
    return YearLists(
        agreement_stages=stages,
        offices_opened=Some(_found(offices, opened[0]), opened[1]),
        offices_closed=Some(_found(offices, closed[0]), closed[1]),
        projects_started=started_shown,
        projects_ended=ended_shown,
        projects_ran=ran_shown,
        meetings=meetings,
    )
