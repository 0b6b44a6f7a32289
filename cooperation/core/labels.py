"""Labels in the page's language for the models and fields that do not name themselves.

A field without a verbose name of its own is labelled with its name ("short title"), and a model
without ``Meta.verbose_name`` with its class's ("agreement"): English whatever the page's
language. Passing ``verbose_name=_("short title")`` would translate it, but a migration records
every verbose name given explicitly, so each such field would need one that changes nothing in the
database. :func:`label` sets the translated labels after the class is made instead: a migration
reads neither (``Field.deconstruct`` reads the verbose name the field was given, ``ModelState``
the Meta options the class was given), and the admin, forms and history read both.

Used at the end of a models module: ``label(Agreement, _("agreement"), _("agreements"), title=_("title"))``.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The fields every record has (cooperation.core.models.Record).
RECORD_FIELDS = {
    "slug": _("slug"),
    "published": _("published"),
    "created_at": _("created at"),
    "updated_at": _("updated at"),
}


def label(
    model: type[models.Model], name: Promise | None = None, plural: Promise | None = None, /, **fields: Promise
) -> None:
    """Label ``model`` (``name``, ``plural``) and its ``fields`` ({field name: label}), and the
    record fields it has, in the active language; a label the code gives explicitly is kept."""
    opts = model._meta
    if name is not None and "verbose_name" not in opts.original_attrs:
        opts.verbose_name = name
    if plural is not None and "verbose_name_plural" not in opts.original_attrs:
        opts.verbose_name_plural = plural
    for field_name, text in {**RECORD_FIELDS, **fields}.items():
        try:
            field = opts.get_field(field_name)
        except FieldDoesNotExist:
            if field_name in RECORD_FIELDS:
                continue
            raise
        if getattr(field, "_verbose_name", None) is None:
            field.verbose_name = text
