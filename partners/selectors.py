"""Read queries for the partner, office and person pages (as cooperation/selectors.py for
agreements, projects, topics and sources): each ``*_get`` returns the record with what its page
shows, or raises the model's ``DoesNotExist``."""

from collections.abc import Iterable
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString

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
from cooperation.core.versions import model_name, record_name
from cooperation.core.words import gettext as _
from cooperation.models import (
    Agreement,
    AgreementAction,
    AgreementPartnerPlaceTotal,
    AgreementPartnerPlaceYear,
    AgreementPartnerTotal,
    LinkTally,
    Place,
    Project,
    ProjectPartner,
    ProjectPartnerTotal,
)
from cooperation.models.actions import SIGNATURES
from cooperation.models.money import partner_money, partner_money_table
from cooperation.models.tallies import MEETING_PARTNERS
from cooperation.pictures.maps import rendered_map
from cooperation.pictures.places import Kind, address_of, busiest_of, busiest_sql, draw_busiest
from events.models import (
    Meeting,
    MeetingPartnerCount,
    MeetingPartnerPlaceCount,
    MeetingPartnerPlaceTotal,
)
from partners.filters import records_of
from partners.models import Office, Partner, Person, Post
from partners.page_items import office_rows, project_items

OFFICES_BY_OPENING = [F("opened").asc(nulls_last=True), "name", "pk"]  # a partner's offices, the oldest first


def partner_get(*, slug: str, drafts: bool = False, pictures: bool = True) -> Partner:
    """A published partner (with ``drafts``, any) with its parent and sources, and the latest
    of its published sub-bodies, offices, agreements, projects (with this partner's roles),
    meetings and officials' posts, its projects' money and (with ``pictures``, for its page's
    timeline) its meetings per year (1 + 2 + 9 queries, see :func:`attach_partner_related`)."""
    found = PARTNER.records(slug=slug, drafts=drafts)
    if not found:
        raise Partner.DoesNotExist(f"No partner {slug!r}.")
    (partner,) = found
    attach_sources(partner)
    attach_partner_related(partner, pictures=pictures)
    return partner


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


def attach_partner_related(partner: Partner, pictures: bool = True) -> None:
    """At most :data:`RELATED_LIMIT` of each relation, the latest first: ``public_children``,
    ``public_offices``, ``public_agreements`` (with their actions), ``public_project_roles`` (this
    partner's roles in its latest projects), ``public_meetings`` and ``public_posts``;
    ``related_counts``, how many of each there are; ``meeting_years``, its meetings per year;
    ``money``, its published projects' money by role (9 queries, and 1 for the numbers, cached)."""
    counts = PARTNER_COUNTS(partner)
    partner.related_counts = counts
    latest = {"partner": partner.pk, "limit": RELATED_LIMIT}
    partner.public_children = Some(PARTNER_CHILDREN.records(**latest), counts["children"])
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
    counts = partner.related_counts
    latest = {
        _("agreements"): partner.public_agreements,
        _("projects"): partner.public_project_roles,
        _("meetings"): partner.public_meetings,
        _("officials' posts"): partner.public_posts,
    }
    capped = [records for records in latest.values() if records.capped]
    offices = partner.public_offices
    projects = SimpleLazyObject(lambda: partner_projects(partner))  # the timeline's and the list's
    return {
        # What only the page's relations fragment shows is worked out when it renders, once: a
        # page whose fragment is cached takes none of it (the busiest partner's took 7 ms).
        "timeline": SimpleLazyObject(lambda: partner_timeline(partner, projects)),
        "place_map": partner_map(partner),
        "projects": projects,
        # The offices' table rows and the projects' list items, written in Python (page_items.py).
        "office_rows": SimpleLazyObject(lambda: office_rows(offices)),
        "project_items": SimpleLazyObject(lambda: project_items(projects)),
        "counts": counts,
        "money": SimpleLazyObject(lambda: partner_money_table(partner.money)),
        # The relations the timeline holds only the latest of, and how many of each it holds; of
        # the offices it holds the first by opening date, as their table below.
        "timeline_capped": [name for name, records in latest.items() if records.capped],
        "related_limit": max((records.number_shown for records in capped), default=0),
        "timeline_first_offices": offices.number_shown if offices.capped else 0,
        **sources_context(partner, PARTNER_FACT_FIELDS),
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


# The partner's map ----------------------------------------------------------------------------


# A partner's map shows the places with the most of its records, as its page shows its latest
# projects and offices (places.busiest_places): the lists' maps (offices, meetings, agreements) have
# every place.
PARTNER_MAP_PLACES = 100


def partner_map(partner: Partner) -> SafeString:
    """Where the partner's published offices are, its published meetings were held and its
    published agreements were signed, on a map: the :data:`PARTNER_MAP_PLACES` places with the
    most of them, with links to the lists' maps of every place (one query, the meetings' and
    signings' from their count tables: a row a place, the places ranked by the database, with the
    first years of the meetings and signings of those it keeps, each by the key of another count
    table; and one a kind for the meeting or agreement of each place it keeps with one). Cached
    until the partner's page changes: an office, meeting or agreement of it saved, linked or
    unlinked, any agreement's action or any place edited. A place of several leads to the list of
    them there."""
    # A signature's place may change with no save of its agreement: every action's version too.
    names = [record_name(Partner, partner.pk), model_name(Place), model_name(AgreementAction)]

    def picture():  # read, drawn and rendered once a language until the partner's page changes
        kinds = partner_map_kinds(partner.pk, partner.slug)
        found = PARTNER_BUSIEST.rows(partner=partner.pk, limit=PARTNER_MAP_PLACES)
        return draw_busiest(busiest_of(found, kinds, PARTNER_MAP_PLACES), kinds)

    return rendered_map(
        "partner",
        [partner.pk],
        picture,
        _("Where its offices are, its meetings were held and its agreements signed"),
        names,
    )


def partner_map_kinds(partner: int, slug: str) -> list[Kind]:
    """The kinds of record on the map of the partner of id ``partner`` (and ``slug``): its
    published offices, meetings and signings, each leading to the list of them at a place."""
    query = f"?partner={slug}&place="
    offices, meetings, agreements = (
        reverse(name) for name in ("partners:office-list", "events:meeting-list", "cooperation:agreement-list")
    )
    return [
        Kind(
            "office",
            office_list().filter(partner=partner),
            "opened",
            record_url=address_of(Office),
            list_url=lambda place: offices + query + place,
            everywhere=f"{offices}?partner={slug}",
        ),
        Kind(
            "meeting",
            Meeting.objects.published().filter(partners=partner),
            "start",
            record_url=address_of(Meeting),
            list_url=lambda place: meetings + query + place,
            counts=MeetingPartnerPlaceTotal.objects.filter(partner=partner),
            first_years=MeetingPartnerPlaceCount.objects.filter(partner=partner),
            everywhere=f"{meetings}?partner={slug}",
        ),
        Kind(
            "signing",
            AgreementAction.objects.filter(agreement__published=True, agreement__parties=partner, kind__in=SIGNATURES),
            "date",
            record_url=address_of(Agreement),
            list_url=lambda place: agreements + query + place,
            record="agreement",
            counts=AgreementPartnerPlaceTotal.objects.filter(partner=partner).annotate(location=F("place")),
            first_years=AgreementPartnerPlaceYear.objects.filter(partner=partner),
            everywhere=f"{agreements}?partner={slug}",
        ),
    ]


# The statement of a partner's map, built once a connection (cooperation/core/prepared.py): the
# same SQL for every partner (the busiest's took 2.5 ms to build, each first request after a change).
PARTNER_BUSIEST = Prepared(
    lambda partner, limit: busiest_sql(partner_map_kinds(partner, ""), limit), params=["partner"], model=Office
)
