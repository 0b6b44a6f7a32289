"""Read queries for the home page: what the registry holds (a count per kind), the records added
or changed last, and the ways in (partners by scope, topics, years). A fixed number of queries
whatever the number of records, cached until the data changes (cooperation/core/cache.py)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Model
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import npgettext_lazy

from cooperation.core.cache import cached
from cooperation.core.text import lowercase
from cooperation.models import Agreement, Project, ProjectPartnerTotal, ProjectTopicTotal, Source, Topic
from cooperation.pages.selectors import published_count, year_index
from events.models import Meeting
from partners.models import Office, Partner, Person

HOME_COUNTED_MODELS = [Partner, Agreement, Project, Meeting, Office, Person, Topic, Source]
HOME_NEWEST = 5


@dataclass
class KindCount:
    label: str  # the kind's plural name, "Projects"
    count: int
    url: str = ""
    label_one: str = ""  # its name for one, "Project"

    kind: str = ""  # the model's label, "cooperation.project"

    @property
    def counted(self) -> str:
        """What the count counts, after the number, in the page's language and plural form:
        "project" (1), "projects" (2)."""
        words = COUNTED_WORDS.get(self.kind)
        if words is None:
            return lowercase(self.label_one if self.count == 1 else self.label)
        return words % self.count


# What the home page's counts count, after the number (``% count`` picks the plural form).
COUNTED_WORDS = {
    "partners.partner": npgettext_lazy("counted", "partner", "partners"),
    "cooperation.agreement": npgettext_lazy("counted", "agreement", "agreements"),
    "cooperation.project": npgettext_lazy("counted", "project", "projects"),
    "events.meeting": npgettext_lazy("counted", "meeting", "meetings"),
    "partners.office": npgettext_lazy("counted", "office", "offices"),
    "partners.person": npgettext_lazy("counted", "person", "people"),
    "cooperation.topic": npgettext_lazy("counted", "topic", "topics"),
    "cooperation.source": npgettext_lazy("counted", "source", "sources"),
}


@dataclass
class ScopeGroup:
    scope: str
    label: str
    partners: list
    total: int = 0  # published partners of this scope; ``partners`` holds at most HOME_PARTNERS

    @property
    def capped(self) -> bool:
        return self.total > len(self.partners)


# The home page names at most this many partners of each scope: those in the most projects.
HOME_PARTNERS = 30


def published_links(through: type[Model], column: str, record_column: str, record_model: type[Model]) -> dict:
    """{``column`` value: how many distinct published ``record_model`` records its rows of
    ``through`` name} in one grouped query over the link table alone: the drafts (a tenth of
    the records) are left out by a hashed ``NOT IN``, where joining every link to its record
    read the whole record table (a topic's projects, a partner's projects on the home page)."""
    drafts = record_model.objects.filter(published=False).values("pk")
    rows = (
        through.objects.exclude(**{f"{record_column}__in": drafts})
        .order_by()
        .values(column)
        .annotate(records=Count(record_column, distinct=True))
        .values_list(column, "records")
    )
    return dict(rows)


def home_partner_groups() -> list[ScopeGroup]:
    """Published partners by scope: the HOME_PARTNERS of each in the most published projects,
    by name, and how many each scope has (three queries: the projects of every partner, from its
    count table; the published partners' scopes and names; the partners shown)."""
    projects = dict(ProjectPartnerTotal.objects.filter(n__gt=0).values_list("partner", "n"))
    ranked = {value: [] for value, _label in Partner.Scope.choices}
    # In no order: sorted here by projects, then name (the names sorted by the database cost 4 ms).
    for pk, scope, name in Partner.objects.published().order_by().values_list("pk", "scope", "name"):
        ranked[scope].append((-projects.get(pk, 0), name, pk))
    shown = {}
    for rows in ranked.values():
        rows.sort()
        shown.update({pk: -count for count, _name, pk in rows[:HOME_PARTNERS]})
    partners = Partner.objects.filter(pk__in=list(shown))
    scopes = {value: ScopeGroup(value, str(label), [], len(ranked[value])) for value, label in Partner.Scope.choices}
    for partner in partners:
        partner.project_count = shown[partner.pk]
        scopes[partner.scope].partners.append(partner)
    for group in scopes.values():
        group.partners.sort(key=lambda partner: partner.name)
    return [group for group in scopes.values() if group.partners]


def home_topics() -> list[Topic]:
    """Published topics by name, each with its number of published projects and agreements
    (``project_count``, ``agreement_count``, ``record_count``): three queries, the projects'
    from their count table, the agreements' grouped over the link table (:func:`published_links`)."""
    projects = dict(ProjectTopicTotal.objects.filter(n__gt=0).values_list("topic", "n"))
    agreements = published_links(Agreement.topics.through, "topic", "agreement", Agreement)
    topics = list(Topic.objects.published())
    for topic in topics:
        topic.project_count, topic.agreement_count = projects.get(topic.pk, 0), agreements.get(topic.pk, 0)
        topic.record_count = topic.project_count + topic.agreement_count
    return topics


def home_summary() -> dict[str, Any]:
    """The home page's figures: a count per kind, partners by scope, topics with their number
    of projects and agreements (10 queries, cached until the data changes)."""
    counts = []
    for model in HOME_COUNTED_MODELS:
        try:
            url = reverse(f"{model._meta.app_label}:{model._meta.model_name}-list")
        except NoReverseMatch:
            url = ""
        names = model._meta.verbose_name_plural, model._meta.verbose_name
        plural, one = (str(capfirst(name)) for name in names)  # plain strs: they are cached (pickled)
        counts.append(KindCount(plural, published_count(model), url, one, model._meta.label_lower))
    return {"counts": counts, "partner_groups": home_partner_groups(), "topics": home_topics()}


def newest_changed(model: type[Model]) -> list:
    """The :data:`HOME_NEWEST` published records of ``model`` added or changed last (publishing
    a draft changes it), dated or not."""
    return list(model.objects.published().order_by("-updated_at", "-pk")[:HOME_NEWEST])


def home_context() -> dict[str, Any]:
    """What the registry holds (a count per kind), the agreements, projects and meetings added
    or changed last, and the ways in: partners by scope, topics with their projects and
    agreements, years."""
    return {
        **cached("home", [], home_summary),
        "newest_agreements": newest_changed(Agreement),
        "newest_projects": newest_changed(Project),
        "newest_meetings": newest_changed(Meeting),
        "years": list(year_index().values()),
    }
