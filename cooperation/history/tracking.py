"""Which models have a history, and how they hang together (see ``cooperation/history/__init__.py``
for the words): a record's children, their parent, the fields a change is about, the tracked
many-to-many links and their snapshots, and the deletion rows whose object is still gone.
"""

import dataclasses
from datetime import timedelta
from functools import cache

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.fields.files import FieldFile
from simple_history.models import HistoricalRecords
from simple_history.utils import get_history_model_for_model, get_m2m_reverse_field_name

from cooperation.core.models import Record

# A child's deletion row this long before its record's, by the same user, was deleted with it.
SAME_MOMENT = timedelta(seconds=10)
# Fields every row has that say nothing about what changed.
NOT_COMPARED = {"id", "created_at", "updated_at"}


@cache
def tracked_models():
    """Every model of the registry's apps that has a history, in app registry order."""
    return tuple(
        model
        for model in apps.get_models()
        if model._meta.app_label in settings.REGISTRY_APPS and hasattr(model._meta, "simple_history_manager_attribute")
    )


def record_models():
    return tuple(model for model in tracked_models() if issubclass(model, Record))


def history_of(model):
    return get_history_model_for_model(model)


def model_label(model):
    return model._meta.label_lower


def model_from_label(label):
    by_label = {model_label(model): model for model in tracked_models()}
    return by_label.get(label)


@dataclasses.dataclass(frozen=True)
class ChildRelation:
    """How rows of ``model`` point at the record they belong to: a cascading foreign key
    (``fk`` is its attname) or a generic relation (``fk`` is None)."""

    model: type
    fk: str | None

    def filter(self, parent_model, pk):
        if self.fk:
            return {self.fk: pk}
        return {"content_type_id": content_type_id(parent_model), "object_id": pk}


@cache
def child_relations(parent_model):
    """The children of ``parent_model``'s records (see ``cooperation/history/__init__.py``)."""
    relations = []
    for model in tracked_models():
        if issubclass(model, Record):
            continue
        for field in model._meta.concrete_fields:
            if (
                field.many_to_one
                and field.related_model is parent_model
                and field.remote_field.on_delete is models.CASCADE
            ):
                relations.append(ChildRelation(model, field.attname))
    for field in parent_model._meta.private_fields:
        if isinstance(field, GenericRelation) and field.related_model in tracked_models():
            relations.append(ChildRelation(field.related_model, None))
    return tuple(relations)


@cache
def parent_link(child_model):
    """The field of ``child_model`` naming its record: a cascading foreign key or a generic one."""
    for field in child_model._meta.concrete_fields:
        if (
            field.many_to_one
            and issubclass(field.related_model, Record)
            and field.remote_field.on_delete is models.CASCADE
        ):
            return field
    for field in child_model._meta.private_fields:
        if isinstance(field, GenericForeignKey):
            return field
    return None


def parent_of(child_model, row):
    """(record model, pk) of the record a child row belongs to, or (None, None)."""
    link = parent_link(child_model)
    if link is None:
        return None, None
    if isinstance(link, GenericForeignKey):
        content_type = ContentType.objects.get_for_id(getattr(row, f"{link.ct_field}_id"))
        return content_type.model_class(), getattr(row, link.fk_field)
    return link.related_model, getattr(row, link.attname)


def content_type_id(model):
    return ContentType.objects.get_for_model(model).pk


@cache
def compared_fields(model):
    """The fields a change is about: editable, stored, not bookkeeping; the slug and the
    published flag last, as on the record's form."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.attname not in NOT_COMPARED
    ]
    return sorted(fields, key=lambda field: field.name in ("slug", "published"))


def tracked_m2m(model):
    """The many-to-many fields whose links each row of ``model`` snapshots."""
    return list(history_of(model)._history_m2m_fields)


def m2m_snapshot_model(field):
    return HistoricalRecords.m2m_models[field]


def m2m_target_attname(field):
    return m2m_snapshot_model(field)._meta.get_field(get_m2m_reverse_field_name(field)).attname


def reverse_m2m(model):
    """(other model, its tracked many-to-many field) for every tracked link that points at ``model``."""
    return [
        (other, field) for other in tracked_models() for field in tracked_m2m(other) if field.related_model is model
    ]


def newest_first(queryset):
    return queryset.order_by("-history_date", "-history_id")


def raw_value(field, obj):
    """The comparable value of ``field`` on a live object or a historical row."""
    value = getattr(obj, field.attname)
    if isinstance(value, FieldFile):
        return value.name or ""
    code = getattr(value, "code", None)
    if code is not None and not isinstance(value, str):  # a django-countries Country
        return code
    if getattr(field, "multiple", False):  # several countries: their codes, "AZ,GE" ("" for none)
        return ",".join(country.code for country in value or [])
    return value


def still_deleted(model):
    """Deletion rows of ``model`` whose object is still gone (not restored, not deleted again)."""
    history = history_of(model)
    later = history.objects.filter(id=OuterRef("id")).filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
    )
    live = model._base_manager.filter(pk=OuterRef("id"))
    return history.objects.filter(history_type="-").filter(~Exists(later), ~Exists(live))
