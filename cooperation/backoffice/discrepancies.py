"""Discrepancies: the facts whose sources disagree, for staff to settle.

A *fact* is one field of one record (the date an agreement was signed, a partner's member
states); each source's version of it is a :class:`~cooperation.models.Claim`. A fact with two or
more claims is listed on the staff page ``/<admin>/discrepancies/`` with its claims side by
side (value, source, locator and note, which one is preferred) and a form to choose the
preferred claim, or none. The list can be narrowed to one kind of record, to one record, to
facts with no preferred claim yet, and to drafts or published records.

Choosing needs the change permission on claims and, for a published record, the record's
publish permission (the rule of :mod:`cooperation.core.permissions`). The database allows one
preferred claim per fact (``claim_one_preferred``): the old one is unticked before the new one
is ticked, in one transaction, so the constraint holds at every step and a failure changes
nothing.

Queries: the list costs the same number whatever the number of facts and claims: the facts of
the page (each with its record's name and published flag, read by subqueries in the same
query), their count, and their claims with their sources.

A record's admin change page shows the same in small (:func:`record_panel`): the sources it
cites and its facts with more than one claim, linking to this list narrowed to the record.
"""

import operator
from dataclasses import dataclass, field
from functools import reduce
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import BooleanField, Case, CharField, Count, OuterRef, Q, Subquery, Value, When
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst

from cooperation.core.permissions import may_publish
from cooperation.core.text import field_label
from cooperation.models import Agreement, Citation, Claim, Project, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person

# Every model whose records carry claims, with the field that names a record.
CLAIMING_MODELS = {
    Partner: "name",
    Office: "name",
    Person: "name",
    Topic: "name",
    Agreement: "title",
    Project: "title",
    Meeting: "title",
}
FACTS_PER_PAGE = 50
PREFERRED_CHOICES = {"none": "No preferred claim yet", "chosen": "A preferred claim chosen"}
STATE_CHOICES = {"draft": "Drafts", "published": "Published records"}


def fold(value):
    """A claim's value as compared: spaces collapsed, case folded ("8 December 1999" = "8 december  1999")."""
    return " ".join(value.split()).casefold()


def may_view(user):
    return user.has_perm("cooperation.view_claim") or user.has_perm("cooperation.change_claim")


def may_choose(user, model, published):
    """May set the preferred claim of a fact of a ``model`` record (``published`` or not)."""
    return user.has_perm("cooperation.change_claim") and (not published or may_publish(user, model))


# Reading ---------------------------------------------------------------------------------


@dataclass
class Fact:
    """One field of one record with two or more claims."""

    content_type_id: int
    object_id: int
    field: str
    model: type
    record_name: str
    record_published: bool
    claims: list = field(default_factory=list)
    may_choose: bool = False

    @property
    def key(self):
        return f"{self.content_type_id}-{self.object_id}-{self.field}"

    @property
    def label(self):
        return field_label(self.model, self.field)

    @property
    def noun(self):
        return self.model._meta.verbose_name

    @property
    def admin_url(self):
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.object_id])

    @property
    def preferred(self):
        return next((claim for claim in self.claims if claim.preferred), None)

    @property
    def disagree(self):
        return len({fold(claim.value) for claim in self.claims}) > 1


def _by_model(expression_for):
    """A CASE choosing, for a claim's content type, ``expression_for(model)``."""
    content_types = ContentType.objects.get_for_models(*CLAIMING_MODELS)
    return [When(content_type=content_types[model].pk, then=expression_for(model)) for model in CLAIMING_MODELS]


def _record_value(model, attribute):
    return Subquery(model.objects.filter(pk=OuterRef("object_id")).values(attribute)[:1])


def facts_queryset():
    """Every fact with two or more claims, as rows of content type, object id, field, the
    record's name and published flag, the number of claims and of preferred ones."""
    record_name = Case(
        *_by_model(lambda model: _record_value(model, CLAIMING_MODELS[model])),
        default=Value(""),
        output_field=CharField(),
    )
    record_published = Case(
        *_by_model(lambda model: _record_value(model, "published")),
        default=Value(False),
        output_field=BooleanField(),
    )
    return (
        Claim.objects.annotate(record_name=record_name, record_published=record_published)
        .values("content_type", "object_id", "field", "record_name", "record_published")
        .annotate(claim_count=Count("pk"), preferred_count=Count("pk", filter=Q(preferred=True)))
        .filter(claim_count__gte=2)
        .order_by("record_name", "content_type", "object_id", "field")
    )


def attach_claims(facts):
    """Fill each fact's ``claims`` (with their sources), oldest source title first: one query."""
    if not facts:
        return facts
    wanted = reduce(
        operator.or_,
        (Q(content_type_id=fact.content_type_id, object_id=fact.object_id, field=fact.field) for fact in facts),
    )
    by_key = {fact.key: fact for fact in facts}
    for claim in Claim.objects.filter(wanted).select_related("source").order_by("source__title", "value", "pk"):
        by_key[f"{claim.content_type_id}-{claim.object_id}-{claim.field}"].claims.append(claim)
    return facts


def _fact(row):
    model = ContentType.objects.get_for_id(row["content_type"]).model_class()
    return Fact(
        content_type_id=row["content_type"],
        object_id=row["object_id"],
        field=row["field"],
        model=model,
        record_name=row["record_name"] or f"{capfirst(model._meta.verbose_name)} #{row['object_id']}",
        record_published=bool(row["record_published"]),
    )


@dataclass
class Filters:
    """The list's filters, read from the query string; a value that means nothing is dropped
    with a message."""

    kind: str = ""
    record: int | None = None
    preferred: str = ""
    state: str = ""
    problems: list = field(default_factory=list)

    KINDS = {model._meta.model_name: model for model in CLAIMING_MODELS}

    @classmethod
    def read(cls, params):
        filters = cls()
        kind = params.get("kind", "")
        if kind:
            if kind in cls.KINDS:
                filters.kind = kind
            else:
                filters.problems.append(f"There is no kind of record “{kind[:40]}”: showing every kind.")
        record = params.get("record", "")
        if record:
            if not filters.kind:
                filters.problems.append("A record is chosen with its kind (kind=…&record=…): showing every record.")
            elif record.isdigit() and len(record) < 19:
                filters.record = int(record)
            else:
                filters.problems.append(f"“{record[:40]}” is not a record number: showing every record.")
        for name, choices in (("preferred", PREFERRED_CHOICES), ("state", STATE_CHOICES)):
            value = params.get(name, "")
            if value in choices:
                setattr(filters, name, value)
            elif value:
                filters.problems.append(f"“{value[:40]}” is not a choice for {name}: it was left out.")
        return filters

    @property
    def model(self):
        return self.KINDS.get(self.kind)

    def apply(self, facts):
        if self.model is not None:
            facts = facts.filter(content_type=ContentType.objects.get_for_model(self.model))
            if self.record is not None:
                facts = facts.filter(object_id=self.record)
        if self.preferred == "none":
            facts = facts.filter(preferred_count=0)
        elif self.preferred == "chosen":
            facts = facts.filter(preferred_count__gt=0)
        if self.state:
            facts = facts.filter(record_published=self.state == "published")
        return facts

    def params(self):
        values = {"kind": self.kind, "record": self.record, "preferred": self.preferred, "state": self.state}
        return {name: str(value) for name, value in values.items() if value not in ("", None)}


def list_url(**params):
    """The list's address with ``params`` (those that are empty left out)."""
    params = {name: value for name, value in params.items() if value not in ("", None)}
    return reverse("discrepancies") + (f"?{urlencode(params)}" if params else "")


def record_url(model, object_id):
    """The list narrowed to one record's facts."""
    return list_url(kind=model._meta.model_name, record=object_id)


# Changing --------------------------------------------------------------------------------


class ChoiceRefused(Exception):
    """The preferred claim could not be set; the message says why, for the user."""


def set_preferred(request, content_type_id, object_id, field_name, claim_id):
    """Make claim ``claim_id`` the preferred one of its fact (or none, with ``claim_id=None``).

    Returns the fact's claims; raises :class:`ChoiceRefused` when the fact, the claim or the
    user's permission does not allow it. Each claim is saved (not updated in bulk) so its
    history records who changed it; the record's admin history gets an entry too.
    """
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        model = None
    if model not in CLAIMING_MODELS:
        raise ChoiceRefused("That fact is not one of a registry record.")
    record = model._default_manager.filter(pk=object_id).first()
    if record is None:
        raise ChoiceRefused(f"The {model._meta.verbose_name} this fact is about no longer exists.")
    if not may_choose(request.user, model, record.published):
        raise PermissionDenied
    with transaction.atomic():
        claims = list(
            Claim.objects.select_for_update()
            .filter(content_type_id=content_type_id, object_id=object_id, field=field_name)
            .select_related("source")
            .order_by("pk")
        )
        if len(claims) < 2:
            raise ChoiceRefused(
                f"“{field_label(model, field_name)}” of “{record}” no longer has claims to choose from."
            )
        chosen = next((claim for claim in claims if claim.pk == claim_id), None)
        if claim_id is not None and chosen is None:
            raise ChoiceRefused("That claim is no longer one of this fact's claims: choose again.")
        # Untick first, then tick: one preferred claim per fact at every step (claim_one_preferred).
        for claim in claims:
            if claim.preferred and claim is not chosen:
                claim.preferred = False
                claim.save(update_fields=["preferred"])
        if chosen is not None and not chosen.preferred:
            chosen.preferred = True
            chosen.save(update_fields=["preferred"])
        label = field_label(model, field_name)
        what = f"“{chosen.value}” ({chosen.source.title})" if chosen else "no claim"
        LogEntry.objects.log_actions(
            request.user.pk,
            [record],
            CHANGE,
            change_message=f"Preferred claim about “{label}”: {what}.",
            single_object=True,
        )
    return record, label, chosen


# Views -----------------------------------------------------------------------------------


def discrepancy_list(request):
    """``/<admin>/discrepancies/``: GET lists the facts, POST chooses one fact's preferred claim."""
    if not may_view(request.user):
        raise PermissionDenied
    if request.method == "POST":
        return _choose(request)

    filters = Filters.read(request.GET)
    for problem in filters.problems:
        messages.warning(request, problem)
    paginator = Paginator(filters.apply(facts_queryset()), FACTS_PER_PAGE)
    page_number = request.GET.get("page", "1")
    if not page_number.isdigit() or not 1 <= int(page_number) <= max(paginator.num_pages, 1):
        messages.warning(request, f"There is no page “{page_number[:20]}”: showing the first page.")
        page_number = 1
    page = paginator.page(int(page_number))
    facts = attach_claims([_fact(row) for row in page.object_list])
    for fact in facts:
        fact.may_choose = may_choose(request.user, fact.model, fact.record_published)

    params = filters.params()
    context = {
        **admin.site.each_context(request),
        "title": "Discrepancies",
        "subtitle": None,
        "facts": facts,
        "page": page,
        "paginator": paginator,
        "filters": filters,
        "kinds": [(model._meta.model_name, capfirst(model._meta.verbose_name_plural)) for model in CLAIMING_MODELS],
        "preferred_choices": PREFERRED_CHOICES,
        "state_choices": STATE_CHOICES,
        "record_filter": _record_filter(filters),
        "clear_url": reverse("discrepancies"),
        "page_urls": {
            "previous": list_url(**params, page=page.previous_page_number()) if page.has_previous() else "",
            "next": list_url(**params, page=page.next_page_number()) if page.has_next() else "",
        },
        "here": request.get_full_path(),
    }
    return TemplateResponse(request, "admin/discrepancies/list.html", context)


def _record_filter(filters):
    """The record the list is narrowed to, for the heading ("Facts of …"), or None."""
    if filters.model is None or filters.record is None:
        return None
    name = CLAIMING_MODELS[filters.model]
    value = filters.model._default_manager.filter(pk=filters.record).values_list(name, flat=True).first()
    return {
        "noun": filters.model._meta.verbose_name,
        "name": value or f"#{filters.record}",
        "without_url": list_url(**{**filters.params(), "record": None}),
    }


def _number(value):
    return int(value) if value.isdigit() and len(value) < 19 else None


def _choose(request):
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        back = reverse("discrepancies")
    content_type_id = _number(request.POST.get("content_type", ""))
    object_id = _number(request.POST.get("object_id", ""))
    field_name = request.POST.get("field", "")
    choice = request.POST.get("preferred", "")
    claim_id = None if choice == "none" else _number(choice)
    if None in (content_type_id, object_id) or not field_name or (choice != "none" and claim_id is None):
        messages.error(request, "Choose one of the claims (or “No preferred claim”), then save.")
        return HttpResponseRedirect(back)
    try:
        record, label, chosen = set_preferred(request, content_type_id, object_id, field_name, claim_id)
    except ChoiceRefused as refusal:
        messages.error(request, str(refusal))
        return HttpResponseRedirect(back)
    if chosen is None:
        messages.success(request, f"“{label}” of “{record}” has no preferred claim now.")
    else:
        messages.success(
            request, f"“{label}” of “{record}”: the preferred claim is now “{chosen.value}” ({chosen.source.title})."
        )
    return HttpResponseRedirect(back)


urlpatterns = [path("", admin.site.admin_view(discrepancy_list), name="discrepancies")]


# The panel on a record's change page -------------------------------------------------------


@dataclass
class RecordPanel:
    citations: list
    conflicts: list  # of Fact, each with its claims
    list_url: str


def record_panel(record):
    """What a record's change page shows read-only: the sources it cites (source, locator) and
    its facts with more than one claim, the preferred one marked (two queries)."""
    model = type(record)
    if model not in CLAIMING_MODELS or record.pk is None:
        return None
    content_type = ContentType.objects.get_for_model(model)
    citations = list(
        Citation.objects.filter(content_type=content_type, object_id=record.pk)
        .select_related("source")
        .order_by("source__title", "locator", "pk")
    )
    grouped = {}
    for claim in (
        Claim.objects.filter(content_type=content_type, object_id=record.pk)
        .select_related("source")
        .order_by("field", "source__title", "value", "pk")
    ):
        grouped.setdefault(claim.field, []).append(claim)
    conflicts = [
        Fact(content_type.pk, record.pk, name, model, str(record), record.published, claims)
        for name, claims in grouped.items()
        if len(claims) > 1
    ]
    return RecordPanel(citations, conflicts, record_url(model, record.pk))
