"""The Atom feed of new and changed records: ``/feeds/latest.atom``.

One feed for every kind of public record (partners, agreements, projects, meetings, offices,
people, topics, sources), newest change first: a record that staff create or correct moves to
the top. Only published records appear, and what an entry says of related records (the
parties to an agreement, a project's partners) names published ones only.

The list is built with a fixed number of queries, whatever the size of the tables: for each
kind, the :data:`FEED_SIZE` most recently changed published records (with what their
summaries need prefetched), merged in Python and cut to :data:`FEED_SIZE`.
"""

import datetime
import html

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from cooperation.core.identifiers import host_name
from cooperation.core.partial_dates import Precision, format_range
from cooperation.core.text import join_names, lowercase, plain, upper_first
from cooperation.core.translation import country_name, localized_place
from cooperation.models import Agreement, Project, Source, Topic
from cooperation.selectors import published_project_partners
from events.models import Meeting
from partners.models import Office, Partner, Person, Post

FEED_SIZE = 50
DESCRIPTION_WORDS = 40


def when(date, end=None, on=""):
    """A date (or a range) after a verb: "8 December 1999" (or "on 8 December 1999" with
    ``on="on"``), "in August 2006", "in 1998" (in the page's language)."""
    text = format_range(date, end)
    if date.precision != Precision.DAY:
        return pgettext("a date after a verb", "in %(date)s") % {"date": text}
    return pgettext("a date after a verb", "on %(date)s") % {"date": text} if on else text


def sentence(*parts):
    """Non-empty parts, each ending with a full stop, in one line."""
    out = []
    for part in parts:
        part = " ".join(str(part).split())
        if part:
            out.append(part if part.endswith((".", "!", "?", "…")) else f"{part}.")
    return " ".join(out)


def description_excerpt(record):
    text = getattr(record, "description", "")
    return Truncator(text).words(DESCRIPTION_WORDS) if text else ""


def in_place(text, place):
    """``text`` followed by where it happened: "… in Baku"."""
    return pgettext("feed summary", "%(text)s in %(place)s") % {"text": text, "place": place}


# What each kind of record says of itself ------------------------------------------------


def partner_summary(partner):
    kind = partner.get_kind_display()
    if partner.headquarters:
        text = _("%(kind)s headquartered in %(place)s") % {"kind": kind, "place": partner.headquarters}
    elif partner.country:
        text = _("%(kind)s of %(country)s") % {"kind": kind, "country": country_name(partner.country.code)}
    else:
        text = kind
    return sentence(text, description_excerpt(partner))


def agreement_summary(agreement):
    parties = list(agreement.public_parties)
    if agreement.signed is None:
        listed = ""
        if parties:
            listed = ngettext("Party: %(names)s", "Parties: %(names)s", len(parties)) % {"names": join_names(parties)}
        return sentence(
            agreement.get_kind_display(),
            listed,
            _("The date of signing is not recorded"),
            description_excerpt(agreement),
        )
    text = _("%(kind)s signed %(date)s") % {"kind": agreement.get_kind_display(), "date": when(agreement.signed)}
    if agreement.signed_place:
        text = in_place(text, agreement.signed_place)
    if parties:
        text = _("%(text)s by %(parties)s") % {"text": text, "parties": join_names(parties)}
    return sentence(text, description_excerpt(agreement))


def project_summary(project):
    text = _("Project")
    if project.start is not None:
        if project.end:
            text = _("Project, %(dates)s") % {"dates": format_range(project.start, project.end)}
        else:
            text = _("Project, from %(date)s") % {"date": project.start}
    roles = {}
    for link in project.public_project_partners:
        roles.setdefault(lowercase(link.get_role_display()), []).append(link.partner)
    partners = "; ".join(f"{role}: {join_names(names)}" for role, names in roles.items())
    status = "" if project.status == Project.Status.UNKNOWN else project.status_text
    return sentence(text, status, upper_first(partners), description_excerpt(project))


def meeting_summary(meeting):
    text = meeting.get_kind_display()
    if meeting.start is not None:
        text = pgettext("feed summary", "%(text)s %(date)s") % {
            "text": text,
            "date": when(meeting.start, meeting.end, on="on"),
        }
    if meeting.place:
        text = in_place(text, meeting.place)
    partners = join_names(meeting.public_partners)
    if partners:
        text = _("%(text)s with %(partners)s") % {"text": text, "partners": partners}
    undated = "" if meeting.start is not None else _("The date is not recorded")
    status = "" if meeting.held else meeting.status_text
    return sentence(text, status, undated, description_excerpt(meeting))


def office_summary(office):
    place = localized_place(office)
    text = _("%(kind)s of %(partner)s") % {"kind": office.get_kind_display(), "partner": office.partner}
    if place:
        text = in_place(text, place)
    if office.opened is not None:
        text = _("%(text)s, opened %(date)s") % {"text": text, "date": when(office.opened, on="on")}
    if office.closed is not None:
        text = _("%(text)s, closed %(date)s") % {"text": text, "date": when(office.closed, on="on")}
    return sentence(text, description_excerpt(office))


def person_summary(person):
    posts = []
    for post in person.public_posts:
        text = f"{post.title}, {post.organisation}"
        if post.start is not None and post.end is not None:
            text = f"{text}, {format_range(post.start, post.end)}"
        elif post.start is not None:
            text = _("%(text)s, from %(date)s") % {"text": text, "date": post.start}
        elif post.end is not None:
            text = _("%(text)s, until %(date)s") % {"text": text, "date": post.end}
        posts.append(text)
    return sentence(*posts, description_excerpt(person)) or _("An official named in the sources.")


def topic_summary(topic):
    return sentence(_("Topic"), description_excerpt(topic))


def source_summary(source):
    text = source.get_kind_display()
    if source.publisher:
        text = _("%(text)s published by %(publisher)s") % {"text": text, "publisher": source.publisher}
    if source.date is not None:
        text = pgettext("feed summary", "%(text)s %(date)s") % {"text": text, "date": when(source.date, on="on")}
    return sentence(text)


# The kinds, each with the query that feeds it ---------------------------------------------


class FeedKind:
    def __init__(self, model, summary, queryset):
        self.model = model
        self.summary = summary
        self.queryset = queryset

    @property
    def label(self):
        return capfirst(self.model._meta.verbose_name)

    def latest(self, limit):
        return list(self.queryset().order_by("-updated_at", "-pk")[:limit])


FEED_KINDS = [
    FeedKind(Partner, partner_summary, lambda: Partner.objects.published()),
    FeedKind(
        Agreement,
        agreement_summary,
        lambda: Agreement.objects.published().prefetch_related(
            Prefetch("parties", queryset=Partner.objects.published(), to_attr="public_parties")
        ),
    ),
    FeedKind(
        Project,
        project_summary,
        lambda: Project.objects.published().prefetch_related(published_project_partners()),
    ),
    FeedKind(
        Meeting,
        meeting_summary,
        lambda: Meeting.objects.published().prefetch_related(
            Prefetch("partners", queryset=Partner.objects.published(), to_attr="public_partners")
        ),
    ),
    # Offices of a draft partner are left out, as the office list leaves them out.
    FeedKind(
        Office,
        office_summary,
        lambda: Office.objects.published().filter(partner__published=True).select_related("partner"),
    ),
    FeedKind(
        Person,
        person_summary,
        lambda: Person.objects.published().prefetch_related(
            Prefetch(
                "posts",
                queryset=Post.objects.filter(organisation__published=True).select_related("organisation"),
                to_attr="public_posts",
            )
        ),
    ),
    FeedKind(Topic, topic_summary, lambda: Topic.objects.published()),
    FeedKind(Source, source_summary, lambda: Source.objects.published()),
]
KIND_BY_MODEL = {kind.model: kind for kind in FEED_KINDS}


def latest_records(limit=FEED_SIZE):
    """The ``limit`` most recently changed published records of every kind, newest first:
    one query per kind and one per prefetched relation (twelve in all), whatever the table
    sizes. Records changed at the same moment keep the order of :data:`FEED_KINDS`."""
    records = [record for kind in FEED_KINDS for record in kind.latest(limit)]
    order = {kind.model: index for index, kind in enumerate(FEED_KINDS)}
    records.sort(key=lambda record: (record.updated_at, -order[type(record)], record.pk), reverse=True)
    return records[:limit]


class LatestRecordsFeed(Feed):
    """``/feeds/latest.atom``: the newest :data:`FEED_SIZE` new and changed published records.

    Each entry has the record's title and page, a summary in plain words ("Cooperation
    agreement signed 8 December 1999 in Baku by …"), its kind as the category, ``updated``
    from the record's last change and ``published`` from its creation. The entry id is a tag
    URI naming the record's kind and primary key, so it stays the same when a slug is
    corrected and a change shows as an update of the same entry, not as a new one.
    """

    feed_type = Atom1Feed
    link = reverse_lazy("cooperation:home")

    def get_object(self, request, *args, **kwargs):
        # The request, for the feed's own id and the host in each entry's tag URI.
        return request

    def title(self):
        return settings.SITE_NAME

    def subtitle(self):
        return _("New and changed records in the %(site)s, newest first.") % {"site": settings.SITE_NAME}

    def author_name(self):
        return settings.SITE_NAME

    def feed_guid(self, request):
        return request.build_absolute_uri(request.path)

    def items(self, request):
        records = latest_records()
        host = host_name(request)
        for record in records:
            # item_guid() sees only the record; the Feed instance is shared by all requests.
            record.feed_host = host
        return records

    def item_title(self, record):
        return plain(record)

    def item_description(self, record):
        # Atom1Feed writes the summary as type="html": plain words, escaped.
        return html.escape(plain(KIND_BY_MODEL[type(record)].summary(record)), quote=False)

    def item_link(self, record):
        return record.get_absolute_url()

    def item_guid(self, record):
        return tag_uri(record, record.feed_host)

    def item_pubdate(self, record):
        return record.created_at

    def item_updateddate(self, record):
        return record.updated_at

    def item_categories(self, record):
        return [KIND_BY_MODEL[type(record)].label]


def tag_uri(record, host):
    """``tag:registry.example.org,2024-05-01:cooperation.agreement/12`` (RFC 4151): the host,
    the day the record was created, and its kind and primary key."""
    created = record.created_at.astimezone(datetime.UTC).date().isoformat()
    return f"tag:{host},{created}:{record._meta.label_lower}/{record.pk}"
