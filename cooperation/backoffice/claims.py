"""Facts whose sources disagree, read in bulk: which records carry claims, who may see and settle
them, and the queries behind the discrepancies page (``discrepancies.py``).

A *fact* is one field of one record (the date an agreement was signed, a partner's member
states); each source's version of it is a :class:`~cooperation.models.Claim`. Choosing the
preferred claim needs the change permission on claims and, for a published record, the
record's publish permission (the rule of :mod:`cooperation.core.permissions`).

Queries: a page of facts costs the same number whatever the number of facts and claims: the
facts of the page (each with its record's name and published flag, read by subqueries in the
same query), their count, and their claims with their sources.
"""

import operator
from dataclasses import dataclass, field
from functools import reduce
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import BooleanField, Case, CharField, Count, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils.text import capfirst

from cooperation.core.permissions import may_publish
from cooperation.core.text import field_label
from cooperation.models import Agreement, Claim, Project, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

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


def fold(value: str) -> str:
    """A claim's value as compared: spaces collapsed, case folded ("8 December 1999" = "8 december  1999")."""
    return " ".join(value.split()).casefold()


def may_view(user: "AbstractBaseUser") -> bool:
    return user.has_perm("cooperation.view_claim") or user.has_perm("cooperation.change_claim")


def may_choose(user: "AbstractBaseUser", model: type[models.Model], published: bool) -> bool:
    """May set the preferred claim of a fact of a ``model`` record (``published`` or not)."""
    return user.has_perm("cooperation.change_claim") and (not published or may_publish(user, model))


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


def facts_queryset() -> models.QuerySet:
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


def attach_claims(facts: list[Fact]) -> list[Fact]:
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


def fact_from_row(row: dict[str, Any]) -> Fact:
    """A :class:`Fact` from a row of :func:`facts_queryset` (its claims not attached yet)."""
    model = ContentType.objects.get_for_id(row["content_type"]).model_class()
    return Fact(
        content_type_id=row["content_type"],
        object_id=row["object_id"],
        field=row["field"],
        model=model,
        record_name=row["record_name"] or f"{capfirst(model._meta.verbose_name)} #{row['object_id']}",
        record_published=bool(row["record_published"]),
    )
