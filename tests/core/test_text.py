"""A label in lower case and a capital first letter as the page's language writes them
(cooperation/core/text.py): Azerbaijani pairs İ with i and I with ı, and the text stays in Unicode
form C (the HTML checker warns of text that is not)."""

import unicodedata

import pytest
from django.utils import translation

from cooperation.core.text import lowercase, upper_first


@pytest.mark.parametrize(
    ("language", "text", "lower"),
    [
        ("az", "İcraçı", "icraçı"),
        ("az", "IRAQ", "ıraq"),
        ("az", "Maliyyələşdirən", "maliyyələşdirən"),
        ("ru", "Исполнитель", "исполнитель"),
        ("en", "Implementing", "implementing"),
    ],
)
def test_lowercase_writes_the_languages_own_small_letters(language, text, lower):
    assert lowercase(text, language) == lower
    with translation.override(language):
        assert lowercase(text) == lower


@pytest.mark.parametrize(
    ("language", "text", "upper"),
    [
        ("az", "icraçı, maliyyələşdirən", "İcraçı, maliyyələşdirən"),
        ("az", "ıraq", "Iraq"),
        ("ru", "исполнитель", "Исполнитель"),
        ("en", "implementing, funding", "Implementing, funding"),
        ("en", "", ""),
    ],
)
def test_upper_first_writes_the_languages_own_capital(language, text, upper):
    assert upper_first(text, language) == upper
    with translation.override(language):
        assert upper_first(text) == upper


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_a_label_lowered_and_capitalised_again_is_itself_in_unicode_form_c(language):
    text = upper_first(lowercase("İcraçı", language), language)

    assert text == unicodedata.normalize("NFC", text)
    assert "\u0307" not in text  # no combining dot above
