"""Read queries for the partner, office and person pages (as cooperation/selectors.py for
agreements, projects, topics and sources): each ``*_get`` returns the record with what its page
shows, or raises the model's ``DoesNotExist``."""

from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from cooperation.core.cache import cached
from cooperation.core.citations import source_prefetches, sources_context
from cooperation.core.related import RELATED_LIMIT, Some, newest_first, records_shown, related_counts, some
from cooperation.core.timeline import Timeline
from cooperation.core.versions import model_name, record_name
from cooperation.models import Agreement, AgreementAction, Place, Project, ProjectPartner
from cooperation.pictures.maps import MapPicture, draw_map
from cooperation.pictures.places import Kind, map_points, place_rows
from events.models import Meeting
from partners.models import Office, Partner, Person, Post

OFFICES_BY_OPENING = [F("opened").asc(nulls_last=True), "name", "pk"]  # a partner's offices, the oldest first


def partner_get(*, slug: str, drafts: bool = False) -> Partner:
    """A published partner (with ``drafts``, any) with its parent and sources, and the latest
    of its published sub-bodies, offices, agreements, projects (with this partner's roles),
    meetings and officials' posts (1 + 2 + 7 queries, see :func:`attach_partner_related`)."""
    partner = (
        records_shown(Partner, drafts)
        .select_related("parent")
        .prefetch_related(*source_prefetches(Partner))
        .get(slug=slug)
    )
    attach_partner_related(partner)
    return partner


def attach_partner_related(partner: Partner) -> None:
    """At most :data:`RELATED_LIMIT` of each relation, the latest first: ``public_children``,
    ``public_offices``, ``public_agreements``, ``public_project_roles`` (this partner's roles in
    its latest projects), ``public_meetings`` and ``public_posts``; ``related_counts``, how many
    of each there are (6 queries, and 1 for the numbers, cached)."""
    children = Partner.objects.published().filter(parent=partner)
    offices = Office.objects.published().filter(partner=partner)
    agreements = Agreement.objects.published().filter(parties=partner)
    projects = Project.objects.published().filter(
        pk__in=ProjectPartner.objects.filter(partner=partner).values("project")
    )
    meetings = Meeting.objects.published().filter(partners=partner)
    posts = Post.objects.filter(organisation=partner, person__published=True)
    counts = related_counts(
        partner,
        {
            "children": children,
            "offices": offices,
            "agreements": agreements,
            "projects": projects,
            "meetings": meetings,
            "posts": posts,
        },
    )
    partner.related_counts = counts
    partner.public_children = some(children, counts["children"], ["name", "pk"])
    partner.public_offices = some(offices, counts["offices"], OFFICES_BY_OPENING)
    # With their actions (one query more, when there are agreements): the timeline's entries.
    actions = AgreementAction.objects.filter(Q(party__isnull=True) | Q(party__published=True)).select_related("party")
    partner.public_agreements = some(
        agreements.prefetch_related(Prefetch("actions", queryset=actions)), counts["agreements"], newest_first("signed")
    )
    # The partner's roles in its latest projects: a project's roles are neighbours in this order.
    roles = list(
        ProjectPartner.objects.filter(partner=partner, project__published=True)
        .select_related("project")
        .order_by(F("project__start").desc(nulls_last=True), "project__title", "project", "role")[
            : RELATED_LIMIT * len(ProjectPartner.Role)
        ]
    )
    latest = list(dict.fromkeys(role.project_id for role in roles))[:RELATED_LIMIT]
    partner.public_project_roles = Some(
        [role for role in roles if role.project_id in set(latest)], counts["projects"], shown=len(latest)
    )
    partner.public_meetings = some(meetings, counts["meetings"], newest_first("start"))
    partner.public_posts = some(posts.select_related("person"), counts["posts"], newest_first("start"))


def partner_projects(partner: Partner) -> list[tuple[Project, list[str]]]:
    """The partner's published projects, newest first, each with the partner's roles in it."""
    projects = {}
    for link in partner.public_project_roles:
        project, roles = projects.setdefault(link.project.pk, (link.project, []))
        roles.append(link.get_role_display().lower())
    return sorted(
        projects.values(),
        key=lambda item: (item[0].start is None, -int(item[0].start or 0), item[0].title.casefold()),
    )


def partner_timeline(partner: Partner) -> Timeline:
    """The whole relationship, oldest to newest: each agreement stage, projects starting and
    ending, offices opening and closing, meetings and visits, and the posts of its officials."""
    entries = []
    for agreement in partner.public_agreements:
        entries += agreement.timeline_entries()
    for project, roles in partner_projects(partner):
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
    shown = {
        _("agreements"): partner.public_agreements,
        _("projects"): partner.public_project_roles,
        _("meetings"): partner.public_meetings,
        _("offices"): partner.public_offices,
        _("officials' posts"): partner.public_posts,
    }
    return {
        "timeline": partner_timeline(partner),
        "place_map": partner_map(partner),
        "projects": partner_projects(partner),
        "counts": counts,
        # The relations the timeline holds only the latest of, and how many of each it holds.
        "timeline_capped": [name for name, records in shown.items() if records.capped],
        "related_limit": max((len(records) for records in shown.values() if records.capped), default=0),
        **sources_context(partner, PARTNER_FACT_FIELDS),
    }


def office_get(*, slug: str, drafts: bool = False) -> Office:
    """A published office of a published partner (an office of a draft partner is not public,
    as on the office list; with ``drafts``, any office) with its partner and sources, and the
    partner's other published offices (at most :data:`RELATED_LIMIT`; 1 + 2 + 2 queries)."""
    office = (
        records_shown(Office, drafts)
        .select_related("partner", "location")
        .prefetch_related(*source_prefetches(Office))
        .get(slug=slug)
    )
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
            *source_prefetches(Person),
        )
        .get(slug=slug)
    )
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


# The partner's map ----------------------------------------------------------------------------


def partner_map(partner: Partner) -> MapPicture | None:
    """Where the partner's published offices are and its published meetings were held, on a map
    (one query, cached until the partner's page changes: an office or meeting of it saved,
    linked or unlinked, or any place edited)."""
    query = f"?partner={partner.slug}&place="
    kinds = [
        Kind(
            "office",
            office_list().filter(partner=partner),
            "opened",
            record_url=lambda slug: reverse("partners:office-detail", args=[slug]),
            list_url=lambda place: reverse("partners:office-list") + query + place,
        ),
        Kind(
            "meeting",
            Meeting.objects.published().filter(partners=partner),
            "start",
            record_url=lambda slug: reverse("events:meeting-detail", args=[slug]),
            list_url=lambda place: reverse("events:meeting-list") + query + place,
        ),
    ]
    names = [record_name(Partner, partner.pk), model_name(Place)]
    rows = cached("partner-map", [partner.pk], lambda: place_rows(kinds), records=lambda rows: names)
    return draw_map(map_points(rows, kinds))
