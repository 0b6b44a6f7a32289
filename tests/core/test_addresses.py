"""A record's address (cooperation/core/addresses.py): what reverse() gives, reversed once."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from cooperation.core.addresses import slug_url

VIEWS = [
    "cooperation:agreement-detail",
    "cooperation:project-detail",
    "cooperation:topic-detail",
    "cooperation:source-detail",
    "cooperation:source-text",
    "partners:partner-detail",
    "partners:office-detail",
    "partners:person-detail",
    "events:meeting-detail",
]


@pytest.fixture
def script_prefix():
    yield set_script_prefix
    set_script_prefix("/")


@pytest.mark.parametrize("language", ["en-gb", "az", "ru"])
@pytest.mark.parametrize("prefix", ["/", "/registry/"])
def test_a_slug_url_is_what_reverse_gives_in_each_language_and_under_a_script_prefix(language, prefix, script_prefix):
    script_prefix(prefix)
    with translation.override(language):
        for view in VIEWS:
            for slug in ("iom", "eu-readmission-2013", "Partner_1"):
                assert slug_url(view, slug) == reverse(view, kwargs={"slug": slug})


def test_the_address_follows_the_language_asked_after_another(script_prefix):
    with translation.override("az"):
        assert slug_url("partners:partner-detail", "iom") == "/az/partners/iom/"
    with translation.override("en-gb"):  # English, the default: unprefixed
        assert slug_url("partners:partner-detail", "iom") == "/partners/iom/"
    script_prefix("/registry/")
    with translation.override("ru"):
        assert slug_url("partners:partner-detail", "iom") == "/registry/ru/partners/iom/"


@pytest.mark.parametrize("slug", ["", "two words", "a/b", "iom?x=1", "bakı"])
def test_a_slug_the_url_cannot_take_fails_as_reverse_does(slug):
    with pytest.raises(NoReverseMatch):
        slug_url("partners:partner-detail", slug)
