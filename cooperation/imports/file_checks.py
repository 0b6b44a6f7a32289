"""The plan's checks of the whole file, made once every row is read (``plan.plan_import``):
unique fields given twice in the file or held by another record, a partner that would become
its own ancestor, and published records changed by staff who may not publish them. Each
problem is an error on the row it concerns."""

from django.utils.translation import gettext

from cooperation.core.permissions import may_publish
from cooperation.imports.columns import shown
from cooperation.imports.relations import chunks
from partners.models import Partner


def check_unique(plan, context):
    """Unique fields other than the slug (a partner's name): once in the file, and not the
    value of another record in the database."""
    model = plan.schema.model
    for model_field in model._meta.concrete_fields:
        if not model_field.unique or model_field.primary_key or model_field.name == "slug":
            continue
        reader = plan.schema.by_field.get(model_field.name)
        if reader is None or reader.column not in plan.rows[0].cells:
            continue
        rows = [row for row in plan.rows if model_field.attname in row.fields and not row.failed(reader.column)]
        values = {}
        for row in rows:
            value = getattr(row.instance, model_field.attname)
            if value in values:
                row.error(reader.column, f"{shown(value)} is also the {reader.column} on row {values[value]}.")
            else:
                values[value] = row.number
        holders = {}
        for chunk in chunks(values):
            holders.update(
                model._default_manager.filter(**{f"{model_field.name}__in": chunk}).values_list(
                    model_field.name, "slug"
                )
            )
        for row in rows:
            value = getattr(row.instance, model_field.attname)
            holder = holders.get(value)
            if holder is not None and holder != row.slug and not row.failed(reader.column):
                row.error(
                    reader.column,
                    gettext("Another %(name)s, “%(holder)s”, already has the %(column)s %(value)s.")
                    % {
                        "name": model._meta.verbose_name,
                        "holder": holder,
                        "column": reader.column,
                        "value": shown(value),
                    },
                )


def check_parent_cycles(plan, context):
    """A partner may not become its own ancestor, through the database's parents or the file's."""
    rows = [row for row in plan.rows if "parent_id" in row.fields and not row.failed("parent_slug")]
    if not rows:
        return
    parents = dict(Partner.objects.values_list("slug", "parent__slug"))
    for row in rows:
        parent = row.instance.parent
        parents[row.slug] = parent.slug if parent is not None else None
    for row in rows:
        chain, current = [row.slug], parents.get(row.slug)
        while current is not None and current not in chain:
            chain.append(current)
            current = parents.get(current)
        if current == row.slug:
            if len(chain) == 1:
                message = gettext("A partner cannot be its own parent body.")
            else:
                message = gettext("This would make the partner a parent of itself: %(chain)s.") % {
                    "chain": " → ".join([*chain, row.slug])
                }
            row.error("parent_slug", message)


def check_permission(plan, context):
    if context.user is None:
        return
    model = plan.schema.model
    if may_publish(context.user, model):
        return
    for row in plan.rows:
        if row.existing and row.instance.published and row.changes:
            row.error(
                "",
                gettext(
                    "This %(name)s is published: only staff who may publish %(names)s can change it. "
                    "Leave the row as it is, or ask a publisher."
                )
                % {"name": model._meta.verbose_name, "names": model._meta.verbose_name_plural},
            )
