"""A record's translations in its admin form, beside the English (docs/languages.md).

Each translated field (``name``) is followed by its Azerbaijani and Russian columns
(``name_az``, ``name_ru``): on one row of a record's form, side by side, and next to each other in
an inline's table. Translations of a field the form shows read-only (an agreement's signed place,
kept from its actions) are read-only too. The change list's search looks in every language.
"""

from cooperation.core.translation import TRANSLATION_LANGUAGES, translated_fields


def _columns(field: str) -> list[str]:
    return [f"{field}_{code}" for code in TRANSLATION_LANGUAGES]


def is_translated(model, name: str) -> bool:
    """``name`` is a translated field of ``model`` or one of its translation columns."""
    fields = translated_fields(model)
    return name in fields or any(name in _columns(field) for field in fields)


class TranslationsSideBySideMixin:
    """For ModelAdmins and inlines: the translation columns placed after their English field."""

    def _translated(self) -> set[str]:
        return set(translated_fields(self.model))

    def _with_columns(self, fields, *, row: bool) -> list:
        translated, placed = self._translated(), []
        for field in fields:
            if isinstance(field, str) and field in translated:
                placed.append((field, *_columns(field)) if row else field)
                if not row:
                    placed.extend(_columns(field))
            elif isinstance(field, (list, tuple)) and any(name in translated for name in field):
                # A row of several fields already: each translated one's columns follow the row.
                placed.append(field)
                placed.extend(column for name in field if name in translated for column in _columns(name))
            else:
                placed.append(field)
        return placed

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        row = not getattr(self, "is_tabular", False)
        return [
            (name, {**options, "fields": self._with_columns(options["fields"], row=row)}) for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        translated = self._translated()
        return readonly + [column for field in readonly if field in translated for column in _columns(field)]

    def get_search_fields(self, request):
        fields = list(super().get_search_fields(request))
        translated = self._translated()
        return fields + [column for field in fields if field in translated for column in _columns(field)]
