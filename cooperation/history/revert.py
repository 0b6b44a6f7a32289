"""Going back to an earlier version of a record: its fields, its links and its children as they
were then (:func:`revert_plan` shows what would change; :func:`revert_record` does it).
"""

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext

from cooperation.history.context import limit_reason
from cooperation.history.describe import Names, ObjectChange, Rows, child_label, field_changes, user_name, when
from cooperation.history.plans import (
    Plan,
    may_write,
    missing_targets,
    refusal,
    slug_problems,
    tagged,
    target_exists,
    unlinkable_note,
    validation_problems,
)
from cooperation.history.tracking import (
    child_relations,
    compared_fields,
    history_of,
    newest_first,
    raw_value,
    tracked_m2m,
)
from cooperation.history.versions import from_stamp
from cooperation.models.actions import deferred_summary


def revert_plan(model, pk, stamp):
    """The plan to put record ``pk`` back as it was at the end of the version ``stamp``.

    Raises ``model.DoesNotExist`` when the record had no state then (or is gone now).
    """
    obj = model._base_manager.get(pk=pk)
    moment = from_stamp(stamp)
    history = history_of(model)
    target = newest_first(history.objects.filter(id=pk, history_date__lte=moment)).first()
    if target is None or target.history_type == "-":
        raise model.DoesNotExist(f"The {model._meta.verbose_name} did not exist at that time.")
    names, rows = Names(), Rows()
    rows.load(model, [target.history_id])
    author = target.history_user
    reason = limit_reason(
        f"Reverted to the version of {when(target.history_date)}" + (f" by {user_name(author)}" if author else "")
    )
    plan = Plan(model, pk, title=str(obj), reason=reason)
    plan.published = bool(obj.published or target.published)

    # The record's own fields and links.
    fields = {}
    for field in compared_fields(model):
        if raw_value(field, obj) != raw_value(field, target):
            fields[field.attname] = getattr(target, field.attname)
    links = {}
    current_links = {}
    for field in tracked_m2m(model):
        current = set(getattr(obj, field.name).values_list("pk", flat=True))
        wanted = rows.m2m(model, target.history_id).get(field.name, set())
        if current == wanted:
            continue
        existing = set(field.related_model._base_manager.filter(pk__in=wanted).values_list("pk", flat=True))
        for pk_gone in wanted - existing:
            names.want(field.related_model, pk_gone)
        current_links[field.name] = current
        links[field.name] = (wanted, existing)
    names.want_row(model, obj)
    names.want_row(model, target)
    for field_name, (wanted, _existing) in links.items():
        related = model._meta.get_field(field_name).related_model
        for linked in wanted | current_links[field_name]:
            names.want(related, linked)

    # Its children as they were then.
    child_steps = {"delete": [], "save": []}
    for relation in child_relations(model):
        live = {child.pk: child for child in relation.model._base_manager.filter(**relation.filter(model, pk))}
        then = {}
        child_rows = history_of(relation.model).objects.filter(**relation.filter(model, pk), history_date__lte=moment)
        for row in child_rows.order_by("id", "-history_date", "-history_id"):
            then.setdefault(row.id, row)
        then = {child_pk: row for child_pk, row in then.items() if row.history_type != "-"}
        for child in live.values():
            names.want_row(relation.model, child)
        for row in then.values():
            names.want_row(relation.model, row)
        for child_pk, child in live.items():
            if child_pk not in then:
                child_steps["delete"].append((relation.model, child, None))
        for child_pk, row in then.items():
            current = live.get(child_pk)
            if current is None:
                child_steps["save"].append((relation.model, None, row))
            elif any(raw_value(field, current) != raw_value(field, row) for field in compared_fields(relation.model)):
                child_steps["save"].append((relation.model, current, row))
    names.resolve()

    # Problems: the record as it would be must be valid, and what it points to must exist.
    reverted = model._base_manager.get(pk=pk)
    for attname, value in fields.items():
        setattr(reverted, attname, value)
    plan.problems += missing_targets(model, reverted, names)
    plan.problems += slug_problems(model, reverted)
    if not plan.problems:
        try:
            reverted.full_clean(validate_unique=True)
        except ValidationError as error:
            plan.problems += validation_problems(error, model)

    m2m = {}
    for field_name, (wanted, existing) in links.items():
        field = model._meta.get_field(field_name)
        gone = wanted - existing
        if gone:
            plan.notes.append(unlinkable_note(field, names, gone))
        m2m[field_name] = (current_links[field_name], existing)
    changes = field_changes(model, obj, reverted, names, m2m)
    if changes:
        plan.objects.append(ObjectChange(model, pk, "changed", str(obj), changes, child=False))

    child_saves = []
    for child_model, current, row in child_steps["save"]:
        restored = row.instance
        if not target_exists(child_model, restored):
            plan.notes.append(
                gettext("%(name)s “%(label)s” points at something deleted since and is left out.")
                % {"name": capfirst(child_model._meta.verbose_name), "label": child_label(child_model, row, names)}
            )
            continue
        label = child_label(child_model, row, names)
        if current is None:
            plan.objects.append(ObjectChange(child_model, row.id, "restored", label, [], child=True))
        else:
            plan.objects.append(
                ObjectChange(
                    child_model, row.id, "changed", label, field_changes(child_model, current, restored, names), True
                )
            )
        child_saves.append((restored, current is None))
    # A claim that stops being preferred is saved before the one that becomes preferred.
    child_saves.sort(key=lambda item: bool(getattr(item[0], "preferred", False)))
    for child_model, child, _row in child_steps["delete"]:
        plan.objects.append(
            ObjectChange(child_model, child.pk, "deleted", child_label(child_model, child, names), [], child=True)
        )

    def apply(user):
        record = model._base_manager.select_for_update().get(pk=pk)
        for attname, value in fields.items():
            setattr(record, attname, value)
        tagged(record, user, reason).save()
        for field_name, (_current, existing) in m2m.items():
            getattr(record, field_name).set(existing)
        for _child_model, child, _row in child_steps["delete"]:
            tagged(child, user, reason).delete()
        for restored, new in child_saves:
            tagged(restored, user, reason).save(force_insert=new)

    plan.steps.append(apply)
    return plan


@transaction.atomic
def revert_record(*, model: type[models.Model], pk: int, stamp: int, user: AbstractBaseUser) -> Plan:
    """Put record ``pk`` back as it was at the end of the version ``stamp``, as ``user``, with an
    entry in the admin's log; all in one transaction.

    Returns the plan, its ``record`` the record as it is now; a plan without changes is returned
    as it is, nothing done. Raises ``model.DoesNotExist`` (no such record, or none then),
    ``ValueError`` or ``OverflowError`` (a stamp that names no moment), ``PermissionDenied``
    (saying why) when ``user`` may not, and :class:`~cooperation.history.plans.CannotApply` (with
    the plan) when the plan cannot be carried out.
    """
    plan = revert_plan(model, pk, stamp)
    if not may_write(user, model, plan.published):
        raise PermissionDenied(refusal(model, plan.published))
    if not plan.has_changes:
        return plan
    with deferred_summary():  # an agreement's actions come back in any order: its summary once, after
        plan.apply(user)
    plan.record = model._base_manager.get(pk=pk)
    LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[plan.record], action_flag=CHANGE, change_message=plan.reason, single_object=True
    )
    return plan
