"""Carrying out an import: a plan without errors (``plan.py``) saved in one transaction,
through each record's ``save()`` and ``set()`` for links (so search-index signals and history
run), with an admin log entry a record; and confirming a preview, which plans the file again
and saves only if nothing has changed since.

Saving costs what each record's save() and its search-index signals cost.
"""

from dataclasses import dataclass

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models.signals import post_save
from django.utils.translation import gettext

from cooperation.imports.files import Table
from cooperation.imports.plan import CREATE, UNCHANGED, UPDATE, ImportPlan, plan_import
from cooperation.search.signals import indexing_deferred


class ImportRefused(Exception):
    """The database refused a plan that looked valid (a record changed while it was saved)."""


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int


def apply_import(*, plan: ImportPlan, user: AbstractBaseUser | None = None) -> ImportResult:
    """Carry out ``plan`` in one transaction: creates and updates through save(), links through
    set(), an admin log entry for each record; all or nothing. ImportRefused if the database
    refuses a row (after a concurrent change); ValueError for a plan with errors."""
    if plan.has_errors:
        raise ValueError("A plan with errors cannot be applied.")
    context = plan.context
    context.user = user
    rows = _saving_order([row for row in plan.rows if row.action in (CREATE, UPDATE)])
    counts = plan.counts
    result = ImportResult(created=counts[CREATE], updated=counts[UPDATE], unchanged=counts[UNCHANGED])
    if not rows:
        return result
    entries = []
    content_type = ContentType.objects.get_for_model(plan.schema.model)
    try:
        # Each record is indexed for search once, when every row is saved, not once per save.
        with transaction.atomic(), indexing_deferred():
            for row in rows:
                _save_row(row, context)
                entries.append(_log_entry(plan, row, user, content_type))
            if user is not None:
                LogEntry.objects.bulk_create(entries)
    except IntegrityError as error:
        raise ImportRefused(
            gettext(
                "The database refused the import, so nothing was saved (%(error)s). Records may have changed "
                "while it ran: upload the file again to see a new preview."
            )
            % {"error": error}
        ) from error
    return result


def _save_row(row, context):
    """Save one row's record and links, leaving one history entry for the row.

    django-simple-history records a version on every save and on every change of a tracked
    many-to-many field; a row that changes three relations would leave four versions, three
    of them half-imported states. So the links are written with ``skip_history_when_saving``
    (the library's own switch) and the version is taken once, of the finished record: by the
    update's save(), which comes after the links, or, for a new record (which needs its row
    before it can have links), by sending post_save again once its links are in place.
    """
    obj = row.instance
    context.attribute(obj)
    quiet = bool(row.relations)
    if row.action == CREATE:
        if quiet:
            obj.skip_history_when_saving = True
        obj.save()
        for reader, wanted in row.relations:
            reader.save(obj, wanted, context)
        if quiet:
            del obj.skip_history_when_saving
            post_save.send(
                sender=type(obj), instance=obj, created=True, update_fields=None, raw=False, using=obj._state.db
            )
        return
    if quiet:
        obj.skip_history_when_saving = True
        for reader, wanted in row.relations:
            reader.save(obj, wanted, context)
        del obj.skip_history_when_saving
    obj.save(update_fields=[*row.fields, "updated_at"])


def confirm_import(
    *, model: type[models.Model], table: Table, user: AbstractBaseUser, fingerprint: str
) -> tuple[ImportPlan, ImportResult | None]:
    """Plan ``table`` again and apply it if it is still the plan the user previewed (the same
    ``fingerprint``); otherwise apply nothing. Returns ``(plan, ImportResult or None)``."""
    with transaction.atomic():
        plan = plan_import(model, table, user)
        if plan.has_errors or plan.fingerprint != fingerprint:
            return plan, None
        return plan, apply_import(plan=plan, user=user)


def _saving_order(rows):
    """Rows in file order, except that a partner comes after the parent this file creates."""
    by_slug = {row.slug: row for row in rows}
    ordered, done = [], set()

    def visit(row):
        if row.slug in done:
            return
        done.add(row.slug)
        if row.parent_slug in by_slug:
            visit(by_slug[row.parent_slug])
        ordered.append(row)

    for row in rows:
        visit(row)
    return ordered


def _log_entry(plan, row, user, content_type):
    obj = row.instance
    where = f"Imported from {plan.table.filename}, row {row.number}"
    if row.action == CREATE:
        message, flag = f"{where}: added as a draft.", ADDITION
    else:
        message, flag = f"{where}: changed {', '.join(change.column for change in row.changes)}.", CHANGE
    return LogEntry(
        user_id=getattr(user, "pk", None),
        content_type=content_type,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action_flag=flag,
        change_message=message,
    )
