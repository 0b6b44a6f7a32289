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

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, IntegerField, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.db.models.query import ModelIterable
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst

from cooperation.core.cache import cached
from cooperation.core.partial_dates import MAX_YEAR, MIN_YEAR, PartialDate, PartialYear, format_range
from cooperation.core.text import field_label
from cooperation.models import Agreement, Citation, Claim, Project, ProjectPartner, Source, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person

# Shared by every record page -------------------------------------------------------------

# A record page lists at most this many records of each relation (a partner's meetings, a
# topic's projects …), the latest first, and says how many there are in all: a partner of a
# hundred thousand meetings gets a page, not a book. The lists' filters reach every one.
RELATED_LIMIT = 25


class CountOf(Subquery):
    """``(SELECT COUNT(*) FROM (<queryset>))``: the number of rows of a queryset, as a column."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


@dataclass
class Some:
    """The first :data:`RELATED_LIMIT` records of a relation, and how many there are in all.

    Iterates, tests and measures like the list it holds, so a template reads it as one;
    ``total`` and ``capped`` say what the list leaves out."""

    records: list
    total: int
    shown: int | None = None  # how many of the ``total`` the records are, if not one each

    def __iter__(self):
        return iter(self.records)

    def __len__(self):
        return len(self.records)

    def __bool__(self):
        return bool(self.records)

    @property
    def capped(self):
        return self.total > (len(self.records) if self.shown is None else self.shown)


def related_counts(record, querysets):
    """{name: how many rows each queryset has}: one query, cached until the data changes."""

    def compute():
        model = type(record)
        counts = {f"count_{name}": CountOf(queryset.order_by().values("pk")) for name, queryset in querysets.items()}
        row = model._default_manager.filter(pk=record.pk).values(**counts).get()
        return {name.removeprefix("count_"): number for name, number in row.items()}

    return cached("related-counts", [record._meta.label_lower, record.pk, sorted(querysets)], compute)


def some(queryset, total, order, limit=RELATED_LIMIT):
    """:class:`Some` of ``queryset`` in ``order`` (one query)."""
    return Some(list(queryset.order_by(*order)[:limit]), total)


class AttachingIterable(ModelIterable):
    """Records as a queryset reads them, each handed to ``attach`` first (see :func:`with_related`)."""

    attach = None

    def __iter__(self):
        for record in super().__iter__():
            self.attach(record)
            yield record


def with_related(queryset, attach):
    """``queryset`` whose records each get ``attach(record)`` as they are read: for the
    relations a record page shows capped (:class:`Some`), which a prefetch cannot cap without
    reading every related row first. Every reader of the queryset — the page, the API, the
    staff preview — gets them, with a fixed number of queries a record. For querysets of
    one record (a detail page): a list would run them for every row."""
    queryset = queryset.all()
    queryset._iterable_class = type("AttachingIterable", (AttachingIterable,), {"attach": staticmethod(attach)})
    return queryset


NEWEST = [F("start").desc(nulls_last=True), "title", "pk"]  # meetings and projects, the latest first
NEWEST_SIGNED = [F("signed").desc(nulls_last=True), "title", "pk"]


def records_shown(model, drafts=False):
    """The records a page may be about: published ones; with ``drafts`` (the staff preview,
    cooperation/preview.py) drafts too. Related records stay published only either way."""
    return model.objects.all() if drafts else model.objects.published()


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


def sources_context(record, shown_fields=()):
    """Template context for the "Sources" section and the claims shown under each fact.

    ``claims`` maps a field name to its :class:`ClaimGroup` (the template shows it under that
    fact); ``other_claims`` lists the groups for facts the page does not show as such.
    """
    grouped = defaultdict(list)
    for claim in record.public_claims:
        grouped[claim.field].append(claim)
    claims = {name: ClaimGroup(name, field_label(type(record), name), items) for name, items in grouped.items()}
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


def agreement_detail_queryset(drafts=False):
    """Published agreements with their published parties and sources, and the latest
    published projects and meetings resting on it (1 + 3 + 3 queries, see
    :func:`attach_agreement_related`)."""
    queryset = records_shown(Agreement, drafts).prefetch_related(
        Prefetch("parties", queryset=Partner.objects.published(), to_attr="public_parties"),
        *source_prefetches(),
    )
    return with_related(queryset, attach_agreement_related)


def attach_agreement_related(agreement):
    """``public_projects`` and ``public_meetings``: the latest :data:`RELATED_LIMIT` published
    ones (2 queries, and 1 for their numbers, cached)."""
    projects = Project.objects.published().filter(agreements=agreement)
    meetings = Meeting.objects.published().filter(agreements=agreement)
    counts = related_counts(agreement, {"projects": projects, "meetings": meetings})
    agreement.public_projects = some(projects, counts["projects"], NEWEST)
    agreement.public_meetings = some(meetings, counts["meetings"], NEWEST)


# The facts whose claims each page shows under the fact itself (the others go under "Sources").
AGREEMENT_FACT_FIELDS = ("signed", "signed_place", "ratified", "in_force", "ended", "legal_notes")


def agreement_context(agreement):
    context = sources_context(agreement, AGREEMENT_FACT_FIELDS)
    stages = agreement_stages(agreement)
    if agreement.ended is None and "ended" in context["claims"]:
        stages.append(Stage("ended", STAGE_LABELS["ended"], None))
    return {"stages": stages, **context}


def project_detail_queryset(drafts=False):
    """Published projects with their published partners (and roles), topics, agreements and
    sources, and the latest published meetings about it (1 + 5 + 2 queries)."""
    queryset = records_shown(Project, drafts).prefetch_related(
        published_project_partners(),
        Prefetch("topics", queryset=Topic.objects.published(), to_attr="public_topics"),
        Prefetch("agreements", queryset=Agreement.objects.published(), to_attr="public_agreements"),
        *source_prefetches(),
    )
    return with_related(queryset, attach_project_related)


def attach_project_related(project):
    """``public_meetings``: the latest :data:`RELATED_LIMIT` published meetings about it (1
    query, and 1 for their number, cached)."""
    meetings = Meeting.objects.published().filter(projects=project)
    counts = related_counts(project, {"meetings": meetings})
    project.public_meetings = some(meetings, counts["meetings"], NEWEST)


PROJECT_FACT_FIELDS = ("start", "end", "status")


def project_context(project):
    return {
        "role_groups": partners_by_role(project),
        **sources_context(project, PROJECT_FACT_FIELDS),
    }


def topic_detail_queryset(drafts=False):
    """Published topics with their sources, and their latest published projects (with their
    published partners and agreements) and agreements (1 + 2 + 5 queries)."""
    return with_related(records_shown(Topic, drafts).prefetch_related(*source_prefetches()), attach_topic_related)


def attach_topic_related(topic):
    """``public_projects`` (with their published partners and agreements) and
    ``public_agreements``: the latest :data:`RELATED_LIMIT` published ones (4 queries, and 1
    for their numbers, cached)."""
    projects = Project.objects.published().filter(topics=topic)
    agreements = Agreement.objects.published().filter(topics=topic)
    counts = related_counts(topic, {"projects": projects, "agreements": agreements})
    topic.public_projects = some(
        projects.prefetch_related(
            published_project_partners(),
            Prefetch("agreements", queryset=Agreement.objects.published(), to_attr="public_agreements"),
        ),
        counts["projects"],
        NEWEST,
    )
    topic.public_agreements = some(agreements, counts["agreements"], NEWEST_SIGNED)


def _newest_first(records, date_name):
    return sorted(
        records,
        key=lambda record: (getattr(record, date_name) is None, -int(getattr(record, date_name) or 0), str(record)),
    )


def topic_context(topic):
    """The topic's agreements: those on the topic and those its projects listed rest on; its
    partners, those of the projects listed."""
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


def source_detail_queryset(drafts=False):
    """Published sources (1 query). A source cites no sources: its ``citations`` and ``claims``
    are the records that cite it, which :func:`source_cited_by` lists, capped; reading them all
    here would read every citation of a source a hundred thousand records cite."""
    return records_shown(Source, drafts)


CITING_MODELS = [Partner, Agreement, Project, Meeting, Office, Person, Topic]


@dataclass
class CitedBy:
    label: str
    records: list
    total: int = 0

    @property
    def capped(self):
        return self.total > len(self.records)


def source_cited_by(source):
    """The published records that cite a source or rest a claim on it, by kind: at most
    RELATED_LIMIT of each kind (one query each, and one for the numbers, cached)."""
    citing = {}
    for model in CITING_MODELS:
        content_type = ContentType.objects.get_for_model(model)
        cited = Citation.objects.filter(source=source, content_type=content_type).order_by().values("object_id")
        claimed = Claim.objects.filter(source=source, content_type=content_type).order_by().values("object_id")
        # One IN of a UNION, not an OR of two INs: the database reads the few ids and fetches
        # those rows by key, where an OR would have it test every row of the table.
        citing[model] = model.objects.published().filter(pk__in=cited.union(claimed))
    counts = related_counts(source, {model._meta.model_name: queryset for model, queryset in citing.items()})
    groups = []
    for model, queryset in citing.items():
        total = counts[model._meta.model_name]
        records = list(queryset[:RELATED_LIMIT])
        if records:
            groups.append(CitedBy(str(capfirst(model._meta.verbose_name_plural)), records, total))
    return groups


def source_context(source):
    """What cites the source, cached until the data changes: a source cited by thousands of
    meetings has the database read them all to find the latest."""
    return {"cited_by": cached("source-cited-by", [source.pk], lambda: source_cited_by(source))}


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
    queries, whatever the number of records, cached until the data changes."""
    this_year = (today or datetime.date.today()).year
    return cached("year-index", [this_year], lambda: compute_year_index(this_year))


def compute_year_index(this_year):
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
    """One year: its counts and neighbours at once, its lists (:class:`YearLists`, cached until
    the data changes) only when something reads them, so a page whose lists are a rendered
    fragment already in the cache never loads them."""

    def __init__(self, year, counts, previous, next, load):
        self.year, self.counts, self.previous, self.next = year, counts, previous, next
        self._load = load

    @cached_property
    def lists(self):
        return self._load()

    agreement_stages = _year_list("agreement_stages")
    offices_opened = _year_list("offices_opened")
    offices_closed = _year_list("offices_closed")
    projects_started = _year_list("projects_started")
    projects_ended = _year_list("projects_ended")
    projects_ran = _year_list("projects_ran")
    meetings = _year_list("meetings")


def year_page(year, today=None):
    """Everything that happened in ``year``, or None when nothing did (a 404); cached until
    the data changes.

    Agreements signed, ratified, entered into force or ended; offices opened or closed;
    projects that started, ended or ran; meetings: at most :data:`RELATED_LIMIT` of each, oldest
    first, with how many there are in all (the lists filtered by the year have every one), and
    published related records only; previous and next are the nearest years that hold records.
    """
    index = year_index(today)
    if year not in index:
        return None
    this_year = (today or datetime.date.today()).year
    years = list(index)
    position = years.index(year)
    return YearPage(
        year=year,
        counts=index[year],
        previous=years[position - 1] if position > 0 else None,
        next=years[position + 1] if position + 1 < len(years) else None,
        load=lambda: cached("year-lists", [year, this_year], lambda: compute_year_lists(year, index, today)),
    )


def _capped_by_date(records, date_name):
    records = _by_date(records, date_name)
    return Some(records[:RELATED_LIMIT], len(records))


def compute_year_lists(year, index, today=None):
    """The :class:`YearLists` of a year in ``index`` (8 queries: agreements and offices of a
    year are few enough to read whole; projects and meetings are many, so only the ones shown
    are read)."""
    agreements = list(
        Agreement.objects.published()
        .filter(Q(signed__year=year) | Q(ratified__year=year) | Q(in_force__year=year) | Q(ended__year=year))
        .prefetch_related(Prefetch("parties", queryset=Partner.objects.published(), to_attr="public_parties"))
    )
    stages = []
    for name, _status in Agreement.STAGES:
        happened = [a for a in agreements if getattr(a, name) is not None and getattr(a, name).year == year]
        stages.append((STAGE_LABELS[name], name, _capped_by_date(happened, name)))

    offices = list(
        Office.objects.published().filter(Q(opened__year=year) | Q(closed__year=year)).select_related("partner")
    )

    # Projects: the dates of every one that counts this year (one light query), then the
    # records of the first RELATED_LIMIT of each list (one query, and one for their partners).
    rows = (projects_active_in([year], today=today) | Project.objects.published().filter(end__year=year)).values_list(
        "pk", "start", "end", "title", "phase"
    )
    started, ended, ran = [], [], []
    for pk, start, end, title, phase in rows:
        key = ((f"{title} – {phase}" if phase else title).casefold(), pk)  # str(project)
        if start is not None and start.year == year:
            started.append((int(start), key))
        if end is not None and end.year == year:
            ended.append((int(end), key))
        if not (start is not None and start.year == year) and not (end is not None and end.year == year):
            ran.append((int(start) if start is not None else 0, key))
    lists = [sorted(found)[:RELATED_LIMIT] for found in (started, ended, ran)]
    shown = {key[1] for found in lists for _date, key in found}
    projects = {
        project.pk: project
        for project in Project.objects.published().filter(pk__in=shown).prefetch_related(published_project_partners())
    }
    started_shown, ended_shown, ran_shown = (
        Some([projects[key[1]] for _date, key in found if key[1] in projects], len(every))
        for found, every in zip(lists, (started, ended, ran), strict=True)
    )

    meetings = Some(
        list(
            Meeting.objects.published()
            .filter(start__year=year)
            .order_by("start", "title", "pk")
            .prefetch_related(Prefetch("partners", queryset=Partner.objects.published(), to_attr="public_partners"))[
                :RELATED_LIMIT
            ]
        ),
        index[year].meetings,
    )
    return YearLists(
        agreement_stages=stages,
        offices_opened=_capped_by_date(
            [o for o in offices if o.opened is not None and o.opened.year == year], "opened"
        ),
        offices_closed=_capped_by_date(
            [o for o in offices if o.closed is not None and o.closed.year == year], "closed"
        ),
        projects_started=started_shown,
        projects_ended=ended_shown,
        projects_ran=ran_shown,
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
    total: int = 0  # published partners of this scope; ``partners`` holds at most HOME_PARTNERS

    @property
    def capped(self):
        return self.total > len(self.partners)


# The home page names at most this many partners of each scope: those in the most projects.
HOME_PARTNERS = 30


def home_partner_groups():
    """Published partners by scope: the HOME_PARTNERS of each in the most published projects,
    by name, and how many each scope has (one query)."""
    projects = Count("project_roles__project", filter=Q(project_roles__project__published=True), distinct=True)
    ranked = (
        Partner.objects.published()
        .annotate(project_count=projects)
        .annotate(
            rank=Window(RowNumber(), partition_by=F("scope"), order_by=[F("project_count").desc(), F("name"), F("pk")]),
            in_scope=Window(Count("pk"), partition_by=F("scope")),
        )
        .filter(rank__lte=HOME_PARTNERS)
    )
    scopes = {value: ScopeGroup(value, str(label), []) for value, label in Partner.Scope.choices}
    for partner in ranked:
        group = scopes[partner.scope]
        group.partners.append(partner)
        group.total = partner.in_scope
    for group in scopes.values():
        group.partners.sort(key=lambda partner: partner.name)
    return [group for group in scopes.values() if group.partners]


def home_summary():
    """The home page's figures: a count per kind, partners by scope, topics with their number
    of projects (10 queries, cached until the data changes)."""
    counts = []
    for model in HOME_COUNTED_MODELS:
        try:
            url = reverse(f"{model._meta.app_label}:{model._meta.model_name}-list")
        except NoReverseMatch:
            url = ""
        label = str(capfirst(model._meta.verbose_name_plural))  # a plain str: it is cached (pickled)
        counts.append(KindCount(label, model.objects.published().count(), url))
    topics = Topic.objects.published().annotate(project_count=Count("projects", filter=Q(projects__published=True)))
    return {"counts": counts, "partner_groups": home_partner_groups(), "topics": list(topics)}


def home_context(today=None):
    """What the registry holds (a count per kind), the newest agreements, projects and
    meetings, and the ways in: partners by scope, topics with their projects, years."""
    return {
        **cached("home", [], home_summary),
        "newest_agreements": list(Agreement.objects.published().filter(signed__isnull=False)[:HOME_NEWEST]),
        "newest_projects": list(Project.objects.published().filter(start__isnull=False)[:HOME_NEWEST]),
        "newest_meetings": list(Meeting.objects.published().filter(start__isnull=False)[:HOME_NEWEST]),
        "years": list(year_index(today).values()),
    }


# The lists: the rows of each list before its filters, for its page and the API --------------


def agreement_list() -> QuerySet[Agreement]:
    """Published agreements with their status and published parties."""
    return Agreement.objects.published().for_list()


def project_list() -> QuerySet[Project]:
    """Published projects with their published topics and partners (in their roles)."""
    return Project.objects.published().for_list()


def topic_list() -> QuerySet[Topic]:
    """Published topics (a list of the API's alone)."""
    return Topic.objects.published()


def source_list() -> QuerySet[Source]:
    """Published sources (a list of the API's alone)."""
    return Source.objects.published()
