"""The interface's words looked up once a catalogue (cooperation/core/words.py) are Django's own, in
every language, whichever language was asked for before."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from cooperation.core import words

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def catalogue_messages():
    """Every message of the az catalogue (the ru one has the same): (context, singular, plural)."""
    path = Path(settings.BASE_DIR, "locale", "az", "LC_MESSAGES", "django.po")
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale="az")
    found = []
    for message in catalog:
        if not message.id:
            continue
        singular, plural = message.id if isinstance(message.id, tuple) else (message.id, None)
        found.append((message.context, singular, plural))
    return found


MESSAGES = catalogue_messages()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_worded_as_django_words_it(language):
    assert len(MESSAGES) > 500
    different = []
    # Twice: the second time from what the first remembered.
    for _round in range(2):
        with translation.override(language):
            for context, singular, plural in [*MESSAGES, (None, "A message in no catalogue", None)]:
                if plural is not None:
                    for number in (0, 1, 2, 3, 5, 11, 21, 22, 25, 101):
                        mine = words.ngettext(singular, plural, number)
                        if mine != translation.ngettext(singular, plural, number):
                            different.append((language, singular, number, mine))
                elif context:
                    mine = words.pgettext(context, singular)
                    if mine != translation.pgettext(context, singular):
                        different.append((language, context, singular, mine))
                else:
                    mine = words.gettext(singular)
                    if mine != translation.gettext(singular):
                        different.append((language, singular, mine))
    assert different == []


def test_a_word_follows_the_language_asked_for_each_time():
    asked = []
    for language in ["en-gb", "az", "ru", "az", "en-gb", "ru"]:
        with translation.override(language):
            asked.append(
                (words.gettext("Offices"), words.ngettext("%(count)s office", "%(count)s offices", 3) % {"count": 3})
            )
    assert asked == [
        ("Offices", "3 offices"),
        ("Ofislər", "3 ofis"),
        ("Офисы", "3 офиса"),
        ("Ofislər", "3 ofis"),
        ("Offices", "3 offices"),
        ("Офисы", "3 офиса"),
    ]


def test_with_no_language_active_the_words_are_the_sites_default_languages():
    with translation.override("ru"):
        words.gettext("Offices")
    translation.deactivate()
    assert words.gettext("Offices") == "Offices"
    translation.deactivate_all()
    assert words.gettext("Offices") == "Offices"
    assert words.ngettext("%(count)s office", "%(count)s offices", 1) == "%(count)s office"
    translation.deactivate()


@pytest.mark.parametrize("first", [str, mark_safe])
def test_a_safe_message_is_answered_safe_and_a_plain_one_plain_whichever_came_first(first):
    second = mark_safe if first is str else str
    with translation.override("ru"):
        answers = {kind: words.gettext(kind("Offices")) for kind in (first, second)}
        contexts = {kind: words.pgettext("a part of a year", kind("first half")) for kind in (first, second)}
    assert isinstance(answers[mark_safe], SafeString) and not isinstance(answers[str], SafeString)
    assert isinstance(contexts[mark_safe], SafeString) and not isinstance(contexts[str], SafeString)
    assert answers[str] == answers[mark_safe] == "Офисы"
