"""HTML written in Python (cooperation/core/html.py): ``esc`` escapes as the templates do."""

import pytest
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from cooperation.core.html import esc
from cooperation.core.translation import LocalizedText


@pytest.mark.parametrize(
    "value",
    [
        'Bakı & "Gəncə" <office>',
        LocalizedText("Tom & Jerry's <office>", "en", fallback=True),
        LocalizedText("Ofis & <filial>", "az"),
        mark_safe("<b>already HTML</b> &amp;"),
        gettext_lazy("Projects & <more>"),
        1234,
        "",
    ],
)
def test_esc_writes_what_a_template_writes(value):
    assert esc(value) == conditional_escape(value)


def test_a_name_in_another_language_is_escaped_as_text_not_kept_as_html():
    assert esc(LocalizedText("<script>alert(1)</script>", "en", fallback=True)) == (
        "&lt;script&gt;alert(1)&lt;/script&gt;"
    )
