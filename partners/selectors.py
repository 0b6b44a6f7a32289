"""Read queries for the partner, office and person pages (see cooperation/selectors.py)."""

from django.db.models import F, Prefetch, QuerySet

from cooperation.models import Agreement, Project, ProjectPartner
from cooperation.selectors import (
    NEWEST,
    NEWEST_SIGNED,
    ORDER_OFFICE_CLOSED,
    ORDER_OFFICE_OPENED,
    ORDER_POST_ENDED,
    ORDER_POST_STARTED,
    RELATED_LIMIT,
    Some,
    Timeline,
    TimelineEntry,
    agreement_timeline_entries,
    meeting_timeline_entry,
    project_timeline_entries,
    records_shown,
    related_counts,
    some,
    source_prefetches,
    sources_context,
    with_related,
)
from events.models import Meeting
from partners.models import Office, Partner, Person, Post


def partner_detail_queryset(drafts=False):
    """Published partners with their parent and sources, and the latest of their published
    sub-bodies, offices, agreements, projects (with this partner's roles), meetings and
    officials' posts (1 + 2 + 7 queries, see :func:`attach_partner_related`)."""
    queryset = records_shown(Partner, drafts).select_related("parent").prefetch_related(*source_prefetches())
    return with_related(queryset, attach_partner_related)


def attach_partner_related(partner):
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
    partner.public_offices = some(offices, counts["offices"], [F("opened").asc(nulls_last=True), "name", "pk"])
    partner.public_agreements = some(agreements, counts["agreements"], NEWEST_SIGNED)
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
    partner.public_meetings = some(meetings, counts["meetings"], NEWEST)
    partner.public_posts = some(
        posts.select_related("person"), counts["posts"], [F("start").desc(nulls_last=True), "title", "pk"]
    )


def partner_projects(partner):
    """The partner's published projects, newest first, each with the partner's roles in it."""
    projects = {}
    for link in partner.public_project_roles:
        project, roles = projects.setdefault(link.project.pk, (link.project, []))
        roles.append(link.get_role_display().lower())
    return sorted(
        projects.values(),
        key=lambda item: (item[0].start is None, -int(item[0].start or 0), item[0].title.casefold()),
    )


def partner_timeline(partner):
    """The whole relationship, oldest to newest: each agreement stage, projects starting and
    ending, offices opening and closing, meetings and visits, and the posts of its officials."""
    entries = []
    for agreement in partner.public_agreements:
        entries += agreement_timeline_entries(agreement)
    for project, roles in partner_projects(partner):
        entries += project_timeline_entries(project, detail="Role: " + ", ".join(roles))
    for office in partner.public_offices:
        where = ", ".join(part for part in [office.city, office.country.name] if part)
        url = office.get_absolute_url()
        kind = "Office opened" if office.opened is not None else "Office"
        entries.append(TimelineEntry(office.opened, kind, office.name, url, where, order=ORDER_OFFICE_OPENED))
        if office.closed is not None:
            entries.append(
                TimelineEntry(office.closed, "Office closed", office.name, url, where, order=ORDER_OFFICE_CLOSED)
            )
    entries += [meeting_timeline_entry(meeting) for meeting in partner.public_meetings]
    for post in partner.public_posts:
        person = post.person
        entries += post_entries(post, text=person.name, url=person.get_absolute_url(), detail=post.title)
    return Timeline.build(entries)


def post_entries(post, text, url, detail):
    kind = "Took office" if post.start is not None else "Post"
    entries = [TimelineEntry(post.start, kind, text, url, detail, order=ORDER_POST_STARTED)]
    if post.end is not None:
        entries.append(TimelineEntry(post.end, "Left office", text, url, detail, order=ORDER_POST_ENDED))
    return entries


# The facts whose claims the page shows under the fact itself (the others go under "Sources").
PARTNER_FACT_FIELDS = ("name", "country", "headquarters", "founded", "member_states")


def partner_context(partner):
    counts = partner.related_counts
    shown = {
        "agreements": partner.public_agreements,
        "projects": partner.public_project_roles,
        "meetings": partner.public_meetings,
        "offices": partner.public_offices,
        "officials' posts": partner.public_posts,
    }
    return {
        "timeline": partner_timeline(partner),
        "projects": partner_projects(partner),
        "counts": counts,
        # The relations the timeline holds only the latest of, and how many of each it holds.
        "timeline_capped": [name for name, records in shown.items() if records.capped],
        "related_limit": max((len(records) for records in shown.values() if records.capped), default=0),
        **sources_context(partner, PARTNER_FACT_FIELDS),
    }


def office_detail_queryset(drafts=False):
    """Published offices of published partners (an office of a draft partner is not public,
    as on the office list), with sources and the partner's other published offices (at most
    :data:`RELATED_LIMIT`; 1 + 2 + 2 queries)."""
    offices = Office.objects.all() if drafts else Office.objects.published().filter(partner__published=True)
    return with_related(offices.select_related("partner").prefetch_related(*source_prefetches()), attach_office_related)


def attach_office_related(office):
    """``partner.public_offices``: the partner's first published offices, by opening date (1
    query, and 1 for their number, cached)."""
    offices = Office.objects.published().filter(partner=office.partner_id)
    counts = related_counts(office.partner, {"offices": offices})
    office.partner.public_offices = some(
        offices, counts["offices"], [F("opened").asc(nulls_last=True), "name", "pk"], limit=RELATED_LIMIT + 1
    )


OFFICE_FACT_FIELDS = ("city", "opened", "closed")


def office_context(office):
    siblings = Some([], 0)
    if office.partner.published:
        offices = office.partner.public_offices
        others = [other for other in offices if other.pk != office.pk][:RELATED_LIMIT]
        siblings = Some(others, offices.total - (1 if office.published else 0))
    return {"other_offices": siblings, **sources_context(office, OFFICE_FACT_FIELDS)}


def person_detail_queryset(drafts=False):
    """Published people with their posts at published organisations, sources, and their
    latest published meetings (1 + 3 + 2 queries)."""
    queryset = records_shown(Person, drafts).prefetch_related(
        Prefetch(
            "posts",
            queryset=Post.objects.filter(organisation__published=True).select_related("organisation"),
            to_attr="public_posts",
        ),
        *source_prefetches(),
    )
    return with_related(queryset, attach_person_related)


def attach_person_related(person):
    """``public_meetings``: the latest :data:`RELATED_LIMIT` published meetings with them (1
    query, and 1 for their number, cached)."""
    meetings = Meeting.objects.published().filter(participants=person)
    counts = related_counts(person, {"meetings": meetings})
    person.public_meetings = some(meetings, counts["meetings"], NEWEST)


def person_context(person):
    return sources_context(person, ("name",))


# The lists: the rows of each list before its filters, for its page and the API --------------


def partner_list() -> QuerySet[Partner]:
    """Published partners with their parent body."""
    return Partner.objects.published().for_list()


def office_list() -> QuerySet[Office]:
    """Published offices of published partners, with their partner."""
    return Office.objects.published().filter(partner__published=True).for_list()


def person_list() -> QuerySet[Person]:
    """Published people (a list of the API's alone)."""
    return Person.objects.published()
