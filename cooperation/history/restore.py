"""Bringing back a deleted record: its last fields (same pk and slug), its links both ways, and
the children deleted with it (:func:`restore_plan` shows what would come back;
:func:`restore_record` does it).
"""

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext

from cooperation.core.permissions import may_publish
from cooperation.history.context import limit_reason
from cooperation.history.describe import (
    FieldChange,
    Names,
    ObjectChange,
    Rows,
    child_label,
    field_changes,
    user_name,
    when,
)
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
    SAME_MOMENT,
    child_relations,
    history_of,
    m2m_snapshot_model,
    m2m_target_attname,
    newest_first,
    reverse_m2m,
    still_deleted,
    tracked_m2m,
)
from cooperation.models.actions import deferred_summary


def deletion_row(model, pk):
    """The row that deleted ``pk`` if it is still deleted; else ``model.DoesNotExist``."""
    row = newest_first(history_of(model).objects.filter(id=pk)).first()
    if row is None or row.history_type != "-" or model._base_manager.filter(pk=pk).exists():
        raise model.DoesNotExist(f"No deleted {model._meta.verbose_name} #{pk} to restore.")
    return row


def restore_plan(model, pk, user):
    """The plan to bring back the deleted record ``pk``: its last fields (same pk and slug), its
    links both ways, and the children deleted with it. A published record comes back published
    only for a user who may publish it; for anyone else it comes back as a draft."""
    deletion = deletion_row(model, pk)
    history = history_of(model)
    state = newest_first(history.objects.filter(id=pk).exclude(history_type="-")).first()
    names, rows = Names(), Rows()
    if state is not None:
        rows.load(model, [state.history_id])
    deleted_by = deletion.history_user
    reason = limit_reason(
        f"Restored (deleted {when(deletion.history_date)}" + (f" by {user_name(deleted_by)})" if deleted_by else ")")
    )
    obj = deletion.instance
    created_at = getattr(obj, "created_at", None)
    plan = Plan(model, pk, title=str(obj), reason=reason)
    plan.published = bool(getattr(obj, "published", False))
    if plan.published and not may_publish(user, model):
        obj.published = False
        plan.published = False
        plan.notes.append(
            gettext(
                "It was published; it comes back as a draft, because only a Publisher can restore a published %(name)s."
            )
            % {"name": model._meta.verbose_name}
        )

    # Its links, and the links to it from other records as they were just before it was deleted.
    links = {}
    for field in tracked_m2m(model):
        wanted = rows.m2m(model, state.history_id).get(field.name, set()) if state else set()
        existing = set(field.related_model._base_manager.filter(pk__in=wanted).values_list("pk", flat=True))
        for linked in wanted:
            names.want(field.related_model, linked)
        links[field.name] = (wanted, existing)
    backlinks = []  # (other model, field, [other objects])
    for other, field in reverse_m2m(model):
        others = _linked_before(other, field, pk, deletion.history_date)
        if others:
            backlinks.append((other, field, others))

    # Children deleted with it.
    children = []
    for relation in child_relations(model):
        candidates = still_deleted(relation.model).filter(
            **relation.filter(model, pk),
            history_date__gte=deletion.history_date - SAME_MOMENT,
            history_date__lte=deletion.history_date,
        )
        for row in candidates:
            if row.history_user_id == deletion.history_user_id:
                children.append((relation.model, row))
                names.want_row(relation.model, row)
    names.want_row(model, obj)
    names.resolve()

    plan.problems += slug_problems(model, obj)
    plan.problems += missing_targets(model, obj, names)
    if not plan.problems:
        try:
            obj.full_clean(validate_unique=True)
        except ValidationError as error:
            plan.problems += validation_problems(error, model)

    m2m = {field_name: (set(), existing) for field_name, (_wanted, existing) in links.items()}
    plan.objects.append(
        ObjectChange(model, pk, "restored", str(obj), field_changes(model, None, obj, names, m2m, initial=True), False)
    )
    for field_name, (wanted, existing) in links.items():
        gone = wanted - existing
        if gone:
            field = model._meta.get_field(field_name)
            plan.notes.append(unlinkable_note(field, names, gone))
    for other, field, others in backlinks:
        for other_obj in others:
            link = FieldChange(field=capfirst(field.verbose_name), added=[str(obj)], links=True)
            plan.objects.append(ObjectChange(other, other_obj.pk, "linked", str(other_obj), [link], child=True))
    restored_children = []
    for child_model, row in children:
        child = row.instance
        label = child_label(child_model, row, names)
        if not target_exists(child_model, child):
            plan.notes.append(
                gettext("%(name)s “%(label)s” points at something deleted since and is left out.")
                % {"name": capfirst(child_model._meta.verbose_name), "label": label}
            )
            continue
        plan.objects.append(ObjectChange(child_model, row.id, "restored", label, [], child=True))
        restored_children.append(child)

    def apply(user):
        tagged(obj, user, reason).save(force_insert=True)
        if created_at is not None:
            # Keep when it was first created (auto_now_add stamped the restore time).
            model._base_manager.filter(pk=pk).update(created_at=created_at)
            history.objects.filter(
                history_id=newest_first(history.objects.filter(id=pk)).values("history_id")[:1]
            ).update(created_at=created_at)
        for field_name, (_wanted, existing) in links.items():
            if existing:
                getattr(obj, field_name).set(existing)
        for _other, field, others in backlinks:
            for other_obj in others:
                getattr(tagged(other_obj, user, reason), field.name).add(pk)
        for child in restored_children:
            tagged(child, user, reason).save(force_insert=True)

    plan.steps.append(apply)
    return plan


def _linked_before(other, field, pk, moment):
    """Live ``other`` records whose last row before ``moment`` links them to ``pk`` through ``field``."""
    snapshot = m2m_snapshot_model(field)
    target = m2m_target_attname(field)
    history = history_of(other)
    candidates = set(snapshot.objects.filter(**{target: pk}).values_list("history__id", flat=True))
    if not candidates:
        return []
    last_rows = {}
    for object_id, history_id in newest_first(
        history.objects.filter(id__in=candidates, history_date__lt=moment)
    ).values_list("id", "history_id"):
        last_rows.setdefault(object_id, history_id)
    linked = set(
        snapshot.objects.filter(history_id__in=last_rows.values(), **{target: pk}).values_list("history__id", flat=True)
    )
    return list(other._base_manager.filter(pk__in=linked).order_by("pk"))


@transaction.atomic
def restore_record(*, model: type[models.Model], pk: int, user: AbstractBaseUser) -> Plan:
    """Bring back the deleted record ``pk`` as ``user`` (as a draft if it was published and
    ``user`` may not publish it), with an entry in the admin's log; all in one transaction.

    Returns the plan, its ``record`` the restored record. Raises ``model.DoesNotExist`` (nothing
    deleted to restore), ``PermissionDenied`` (saying why) when ``user`` may not add such records,
    and :class:`~cooperation.history.plans.CannotApply` (with the plan) when the plan cannot be
    carried out.
    """
    plan = restore_plan(model, pk, user)
    if not may_write(user, model, plan.published, adding=True):
        raise PermissionDenied(refusal(model, plan.published, adding=True))
    with deferred_summary():  # an agreement's actions come back in any order: its summary once, after
        plan.apply(user)
    plan.record = model._base_manager.get(pk=pk)
    LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[plan.record], action_flag=ADDITION, change_message=plan.reason, single_object=True
    )
    return plan
