"""Read queries for the record pages, the year pages and the home page.

Every function here returns what one page needs with a fixed number of SQL queries, whatever
the number of related rows: related records come through ``Prefetch`` objects whose querysets
hold published records only, so a page never links to a draft. Templates read the prefetched
lists (``public_*`` attributes) and trigger no queries.

The first part holds what every record page shares: citations, claims and timelines.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, F, Prefetch, Q
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst

from cooperation.core.partial_dates import MAX_YEAR, MIN_YEAR, PartialDate, PartialYear, format_range
from cooperation.models import Agreement, Citation, Claim, Project, ProjectPartner, Source, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person

# Shared by every record page -------------------------------------------------------------


def source_prefetches():
    """Citations and claims of a record, from published sources only (``public_citations``,
    ``public_claims``): two queries, whatever their number."""
    return [
        Prefetch(
            "citations",
            queryset=Citation.objects.filter(source__published=True).select_related("source"),
            to_attr="public_citations",
        ),
        Prefetch(
            "claims",
            queryset=Claim.objects.filter(source__published=True).select_related("source"),
            to_attr="public_claims",
        ),
    ]


@dataclass
class ClaimGroup:
    """What the sources say of one fact of a record."""

    field: str
    label: str
    claims: list

    @property
    def disagree(self):
        return len({" ".join(claim.value.split()).casefold() for claim in self.claims}) > 1

    @property
    def preferred(self):
        return next((claim for claim in self.claims if claim.preferred), None)


def _field_label(model, name):
    try:
        return capfirst(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return capfirst(name.replace("_", " "))


def sources_context(record, shown_fields=()):
    """Template context for the "Sources" section and the claims shown under each fact.

    ``claims`` maps a field name to its :class:`ClaimGroup` (the template shows it under that
    fact); ``other_claims`` lists the groups for facts the page does not show as such.
    """
    grouped = defaultdict(list)
    for claim in record.public_claims:
        grouped[claim.field].append(claim)
    claims = {name: ClaimGroup(name, _field_label(type(record), name), items) for name, items in grouped.items()}
    return {
        "citations": record.public_citations,
        "claims": claims,
        "other_claims": [group for name, group in claims.items() if name not in shown_fields],
    }


@dataclass(frozen=True)
class TimelineEntry:
    """One dated event on a timeline: a partial date (or a range), what happened, and a link."""

    date: PartialDate | None
    kind: str
    text: str
    url: str = ""
    detail: str = ""
    end: PartialDate | None = None
    order: int = 0  # which of several events on the same date comes first

    @property
    def when(self):
        return format_range(self.date, self.end)

    @property
    def sort_key(self):
        return (int(self.date) if self.date else 0, self.order, self.text.casefold())


@dataclass
class Timeline:
    """Entries oldest to newest; those without a date after them, under "Date not recorded"."""

    dated: list = field(default_factory=list)
    undated: list = field(default_factory=list)

    @classmethod
    def build(cls, entries):
        entries = sorted(entries, key=lambda entry: entry.sort_key)
        return cls(
            dated=[entry for entry in entries if entry.date is not None],
            undated=[entry for entry in entries if entry.date is None],
        )

    def __len__(self):
        return len(self.dated) + len(self.undated)


# The order of events that share a date on a timeline.
ORDER_OFFICE_OPENED = 10
ORDER_AGREEMENT_STAGE = 20  # + the stage's index: signed, ratified, in force, ended
ORDER_PROJECT_STARTED = 30
ORDER_MEETING = 40
ORDER_POST_STARTED = 50
ORDER_PROJECT_ENDED = 60
ORDER_POST_ENDED = 65
ORDER_OFFICE_CLOSED = 80

STAGE_LABELS = {
    "signed": "Signed",
    "ratified": "Ratified",
    "in_force": "Entered into force",
    "ended": "Ended",
}


@dataclass(frozen=True)
class Stage:
    field: str
    label: str
    date: PartialDate | None
    place: str = ""


def agreement_stages(agreement, recorded_only=False):
    """Signed, ratified, entered into force, ended: each stage with its date (and place)."""
    stages = []
    for name, _status in Agreement.STAGES:
        date = getattr(agreement, name)
        if date is None and (recorded_only or name == "ended"):
            continue
        place = agreement.signed_place if name == "signed" else ""
        stages.append(Stage(name, STAGE_LABELS[name], date, place))
    return stages


def agreement_timeline_entries(agreement):
    """Each recorded stage of an agreement as its own timeline entry (undated if none is)."""
    entries = [
        TimelineEntry(
            date=stage.date,
            kind=f"Agreement {stage.label[0].lower()}{stage.label[1:]}",
            text=str(agreement),
            url=agreement.get_absolute_url(),
            detail=f"in {stage.place}" if stage.place else "",
            order=ORDER_AGREEMENT_STAGE + index,
        )
        for index, stage in enumerate(agreement_stages(agreement, recorded_only=True))
    ]
    if not entries:
        entries.append(TimelineEntry(None, "Agreement", str(agreement), agreement.get_absolute_url()))
    return entries


def project_timeline_entries(project, detail=""):
    url = project.get_absolute_url()
    entries = []
    if project.start is not None or project.end is None:
        kind = "Project started" if project.start is not None else "Project"
        entries.append(TimelineEntry(project.start, kind, str(project), url, detail, order=ORDER_PROJECT_STARTED))
    if project.end is not None:
        entries.append(
            TimelineEntry(project.end, "Project ended", str(project), url, detail, order=ORDER_PROJECT_ENDED)
        )
    return entries


def meeting_timeline_entry(meeting):
    return TimelineEntry(
        date=meeting.start,
        end=meeting.end,
        kind=meeting.get_kind_display(),
        text=meeting.title,
        url=meeting.get_absolute_url(),
        detail=meeting.place,
        order=ORDER_MEETING,
    )


# Partners with their roles ---------------------------------------------------------------


ROLE_ORDER = list(ProjectPartner.Role.values)


@dataclass
class RoleGroup:
    role: str
    label: str
    partners: list


def partners_by_role(project):
    """A project's published partners grouped by role: implementing, funding, beneficiary, other."""
    groups = {}
    for link in sorted(project.public_project_partners, key=lambda link: ROLE_ORDER.index(link.role)):
        group = groups.setdefault(link.role, RoleGroup(link.role, link.get_role_display(), []))
        group.partners.append(link.partner)
    return list(groups.values())


def published_project_partners():
    return Prefetch(
        "project_partners",
        queryset=ProjectPartner.objects.filter(partner__published=True).select_related("partner"),
        to_attr="public_project_partners",
    )


# Agreement, project, topic and source pages ----------------------------------------------


def agreement_detail_queryset():
    """Published agreements with their published parties, projects, meetings and sources
    (1 + 5 queries)."""
    return Agreement.objects.published().prefetch_related(
        Prefetch("parties", queryset=Partner.objects.published(), to_attr="public_parties"),
        Prefetch("projects", queryset=Project.objects.published(), to_attr="public_projects"),
        Prefetch("meetings", queryset=Meeting.objects.published(), to_attr="public_meetings"),
        *source_prefetches(),
    )


# The facts whose claims each page shows under the fact itself (the others go under "Sources").
AGREEMENT_FACT_FIELDS = ("signed", "signed_place", "ratified", "in_force", "ended", "legal_notes")


def agreement_context(agreement):
    context = sources_context(agreement, AGREEMENT_FACT_FIELDS)
    stages = agreement_stages(agreement)
    if agreement.ended is None and "ended" in context["claims"]:
        stages.append(Stage("ended", STAGE_LABELS["ended"], None))
    return {"stages": stages, **context}


def project_detail_queryset():
    """Published projects with their published partners (and roles), topics, agreements,
    meetings and sources (1 + 6 queries)."""
    return Project.objects.published().prefetch_related(
        published_project_partners(),
        Prefetch("topics", queryset=Topic.objects.published(), to_attr="public_topics"),
        Prefetch("agreements", queryset=Agreement.objects.published(), to_attr="public_agreements"),
        Prefetch("meetings", queryset=Meeting.objects.published(), to_attr="public_meetings"),
        *source_prefetches(),
    )


PROJECT_FACT_FIELDS = ("start", "end", "status")


def project_context(project):
    return {
        "role_groups": partners_by_role(project),
        **sources_context(project, PROJECT_FACT_FIELDS),
    }


def topic_detail_queryset():
    """Published topics with their published projects (each with its published partners and
    agreements) and sources (1 + 5 queries)."""
    projects = Project.objects.published().prefetch_related(
        published_project_partners(),
        Prefetch("agreements", queryset=Agreement.objects.published(), to_attr="public_agreements"),
    )
    return Topic.objects.published().prefetch_related(
        Prefetch("projects", queryset=projects, to_attr="public_projects"),
        Prefetch("agreements", queryset=Agreement.objects.published(), to_attr="public_agreements"),
        *source_prefetches(),
    )


def _newest_first(records, date_name):
    return sorted(
        records,
        key=lambda record: (getattr(record, date_name) is None, -int(getattr(record, date_name) or 0), str(record)),
    )


def topic_context(topic):
    """The topic's agreements: those on the topic and those its projects rest on; its partners,
    those of its projects."""
    agreements = {agreement.pk: agreement for agreement in topic.public_agreements}
    partners = {}
    for project in topic.public_projects:
        for agreement in project.public_agreements:
            agreements[agreement.pk] = agreement
        for link in project.public_project_partners:
            partners[link.partner.pk] = link.partner
    return {
        "agreements": _newest_first(agreements.values(), "signed"),
        "partners": sorted(partners.values(), key=lambda partner: partner.name.casefold()),
        **sources_context(topic),
    }


def source_detail_queryset():
    return Source.objects.published().prefetch_related(*source_prefetches())


CITING_MODELS = [Partner, Agreement, Project, Meeting, Office, Person, Topic]


@dataclass
class CitedBy:
    label: str
    records: list


def source_cited_by(source):
    """The published records that cite a source or rest a claim on it: one query per kind."""
    groups = []
    for model in CITING_MODELS:
        records = list(
            model.objects.published().filter(Q(citations__source=source) | Q(claims__source=source)).distinct()
        )
        if records:
            groups.append(CitedBy(capfirst(model._meta.verbose_name_plural), records))
    return groups


def source_context(source):
    return {
        "cited_by": source_cited_by(source),
        **sources_context(source),
    }


# Years -----------------------------------------------------------------------------------


def projects_active_in(years, queryset=None, today=None):
    """Published projects active in any of ``years`` (the rule of ``Project.objects.active_in``)."""
    queryset = Project.objects.published() if queryset is None else queryset
    return queryset.active_in(list(years), today=today)


@dataclass
class YearCounts:
    """How many records of each kind have something happen in one year."""

    year: int
    agreements: int = 0  # with any stage (signed, ratified, in force, ended) that year
    offices: int = 0  # opened or closed that year
    projects: int = 0  # active that year, or ended that year
    meetings: int = 0  # starting that year

    @property
    def total(self):
        return self.agreements + self.offices + self.projects + self.meetings


def _grouped(queryset, **years):
    """Rows of distinct year combinations with how many records share each (one query)."""
    return queryset.order_by().values(**years).annotate(rows=Count("pk"))


def year_index(today=None):
    """Every year with a published record, oldest first, with counts per kind: four grouped
    queries, whatever the number of records."""
    this_year = (today or datetime.date.today()).year
    counts = {}

    def add(years, kind, number):
        for year in years:
            if year is not None:
                entry = counts.setdefault(year, YearCounts(year))
                setattr(entry, kind, getattr(entry, kind) + number)

    stages = {f"{name}_year": PartialYear(F(name)) for name, _status in Agreement.STAGES}
    for row in _grouped(Agreement.objects.published(), **stages):
        add({row[alias] for alias in stages}, "agreements", row["rows"])
    for row in _grouped(
        Office.objects.published(), opened_year=PartialYear(F("opened")), closed_year=PartialYear(F("closed"))
    ):
        add({row["opened_year"], row["closed_year"]}, "offices", row["rows"])
    project_rows = _grouped(
        Project.objects.published(), first=PartialYear(F("start")), last=PartialYear(F("end")), status_value=F("status")
    )
    for row in project_rows:
        years = {row["last"]}
        if row["first"] is not None:
            last = Project.last_active_year(row["first"], row["last"], row["status_value"], this_year)
            years.update(range(row["first"], last + 1))
        add(years, "projects", row["rows"])
    for row in _grouped(Meeting.objects.published(), year=PartialYear(F("start"))):
        add({row["year"]}, "meetings", row["rows"])
    return dict(sorted(counts.items()))


def parse_year(value):
    """The year a URL names, or None when it names none the registry can hold."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _by_date(records, date_name):
    return sorted(records, key=lambda record: (int(getattr(record, date_name)), str(record).casefold()))


@dataclass
class YearPage:
    year: int
    counts: YearCounts
    previous: int | None
    next: int | None
    agreement_stages: list  # [(label, [agreements])] in stage order
    offices_opened: list
    offices_closed: list
    projects_started: list
    projects_ended: list
    projects_ran: list
    meetings: list


def year_page(year, today=None):
    """Everything that happened in ``year``, or None when nothing did (a 404).

    Agreements signed, ratified, entered into force or ended; offices opened or closed;
    projects that started, ended or ran; meetings. Each list oldest first, with published
    related records only; previous and next are the nearest years that hold records.
    """
    index = year_index(today)
    if year not in index:
        return None
    years = list(index)
    position = years.index(year)

    agreements = list(
        Agreement.objects.published()
        .filter(Q(signed__year=year) | Q(ratified__year=year) | Q(in_force__year=year) | Q(ended__year=year))
        .prefetch_related(Prefetch("parties", queryset=Partner.objects.published(), to_attr="public_parties"))
    )
    stages = []
    for name, _status in Agreement.STAGES:
        happened = [a for a in agreements if getattr(a, name) is not None and getattr(a, name).year == year]
        stages.append((STAGE_LABELS[name], name, _by_date(happened, name)))

    offices = list(
        Office.objects.published().filter(Q(opened__year=year) | Q(closed__year=year)).select_related("partner")
    )
    projects = list(
        (projects_active_in([year], today=today) | Project.objects.published().filter(end__year=year)).prefetch_related(
            published_project_partners()
        )
    )
    started = [p for p in projects if p.start is not None and p.start.year == year]
    ended = [p for p in projects if p.end is not None and p.end.year == year]
    listed = {p.pk for p in started} | {p.pk for p in ended}
    ran = [p for p in projects if p.pk not in listed]
    meetings = list(
        Meeting.objects.published()
        .filter(start__year=year)
        .order_by("start", "title")
        .prefetch_related(Prefetch("partners", queryset=Partner.objects.published(), to_attr="public_partners"))
    )
    return YearPage(
        year=year,
        counts=index[year],
        previous=years[position - 1] if position > 0 else None,
        next=years[position + 1] if position + 1 < len(years) else None,
        agreement_stages=stages,
        offices_opened=_by_date([o for o in offices if o.opened is not None and o.opened.year == year], "opened"),
        offices_closed=_by_date([o for o in offices if o.closed is not None and o.closed.year == year], "closed"),
        projects_started=_by_date(started, "start"),
        projects_ended=_by_date(ended, "end"),
        projects_ran=_by_date(ran, "start"),
        meetings=meetings,
    )


# Home ------------------------------------------------------------------------------------

HOME_COUNTED_MODELS = [Partner, Agreement, Project, Meeting, Office, Person, Topic, Source]
HOME_NEWEST = 5


@dataclass
class KindCount:
    label: str
    count: int
    url: str = ""


@dataclass
class ScopeGroup:
    scope: str
    label: str
    partners: list


def home_context(today=None):
    """What the registry holds (a count per kind), the newest agreements, projects and
    meetings, and the ways in: partners by scope, topics with their projects, years."""
    counts = []
    for model in HOME_COUNTED_MODELS:
        try:
            url = reverse(f"{model._meta.app_label}:{model._meta.model_name}-list")
        except NoReverseMatch:
            url = ""
        counts.append(KindCount(capfirst(model._meta.verbose_name_plural), model.objects.published().count(), url))

    scopes = {value: ScopeGroup(value, label, []) for value, label in Partner.Scope.choices}
    for partner in Partner.objects.published():
        scopes[partner.scope].partners.append(partner)

    topics = Topic.objects.published().annotate(project_count=Count("projects", filter=Q(projects__published=True)))
    return {
        "counts": counts,
        "newest_agreements": list(Agreement.objects.published().filter(signed__isnull=False)[:HOME_NEWEST]),
        "newest_projects": list(Project.objects.published().filter(start__isnull=False)[:HOME_NEWEST]),
        "newest_meetings": list(Meeting.objects.published().filter(start__isnull=False)[:HOME_NEWEST]),
        "partner_groups": [group for group in scopes.values() if group.partners],
        "topics": list(topics),
        "years": list(year_index(today).values()),
    }
