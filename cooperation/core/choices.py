"""The labels of a model field's choices, in the active language, made once a field and language.

Django's ``get_FOO_display()`` makes a dict of the field's choices on each call, forcing every
lazy label through gettext: the 70 of a projects list's rows (a project's status, a partner's
role) took ~4 ms of a cold page. Every model here has :class:`ChoiceLabels` (through
``cooperation.core.models.ReadableText``), whose ``get_FOO_display()`` reads the labels made once.
"""

import functools

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language


@functools.lru_cache(maxsize=1024)
def choice_labels(field: models.Field, language: str | None) -> dict:
    """{value: label} of ``field``'s choices, in ``language`` (the active one: the labels are lazy)."""
    return {make_hashable(value): force_str(label, strings_only=True) for value, label in field.flatchoices}


class ChoiceLabels:
    """A model mixin: ``get_FOO_display()`` as Django's, from :func:`choice_labels`."""

    def _get_FIELD_display(self, field: models.Field) -> object:  # noqa: N802 - Django's name
        value = getattr(self, field.attname)
        return choice_labels(field, get_language()).get(make_hashable(value), force_str(value, strings_only=True))
