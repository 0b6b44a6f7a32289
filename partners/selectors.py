"""Read queries for the partner, office and person pages (as cooperation/selectors.py for
agreements, projects, topics and sources): each ``*_get`` returns the record with what its page
shows, or raises the model's ``DoesNotExist``."""

import copy
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import SimpleLazyObject

from cooperation.core.cache import cached
from cooperation.core.citations import attach_sources, sources_context
from cooperation.core.listing.count_reads import spans_counted, spread_by_year
from cooperation.core.prepared import Prepared, attach_prefetched
from cooperation.core.related import (
    RELATED_LIMIT,
    RelatedCounts,
    Some,
    kept_total,
    newest_first,
    records_shown,
    related_counts,
    some,
)
from cooperation.core.text import lowercase
from cooperation.core.timeline import Timeline
from cooperation.core.translation import with_translations
from cooperation.core.words import gettext as _
from cooperation.models import (
    Agreement,
    AgreementAction,
    AgreementPartnerTotal,
    LinkTally,
    Project,
    ProjectPartner,
    ProjectPartnerTotal,
)
from cooperation.models.money import partner_money, partner_money_table
from cooperation.models.tallies import MEETING_PARTNERS
from events.models import (
    Meeting,
    MeetingPartnerCount,
)
from partners.filters import records_of
from partners.models import Office, Partner, Person, Post
from partners.page_items import office_rows, project_items

OFFICES_BY_OPENING = [F("opened").asc(nulls_last=True), "name", "pk"]  # a partner's offices, the oldest first


def partner_get(*, slug: str, drafts: bool = False, pictures: bool = True) -> Partner:
    """A published partner (with ``drafts``, any) with its parent and sources, and the latest
    of its published sub-bodies, offices, agreements, projects (with this partner's roles),
    meetings and officials' posts, its projects' money and (with ``pictures``, for its page's
    timeline) its meetings per year (1 + 2 + 9 queries, and 1 for the numbers, cached:
    :func:`attach_partner_summary`, :func:`attach_partner_relations`)."""
    found = PARTNER.records(slug=slug, drafts=drafts)
    if not found:
        raise Partner.DoesNotExist(f"No partner {slug!r}.")
    (partner,) = found
    attach_sources(partner)
    attach_partner_summary(partner)
    attach_partner_relations(partner, pictures=pictures)
    return partner


# What attach_partner_relations attaches: only the page's relations fragment shows it.
RELATIONS = (
    "public_offices",
    "public_agreements",
    "public_project_roles",
    "public_meetings",
    "public_posts",
    "meeting_years",
    "money",
)


def partner_kept(partner: Partner) -> Partner:
    """``partner`` as its page's cache keeps it (cooperation/core/detail.py, ``kept``): without
    its relations (:data:`RELATIONS`), which only the page's fragment of them shows, cached
    itself under the versions of every record the page read (partners/views.py reads them again
    for a page whose fragment is gone). The busiest partner's 230 records, 93 KB, were pickled at
    each first request after a change and unpickled at every other (2 and 1.2 ms on a fast
    machine); what is left is 2.4 KB."""
    kept = copy.copy(partner)
    for name in RELATIONS:
        kept.__dict__.pop(name, None)
    return kept


def has_relations(partner: Partner) -> bool:
    """Whether ``partner`` holds its relations (:func:`attach_partner_relations`): not as its
    page's cache keeps it (:func:`partner_kept`)."""
    return all(hasattr(partner, name) for name in RELATIONS)


PARTNER = Prepared(
    lambda slug, drafts: records_shown(Partner, drafts).select_related("parent").filter(slug=slug),
    params={"slug": str},
)


# The latest of each relation of a partner's page: the same statements for every partner, built
# once a connection (cooperation/core/prepared.py; 18 of the 26 ms the busiest partner's took was
# Django building them).
PARTNER_CHILDREN = Prepared(
    lambda partner, limit: Partner.objects.published().filter(parent=partner).order_by("name", "pk")[:limit],
    params=["partner"],
)
PARTNER_OFFICES = Prepared(
    lambda partner, limit: Office.objects.published().filter(partner=partner).order_by(*OFFICES_BY_OPENING)[:limit],
    params=["partner"],
)


def _latest_agreements(partner: int, limit: int) -> QuerySet:
    return Agreement.objects.published().filter(parties=partner).order_by(*newest_first("signed"))[:limit]


PARTNER_AGREEMENTS = Prepared(_latest_agreements, params=["partner"])


def timeline_actions() -> QuerySet:
    """Agreements' actions as a partner's timeline shows them: of no party or a published one, with it."""
    return AgreementAction.objects.filter(Q(party__isnull=True) | Q(party__published=True)).select_related("party")


# The actions of those agreements (the timeline's entries), with their parties. (Their latest
# agreements found again in a subquery: a write between the two queries may leave a response of
# an agreement without its actions, which is not cached, its versions having changed.)
PARTNER_AGREEMENT_ACTIONS = Prepared(
    lambda partner, limit: timeline_actions().filter(agreement__in=_latest_agreements(partner, limit).values("pk")),
    params=["partner"],
)


def _project_roles(partner: int, limit: int) -> QuerySet:
    """The partner's roles in its latest projects (found by a subquery, the project_newest index's
    order: the busiest partner's roles in 25 projects, not 100 roles read to find 25 projects)."""
    latest = (
        Project.objects.filter(published=True, pk__in=ProjectPartner.objects.filter(partner=partner).values("project"))
        .order_by(F("start").desc(nulls_last=True), "title", "pk")
        .values("pk")[:limit]
    )
    return (
        ProjectPartner.objects.filter(partner=partner, project__in=latest)
        .select_related("project")
        .order_by(F("project__start").desc(nulls_last=True), "project__title", "project", "role")
    )


PARTNER_PROJECT_ROLES = Prepared(_project_roles, params=["partner"])
# How many of each there are: the count tables' totals where the database keeps them.
PARTNER_COUNTS = RelatedCounts(
    Partner,
    lambda partner: {
        "children": Partner.objects.published().filter(parent=partner),
        "offices": Office.objects.published().filter(partner=partner),
        "agreements": published_agreements_of(partner),
        "projects": published_projects_of(partner),
        "meetings": published_meetings_of(partner),
        "posts": Post.objects.filter(organisation=partner, person__published=True),
    },
)
PARTNER_MEETINGS = Prepared(
    lambda partner, limit: (
        Meeting.objects.published().filter(partners=partner).order_by(*newest_first("start"))[:limit]
    ),
    params=["partner"],
)
PARTNER_POSTS = Prepared(
    lambda partner, limit: (
        Post.objects.filter(organisation=partner, person__published=True)
        .select_related("person")
        .order_by(*newest_first("start"))[:limit]
    ),
    params=["partner"],
)


def attach_partner_summary(partner: Partner) -> None:
    """``related_counts``, how many of each relation there are (1 query, cached), and
    ``public_children``, at most :data:`RELATED_LIMIT` of its published sub-bodies, by name (1)."""
    counts = PARTNER_COUNTS(partner)
    partner.related_counts = counts
    partner.public_children = Some(
        PARTNER_CHILDREN.records(partner=partner.pk, limit=RELATED_LIMIT), counts["children"]
    )


def attach_partner_relations(partner: Partner, pictures: bool = True) -> None:
    """At most :data:`RELATED_LIMIT` of each relation, the latest first: ``public_offices``,
    ``public_agreements`` (with their actions), ``public_project_roles`` (this partner's roles
    in its latest projects), ``public_meetings`` and ``public_posts``; ``meeting_years``, its
    meetings per year (with ``pictures``); ``money``, its published projects' money by role (6
    to 8 queries: the agreements' actions if it has agreements, the meetings per year if it has
    meetings). Of a partner read with :func:`attach_partner_summary` (its numbers)."""
    counts = partner.related_counts
    latest = {"partner": partner.pk, "limit": RELATED_LIMIT}
    partner.public_offices = Some(PARTNER_OFFICES.records(**latest), counts["offices"])
    agreements = PARTNER_AGREEMENTS.records(**latest)
    actions = PARTNER_AGREEMENT_ACTIONS.records(**latest) if agreements else []
    attach_prefetched(agreements, "actions", actions, queryset=timeline_actions())
    partner.public_agreements = Some(agreements, counts["agreements"])
    roles = PARTNER_PROJECT_ROLES.records(**latest)
    partner.public_project_roles = Some(roles, counts["projects"], shown=len({role.project_id for role in roles}))
    partner.public_meetings = Some(PARTNER_MEETINGS.records(**latest), counts["meetings"])
    # Its meetings in each year they are in, all of them (the timeline's picture: a count a year, however many).
    partner.meeting_years = meeting_years(partner) if pictures and counts["meetings"] else {}
    partner.public_posts = Some(PARTNER_POSTS.records(**latest), counts["posts"])
    partner.money = partner_money(partner.pk)


def published_projects_of(partner: int) -> Coalesce:
    """How many published projects name the partner of id ``partner`` (in any role), as its count
    table keeps it."""
    return kept_total(ProjectPartnerTotal, partner=partner)


def published_agreements_of(partner: int) -> Coalesce:
    """How many published agreements the partner of id ``partner`` is a party to, as the
    agreements list's count table keeps it (the busiest partner's 2,150 took 2.8 ms to count)."""
    return kept_total(AgreementPartnerTotal, partner=partner)


def published_meetings_of(partner: int) -> Coalesce:
    """How many published meetings name the partner of id ``partner``, as the link tally keeps it
    (one row)."""
    tally = LinkTally.objects.filter(link=MEETING_PARTNERS.link, target=partner).order_by().values("published")[:1]
    return Coalesce(Subquery(tally), 0)


def meeting_years(partner: Partner) -> dict[int, int]:
    """{year: how many published meetings of ``partner`` are in it}, a meeting in each year from
    its start's to its end's, as the meetings list's year filter counts them (its timeline's
    counts lead there); undated ones left out. From the count table the database keeps
    (events.MeetingPartnerCount: a row per kind and years, a few hundred for the busiest partner,
    not its 100,000 meetings): one query."""
    return spread_by_year(PARTNER_MEETING_SPANS.rows(partner=partner.pk))


PARTNER_MEETING_SPANS = Prepared(
    lambda partner: spans_counted(MeetingPartnerCount.objects.filter(partner=partner, n__gt=0)), params=["partner"]
)


def partner_projects(partner: Partner) -> list[tuple[Project, list[str]]]:
    """The partner's published projects, newest first, each with the partner's roles in it."""
    projects = {}
    for link in partner.public_project_roles:
        project, roles = projects.setdefault(link.project.pk, (link.project, []))
        roles.append(lowercase(link.get_role_display()))
    return sorted(
        projects.values(),
        key=lambda item: (item[0].start is None, -int(item[0].start or 0), item[0].title.casefold()),
    )


def partner_timeline(partner: Partner, projects: Iterable[tuple[Project, list[str]]]) -> Timeline:
    """The whole relationship, oldest to newest: each agreement stage, projects starting and
    ending (``projects``: :func:`partner_projects`, which the page's list of projects shows too),
    offices opening and closing, meetings and visits, and the posts of its officials."""
    entries = []
    for agreement in partner.public_agreements:
        entries += agreement.timeline_entries()
    for project, roles in projects:
        entries += project.timeline_entries(detail=_("Role: %(roles)s") % {"roles": ", ".join(roles)})
    for office in partner.public_offices:
        entries += office.timeline_entries()
    entries += [meeting.timeline_entry() for meeting in partner.public_meetings]
    for post in partner.public_posts:
        entries += post.timeline_entries()
    return Timeline.build(entries)


# The facts whose claims the page shows under the fact itself (the others go under "Sources").
PARTNER_FACT_FIELDS = ("name", "country", "headquarters", "founded", "member_states")


def partner_context(partner: Partner) -> dict[str, Any]:
    """What the page shows of a partner read with its relations; partners/views.py gives the
    relations fragment's ``relations`` (:func:`relations_context`) for one read without them."""
    return {
        "counts": partner.related_counts,
        # What only the page's relations fragment shows is worked out when it renders, once: a
        # page whose fragment is cached takes none of it (the busiest partner's took 7 ms).
        "relations": SimpleLazyObject(lambda: relations_context(partner)),
        **sources_context(partner, PARTNER_FACT_FIELDS),
    }


def relations_context(partner: Partner) -> dict[str, Any]:
    """What the relations fragment of a partner's page (its timeline, offices, projects and their
    money) shows of a partner read with its relations (:func:`attach_partner_relations`)."""
    latest = {
        _("agreements"): partner.public_agreements,
        _("projects"): partner.public_project_roles,
        _("meetings"): partner.public_meetings,
        _("officials' posts"): partner.public_posts,
    }
    capped = [records for records in latest.values() if records.capped]
    offices = partner.public_offices
    projects = partner_projects(partner)  # the timeline's and the list's
    return {
        "partner": partner,
        "timeline": partner_timeline(partner, projects),
        "offices": offices,
        "project_roles": partner.public_project_roles,
        "projects": projects,
        # The offices' table rows and the projects' list items, written in Python (page_items.py).
        "office_rows": office_rows(offices),
        "project_items": project_items(projects),
        "money": partner_money_table(partner.money),
        # The relations the timeline holds only the latest of, and how many of each it holds; of
        # the offices it holds the first by opening date, as their table below.
        "timeline_capped": [name for name, records in latest.items() if records.capped],
        "related_limit": max((records.number_shown for records in capped), default=0),
        "timeline_first_offices": offices.number_shown if offices.capped else 0,
    }


def office_get(*, slug: str, drafts: bool = False) -> Office:
    """A published office of a published partner (an office of a draft partner is not public,
    as on the office list; with ``drafts``, any office) with its partner and sources, and the
    partner's other published offices (at most :data:`RELATED_LIMIT`; 1 + 2 + 2 queries)."""
    office = records_shown(Office, drafts).select_related("partner", "location").get(slug=slug)
    attach_sources(office)
    attach_office_related(office)
    return office


def attach_office_related(office: Office) -> None:
    """``partner.public_offices``: the partner's first published offices, by opening date (1
    query, and 1 for their number, cached)."""
    offices = Office.objects.published().filter(partner=office.partner_id)
    counts = related_counts(office.partner, {"offices": offices})
    office.partner.public_offices = some(offices, counts["offices"], OFFICES_BY_OPENING, limit=RELATED_LIMIT + 1)


OFFICE_FACT_FIELDS = ("city", "opened", "closed")


def office_context(office: Office) -> dict[str, Any]:
    siblings = Some([], 0)
    if office.partner.published:
        offices = office.partner.public_offices
        others = [other for other in offices if other.pk != office.pk][:RELATED_LIMIT]
        siblings = Some(others, offices.total - (1 if office.published else 0))
    return {"other_offices": siblings, **sources_context(office, OFFICE_FACT_FIELDS)}


def person_get(*, slug: str, drafts: bool = False) -> Person:
    """A published person (with ``drafts``, any) with their posts at published organisations,
    sources, and their latest published meetings (1 + 3 + 2 queries)."""
    person = (
        records_shown(Person, drafts)
        .prefetch_related(
            Prefetch(
                "posts",
                queryset=Post.objects.filter(organisation__published=True).select_related("organisation"),
                to_attr="public_posts",
            ),
        )
        .get(slug=slug)
    )
    attach_sources(person)
    attach_person_related(person)
    return person


def attach_person_related(person: Person) -> None:
    """``public_meetings``: the latest :data:`RELATED_LIMIT` published meetings with them (1
    query, and 1 for their number, cached)."""
    meetings = Meeting.objects.published().filter(participants=person)
    counts = related_counts(person, {"meetings": meetings})
    person.public_meetings = some(meetings, counts["meetings"], newest_first("start"))


def person_context(person: Person) -> dict[str, Any]:
    return sources_context(person, ("name",))


# The lists: the rows of each list before its filters, for its page and the API --------------


def partner_list() -> QuerySet[Partner]:
    """Published partners with their parent body."""
    return Partner.objects.published().for_list()


def office_list() -> QuerySet[Office]:
    """Published offices of published partners, with their partner."""
    return Office.objects.published().filter(partner__published=True).for_list()


def person_list() -> QuerySet[Person]:
    """Published people (the API's rows name them only; the list page reads the posts of the
    rows it renders, ``list_prefetches()``)."""
    return Person.objects.published()


# Charts (cooperation/pictures/) ------------------------------------------------------------

PARTNER_CHART_ROWS = 15  # the partners the list's chart draws: those in the most records


def partners_by_activity(filterset: Any, limit: int = PARTNER_CHART_ROWS) -> list[dict]:
    """The ``limit`` partners the list's filters leave that are in the most published projects
    and meetings together: [{"slug", "name", "acronym" (each with its translations), "projects",
    "meetings"}], most first. One query (each partner's totals read from the count tables the
    projects and meetings lists keep), cached until the data changes."""

    names = ("slug", *with_translations("name", "acronym"))

    def compute():
        rows = (
            filterset.qs.order_by()
            .annotate(project_total=records_of("projects_total"), meeting_total=records_of("meetings_total"))
            .annotate(record_total=F("project_total") + F("meeting_total"))
            .filter(record_total__gt=0)
            .order_by("-record_total", "name", "pk")
            .values(*names, "project_total", "meeting_total")[:limit]
        )
        return [
            {**{name: row[name] for name in names}, "projects": row["project_total"], "meetings": row["meeting_total"]}
            for row in rows
        ]

    return cached("chart:partners", [*filterset.cache_parts(), limit], compute)
