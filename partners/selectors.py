"""Read queries for the partner, office and person pages (see cooperation/selectors.py)."""

from django.db.models import Prefetch

from cooperation.models import Agreement, ProjectPartner
from cooperation.selectors import (
    ORDER_OFFICE_CLOSED,
    ORDER_OFFICE_OPENED,
    ORDER_POST_ENDED,
    ORDER_POST_STARTED,
    Timeline,
    TimelineEntry,
    agreement_timeline_entries,
    meeting_timeline_entry,
    project_timeline_entries,
    source_prefetches,
    sources_context,
)
from events.models import Meeting
from partners.models import Office, Partner, Person, Post


def partner_detail_queryset():
    """Published partners with their parent, and their published sub-bodies, offices,
    agreements, projects (with this partner's roles), meetings, officials' posts and sources
    (1 + 8 queries)."""
    return (
        Partner.objects.published()
        .select_related("parent")
        .prefetch_related(
            Prefetch("children", queryset=Partner.objects.published(), to_attr="public_children"),
            Prefetch("offices", queryset=Office.objects.published(), to_attr="public_offices"),
            Prefetch("agreements", queryset=Agreement.objects.published(), to_attr="public_agreements"),
            Prefetch(
                "project_roles",
                queryset=ProjectPartner.objects.filter(project__published=True).select_related("project"),
                to_attr="public_project_roles",
            ),
            Prefetch("meetings", queryset=Meeting.objects.published(), to_attr="public_meetings"),
            Prefetch(
                "posts",
                queryset=Post.objects.filter(person__published=True).select_related("person"),
                to_attr="public_posts",
            ),
            *source_prefetches(),
        )
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
    return {
        "timeline": partner_timeline(partner),
        "projects": partner_projects(partner),
        **sources_context(partner, PARTNER_FACT_FIELDS),
    }


def office_detail_queryset():
    """Published offices of published partners (an office of a draft partner is not public,
    as on the office list), with the partner's other published offices and sources (1 + 3 queries)."""
    return (
        Office.objects.published()
        .filter(partner__published=True)
        .select_related("partner")
        .prefetch_related(
            Prefetch("partner__offices", queryset=Office.objects.published(), to_attr="public_offices"),
            *source_prefetches(),
        )
    )


OFFICE_FACT_FIELDS = ("city", "opened", "closed")


def office_context(office):
    siblings = []
    if office.partner.published:
        siblings = [other for other in office.partner.public_offices if other.pk != office.pk]
    return {"other_offices": siblings, **sources_context(office, OFFICE_FACT_FIELDS)}


def person_detail_queryset():
    """Published people with their posts at published organisations, their published
    meetings and sources (1 + 4 queries)."""
    return Person.objects.published().prefetch_related(
        Prefetch(
            "posts",
            queryset=Post.objects.filter(organisation__published=True).select_related("organisation"),
            to_attr="public_posts",
        ),
        Prefetch("meetings", queryset=Meeting.objects.published(), to_attr="public_meetings"),
        *source_prefetches(),
    )


def person_context(person):
    return sources_context(person, ("name",))
