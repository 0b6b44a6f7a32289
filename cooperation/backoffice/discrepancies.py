"""Discrepancies: the facts whose sources disagree, for staff to settle.

A *fact* is one field of one record (the date an agreement was signed, a partner's member
states); each source's version of it is a :class:`~cooperation.models.Claim`. A fact with two or
more claims is listed on the staff page ``/<admin>/discrepancies/`` (added to the admin by
``cooperation/backoffice/sites.py``) with its claims side by side (value, source, locator and
note, which one is preferred) and a form to choose the preferred claim, or none. The list can be
narrowed to one kind of record, to one record, to facts with no preferred claim yet, and to
drafts or published records.

Choosing needs the change permission on claims and, for a published record, the record's
publish permission (the rule of :mod:`cooperation.core.permissions`); it is the service
:func:`~cooperation.backoffice.services.set_preferred_claim`. The database allows one preferred
claim per fact (``claim_one_preferred``): the old one is unticked before the new one is ticked,
in one transaction, so the constraint holds at every step and a failure changes nothing.

Queries: the list costs the same number whatever the number of facts and claims (see
``claims.py``, which reads them).

A record's admin change page shows the same in small (:func:`record_panel`): the sources it
cites and its facts with more than one claim, linking to this list narrowed to the record.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy

from cooperation.backoffice.claims import (
    CLAIMING_MODELS,
    Fact,
    attach_claims,
    fact_from_row,
    facts_queryset,
    may_choose,
    may_view,
)
from cooperation.backoffice.services import ChoiceRefused, set_preferred_claim
from cooperation.models import Citation, Claim

FACTS_PER_PAGE = 50
PREFERRED_CHOICES = {"none": gettext_lazy("No preferred claim yet"), "chosen": gettext_lazy("A preferred claim chosen")}
STATE_CHOICES = {"draft": gettext_lazy("Drafts"), "published": gettext_lazy("Published records")}


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
                filters.problems.append(
                    gettext("There is no kind of record “%(kind)s”: showing every kind.") % {"kind": kind[:40]}
                )
        record = params.get("record", "")
        if record:
            if not filters.kind:
                filters.problems.append(
                    gettext("A record is chosen with its kind (kind=…&record=…): showing every record.")
                )
            elif record.isdigit() and len(record) < 19:
                filters.record = int(record)
            else:
                filters.problems.append(
                    gettext("“%(record)s” is not a record number: showing every record.") % {"record": record[:40]}
                )
        for name, choices in (("preferred", PREFERRED_CHOICES), ("state", STATE_CHOICES)):
            value = params.get(name, "")
            if value in choices:
                setattr(filters, name, value)
            elif value:
                filters.problems.append(
                    gettext("“%(value)s” is not a choice for %(name)s: it was left out.")
                    % {"value": value[:40], "name": name}
                )
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
    return reverse("admin:discrepancies") + (f"?{urlencode(params)}" if params else "")


def record_url(model, object_id):
    """The list narrowed to one record's facts."""
    return list_url(kind=model._meta.model_name, record=object_id)


# Views -----------------------------------------------------------------------------------


def discrepancy_list(request, site):
    """``/<admin>/discrepancies/`` of the admin ``site``: GET lists the facts, POST chooses one
    fact's preferred claim."""
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
        messages.warning(
            request, gettext("There is no page “%(page)s”: showing the first page.") % {"page": page_number[:20]}
        )
        page_number = 1
    page = paginator.page(int(page_number))
    facts = attach_claims([fact_from_row(row) for row in page.object_list])
    for fact in facts:
        fact.may_choose = may_choose(request.user, fact.model, fact.record_published)

    params = filters.params()
    context = {
        **site.each_context(request),
        "title": gettext("Discrepancies"),
        "subtitle": None,
        "facts": facts,
        "page": page,
        "paginator": paginator,
        "filters": filters,
        "kinds": [(model._meta.model_name, capfirst(model._meta.verbose_name_plural)) for model in CLAIMING_MODELS],
        "preferred_choices": PREFERRED_CHOICES,
        "state_choices": STATE_CHOICES,
        "record_filter": _record_filter(filters),
        "clear_url": reverse("admin:discrepancies"),
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
        back = reverse("admin:discrepancies")
    content_type_id = _number(request.POST.get("content_type", ""))
    object_id = _number(request.POST.get("object_id", ""))
    field_name = request.POST.get("field", "")
    choice = request.POST.get("preferred", "")
    claim_id = None if choice == "none" else _number(choice)
    if None in (content_type_id, object_id) or not field_name or (choice != "none" and claim_id is None):
        messages.error(request, gettext("Choose one of the claims (or “No preferred claim”), then save."))
        return HttpResponseRedirect(back)
    try:
        record, label, chosen = set_preferred_claim(
            user=request.user,
            content_type_id=content_type_id,
            object_id=object_id,
            field_name=field_name,
            claim_id=claim_id,
        )
    except ChoiceRefused as refusal:
        messages.error(request, str(refusal))
        return HttpResponseRedirect(back)
    if chosen is None:
        messages.success(
            request,
            gettext("“%(fact)s” of “%(record)s” has no preferred claim now.") % {"fact": label, "record": record},
        )
    else:
        messages.success(
            request,
            gettext("“%(fact)s” of “%(record)s”: the preferred claim is now “%(value)s” (%(source)s).")
            % {"fact": label, "record": record, "value": chosen.value, "source": chosen.source.display_name},
        )
    return HttpResponseRedirect(back)


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
