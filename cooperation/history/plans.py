"""What reverting and restoring share: the :class:`Plan` shown on the confirmation page and then
applied, who may carry one out (:func:`may_write`, :func:`refusal`), and the checks that make
a plan refuse (validation, deleted targets, a slug taken since).
"""

import dataclasses
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext

from cooperation.core.permissions import may_publish
from cooperation.history.context import history_context
from cooperation.history.tracking import compared_fields, parent_link

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


class CannotApply(Exception):
    """The plan could not be carried out; the message says why (nothing was changed), ``plan``
    is the plan that was tried."""

    def __init__(self, message: str, plan: "Plan | None" = None):
        super().__init__(message)
        self.plan = plan


def may_write(user: "AbstractBaseUser", model: type[models.Model], published: bool, adding: bool = False) -> bool:
    """Add (restore) or change (revert) permission; and publish permission where a published
    record is involved (the rule of cooperation/core/permissions.py)."""
    opts = model._meta
    action = "add" if adding else "change"
    if not user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
        return False
    return not published or may_publish(user, model)


def refusal(model: type[models.Model], published: bool, adding: bool = False) -> str:
    """Why :func:`may_write` says no, for the user: a revert (``adding`` False) or a restore."""
    opts = model._meta
    if adding:
        return gettext("You may not add %(names)s, so you cannot restore one.") % {"names": opts.verbose_name_plural}
    if published:
        return gettext(
            "This %(name)s is published (now, or in the version it would go back to): only a "
            "Publisher can revert it. Ask one to do it, or to make the %(name)s a draft first."
        ) % {"name": opts.verbose_name}
    return gettext("You may not change %(names)s.") % {"names": opts.verbose_name_plural}


def validation_problems(error, model):
    problems = []
    for field, messages in getattr(error, "message_dict", {"__all__": error.messages}).items():
        label = "" if field == "__all__" else f"{capfirst(model._meta.get_field(field).verbose_name)}: "
        problems += [f"{label}{message}" for message in messages]
    return problems


def missing_targets(model, obj, names):
    """Problems for foreign keys of ``obj`` that point at objects deleted since."""
    problems = []
    for field in compared_fields(model):
        pk = getattr(obj, field.attname) if field.many_to_one else None
        if pk is None or field.related_model is ContentType:
            continue
        names.want(field.related_model, pk)
    names.resolve()
    for field in compared_fields(model):
        pk = getattr(obj, field.attname) if field.many_to_one else None
        if pk is None or field.related_model is ContentType:
            continue
        if not names.is_live(field.related_model, pk):
            target = field.related_model._meta.verbose_name
            problems.append(
                gettext("Its %(field)s “%(name)s” has been deleted: restore that %(target)s first (Deleted records).")
                % {"field": field.verbose_name, "name": names.label(field.related_model, pk), "target": target}
            )
    return problems


def unlinkable_note(field, names, gone) -> str:
    """What a revert or restore says of the records a link named that no longer exist."""
    return ngettext(
        "%(field)s: %(names)s no longer exists and cannot be linked again.",
        "%(field)s: %(names)s no longer exist and cannot be linked again.",
        len(gone),
    ) % {
        "field": capfirst(field.verbose_name),
        "names": ", ".join(sorted(names.label(field.related_model, p) for p in gone)),
    }


def target_exists(model, obj):
    """Whether what a child row points at (its source, partner …) still exists; the record it
    belongs to is not asked about (it is being restored, or it is the one being reverted)."""
    link = parent_link(model)
    for field in compared_fields(model):
        if not field.many_to_one or field is link:
            continue
        pk = getattr(obj, field.attname)
        if pk is not None and not field.related_model._base_manager.filter(pk=pk).exists():
            return False
    return True


@dataclasses.dataclass
class Plan:
    """What a revert or a restore would do: shown on its confirmation page, then applied."""

    model: type
    pk: int
    title: str
    objects: list = dataclasses.field(default_factory=list)  # ObjectChange: current → result
    problems: list = dataclasses.field(default_factory=list)  # any of these: nothing is done
    notes: list = dataclasses.field(default_factory=list)  # what is left out, and why
    reason: str = ""
    published: bool = False  # whether the record is or will be published (for the permission)
    steps: list = dataclasses.field(default_factory=list)  # callables, in order
    record: object = None  # the record as it is once the plan has been carried out

    @property
    def has_changes(self):
        return bool(self.objects)

    def apply(self, user):
        """Carry the plan out as ``user`` (the services ``revert_record`` and ``restore_record``
        call this inside their transaction; on its own it opens one)."""
        if self.problems:
            raise CannotApply(" ".join(self.problems), plan=self)
        try:
            # No savepoint of its own: the caller's transaction is the one that rolls back.
            with transaction.atomic(savepoint=False), history_context(user=user, reason=self.reason):
                for step in self.steps:
                    step(user)
        except (IntegrityError, ValidationError) as error:
            detail = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            raise CannotApply(
                gettext("Nothing was changed: the database refused it (%(detail)s).") % {"detail": detail}, plan=self
            ) from error


def tagged(obj, user, reason):
    obj._history_user = user
    obj._change_reason = reason
    return obj


def slug_problems(model, obj):
    slug_field = next((field for field in model._meta.concrete_fields if field.name == "slug"), None)
    if slug_field is None or not obj.slug:
        return []
    other = model._base_manager.filter(slug=obj.slug).exclude(pk=obj.pk).first()
    if other is None:
        return []
    return [
        gettext(
            "The address “%(slug)s” is now used by the %(name)s “%(other)s”. "
            "Change that %(name)s's slug first, then try again."
        )
        % {"slug": obj.slug, "name": model._meta.verbose_name, "other": other}
    ]
