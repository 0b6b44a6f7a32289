"""Read queries for the agreement, project, topic and source pages.

Each ``*_get`` selector returns the record a page (and the API's record, and the staff
preview) is about, with what its page shows, with a fixed number of SQL queries whatever the
number of related rows: related records come through ``Prefetch`` objects whose querysets
hold published records only, so a page never links to a draft; the big relations are the
latest :data:`~cooperation.core.related.RELATED_LIMIT`, attached once the record is read.
Templates read the prefetched lists (``public_*`` attributes) and trigger no queries. A slug
that names no record the page may show raises the model's ``DoesNotExist``.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, Greatest
from django.utils.text import capfirst

from cooperation.core.cache import cached
from cooperation.core.citations import attach_sources, sources_context
from cooperation.core.documents import Block, split_document
from cooperation.core.listing import count_reads
from cooperation.core.related import RELATED_LIMIT, kept_total, newest_first, records_shown, related_counts, some
from cooperation.filters import topic_groups
from cooperation.models import (
    Agreement,
    AgreementAction,
    AgreementTopicTotal,
    Citation,
    Claim,
    Project,
    ProjectPartner,
    ProjectTopicCount,
    ProjectTopicTotal,
    Source,
    Topic,
)
from cooperation.models.actions import CLAIM_FIELDS, SIGNATURES, needs_party_table, participation
from cooperation.models.money import project_money_table
from events.models import Meeting
from partners.models import Office, Partner, Person

# Partners with their roles ---------------------------------------------------------------


ROLE_ORDER = list(ProjectPartner.Role.values)


@dataclass
class RoleGroup:
    role: str
    label: str
    partners: list


def partners_by_role(project: Project) -> list[RoleGroup]:
    """A project's published partners grouped by role: implementing, funding, beneficiary, other."""
    groups = {}
    for link in sorted(project.public_project_partners, key=lambda link: ROLE_ORDER.index(link.role)):
        group = groups.setdefault(link.role, RoleGroup(link.role, link.get_role_display(), []))
        group.partners.append(link.partner)
    return list(groups.values())


def published_project_partners() -> Prefetch:
    """A project's links to its published partners (``public_project_partners``, one query)."""
    return Prefetch(
        "project_partners",
        queryset=ProjectPartner.objects.filter(partner__published=True).select_related("partner"),
        to_attr="public_project_partners",
    )


# Agreement, project, topic and source pages ----------------------------------------------


def public_actions() -> Prefetch:
    """An agreement's actions (``actions``) with their party, those of published parties or of
    every party, each with the citations of published sources (``public_citations``): two queries."""
    return Prefetch(
        "actions",
        queryset=AgreementAction.objects.filter(Q(party__isnull=True) | Q(party__published=True))
        .select_related("party", "location")
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=Citation.objects.filter(source__published=True).select_related("source"),
                to_attr="public_citations",
            )
        ),
    )


def agreement_get(*, slug: str, drafts: bool = False) -> Agreement:
    """A published agreement (with ``drafts``, any) with its published parties, its actions
    and sources, and the latest published projects and meetings resting on it (1 + 5 + 3
    queries, see :func:`attach_agreement_related`)."""
    agreement = (
        records_shown(Agreement, drafts)
        .prefetch_related(
            Prefetch("parties", queryset=Partner.objects.published(), to_attr="public_parties"),
            public_actions(),
        )
        .get(slug=slug)
    )
    attach_sources(agreement)
    attach_agreement_related(agreement)
    return agreement


def attach_agreement_related(agreement: Agreement) -> None:
    """``public_projects`` and ``public_meetings``: the latest :data:`RELATED_LIMIT` published
    ones (2 queries, and 1 for their numbers, cached)."""
    projects = Project.objects.published().filter(agreements=agreement)
    meetings = Meeting.objects.published().filter(agreements=agreement)
    counts = related_counts(agreement, {"projects": projects, "meetings": meetings})
    agreement.public_projects = some(projects, counts["projects"], newest_first("start"))
    agreement.public_meetings = some(meetings, counts["meetings"], newest_first("start"))


# The facts whose claims each page shows under the fact itself (the others go under "Sources").
AGREEMENT_FACT_FIELDS = ("signed", "signed_place", "ratified", "in_force", "ended", "legal_summary")


@dataclass
class ActionRow:
    """One line of the agreement page's dated list: the action, and the claims of the summary
    fact it gives (the first signature carries the claims about ``signed`` …)."""

    action: AgreementAction | None
    label: str
    claim_groups: list


def agreement_context(agreement: Agreement) -> dict[str, Any]:
    """The page's actions in date order (``actions``), each with the claims about the fact it
    gives; a row without an action for a fact the sources disagree on but none dates; and the
    party-by-party table (``participation``) for several parties or party-specific actions."""
    context = sources_context(agreement, AGREEMENT_FACT_FIELDS)
    actions = sorted(agreement.actions.all(), key=lambda action: action.sort_key)
    rows, shown = [], set()
    for action in actions:
        fields = [name for name in CLAIM_FIELDS.get(action.kind, ()) if name not in shown]
        shown.update(fields)
        groups = [context["claims"][name] for name in fields if name in context["claims"]]
        rows.append(ActionRow(action, action.get_kind_display(), groups))
    for name, _status in Agreement.STAGES:
        if name not in shown and name in context["claims"]:
            rows.append(ActionRow(None, Agreement.STAGE_LABELS[name], [context["claims"][name]]))
    parties = agreement.public_parties
    table = participation(actions, parties) if needs_party_table(actions, parties) else []
    return {"actions": rows, "participation": table, **context}


def project_get(*, slug: str, drafts: bool = False) -> Project:
    """A published project (with ``drafts``, any) with its published partners (and roles),
    topics, agreements, budgets, transaction totals and sources, and the latest published
    meetings about it (1 + 7 + 2 queries)."""
    project = (
        records_shown(Project, drafts)
        .select_related("iati_activity")
        .prefetch_related(
            published_project_partners(),
            "budgets",
            "transaction_totals",
            Prefetch("topics", queryset=Topic.objects.published(), to_attr="public_topics"),
            Prefetch("agreements", queryset=Agreement.objects.published(), to_attr="public_agreements"),
        )
        .get(slug=slug)
    )
    attach_sources(project)
    attach_project_related(project)
    return project


def attach_project_related(project: Project) -> None:
    """``public_meetings``: the latest :data:`RELATED_LIMIT` published meetings about it (1
    query, and 1 for their number, cached)."""
    meetings = Meeting.objects.published().filter(projects=project)
    counts = related_counts(project, {"meetings": meetings})
    project.public_meetings = some(meetings, counts["meetings"], newest_first("start"))


PROJECT_FACT_FIELDS = ("start", "end", "status")


def project_context(project: Project) -> dict[str, Any]:
    return {
        "role_groups": partners_by_role(project),
        "money": project_money_table(project.budgets.all(), project.transaction_totals.all()),
        **sources_context(project, PROJECT_FACT_FIELDS),
    }


def topic_get(*, slug: str, drafts: bool = False) -> Topic:
    """A published topic (with ``drafts``, any) with its sources, and its latest published
    projects (with their published partners and agreements) and agreements (1 + 2 + 5
    queries)."""
    topic = records_shown(Topic, drafts).get(slug=slug)
    attach_sources(topic)
    attach_topic_related(topic)
    return topic


def attach_topic_related(topic: Topic) -> None:
    """``public_projects`` (with their published partners and agreements) and
    ``public_agreements``: the latest :data:`RELATED_LIMIT` published ones (4 queries, and 1
    for their numbers, cached)."""
    projects = Project.objects.published().filter(topics=topic)
    agreements = Agreement.objects.published().filter(topics=topic)
    counts = related_counts(
        topic, {"projects": published_projects_on(topic), "agreements": published_agreements_on(topic)}
    )
    topic.public_projects = some(
        projects.prefetch_related(
            published_project_partners(),
            Prefetch("agreements", queryset=Agreement.objects.published(), to_attr="public_agreements"),
        ),
        counts["projects"],
        newest_first("start"),
    )
    topic.public_agreements = some(agreements, counts["agreements"], newest_first("signed"))


def published_projects_on(topic: Topic) -> Coalesce:
    """How many published projects are on ``topic``, as its count table keeps it (one row, not
    the sum of the topic's few hundred rows by status and years: 1.1 ms for the benchmark's
    busiest topic)."""
    return kept_total(ProjectTopicTotal, topic=topic.pk)


def published_agreements_on(topic: Topic) -> Coalesce:
    """How many published agreements are on ``topic``, as the agreements list's count table
    keeps it (one row; counting them joined every published agreement: 1.2 ms)."""
    return kept_total(AgreementTopicTotal, topic=topic.pk)


def _newest_first(records, date_name):
    return sorted(
        records,
        key=lambda record: (getattr(record, date_name) is None, -int(getattr(record, date_name) or 0), str(record)),
    )


def topic_context(topic: Topic) -> dict[str, Any]:
    """The topic's agreements: those on the topic and those its projects listed rest on (and
    whether there are any of each, ``agreements_on_topic`` and ``agreements_of_projects``, for
    the page to say which it lists); its partners, those of the projects listed."""
    agreements = {agreement.pk: agreement for agreement in topic.public_agreements}
    partners = {}
    of_projects = set()
    for project in topic.public_projects:
        for agreement in project.public_agreements:
            agreements[agreement.pk] = agreement
            of_projects.add(agreement.pk)
        for link in project.public_project_partners:
            partners[link.partner.pk] = link.partner
    return {
        "agreements": _newest_first(agreements.values(), "signed"),
        "agreements_on_topic": bool(topic.public_agreements),
        "agreements_of_projects": bool(of_projects - {agreement.pk for agreement in topic.public_agreements}),
        "partners": sorted(partners.values(), key=lambda partner: partner.name.casefold()),
        **sources_context(topic),
    }


def source_get(*, slug: str, drafts: bool = False) -> Source:
    """A published source (with ``drafts``, any; 1 query). A source cites no sources: its
    ``citations`` and ``claims`` are the records that cite it, which :func:`source_cited_by`
    lists, capped; reading them all here would read every citation of a source a hundred
    thousand records cite."""
    return records_shown(Source, drafts).get(slug=slug)


CITING_MODELS = [Partner, Agreement, Project, Meeting, Office, Person, Topic]


@dataclass
class CitedBy:
    label: str
    records: list
    total: int = 0

    @property
    def capped(self) -> bool:
        return self.total > len(self.records)


def source_cited_by(source: Source) -> list[CitedBy]:
    """The published records that cite a source or rest a claim on it, by kind: at most
    RELATED_LIMIT of each kind, each with how many there are in all (one query a kind)."""
    groups = []
    for model in CITING_MODELS:
        content_type = ContentType.objects.get_for_model(model)
        cited = Citation.objects.filter(source=source, content_type=content_type).order_by().values("object_id")
        claimed = Claim.objects.filter(source=source, content_type=content_type).order_by().values("object_id")
        ids = cited.union(claimed)
        if model is Agreement:  # an agreement cites a source through its actions too
            action_type = ContentType.objects.get_for_model(AgreementAction)
            by_action = Citation.objects.filter(source=source, content_type=action_type).values("object_id")
            ids = cited.union(
                claimed, AgreementAction.objects.filter(pk__in=by_action).order_by().values("agreement_id")
            )
        # One IN of a UNION, not an OR of two INs: the database reads the few ids and fetches
        # those rows by key, where an OR would have it test every row of the table. How many
        # there are is counted over the same rows (a window), not in a query of its own: the
        # count of every kind in one query took 13 ms for a source of 873 meetings, 5 of them
        # to plan its seven unions.
        citing = model.objects.published().filter(pk__in=ids).annotate(cited_total=Window(Count("pk")))
        records = list(citing[:RELATED_LIMIT])
        if records:
            groups.append(CitedBy(str(capfirst(model._meta.verbose_name_plural)), records, records[0].cited_total))
    return groups


def source_text(source: Source) -> list[Block]:
    """The source's plain-text copy cut into numbered paragraphs (cooperation/core/documents.py),
    cached until the data changes; a :class:`FileNotFoundError` when it has none to show."""

    def read() -> list[Block]:
        if not source.has_text:
            raise FileNotFoundError(source.file.name)
        with source.file.storage.open(source.file.name, "rb") as handle:
            content = handle.read()
        return split_document(content.decode("utf-8-sig", errors="replace"))

    return cached("source-text", [source.pk], read)


def source_context(source: Source) -> dict[str, Any]:
    """What cites the source, cached until the data changes: a source cited by thousands of
    meetings has the database read them all to find the latest."""
    return {"cited_by": cached("source-cited-by", [source.pk], lambda: source_cited_by(source))}


# The lists: the rows of each list before its filters, for its page and the API --------------


def agreement_list() -> QuerySet[Agreement]:
    """Published agreements with their status and published parties."""
    return Agreement.objects.published().for_list()


def agreement_signatures(agreements: QuerySet[Agreement]) -> QuerySet[AgreementAction]:
    """The signatures of ``agreements`` (where each was signed: the agreements list's map)."""
    return AgreementAction.objects.filter(kind__in=SIGNATURES, agreement__in=agreements.values("pk"))


def project_list() -> QuerySet[Project]:
    """Published projects with their published topics and partners (in their roles)."""
    return Project.objects.published().for_list()


def published_count_on_topic(model: type[Agreement | Project]) -> Coalesce:
    """The number of published ``model`` records on the outer topic (a subquery: counting two
    many-to-many joins at once would multiply them)."""
    rows = (
        model.objects.published()
        .filter(topics=OuterRef("pk"))
        .order_by()
        .values("topics")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def topic_list() -> QuerySet[Topic]:
    """Published topics with their number of published projects and agreements
    (``project_count``, ``agreement_count``, and ``record_count``, both)."""
    return (
        Topic.objects.published()
        .annotate(project_count=published_count_on_topic(Project), agreement_count=published_count_on_topic(Agreement))
        .annotate(record_count=F("project_count") + F("agreement_count"))
    )


def source_list() -> QuerySet[Source]:
    """Published sources."""
    return Source.objects.published()


# Charts (cooperation/pictures/) ------------------------------------------------------------

TOPIC_NAMES = ("slug", "name", "name_az", "name_ru")


def topic_year_rows(filterset: Any) -> list[dict]:
    """What the projects list's chart of topics over time draws: the projects its filters leave
    (all but the topic filter's: the ticked topics are kept afterwards, see
    :func:`projects_by_topic`), per published topic, as changes year by year:
    [{"slug", "name", "name_az", "name_ru", "year", "started", "ended"}] — how many projects
    begin to be active in the year and how many are no longer active from it (the year after
    their last); the undated ones as "started" in year 0. The years' counts are their running
    sum (pictures/figures.py). One query (of the count tables when they can answer: their
    10,000 spans a topic and years come to a few rows a year), cached until the data changes."""
    return cached("chart:topic-year-changes", filterset.cache_parts(), lambda: _topic_year_rows(filterset))


def _topic_year_rows(filterset: Any) -> list[dict]:
    changes = defaultdict(lambda: [0, 0])
    found = count_reads.cube_rows(filterset, exclude="topic", dims=("first_year", "last_year"))
    if found is not None:
        rows, subtract = found
        # Grouped by the topic's id, then joined to the published topics: grouped by their names,
        # the 18,000 rows of every project's spans were hashed by four texts (23 ms, now 8).
        spans = rows.filter(n__gt=0).order_by()
        nothing = Value(0, output_field=IntegerField())
        started = spans.values("topic", year=F("first_year")).annotate(started=Sum("n"), ended=nothing)
        ended = (
            spans.filter(first_year__gt=0)
            .values("topic", year=Greatest("first_year", "last_year") + 1)
            .annotate(started=nothing, ended=Sum("n"))
        )
        for *topic, year, began, stopped in _named_by_topic(started.union(ended, all=True)):
            change = changes[(*topic, year)]
            change[0] += began
            change[1] += stopped
        # Two partners ticked: the projects of both were counted for each (count_reads.overlaps).
        for layer in subtract:
            _add_topic_groups(changes, topic_groups(layer), sign=-1)
        return _change_rows(changes)
    # A filter the count tables do not know: the projects grouped on the fly by topic, status
    # and years, as the topic facet counts them (the same rows: ProjectFilterSet.topic_groups).
    _add_topic_groups(changes, filterset.topic_groups())
    return _change_rows(changes)


def _add_topic_groups(changes: dict[tuple, list[int]], groups: list[dict], sign: int = 1) -> None:
    """Add ``groups`` (:func:`cooperation.filters.topic_groups`) to ``changes`` (as
    :func:`_change_rows` reads them), times ``sign``; the published topics named from a second,
    small query."""
    if not groups:
        return
    topics = {pk: names for pk, *names in Topic.objects.published().values_list("pk", *TOPIC_NAMES)}
    for row in groups:
        topic = topics.get(row["topics"])
        if topic is None:  # withdrawn between the two queries
            continue
        first = row["first"] or 0
        changes[(*topic, first)][0] += sign * row["count"]
        if first:
            last = Project.last_active_year(first, row["end_year"], row["status"], row["as_of"])
            changes[(*topic, max(first, last) + 1)][1] += sign * row["count"]


def _named_by_topic(grouped: QuerySet) -> list[tuple]:
    """The rows of ``grouped`` (``topic``, ``year``, ``started``, ``ended``) of published topics,
    each with the topic's names first: (slug, name, name_az, name_ru, year, started, ended)."""
    sql, params = grouped.query.sql_with_params()
    database = connections[grouped.db]
    quote = database.ops.quote_name
    names = ", ".join(f"topic.{quote(name)}" for name in TOPIC_NAMES)
    table, key = Topic._meta.db_table, quote(Topic._meta.pk.column)
    with database.cursor() as cursor:
        cursor.execute(
            f"SELECT {names}, grouped.year, grouped.started, grouped.ended FROM ({sql}) grouped "
            f"INNER JOIN {quote(table)} topic ON topic.{key} = grouped.topic WHERE topic.{quote('published')}",
            params,
        )
        return cursor.fetchall()


def _change_rows(changes: dict[tuple, list[int]]) -> list[dict]:
    """{(slug, name, name_az, name_ru, year): [started, ended]} as :func:`topic_year_rows` gives it."""
    return [
        {**dict(zip(TOPIC_NAMES, key[:-1], strict=True)), "year": key[-1], "started": began, "ended": stopped}
        for key, (began, stopped) in changes.items()
        if began or stopped
    ]


def projects_by_topic(filterset: Any) -> list[dict]:
    """:func:`topic_year_rows` of the ticked topics only, when the topic filter applies."""
    ticked = {option.value for option in filterset.selected.get("topic", [])}
    rows = topic_year_rows(filterset)
    return [row for row in rows if row["slug"] in ticked] if ticked else rows


def topic_status_years(topic: Topic) -> list[tuple[str, int, int, int]]:
    """A topic's published projects by status and span of active years: [(status, first year,
    last year, projects)], 0 for the years of undated ones (one query of its count table, cached
    until the data changes)."""

    def compute():
        rows = (
            ProjectTopicCount.objects.filter(topic=topic.pk, n__gt=0)
            .order_by()
            .values_list("status", "first_year", "last_year")
            .annotate(count=Sum("n"))
        )
        return list(rows)

    return cached("chart:topic-status-years", [topic.pk], compute)
