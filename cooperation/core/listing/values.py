"""The values of a list's query parameters, as its filters read them: each cleaned of control
characters and cut to a length, a repeated parameter's values once each."""

from django import forms

from cooperation.core.text import CONTROL_CHARACTERS

MAX_VALUE_LENGTH = 100


def clean_text(value: str, limit: int = MAX_VALUE_LENGTH) -> str:
    """Drop control characters and surrounding space; cut to ``limit`` characters."""
    return CONTROL_CHARACTERS.sub("", value).strip()[:limit]


class MultipleValueField(forms.Field):
    """Every value of a repeated query parameter, cleaned of control characters."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: object) -> list[str]:
        if value in (None, ""):
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        cleaned = []
        for item in values:
            item = clean_text(str(item))
            if item and item not in cleaned:
                cleaned.append(item)
        return cleaned
